// view_queues.cpp - the MTAs' queues: per host, each message and recipient with its state,
// attempts, last reply (hover: the tutor), a countdown to the next attempt and one to the give-up
// deadline, drawn on the retry preset's plan of attempts - showing that the next try is counted
// from the START of the previous attempt (the narration's "in 15 minutes" vs the queue's "14m29s").
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

namespace {

// hhmmss - "00:16:00" (whole seconds of a time).
std::string hhmmss(SimTime t) {
  TimeText tt(t);
  tt.buf[8] = 0;
  return tt.c_str();
}

// state_color - a row's state: deferred amber, delivered/sent green, bounced red, else neutral.
ImU32 state_color(const std::string& st) {
  if (st == "deferred") return col::k4xx;
  if (st == "delivered" || st == "sent") return col::k2xx;
  if (st == "bounced" || st == "failed") return col::k5xx;
  if (st == "attempt") return col::k3xx;
  return col::kCommand;
}

// plan_strip - the preset's planned attempts from arrival to the give-up deadline, with the
// previous attempt, now and the next attempt; hover lists the plan.
void plan_strip(const SceneQueueRow& r, SimTime now, float w, const QueueRowText& txt) {
  const float fh = ImGui::GetFontSize();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##plan", ImVec2(w, fh));
  SimTime t0 = r.arrival_us;
  SimTime t1 = r.give_up_us != kNever ? r.give_up_us : (r.planned_us.empty() ? now : r.planned_us.back());
  t1 = std::max(t1, std::max(now, t0 + 1));
  auto x_of = [&](SimTime t) {
    return p0.x + w * static_cast<float>(static_cast<double>(std::clamp(t, t0, t1) - t0) / static_cast<double>(t1 - t0));
  };
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float y = p0.y + fh / 2;
  dl->AddLine(ImVec2(p0.x, y), ImVec2(p0.x + w, y), IM_COL32(110, 115, 130, 255), 2);
  for (SimTime t : r.planned_us) {
    float x = x_of(t);
    dl->AddLine(ImVec2(x, y - fh * 0.35f), ImVec2(x, y + fh * 0.35f), t <= now ? col::k3xx : IM_COL32(150, 150, 160, 255), 2);
  }
  if (r.last_attempt_us >= 0) dl->AddCircleFilled(ImVec2(x_of(r.last_attempt_us), y), fh * 0.22f, col::k3xx, 10);
  if (r.next_attempt_us != kNever) {
    float x = x_of(r.next_attempt_us);
    dl->AddQuadFilled(ImVec2(x, y - 5), ImVec2(x + 5, y), ImVec2(x, y + 5), ImVec2(x - 5, y), col::k4xx);
  }
  if (r.give_up_us != kNever) {
    float x = x_of(r.give_up_us);
    dl->AddLine(ImVec2(x - 4, y - 4), ImVec2(x + 4, y + 4), col::k5xx, 2);
    dl->AddLine(ImVec2(x - 4, y + 4), ImVec2(x + 4, y - 4), col::k5xx, 2);
  }
  float xn = x_of(now);
  dl->AddLine(ImVec2(xn, p0.y), ImVec2(xn, p0.y + fh), col::kSelect, 2);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted("The retry plan (ticks: planned attempts; yellow: now)");
    for (std::size_t i = 0; i < r.planned_us.size(); ++i)
      ImGui::TextDisabled("attempt %zu at %s", i + 1, hhmmss(r.planned_us[i]).c_str());
    if (r.give_up_us != kNever) ImGui::TextColored(to_vec4(col::k5xx), "give up (bounce) at %s", hhmmss(r.give_up_us).c_str());
    if (!txt.why.empty()) ImGui::TextUnformatted(txt.why.c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace

// queue_row_text - the two countdowns and why the next one is what it is.
QueueRowText queue_row_text(const SceneQueueRow& r, SimTime now) {
  QueueRowText q;
  if (r.next_attempt_us != kNever)
    q.next = r.next_attempt_us <= now ? "now" : "in " + format_duration(r.next_attempt_us - now);
  if (r.give_up_us != kNever)
    q.give_up = r.give_up_us <= now ? "give up now" : "give up in " + format_duration(r.give_up_us - now);
  if (r.next_attempt_us != kNever && r.last_attempt_us >= 0 && r.next_attempt_us > r.last_attempt_us) {
    std::string gap = format_duration(r.next_attempt_us - r.last_attempt_us);
    q.why = "next try = start of the previous attempt " + format_time(r.last_attempt_us) + " + " + gap + " = " +
            format_time(r.next_attempt_us) + " (the wait is counted from when that attempt began, so less of it is left now)";
    q.why_short = "= last try began " + hhmmss(r.last_attempt_us) + " + " + gap;
  }
  return q;
}

// draw_queues - one table per MTA with queued rows.
void draw_queues(const Scene& s, UiState& ui) {
  if (s.queues.empty()) {
    ImGui::TextDisabled("Queues: empty. An MTA keeps a message here until the next server accepts it.");
    return;
  }
  const std::string* host = nullptr;
  bool open = false;
  int row_id = 0;
  for (std::size_t i = 0; i <= s.queues.size(); ++i) {
    const SceneQueueRow* r = i < s.queues.size() ? &s.queues[i] : nullptr;
    if (!r || !host || r->host != *host) {
      if (open) ImGui::EndTable();
      open = false;
      if (!r) break;
      host = &r->host;
      ImGui::TextColored(to_vec4(col::k4xx), "Queue of %s", r->host.c_str());
      term_tooltip("queue");
      ImGui::SameLine();
      ImGui::TextDisabled("(messages this server still has to pass on)");
      ImGuiTableFlags f = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
      open = ImGui::BeginTable(r->host.c_str(), 7, f);
      if (open) {
        ImGui::TableSetupColumn("message", ImGuiTableColumnFlags_WidthStretch, 0.9f);
        ImGui::TableSetupColumn("to", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("state", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("last reply", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn("next attempt", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn("give up", ImGuiTableColumnFlags_WidthStretch, 0.9f);
        ImGui::TableSetupColumn("retry plan", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableHeadersRow();
      }
    }
    if (!open) continue;
    ImGui::PushID(row_id++);
    QueueRowText txt = queue_row_text(*r, s.t_us);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%s", r->qid.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("queue id %s\nMessage-ID %s\nfrom %s\nsubject %s\n(the queue id is this server's own name for the message)",
                        r->qid.c_str(), r->msg.c_str(), r->sender.c_str(), r->subject.c_str());
    if (!r->subject.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", r->subject.c_str());
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(r->rcpt.c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(to_vec4(state_color(r->state)), "%s", r->state.c_str());
    term_tooltip(r->state);
    ImGui::TextDisabled("attempts: %d", r->attempt);
    ImGui::TableNextColumn();
    if (!r->last_reply.empty()) {
      std::string enh;
      int code = reply_code_in(r->last_reply, &enh);
      ImGui::TextColored(to_vec4(reply_color(code)), "%s", r->last_reply.c_str());
      reply_tooltip(code, enh);
    } else {
      ImGui::TextDisabled("-");
    }
    ImGui::TableNextColumn();
    if (!txt.next.empty()) {
      ImGui::TextUnformatted(txt.next.c_str());
      if (ImGui::IsItemHovered() && !txt.why.empty()) ImGui::SetTooltip("%s", txt.why.c_str());
      if (!txt.why_short.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", txt.why_short.c_str());
        ImGui::PopStyleColor();
      }
    } else {
      ImGui::TextDisabled("-");
    }
    ImGui::TableNextColumn();
    if (!txt.give_up.empty()) {
      ImGui::TextUnformatted(txt.give_up.c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("If no attempt succeeds by %s, the MTA stops trying and bounces the message to its sender.",
                          hhmmss(r->give_up_us).c_str());
    } else {
      ImGui::TextDisabled("-");
    }
    ImGui::TableNextColumn();
    plan_strip(*r, s.t_us, std::max(60.f, ImGui::GetContentRegionAvail().x), txt);
    ImGui::PopID();
  }
  (void)ui;
}

}  // namespace smtpsim::viz
