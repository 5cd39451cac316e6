// view_inspector.cpp - one message across its hops: the envelope (MAIL FROM, RCPT TO: what the
// servers route by) beside the header's From/To (what the reader sees); a hop picker showing the
// message as it crossed each hop, so the Received chain grows hop by hop; the header with the
// Received lines numbered; the body, or the parts of a multipart (a DSN's report parts apart);
// the raw bytes; and what an eavesdropper on that hop saw next to what the endpoints saw.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

constexpr ImU32 kGrey = IM_COL32(150, 150, 160, 255);

// hop_label - "2  msa.a.example -> out1.fra  00:01:00.512  TLS".
std::string hop_label(std::size_t i, const SceneMsgHop& h) {
  TimeText tt(h.t_us);
  std::string verb = h.kind == "mailbox" ? " stored in " : h.kind == "fetched" ? " -> (POP3) " : h.kind == "made" ? " made at " : " -> ";
  std::string t = std::to_string(i + 1) + "  " + (h.kind == "made" ? "" : h.from) + verb + h.to + "  " + tt.c_str();
  if (h.tls) t += "  TLS";
  return t;
}

// hex_dump - "0000  16 03 03 00 7a ...  |....z|" lines for at most max bytes of b.
std::string hex_dump(std::string_view b, std::size_t max) {
  std::string out;
  char line[96];
  for (std::size_t off = 0; off < b.size() && off < max; off += 16) {
    int n = std::snprintf(line, sizeof line, "%04zx ", off);
    std::string asc;
    for (std::size_t k = 0; k < 16; ++k) {
      if (off + k < b.size()) {
        unsigned char c = static_cast<unsigned char>(b[off + k]);
        n += std::snprintf(line + n, sizeof line - std::size_t(n), " %02x", c);
        asc += c >= 0x20 && c < 0x7f ? char(c) : '.';
      } else {
        n += std::snprintf(line + n, sizeof line - std::size_t(n), "   ");
      }
    }
    out += line;
    out += "  |" + asc + "|\n";
  }
  if (b.size() > max) out += "... " + std::to_string(b.size() - max) + " more bytes\n";
  return out;
}

// printable - CRLF shown as line ends, other control bytes as <xx>.
std::string printable(std::string_view b) {
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(b[i]);
    if (c == '\r' && i + 1 < b.size() && b[i + 1] == '\n') continue;
    if (c == '\n' || (c >= 0x20 && c < 0x7f) || c == '\t') out += char(c);
    else {
      char x[8];
      std::snprintf(x, sizeof x, "<%02x>", c);
      out += x;
    }
  }
  return out;
}

// text_box - read-only text in a child of height h (monospace).
void text_box(const char* id, const std::string& text, float h, UiState& ui) {
  ImGui::BeginChild(id, ImVec2(0, h), true, ImGuiWindowFlags_HorizontalScrollbar);
  if (ui.font_mono) ImGui::PushFont(ui.font_mono);
  ImGui::TextUnformatted(text.c_str());
  if (ui.font_mono) ImGui::PopFont();
  ImGui::EndChild();
}

// envelope - the envelope beside the header's From/To/Subject.
void envelope(const SceneMessage& m, const SceneMsgHop& h) {
  if (!ImGui::BeginTable("##env", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) return;
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(col::k3xx), "Envelope (SMTP: where the servers deliver)");
  if (h.kind == "smtp" || h.kind == "made") {
    ImGui::Text("MAIL FROM:<%s>%s", h.mail_from.c_str(), h.mail_from.empty() ? "   (null sender: a bounce)" : "");
    for (const std::string& r : h.rcpt_to) ImGui::Text("RCPT TO:<%s>", r.c_str());
  } else {
    ImGui::TextDisabled("no envelope on this hop: %s", h.kind == "mailbox" ? "the MDA stored the message" : "POP3 downloads the message as it is");
  }
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(col::kData), "Header (what the reader sees)");
  ImGui::Text("From: %s", m.header_from.c_str());
  ImGui::Text("To: %s", m.header_to.c_str());
  ImGui::Text("Subject: %s", m.subject.c_str());
  ImGui::EndTable();
}

// header_tab - the Received chain numbered (the newest on top), then every field.
void header_tab(const SceneMsgHop& h, float height, UiState& ui) {
  ImGui::BeginChild("##hdr", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
  if (ui.font_mono) ImGui::PushFont(ui.font_mono);
  ImGui::TextColored(to_vec4(col::kTls), "%zu Received line%s on this hop (each server adds one on top; read them bottom-up for the path):",
                     h.received.size(), h.received.size() == 1 ? "" : "s");
  ImGui::PushTextWrapPos(0);
  for (std::size_t i = 0; i < h.received.size(); ++i)
    ImGui::TextWrapped("  %zu. Received: %s", h.received.size() - i, h.received[i].c_str());
  ImGui::PopTextWrapPos();
  ImGui::Separator();
  for (const auto& [n, v] : h.header) {
    if (n == "Received") continue;
    ImGui::TextColored(to_vec4(kGrey), "%s:", n.c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(v.c_str());
  }
  if (ui.font_mono) ImGui::PopFont();
  ImGui::EndChild();
}

// wire_tab - the eavesdropper's bytes beside the endpoints' plaintext.
void wire_tab(const SceneMsgHop& h, float height, UiState& ui) {
  if (!h.conn) {
    ImGui::TextDisabled("This copy did not cross a wire on this hop (it was made or stored here).");
    return;
  }
  if (!ImGui::BeginTable("##wire", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) return;
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(h.tls ? col::kTls : col::k4xx), "On the wire (an eavesdropper sees): %zu bytes from %s, %s",
                     h.wire.size(), h.from.c_str(), h.tls ? "encrypted after STARTTLS" : "NOT encrypted");
  std::string w = printable(std::string_view(h.wire).substr(0, h.wire_plain));
  if (h.wire_plain < h.wire.size()) w += "\n--- TLS from here: " + std::to_string(h.wire.size() - h.wire_plain) + " bytes of TLS records (handshake, then ciphertext) ---\n" +
                                         hex_dump(std::string_view(h.wire).substr(h.wire_plain), 2048);
  text_box("##eaves", w, height - ImGui::GetFrameHeightWithSpacing(), ui);
  ImGui::TableNextColumn();
  ImGui::TextColored(to_vec4(col::k2xx), "At the endpoints (after decryption): the message, %zu bytes", h.raw.size());
  text_box("##plain", printable(h.raw), height - ImGui::GetFrameHeightWithSpacing(), ui);
  ImGui::EndTable();
}

}  // namespace

// draw_inspector - the message and hop pickers, envelope vs header, then the views of the hop.
void draw_inspector(const Scene& s, UiState& ui) {
  if (!s.captured) {
    ui.req.capture = true;  // playback re-simulates to now keeping the bytes
    ImGui::TextDisabled("Collecting every hop's bytes (the run is replayed once to this moment)...");
    return;
  }
  const SceneMessage& m = s.message;
  if (m.choices.empty()) {
    ImGui::TextDisabled("No message has been accepted by a server yet. Play the lesson a little further.");
    return;
  }
  if (ui.inspect_msg.empty() && !m.msgid.empty()) ui.inspect_msg = m.msgid, ui.inspect_conn = 0;  // keep the pick
  std::size_t at = 0;
  for (std::size_t i = 0; i < m.choices.size(); ++i)
    if (m.choices[i] == m.msgid) at = i;
  ImGui::TextUnformatted("Message");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 26);
  if (ImGui::BeginCombo("##msg", m.choice_labels[at].c_str())) {
    for (std::size_t i = 0; i < m.choices.size(); ++i)
      if (ImGui::Selectable(m.choice_labels[i].c_str(), i == at)) ui.inspect_msg = m.choices[i], ui.inspect_hop = -1;
    ImGui::EndCombo();
  }
  if (m.hops.empty()) return;
  const int last = int(m.hops.size()) - 1;
  const int hop = ui.inspect_hop < 0 || ui.inspect_hop > last ? last : ui.inspect_hop;
  ImGui::SameLine();
  ImGui::TextUnformatted("  Hop");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 28);
  std::string cur = hop_label(std::size_t(hop), m.hops[std::size_t(hop)]);
  if (ImGui::BeginCombo("##hop", cur.c_str())) {
    for (int i = 0; i <= last; ++i)
      if (ImGui::Selectable(hop_label(std::size_t(i), m.hops[std::size_t(i)]).c_str(), i == hop)) ui.inspect_hop = i == last ? -1 : i;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prevhop", ImGuiDir_Left) && hop > 0) ui.inspect_hop = hop - 1;
  ImGui::SameLine();
  if (ImGui::ArrowButton("##nexthop", ImGuiDir_Right) && hop < last) ui.inspect_hop = hop + 1 == last ? -1 : hop + 1;
  ImGui::SameLine();
  ImGui::TextDisabled("hop %d of %d so far", hop + 1, last + 1);
  const SceneMsgHop& h = m.hops[std::size_t(hop)];
  envelope(m, h);
  const float rest = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() - 4;
  // set - the flag that brings view v up when it was asked for (cleared once it shows).
  auto set = [&ui](int v) { return ui.inspect_view == v ? ImGuiTabItemFlags_SetSelected : 0; };
  auto shown = [&ui](int v) { if (ui.inspect_view == v) ui.inspect_view = -1; };
  if (ImGui::BeginTabBar("##msgviews")) {
    if (ImGui::BeginTabItem("Header", nullptr, set(0))) {
      shown(0);
      header_tab(h, rest, ui);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(h.parts.empty() ? "Body###body" : "Parts###body", nullptr, set(1))) {
      shown(1);
      std::string t;
      if (h.parts.empty()) t = printable(h.body);
      for (std::size_t i = 0; i < h.parts.size(); ++i)
        t += "=== part " + std::to_string(i + 1) + " of " + std::to_string(h.parts.size()) + ": " + h.parts[i].type + " ===\n" +
             printable(h.parts[i].text) + "\n";
      text_box("##body", t, rest, ui);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Raw", nullptr, set(2))) {
      shown(2);
      text_box("##raw", printable(h.raw), rest, ui);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(h.tls ? "Wire (encrypted)###wire" : "Wire###wire", nullptr, set(3))) {
      shown(3);
      wire_tab(h, rest, ui);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
}

// inspect_message - select msgid at hop and bring the Message tab up.
void inspect_message(UiState& ui, const std::string& msgid, int hop) {
  ui.inspect_msg = msgid;
  ui.inspect_hop = hop;
  ui.inspect_conn = 0;
  ui.open_tab = kTabMessage;
  ui.bottom_tab = kTabMessage;
}

// inspect_connection - select conn and bring the Sequence tab up.
void inspect_connection(UiState& ui, std::uint64_t conn) {
  ui.sequence_conn = conn;
  ui.selected_conn = conn;
  ui.open_tab = kTabSequence;
  ui.bottom_tab = kTabSequence;
}

}  // namespace smtpsim::viz
