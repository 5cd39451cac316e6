// view_mailboxes.cpp - every user's mailbox: each message with its subject, Message-ID, sender and
// size, and what POP3 did with it: still new on the server, fetched and left there, or fetched and
// deleted. A click on a row opens the message in the inspector.
#include <string>

#include <imgui.h>

#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz {

// draw_mailboxes - one table per mailbox.
void draw_mailboxes(const Scene& s, UiState& ui) {
  ImGui::TextDisabled("What each MDA stored for its users, and what their mail clients did with it over POP3 "
                      "(click a message to inspect it)");
  if (s.mailboxes.empty()) {
    ImGui::TextDisabled("No mailboxes in this lesson.");
    return;
  }
  ImGui::BeginChild("##boxes", ImVec2(0, 0), false);
  int id = 0;
  for (const SceneMailbox& mb : s.mailboxes) {
    int on_server = 0;
    for (const auto& m : mb.messages) on_server += m.deleted ? 0 : 1;
    ImGui::TextColored(to_vec4(col::kData), "Mailbox %s on %s: %d message%s on the server", mb.user.c_str(), mb.host.c_str(),
                       on_server, on_server == 1 ? "" : "s");
    if (mb.messages.empty()) {
      ImGui::TextDisabled("   empty");
      continue;
    }
    ImGui::PushID(id++);
    if (ImGui::BeginTable("##mb", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("Subject", 0, 2.0f);
      ImGui::TableSetupColumn("From", 0, 1.4f);
      ImGui::TableSetupColumn("Message-ID", 0, 2.2f);
      ImGui::TableSetupColumn("Size", 0, 0.6f);
      ImGui::TableSetupColumn("POP3", 0, 3.0f);
      ImGui::TableSetupColumn("UIDL", 0, 1.0f);
      ImGui::TableHeadersRow();
      int row = 0;
      for (const auto& m : mb.messages) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(row++);
        if (ImGui::Selectable(m.subject.empty() ? "(no subject)" : m.subject.c_str(), ui.inspect_msg == m.msgid && !m.msgid.empty(),
                              ImGuiSelectableFlags_SpanAllColumns))
          inspect_message(ui, m.msgid);
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.from.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.msgid.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(m.size));
        ImGui::TableNextColumn();
        if (!m.fetched) {
          ImGui::TextColored(to_vec4(col::k3xx), "new: on the server, not fetched yet");
        } else {
          TimeText tt(m.fetched_us);
          ImGui::TextColored(to_vec4(m.deleted ? col::k2xx : col::k4xx), "%s: fetched by %s at %s", m.deleted ? "deleted" : "left on server",
                             m.fetched_by.c_str(), tt.c_str());
          if (ImGui::IsItemHovered())
            ImGui::SetTooltip(m.deleted ? "The client downloaded it (RETR), marked it deleted (DELE) and QUIT made that final:\n"
                                          "it is no longer on the server."
                                        : "The client downloaded it (RETR) and left it on the server: the next session\n"
                                          "sees its UIDL again and skips it.");
        }
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", m.uid.c_str());
      }
      ImGui::EndTable();
    }
    ImGui::PopID();
    ImGui::Spacing();
  }
  ImGui::EndChild();
}

}  // namespace smtpsim::viz
