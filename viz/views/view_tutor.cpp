// view_tutor.cpp - the reply-code tutor and the glossary hovers: the catalogue's meaning of a reply
// (SMTP and POP3, the same entries `smtpsim explain` prints: meaning, enhanced status, what the
// client does next, RFC section) and one line per term from the project's glossary.
#include <algorithm>
#include <cctype>
#include <vector>
#include <string>
#include <string_view>

#include <imgui.h>

#include "sim/pop3/pop3_catalog.hpp"
#include "sim/reply/reply_all.hpp"
#include "sim/smtp/smtp_catalog.hpp"
#include "viz/views/view_common.hpp"
#include "viz/views/views.hpp"

#if __has_include("sim/core/glossary.hpp")
#include "sim/core/glossary.hpp"
#define SMTPSIM_VIZ_HAVE_GLOSSARY 1
#endif

namespace smtpsim::viz {

namespace {


// append_entry - one catalogue entry as the tutor words it.
void append_entry(std::string& out, const smtp::ReplyEntry& e) {
  out += e.label();
  out += "  ";
  out += e.text;
  out += "\nmeaning: ";
  out += e.meaning;
  out += "\nclient next: ";
  out += smtp::to_string(e.next_kind);
  if (!e.next.empty()) {
    out += " - ";
    out += e.next;
  }
  if (e.protocol == smtp::ReplyProtocol::Smtp && !e.enhanced.empty())
    if (auto st = smtp::describe_status(e.enhanced)) {
      out += "\nstatus ";
      out += e.enhanced;
      out += ": ";
      out += st->klass;
      out += " / ";
      out += st->subject;
      if (!st->detail.empty()) {
        out += " / ";
        out += st->detail;
      }
    }
  out += "\nsee: ";
  out += e.rfc;
}

}  // namespace

// reply_code_in - "451 4.3.0 ..." -> 451 and "4.3.0"; "+OK" -> 1; "-ERR [IN-USE]" -> 2 and "IN-USE".
int reply_code_in(const std::string& text, std::string* enhanced) {
  std::string_view t = text;
  if (enhanced) enhanced->clear();
  if (t.rfind("+OK", 0) == 0) return smtp::kPop3Ok;
  if (t.rfind("-ERR", 0) == 0) {
    std::size_t a = t.find('['), b = t.find(']');
    if (enhanced && a != std::string_view::npos && b != std::string_view::npos && a < b && a < 6)
      *enhanced = std::string(t.substr(a + 1, b - a - 1));
    return smtp::kPop3Err;
  }
  if (t.size() < 3 || !std::isdigit(static_cast<unsigned char>(t[0])) ||
      !std::isdigit(static_cast<unsigned char>(t[1])) || !std::isdigit(static_cast<unsigned char>(t[2])))
    return 0;
  if (t.size() > 3 && t[3] != ' ' && t[3] != '-') return 0;
  int code = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
  if (enhanced && t.size() > 4) {
    std::size_t e = t.find(' ', 4);
    std::string_view w = t.substr(4, e == std::string_view::npos ? std::string_view::npos : e - 4);
    if (smtp::is_enhanced_status(w)) *enhanced = std::string(w);
  }
  return code;
}

// reply_tooltip_text - the class line, then the matching catalogue entries (exact first).
std::string reply_tooltip_text(int code, const std::string& enhanced) {
  const smtp::Catalog& cat = reply::all_replies();
  const bool pop3 = code == smtp::kPop3Ok || code == smtp::kPop3Err;
  const auto proto = pop3 ? smtp::ReplyProtocol::Pop3 : smtp::ReplyProtocol::Smtp;
  std::string out;
  if (!pop3) {
    std::string cls = smtp::describe_code_class(code);
    if (cls.empty()) return "";
    out = std::to_string(code) + ": " + cls;
  } else {
    out = code == smtp::kPop3Ok ? "+OK: POP3 success" : "-ERR: POP3 failure";
  }
  std::vector<const smtp::ReplyEntry*> hits = cat.find(code, enhanced, proto);
  if (hits.empty()) hits = cat.by_code(code, proto);
  const std::size_t kMax = 2;  // a tooltip, not a manual: `smtpsim explain` lists them all
  for (std::size_t i = 0; i < hits.size() && i < kMax; ++i) {
    out += "\n\n";
    append_entry(out, *hits[i]);
  }
  if (hits.size() > kMax)
    out += "\n\n(" + std::to_string(hits.size() - kMax) + " more: smtpsim explain " + std::to_string(code) + ")";
  return out;
}

// reply_tooltip - the tutor as a tooltip over the last item.
void reply_tooltip(int code, const std::string& enhanced) {
  if (!ImGui::IsItemHovered()) return;
  std::string t = reply_tooltip_text(code, enhanced);
  if (t.empty()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 34);
  ImGui::TextColored(to_vec4(reply_color(code)), "What this reply means");
  ImGui::TextUnformatted(t.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// term_text - the glossary's short line ("" without an entry or before the glossary exists).
std::string term_text(const std::string& term) {
#ifdef SMTPSIM_VIZ_HAVE_GLOSSARY
  if (const GlossaryEntry* e = glossary_find(term)) return std::string(e->term) + ": " + std::string(e->short_text);
#else
  (void)term;
#endif
  return "";
}

// glossary_terms_in - scan words (and word pairs) of a text against the glossary.
std::vector<std::string> glossary_terms_in(const std::string& text) {
  std::vector<std::string> out;
#ifdef SMTPSIM_VIZ_HAVE_GLOSSARY
  std::vector<std::string_view> words;
  std::string_view t = text;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
  for (std::size_t i = 0; i < t.size();) {
    while (i < t.size() && !word_char(t[i])) ++i;
    std::size_t j = i;
    while (j < t.size() && word_char(t[j])) ++j;
    if (j > i) words.push_back(t.substr(i, j - i));
    i = j;
  }
  std::vector<const GlossaryEntry*> seen;
  auto take = [&](std::string_view w) {
    const GlossaryEntry* e = glossary_find(w);
    if (!e) return false;
    if (std::find(seen.begin(), seen.end(), e) == seen.end()) {
      seen.push_back(e);
      out.emplace_back(e->term);
    }
    return true;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i + 1 < words.size()) {
      std::string pair = std::string(words[i]) + " " + std::string(words[i + 1]);
      if (take(pair)) {
        ++i;
        continue;
      }
    }
    if (words[i].size() >= 2) take(words[i]);
  }
#else
  (void)text;
#endif
  return out;
}

// term_tooltip - the glossary as a tooltip over the last item.
bool term_tooltip(const std::string& term) {
  std::string t = term_text(term);
  if (t.empty()) return false;
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(t.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  return true;
}

}  // namespace smtpsim::viz
