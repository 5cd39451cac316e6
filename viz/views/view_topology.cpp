// view_topology.cpp - the network canvas: hosts drawn as what they are (laptop, server, mailbox
// store, DNS, cluster frame with its balancer, the Internet as a cloud), links by state, and the
// tokens in flight (commands, replies coloured by class, the message as an envelope with its queue
// id and size, DNS packets, a lock for TLS) with the reply->command pairing; pan, zoom, hover.
//
// [SECTION] layout and lookup   canvas_to_screen, HostIndex
// [SECTION] icons               draw_icon and one function per icon
// [SECTION] links               draw_link
// [SECTION] tokens              token_shape, draw_token, stack_tokens (pipelined tokens in rows), token tooltip
// [SECTION] panel               draw_topology
//
// Hot loops (5,000 tokens, 200 hosts) allocate nothing: the host index and positions live in
// buffers reused across frames, labels are drawn from the Scene's strings as they are.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/view_hands.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// ---------------------------------------------------------------- [SECTION] layout and lookup

constexpr float kPadX = 70, kPadY = 45;  // canvas margin (labels reach past the hosts)

// HostIndex - host name -> index into Scene::hosts, rebuilt per frame in a reused buffer.
struct HostIndex {
  std::vector<std::pair<std::string_view, int>> by_name;
  std::vector<ImVec2> pos;  // screen position per host
  // build - index the hosts of s (no allocation once the buffers have grown).
  void build(const Scene& s) {
    by_name.clear();
    for (int i = 0; i < static_cast<int>(s.hosts.size()); ++i) by_name.emplace_back(s.hosts[i].name, i);
    std::sort(by_name.begin(), by_name.end());
  }
  // find - index of a host name, -1 when absent.
  int find(std::string_view name) const {
    auto it = std::lower_bound(by_name.begin(), by_name.end(), name,
                               [](const auto& a, std::string_view n) { return a.first < n; });
    return it != by_name.end() && it->first == name ? it->second : -1;
  }
};

HostIndex& host_index() {
  static HostIndex idx;
  return idx;
}

// with_alpha - a colour with its alpha scaled.
ImU32 with_alpha(ImU32 c, float a) {
  unsigned al = static_cast<unsigned>(((c >> IM_COL32_A_SHIFT) & 0xFF) * a);
  return (c & ~IM_COL32_A_MASK) | (al << IM_COL32_A_SHIFT);
}

// first_word - "RCPT TO:<b@b.example>" -> "RCPT" (up to a space or ':').
std::string_view first_word(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && t[i] != ' ' && t[i] != ':') ++i;
  return t.substr(0, i);
}

// command_text - the transcript's text of the command with trace index seq ("" when not listed).
std::string_view command_text(const Scene& s, std::uint64_t seq) {
  auto it = std::lower_bound(s.transcript.begin(), s.transcript.end(), seq,
                             [](const SceneLine& l, std::uint64_t q) { return l.seq < q; });
  return it != s.transcript.end() && it->seq == seq ? std::string_view(it->text) : std::string_view();
}

// ---------------------------------------------------------------- [SECTION] icons

// icon_laptop - a mail client: screen over a keyboard base.
void icon_laptop(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  dl->AddRectFilled(ImVec2(c.x - r * 0.8f, c.y - r * 0.75f), ImVec2(c.x + r * 0.8f, c.y + r * 0.35f), line, 3);
  dl->AddRectFilled(ImVec2(c.x - r * 0.68f, c.y - r * 0.63f), ImVec2(c.x + r * 0.68f, c.y + r * 0.23f), fill, 2);
  dl->AddQuadFilled(ImVec2(c.x - r * 0.85f, c.y + r * 0.42f), ImVec2(c.x + r * 0.85f, c.y + r * 0.42f),
                    ImVec2(c.x + r * 1.05f, c.y + r * 0.72f), ImVec2(c.x - r * 1.05f, c.y + r * 0.72f), line);
}

// icon_server - MSA/MTA/MX/MDA: a rack box with drive slots and a status light.
void icon_server(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line, bool up) {
  ImVec2 a(c.x - r * 0.62f, c.y - r * 0.9f), b(c.x + r * 0.62f, c.y + r * 0.9f);
  dl->AddRectFilled(a, b, fill, 3);
  dl->AddRect(a, b, line, 3, 0, 1.5f);
  for (int i = 0; i < 3; ++i) {
    float y = a.y + r * (0.35f + 0.5f * i);
    dl->AddLine(ImVec2(a.x + r * 0.18f, y), ImVec2(b.x - r * 0.45f, y), line, 1.5f);
    dl->AddCircleFilled(ImVec2(b.x - r * 0.22f, y), r * 0.07f + 0.5f, up ? col::k2xx : col::k5xx);
  }
}

// icon_mailbox - a mailbox store (POP3, the MDA's mailboxes): a drum with an envelope on it.
void icon_mailbox(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  ImVec2 a(c.x - r * 0.8f, c.y - r * 0.7f), b(c.x + r * 0.8f, c.y + r * 0.8f);
  dl->AddRectFilled(a, b, fill, r * 0.45f, ImDrawFlags_RoundCornersTop);
  dl->AddRect(a, b, line, r * 0.45f, ImDrawFlags_RoundCornersTop, 1.5f);
  ImVec2 e0(c.x - r * 0.45f, c.y - r * 0.15f), e1(c.x + r * 0.45f, c.y + r * 0.45f);
  dl->AddRectFilled(e0, e1, col::kData);
  dl->AddLine(e0, ImVec2(c.x, c.y + r * 0.17f), line, 1.2f);
  dl->AddLine(ImVec2(e1.x, e0.y), ImVec2(c.x, c.y + r * 0.17f), line, 1.2f);
}

// icon_dns - the DNS server: an address book (a box with "DNS" on it).
void icon_dns(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  ImVec2 a(c.x - r * 0.8f, c.y - r * 0.6f), b(c.x + r * 0.8f, c.y + r * 0.6f);
  dl->AddRectFilled(a, b, fill, 4);
  dl->AddRect(a, b, col::kDns, 4, 0, 2);
  const char* t = "DNS";
  ImVec2 ts = ImGui::CalcTextSize(t);
  dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), line, t);
}

// icon_cloud - the Internet.
void icon_cloud(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  const float k[5][3] = {{-0.7f, 0.15f, 0.45f}, {-0.25f, -0.2f, 0.6f}, {0.35f, -0.15f, 0.55f},
                         {0.8f, 0.2f, 0.4f}, {0.05f, 0.25f, 0.5f}};
  for (const auto& q : k) dl->AddCircleFilled(ImVec2(c.x + q[0] * r * 1.2f, c.y + q[1] * r), q[2] * r * 1.1f, line, 20);
  for (const auto& q : k) dl->AddCircleFilled(ImVec2(c.x + q[0] * r * 1.2f, c.y + q[1] * r), q[2] * r * 1.1f - 2, fill, 20);
}

// icon_balancer - the cluster's balancer: one line splitting into three.
void icon_balancer(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  dl->AddCircleFilled(c, r * 0.75f, fill, 20);
  dl->AddCircle(c, r * 0.75f, line, 20, 1.5f);
  ImVec2 in(c.x - r * 0.5f, c.y);
  dl->AddLine(in, c, line, 2);
  for (int i = -1; i <= 1; ++i) dl->AddLine(c, ImVec2(c.x + r * 0.5f, c.y + i * r * 0.4f), line, 2);
}

// icon_eye - someone listening on the wire (the eavesdropper).
void icon_eye(ImDrawList* dl, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  dl->PathArcTo(ImVec2(c.x, c.y + r * 0.9f), r * 1.25f, -2.4f, -0.74f, 12);
  dl->PathArcTo(ImVec2(c.x, c.y - r * 0.9f), r * 1.25f, 0.74f, 2.4f, 12);
  dl->PathFillConvex(fill);
  dl->AddCircleFilled(c, r * 0.32f, line, 16);
}

// draw_icon - the host's icon by SceneHost::icon (falling back on the role).
void draw_icon(ImDrawList* dl, const SceneHost& h, ImVec2 c, float r, ImU32 fill, ImU32 line) {
  std::string_view icon = h.icon.empty() ? std::string_view(h.role) : std::string_view(h.icon);
  if (icon == "laptop" || icon == "mua") icon_laptop(dl, c, r, fill, line);
  else if (icon == "mailbox" || icon == "pop3") icon_mailbox(dl, c, r, fill, line);
  else if (icon == "dns") icon_dns(dl, c, r, fill, line);
  else if (icon == "cloud" || icon == "router") icon_cloud(dl, c, r, fill, line);
  else if (icon == "cluster") icon_balancer(dl, c, r, fill, line);
  else if (icon == "eye" || icon == "mitm") icon_eye(dl, c, r, fill, line);
  else icon_server(dl, c, r, fill, line, h.up);
}

// host_label - the host's label centred under its icon: the whole label when it fits in `room`
// pixels, else its short form (the part before ": ", "MX1" for "MX1: B's primary incoming mail
// server"; the hover tooltip has the rest). The cluster's own host is its balancer.
void host_label(ImDrawList* dl, const SceneHost& h, ImVec2 top, float room, float alpha) {
  const std::string& full = h.label.empty() ? h.name : h.label;
  const char* b = h.role == "cluster" ? "balancer" : full.c_str();
  const char* e = b + std::strlen(b);
  ImVec2 ts = ImGui::CalcTextSize(b, e);
  ImU32 colr = with_alpha(IM_COL32(235, 235, 240, 255), alpha);
  if (ts.x > room && h.role != "cluster") {
    std::size_t colon = full.find(": ");
    if (colon != std::string::npos && colon > 0) {
      // two lines: the short name, then the description a size smaller when that fits
      e = b + colon;
      ts = ImGui::CalcTextSize(b, e);
      canvas_text(dl, ImVec2(top.x - ts.x / 2, top.y), colr, b, e);
      const char* d = b + colon + 2;
      float fs = ImGui::GetFontSize() * 0.85f;
      ImVec2 ds = ImGui::GetFont()->CalcTextSizeA(fs, FLT_MAX, 0.f, d);
      if (ds.x <= room) dl->AddText(ImGui::GetFont(), fs, ImVec2(top.x - ds.x / 2, top.y + ts.y), with_alpha(colr, 0.8f), d);
      return;
    }
  }
  canvas_text(dl, ImVec2(top.x - ts.x / 2, top.y), colr, b, e);
}

// ---------------------------------------------------------------- [SECTION] links

// dashed - a dashed line from a to b.
void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 c, float th, float dash, float gap) {
  float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  dx /= len, dy /= len;
  for (float t = 0; t < len; t += dash + gap) {
    float e = std::min(len, t + dash);
    dl->AddLine(ImVec2(a.x + dx * t, a.y + dy * t), ImVec2(a.x + dx * e, a.y + dy * e), c, th);
  }
}

// draw_link - up grey, down red dashed with a cross, lossy amber dotted, TLS teal with a lock.
void draw_link(ImDrawList* dl, const SceneLink& l, ImVec2 a, ImVec2 b, float z, float alpha) {
  ImVec2 m((a.x + b.x) / 2, (a.y + b.y) / 2);
  if (l.state == "down") {
    dashed(dl, a, b, with_alpha(col::k5xx, alpha), 2.5f, 8 * z, 6 * z);
    float k = 6 * z;
    dl->AddLine(ImVec2(m.x - k, m.y - k), ImVec2(m.x + k, m.y + k), col::k5xx, 3);
    dl->AddLine(ImVec2(m.x - k, m.y + k), ImVec2(m.x + k, m.y - k), col::k5xx, 3);
  } else if (l.state == "lossy") {
    dashed(dl, a, b, with_alpha(col::k4xx, alpha), 2.5f, 3 * z, 4 * z);
  } else {
    dl->AddLine(a, b, with_alpha(l.tls ? col::kTls : IM_COL32(130, 135, 150, 255), alpha), l.tls ? 3.f : 2.f);
  }
  if (l.tls) draw_lock(dl, ImVec2(m.x, m.y - 11), 12, col::kTls);
}

// ---------------------------------------------------------------- [SECTION] tokens

// TokenBox - where one token was drawn (for hit tests), kept in a reused buffer.
struct TokenBox {
  ImVec2 a, b;
  int index;
};

// pill_text - what a token shows: the text, shortened to max_chars ("..." marks the cut).
std::string_view pill_text(const SceneToken& t, std::size_t max_chars) {
  std::string_view v = t.text;
  return v.size() > max_chars ? v.substr(0, max_chars) : v;
}

// travel_arrow - a small arrowhead at the edge of box a..b pointing the way the token travels (d unit).
void travel_arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImVec2 d, ImU32 color) {
  ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
  float hw = (b.x - a.x) / 2, hh = (b.y - a.y) / 2;
  float e = std::min(std::fabs(d.x) > 1e-3f ? hw / std::fabs(d.x) : 1e9f, std::fabs(d.y) > 1e-3f ? hh / std::fabs(d.y) : 1e9f);
  ImVec2 base(c.x + d.x * (e + 1), c.y + d.y * (e + 1)), tip(c.x + d.x * (e + 9), c.y + d.y * (e + 9));
  dl->AddTriangleFilled(tip, ImVec2(base.x - d.y * 5, base.y + d.x * 5), ImVec2(base.x + d.y * 5, base.y - d.x * 5), color);
}

// TokenShape - a labelled token's text and box, worked out once for stacking and for drawing.
struct TokenShape {
  char buf[96];
  const char* tb = buf;
  const char* te = buf;
  ImVec2 ts, a, b, c;  // text size, box corners, anchor (centre of a pill)
};

// token_side - +1 below the link (replies), -1 above (everything else), so pairs do not overlap.
float token_side(const SceneToken& t) { return t.kind == "reply" ? 1.f : -1.f; }

// token_shape - the text and box of a labelled token at p, lifted `lift` pixels further from the
// link on its side (stacked tokens of one chunk: pipelined commands or replies).
void token_shape(const Scene& s, const SceneToken& t, ImVec2 p, float lift, TokenShape& sh) {
  const float dir = token_side(t);
  sh.c = ImVec2(p.x, p.y + dir * (13 + lift));
  const float fh = ImGui::GetFontSize();
  if (t.kind == "data") {  // an envelope with the queue id and the size: both change at every hop
    int n = std::snprintf(sh.buf, sizeof sh.buf, "%s  %llu B", t.qid.empty() ? "message" : t.qid.c_str(),
                          static_cast<unsigned long long>(t.size));
    sh.tb = sh.buf, sh.te = sh.buf + std::min<int>(n, sizeof sh.buf - 1);
    sh.ts = ImGui::CalcTextSize(sh.tb, sh.te);
    float w = std::max(sh.ts.x + 10, fh * 2.6f), h = fh * 1.7f + sh.ts.y;
    sh.a = ImVec2(sh.c.x - w / 2, sh.c.y - h / 2 + dir * h / 2), sh.b = ImVec2(sh.c.x + w / 2, sh.c.y + h / 2 + dir * h / 2);
    return;
  }
  if (t.kind == "dns") {
    int n = std::snprintf(sh.buf, sizeof sh.buf, "DNS %.*s", static_cast<int>(std::min<std::size_t>(t.text.size(), 40)),
                          t.text.c_str());
    sh.tb = sh.buf, sh.te = sh.buf + std::min<int>(n, sizeof sh.buf - 1);
  } else if (t.kind == "reply" && t.answers) {
    std::string_view cmd = first_word(command_text(s, t.answers));
    std::string_view txt = pill_text(t, 30);
    int n = cmd.empty() ? std::snprintf(sh.buf, sizeof sh.buf, "%.*s", static_cast<int>(txt.size()), txt.data())
                        : std::snprintf(sh.buf, sizeof sh.buf, "%.*s  (to %.*s)", static_cast<int>(txt.size()), txt.data(),
                                        static_cast<int>(cmd.size()), cmd.data());
    sh.tb = sh.buf, sh.te = sh.buf + std::min<int>(n, sizeof sh.buf - 1);
  } else {
    std::string_view txt = pill_text(t, 34);
    sh.tb = txt.data(), sh.te = txt.data() + txt.size();
  }
  sh.ts = ImGui::CalcTextSize(sh.tb, sh.te);
  float lock = t.tls ? 12.f : 0.f;
  sh.a = ImVec2(sh.c.x - sh.ts.x / 2 - 6 - lock / 2, sh.c.y - sh.ts.y / 2 - 2);
  sh.b = ImVec2(sh.c.x + sh.ts.x / 2 + 6 + lock / 2, sh.c.y + sh.ts.y / 2 + 2);
}

// draw_token - one token at p: a pill (command, reply), an envelope (data) or a DNS packet;
// without labels (a crowded canvas) a dot. lift: see token_shape.
TokenBox draw_token(const Scene& s, ImDrawList* dl, const SceneToken& t, ImVec2 p, ImVec2 dir_unit, bool labels,
                    bool selected, int index, float lift = 0) {
  ImU32 fill = kind_color(t.kind, t.code);
  if (!labels) {  // crowded canvas: a dot per token, labels on hover
    ImVec2 c(p.x, p.y + token_side(t) * 13);
    dl->AddRectFilled(ImVec2(c.x - 3.5f, c.y - 3.5f), ImVec2(c.x + 3.5f, c.y + 3.5f), fill);
    return {ImVec2(c.x - 5, c.y - 5), ImVec2(c.x + 5, c.y + 5), index};
  }
  TokenShape sh;
  token_shape(s, t, p, lift, sh);
  const ImVec2 a = sh.a, b = sh.b, c = sh.c;
  if (t.kind == "data") {
    const float fh = ImGui::GetFontSize();
    dl->AddRectFilled(a, b, fill, 2);
    dl->AddRect(a, b, selected ? col::kSelect : col::kDark, 2, 0, selected ? 3.f : 1.f);
    ImVec2 flap(c.x, a.y + fh * 0.9f);
    dl->AddLine(a, flap, col::kDark, 1.2f);
    dl->AddLine(ImVec2(b.x, a.y), flap, col::kDark, 1.2f);
    canvas_text(dl, ImVec2(c.x - sh.ts.x / 2, b.y - sh.ts.y - 2), col::kDark, sh.tb, sh.te);
    if (t.tls) draw_lock(dl, ImVec2(b.x + 6, a.y + 6), 11, col::kTls);
    travel_arrow(dl, a, b, dir_unit, fill);
    return {a, b, index};
  }
  float lock = t.tls ? 12.f : 0.f;
  dl->AddRectFilled(a, b, fill, sh.ts.y);
  if (selected) dl->AddRect(a, b, col::kSelect, sh.ts.y, 0, 3);
  canvas_text(dl, ImVec2(a.x + 6 + lock, a.y + 2), col::kDark, sh.tb, sh.te);
  if (t.tls) draw_lock(dl, ImVec2(a.x + 10, c.y), 10, col::kDark);
  if (lift == 0) travel_arrow(dl, a, b, dir_unit, fill);  // a stack travels together: one arrow, at its foot
  return {a, b, index};
}

// stack_tokens - lifts for the labelled tokens so none covers another on its hop and side: the
// commands (or replies) of one pipelined chunk sit at one point of the link, so each later one is
// lifted a row further from the link until its box is clear of those placed before it.
void stack_tokens(const Scene& s, const HostIndex& idx, const std::vector<ImVec2>& tpos, std::vector<float>& lift) {
  using Key = std::tuple<int, int, bool, std::uint64_t, int>;  // hop (either way), side, trace order
  static std::vector<Key> order;
  static std::vector<std::pair<ImVec2, ImVec2>> placed;       // boxes of the current group
  lift.assign(s.tokens.size(), 0.f);
  order.clear();
  for (int i = 0; i < static_cast<int>(s.tokens.size()); ++i) {
    if (tpos[i].x < -1e8f) continue;
    const SceneToken& t = s.tokens[i];
    int a = idx.find(t.from), b = idx.find(t.to);
    order.emplace_back(std::min(a, b), std::max(a, b), token_side(t) > 0, t.seq, i);
  }
  std::sort(order.begin(), order.end());
  TokenShape sh;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& [a, b, below, seq, i] = order[k];
    if (k == 0 || std::get<0>(order[k - 1]) != a || std::get<1>(order[k - 1]) != b || std::get<2>(order[k - 1]) != below)
      placed.clear();
    const SceneToken& t = s.tokens[i];
    float l = 0;
    for (int row = 0; row < 12; ++row) {
      token_shape(s, t, tpos[i], l, sh);
      const std::pair<ImVec2, ImVec2>* hit = nullptr;
      for (const auto& p : placed)
        if (sh.a.x < p.second.x && p.first.x < sh.b.x && sh.a.y < p.second.y && p.first.y < sh.b.y) hit = &p;
      if (!hit) break;
      l += below ? hit->second.y - sh.a.y + 2 : sh.b.y - hit->first.y + 2;  // just past it, on this side
    }
    lift[i] = l;
    placed.emplace_back(sh.a, sh.b);
  }
}

// token_tooltip - everything about one token, with the reply tutor for replies.
void token_tooltip(const Scene& s, const SceneToken& t) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  const char* what = t.kind == "command" ? "Command (client -> server)"
                     : t.kind == "reply" ? "Reply (server -> client)"
                     : t.kind == "data"  ? "The message itself (DATA)"
                     : t.kind == "dns"   ? "DNS packet"
                                         : t.kind.c_str();
  ImGui::TextColored(to_vec4(kind_color(t.kind, t.code)), "%s", what);
  ImGui::TextUnformatted(t.text.c_str());
  ImGui::TextDisabled("%s -> %s   connection %llu   event #%llu%s", t.from.c_str(), t.to.c_str(),
                      static_cast<unsigned long long>(t.conn), static_cast<unsigned long long>(t.seq),
                      t.tls ? "   encrypted (TLS)" : "");
  if (t.kind == "reply" && t.answers) {
    std::string_view cmd = command_text(s, t.answers);
    ImGui::Text("answers: %.*s", static_cast<int>(cmd.size()), cmd.data());
  }
  if (t.kind == "data") {
    ImGui::Text("Message-ID %s", t.msg.c_str());
    ImGui::Text("queue id %s, %llu octets (bytes)", t.qid.c_str(), static_cast<unsigned long long>(t.size));
    ImGui::TextDisabled("Each server gives the message a new queue id and adds a Received: line, so both change at every hop.");
  }
  if (t.kind == "reply") {
    std::string enh;
    int code = reply_code_in(t.text, &enh);
    if (!code) code = t.code;
    std::string tut = reply_tooltip_text(code, enh);
    if (!tut.empty()) {
      ImGui::Separator();
      ImGui::TextUnformatted(tut.c_str());
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// host_tooltip - who the host is, with the role's glossary line.
void host_tooltip(const SceneHost& h) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::TextUnformatted(h.label.empty() ? h.name.c_str() : h.label.c_str());
  ImGui::TextDisabled("%s  %s  (%s)", h.name.c_str(), h.ip.c_str(), h.role.c_str());
  std::string gl = h.tooltip.empty() ? term_text(h.role) : h.tooltip;
  if (!gl.empty()) ImGui::TextUnformatted(gl.c_str());
  if (!h.up) ImGui::TextColored(to_vec4(col::k5xx), "DOWN: crashed, it answers nothing.");
  if (!h.used) ImGui::TextDisabled("This lesson sends no mail through it.");
  if (h.queue_depth) ImGui::Text("%d message(s) waiting in its queue", h.queue_depth);
  if (h.mailbox_count) ImGui::Text("%d message(s) in its mailboxes", h.mailbox_count);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// draw_legend - what the colours and shapes mean, in the canvas' bottom-left corner.
void draw_legend(ImDrawList* dl, ImVec2 p0, ImVec2 sz) {
  struct Item { ImU32 c; const char* t; };
  static const Item kItems[] = {{col::kCommand, "command"}, {col::k2xx, "2xx done"}, {col::k3xx, "3xx go on"},
                                {col::k4xx, "4xx try later"}, {col::k5xx, "5xx failed"}, {col::kData, "message"},
                                {col::kDns, "DNS"}};
  const float fh = ImGui::GetFontSize();
  float x = p0.x + 8, y = p0.y + sz.y - fh - 8;
  for (const Item& it : kItems) {
    float w = ImGui::CalcTextSize(it.t).x;
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w + 10, y + fh + 2), it.c, fh);
    dl->AddText(ImVec2(x + 5, y + 1), col::kDark, it.t);
    x += w + 16;
  }
  draw_lock(dl, ImVec2(x + 6, y + fh / 2), 12, col::kTls);
  dl->AddText(ImVec2(x + 14, y + 1), IM_COL32(200, 200, 200, 255), "encrypted (TLS)");
}

}  // namespace

// ---------------------------------------------------------------- [SECTION] panel

// canvas_to_screen - layout (0..1) -> pixels, through the last canvas rect, zoom (about the
// canvas centre) and pan.
CanvasPoint canvas_to_screen(const UiState& ui, float x, float y) {
  float bx = ui.canvas_x + kPadX + x * (ui.canvas_w - 2 * kPadX);
  float by = ui.canvas_y + kPadY + y * (ui.canvas_h - 2 * kPadY);
  float cx = ui.canvas_x + ui.canvas_w / 2, cy = ui.canvas_y + ui.canvas_h / 2;
  return {cx + (bx - cx) * ui.zoom + ui.pan_x, cy + (by - cy) * ui.zoom + ui.pan_y};
}

// draw_topology - the canvas: clusters, links, hosts, tokens, legend; pan/zoom/hover/click.
void draw_topology(const Scene& s, UiState& ui) {
  ImGuiIO& io = ImGui::GetIO();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 sz = ImGui::GetContentRegionAvail();
  sz.x = std::max(sz.x, 200.f), sz.y = std::max(sz.y, 150.f);
  const bool pressed = ImGui::InvisibleButton("##canvas", sz, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = pressed && io.MouseDragMaxDistanceSqr[0] < io.MouseDragThreshold * io.MouseDragThreshold;
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.f)) {
    ui.pan_x += io.MouseDelta.x;
    ui.pan_y += io.MouseDelta.y;
  }
  ui.canvas_x = p0.x, ui.canvas_y = p0.y, ui.canvas_w = sz.x, ui.canvas_h = sz.y;
  if (hovered && io.MouseWheel != 0) {  // zoom about the mouse
    float z0 = ui.zoom, z1 = std::clamp(z0 * std::pow(1.15f, io.MouseWheel), 0.3f, 6.f);
    float cx = p0.x + sz.x / 2, cy = p0.y + sz.y / 2;
    ui.pan_x = io.MousePos.x - cx - (io.MousePos.x - cx - ui.pan_x) * z1 / z0;
    ui.pan_y = io.MousePos.y - cy - (io.MousePos.y - cy - ui.pan_y) * z1 / z0;
    ui.zoom = z1;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(p0, ImVec2(p0.x + sz.x, p0.y + sz.y), true);
  dl->AddRectFilled(p0, ImVec2(p0.x + sz.x, p0.y + sz.y), IM_COL32(32, 36, 44, 255));

  HostIndex& idx = host_index();
  idx.build(s);
  idx.pos.resize(s.hosts.size());
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    CanvasPoint c = canvas_to_screen(ui, s.hosts[i].x, s.hosts[i].y);
    idx.pos[i] = ImVec2(c.x, c.y);
  }
  const float z = std::clamp(ui.zoom, 0.5f, 2.5f);
  const float r = std::clamp(18.f * z * (s.hosts.size() > 60 ? 0.55f : 1.f), 6.f, 48.f);
  const float fh = ImGui::GetFontSize();

  // cluster frames: every cluster host frames itself and the hosts naming it as their cluster
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    const SceneHost& c = s.hosts[i];
    if (c.role != "cluster") continue;
    ImVec2 lo = idx.pos[i], hi = idx.pos[i];
    for (std::size_t j = 0; j < s.hosts.size(); ++j)
      if (s.hosts[j].cluster == c.name) {
        lo = ImVec2(std::min(lo.x, idx.pos[j].x), std::min(lo.y, idx.pos[j].y));
        hi = ImVec2(std::max(hi.x, idx.pos[j].x), std::max(hi.y, idx.pos[j].y));
      }
    ImVec2 a(lo.x - r * 1.9f, lo.y - r * 1.5f - fh), b(hi.x + r * 1.9f, hi.y + r * 1.3f + fh * 1.4f);
    dl->AddRectFilled(a, b, IM_COL32(60, 70, 95, c.used ? 110 : 50), 8);
    dl->AddRect(a, b, IM_COL32(120, 140, 190, c.used ? 255 : 90), 8, 0, 1.5f);
    const std::string& t = c.label.empty() ? c.name : c.label;
    canvas_text(dl, ImVec2(a.x + 6, a.y + 3), IM_COL32(170, 190, 235, 255), t.c_str());
  }

  // links
  for (const SceneLink& l : s.links) {
    int a = idx.find(l.a), b = idx.find(l.b);
    if (a < 0 || b < 0) continue;
    bool used = s.hosts[a].used && s.hosts[b].used;
    draw_link(dl, l, idx.pos[a], idx.pos[b], z, used ? 1.f : 0.35f);
  }

  // hosts
  int hover_host = -1;
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    const SceneHost& h = s.hosts[i];
    ImVec2 c = idx.pos[i];
    float a = h.used ? 1.f : 0.35f;
    bool sel = !ui.selected_host.empty() && ui.selected_host == h.name;
    ImU32 fill = with_alpha(IM_COL32(200, 205, 215, 255), a), line = with_alpha(IM_COL32(70, 75, 90, 255), a);
    if (h.role == "router" || h.icon == "cloud") fill = with_alpha(IM_COL32(170, 190, 215, 255), a);
    if (sel) dl->AddCircleFilled(c, r * 1.5f, IM_COL32(255, 235, 60, 70), 24);
    draw_icon(dl, h, c, r, fill, line);
    if (!h.up) {  // crashed: a red cross over it
      dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col::k5xx, 4);
      dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col::k5xx, 4);
    }
    if (h.queue_depth > 0 || h.mailbox_count > 0) {  // a badge: queued (amber) or stored (green)
      char nb[16];
      std::snprintf(nb, sizeof nb, "%d", h.queue_depth > 0 ? h.queue_depth : h.mailbox_count);
      ImVec2 bc(c.x + r * 0.85f, c.y - r * 0.85f);
      dl->AddCircleFilled(bc, fh * 0.6f, h.queue_depth > 0 ? col::k4xx : col::k2xx, 16);
      ImVec2 ts = ImGui::CalcTextSize(nb);
      dl->AddText(ImVec2(bc.x - ts.x / 2, bc.y - ts.y / 2), col::kDark, nb);
    }
    if (hovered && std::fabs(io.MousePos.x - c.x) <= r && std::fabs(io.MousePos.y - c.y) <= r) hover_host = static_cast<int>(i);
  }

  // labels after every icon (so no icon covers a label), each as long as its neighbours allow
  if (s.hosts.size() <= 60 || ui.zoom > 1.5f) {
    for (std::size_t i = 0; i < s.hosts.size(); ++i) {
      const SceneHost& h = s.hosts[i];
      ImVec2 c = idx.pos[i];
      float room = 1e9f;  // the horizontal gap to the nearest host on about the same row
      for (std::size_t j = 0; j < s.hosts.size(); ++j)
        if (j != i && std::fabs(idx.pos[j].y - c.y) < r * 2 + fh * 1.2f) room = std::min(room, std::fabs(idx.pos[j].x - c.x));
      host_label(dl, h, ImVec2(c.x, c.y + r + 3), room - 8, h.used ? 1.f : 0.35f);
    }
  }

  // tokens in flight: positions first (counting those on the canvas), then labels when they fit
  static std::vector<TokenBox> boxes;
  static std::vector<ImVec2> tpos, tdir;
  boxes.clear();
  tpos.resize(s.tokens.size());
  tdir.resize(s.tokens.size());
  int visible = 0;
  for (std::size_t i = 0; i < s.tokens.size(); ++i) {
    const SceneToken& t = s.tokens[i];
    int a = idx.find(t.from), b = idx.find(t.to);
    if (a < 0 || b < 0) {
      tpos[i] = ImVec2(-1e9f, -1e9f);
      continue;
    }
    ImVec2 pa = idx.pos[a], pb = idx.pos[b];
    tpos[i] = ImVec2(pa.x + (pb.x - pa.x) * t.frac, pa.y + (pb.y - pa.y) * t.frac);
    float len = std::sqrt((pb.x - pa.x) * (pb.x - pa.x) + (pb.y - pa.y) * (pb.y - pa.y));
    tdir[i] = len > 1e-3f ? ImVec2((pb.x - pa.x) / len, (pb.y - pa.y) / len) : ImVec2(1, 0);
    if (tpos[i].x >= p0.x - 150 && tpos[i].x <= p0.x + sz.x + 150 && tpos[i].y >= p0.y - 30 && tpos[i].y <= p0.y + sz.y + 30)
      ++visible;
    else
      tpos[i] = ImVec2(-1e9f, -1e9f);  // off canvas
  }
  const bool labels = visible <= 400;
  static std::vector<float> tlift;
  if (labels) stack_tokens(s, idx, tpos, tlift);
  else tlift.assign(s.tokens.size(), 0.f);
  for (int i = 0; i < static_cast<int>(s.tokens.size()); ++i) {
    if (tpos[i].x < -1e8f) continue;
    const SceneToken& t = s.tokens[i];
    bool sel = t.seq == ui.selected_seq || (ui.hovered_seq && t.seq == ui.hovered_seq);
    boxes.push_back(draw_token(s, dl, t, tpos[i], tdir[i], labels || sel, t.seq == ui.selected_seq, i, tlift[i]));
  }
  int pair_cmd = -1;  // the in-flight command the selected/hovered reply answers
  // the pairing: a thin line from the hovered/selected reply to its command (when both fly)
  std::uint64_t focus = ui.hovered_seq ? ui.hovered_seq : ui.selected_seq;
  if (focus) {
    const TokenBox* rb = nullptr;
    for (const TokenBox& tb : boxes)
      if (s.tokens[tb.index].seq == focus) rb = &tb;
    if (rb && s.tokens[rb->index].answers) {
      for (const TokenBox& tb : boxes)
        if (s.tokens[tb.index].seq == s.tokens[rb->index].answers) {
          pair_cmd = tb.index;
          ImVec2 m1((rb->a.x + rb->b.x) / 2, rb->a.y), m2((tb.a.x + tb.b.x) / 2, tb.b.y);
          dl->AddBezierCubic(m1, ImVec2(m1.x, m1.y - 30), ImVec2(m2.x, m2.y + 30), m2, col::kSelect, 2);
        }
    }
  }
  (void)pair_cmd;

  draw_legend(dl, p0, sz);
  dl->PopClipRect();

  // hover and click: tokens over hosts (the last drawn is on top)
  ui.hovered_seq = 0;
  ui.hovered_host.clear();
  int hover_token = -1;
  if (hovered)
    for (auto it = boxes.rbegin(); it != boxes.rend(); ++it)
      if (io.MousePos.x >= it->a.x && io.MousePos.x <= it->b.x && io.MousePos.y >= it->a.y && io.MousePos.y <= it->b.y) {
        hover_token = it->index;
        break;
      }
  if (hover_token >= 0) {
    const SceneToken& t = s.tokens[hover_token];
    ui.hovered_seq = t.seq;
    token_tooltip(s, t);
    if (clicked) ui.selected_seq = t.seq, ui.selected_conn = t.conn;
  } else if (hover_host >= 0) {
    const SceneHost& h = s.hosts[hover_host];
    ui.hovered_host = h.name;
    host_tooltip(h);
    if (clicked) {  // click a host: select it and filter the transcript to it (click again: all)
      bool same = ui.selected_host == h.name;
      ui.selected_host = same ? "" : h.name;
      ui.transcript_filter = ui.selected_host;
    }
  } else if (clicked) {
    ui.selected_seq = 0;
  }
  // hands-on (issue 12): a right click opens the menu of the host or link under the mouse
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right))
    right_click_menu(s, ui, hover_host >= 0 ? s.hosts[hover_host].name : std::string());
  draw_hands_menu(s, ui);
}

}  // namespace smtpsim::viz
