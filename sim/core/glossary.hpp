// glossary.hpp - the one glossary of mail terms: what `smtpsim explain TERM` prints and what the
// visualizer's hover tooltips show. Written for a student who never studied mail.
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace smtpsim {

// GlossaryEntry - one term. `aliases` is a comma-separated list of other spellings that find it
// ("Mail Submission Agent, submission server"); `short_text` is one line for a hover tooltip;
// `long_text` is a paragraph; `rfc` names the defining document(s), or is empty.
struct GlossaryEntry {
  std::string_view term;
  std::string_view aliases;
  std::string_view short_text;
  std::string_view long_text;
  std::string_view rfc;
};

// glossary_find - the entry whose term or one of whose aliases is `term` (case, '-', '_', extra
// spaces and a trailing ':' ignored: "queue-id", "Queue ID", "received:"); nullptr when none.
const GlossaryEntry* glossary_find(std::string_view term);

// glossary_all - every entry, in the glossary's reading order (roles, protocols, mail, queue, DNS).
std::span<const GlossaryEntry> glossary_all();

// glossary_key - the normalised form glossary_find compares ("Queue-ID:" -> "queue id").
std::string glossary_key(std::string_view text);

}  // namespace smtpsim
