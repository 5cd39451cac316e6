// view_compose.cpp - the compose dialog (issue 12): a new message sent now from any client of the
// lesson - from, several recipients (typed, or picked from the lesson's users), subject, body or a
// size to pad to - built by hands::compose_message into the MessageSpec a lesson `send:` entry
// would give, and put into ui.req.actions.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/view_hands.hpp"

namespace smtpsim::viz {

namespace {

// copy_to - a string into a fixed buffer (cut to fit).
template <std::size_t N>
void copy_to(char (&buf)[N], const std::string& s) {
  std::snprintf(buf, N, "%s", s.c_str());
}

// user_of - the address a client sends as ("" = none).
std::string user_of(const Scene& s, const std::string& client) {
  for (const SceneUser& u : s.users)
    if (u.client == client) return u.address;
  return "";
}

// add_recipient - append an address to the To: field (once).
void add_recipient(HandsUi& h, const std::string& addr) {
  std::vector<std::string> now = hands::split_addresses(h.to);
  if (std::find(now.begin(), now.end(), addr) != now.end()) return;
  std::string t = h.to;
  while (!t.empty() && (t.back() == ' ' || t.back() == ',')) t.pop_back();
  copy_to(h.to, t.empty() ? addr : t + ", " + addr);
}

}  // namespace

void open_compose(const Scene& s, UiState& ui, const std::string& client) {
  HandsUi& h = ui.hands;
  h.compose_open = true;
  h.compose_error.clear();
  h.compose_client = client;
  if (h.compose_client.empty())
    for (const SceneUser& u : s.users)
      if (!u.client.empty()) {
        h.compose_client = u.client;
        break;
      }
  copy_to(h.from, user_of(s, h.compose_client));
  if (!h.to[0])  // a first recipient: another user of the lesson
    for (const SceneUser& u : s.users)
      if (u.address != h.from) {
        copy_to(h.to, u.address);
        break;
      }
}

void draw_compose(const Scene& s, UiState& ui) {
  HandsUi& h = ui.hands;
  if (!h.compose_open) return;
  if (h.compose_client.empty()) open_compose(s, ui);  // opened without a client (--actions compose: on)
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float fh = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(d.x / 2, d.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(d.x - 40, fh * 38), 0), ImGuiCond_Appearing);
  ImGui::SetNextWindowBgAlpha(1.f);
  if (!ImGui::Begin("Compose a new message", &h.compose_open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  TimeText now(s.t_us);
  ImGui::TextWrapped("The mail client below hands this message to its submission server now, at %s: watch it "
                     "travel. It is flagged on the timeline and kept when you save the branch as a lesson.",
                     now.c_str());
  ImGui::Separator();
  const float label_w = fh * 6;
  // the client
  ImGui::TextUnformatted("Sent by");
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
  std::string shown = h.compose_client.empty() ? "(choose a mail client)" : h.compose_client;
  for (const SceneHost& host : s.hosts)
    if (host.name == h.compose_client && !host.label.empty()) shown = host.label + "  (" + host.name + ")";
  if (ImGui::BeginCombo("##client", shown.c_str())) {
    for (const SceneUser& u : s.users) {
      if (u.client.empty()) continue;
      std::string label = u.client + "  sends as " + u.address;
      if (ImGui::Selectable(label.c_str(), u.client == h.compose_client)) {
        h.compose_client = u.client;
        copy_to(h.from, u.address);
      }
    }
    ImGui::EndCombo();
  }
  ImGui::TextUnformatted("From");
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##from", h.from, sizeof h.from);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The envelope sender (MAIL FROM) and the From: header. A submission server may refuse "
                      "an address its user does not own (553 5.7.1).");
  ImGui::TextUnformatted("To");
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-fh * 5.5f);
  ImGui::InputTextWithHint("##to", "b@b.example, c@c.example", h.to, sizeof h.to);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("One or more recipients, separated by commas: one RCPT TO each. An address the lesson does "
                      "not know is allowed (watch the 550 or the bounce).");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##add", "+ user", ImGuiComboFlags_NoArrowButton)) {
    for (const SceneUser& u : s.users)
      if (ImGui::Selectable(u.address.c_str())) add_recipient(h, u.address);
    ImGui::EndCombo();
  }
  ImGui::TextUnformatted("Subject");
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##subject", h.subject, sizeof h.subject);
  ImGui::TextUnformatted("Body");
  ImGui::SameLine(label_w);
  if (h.size > 0) ImGui::BeginDisabled();
  ImGui::InputTextMultiline("##body", h.body, sizeof h.body, ImVec2(-1, fh * 5));
  if (h.size > 0) ImGui::EndDisabled();
  ImGui::TextUnformatted("Size");
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(fh * 9);
  ImGui::InputInt("bytes##size", &h.size, 1000, 100000);
  h.size = std::clamp(h.size, 0, 100000000);
  ImGui::SameLine();
  ImGui::TextDisabled(h.size > 0 ? "a generated body of about this size (the body above is not sent)"
                                  : "0 = send the body as written");
  ImGui::Separator();
  hands::ComposeFields f{h.compose_client, h.from, h.to, h.subject, h.body, static_cast<std::uint64_t>(h.size)};
  std::string why;
  auto m = hands::compose_message(s, f, &why);
  if (!m) ImGui::BeginDisabled();
  if (ImGui::Button("Send now")) {
    ui.req.actions.push_back(*m);
    h.compose_open = false;
  }
  if (!m) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) h.compose_open = false;
  if (!m) {
    ImGui::SameLine();
    ImGui::TextColored(to_vec4(col::k4xx), "%s", why.c_str());
  } else {
    ImGui::SameLine();
    std::size_t n = m->to.size();
    ImGui::TextDisabled("%zu recipient%s%s", n, n == 1 ? "" : "s", m->unknown_ok ? " (not all known to the lesson)" : "");
  }
  ImGui::End();
}

}  // namespace smtpsim::viz
