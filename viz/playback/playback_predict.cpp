// playback_predict.cpp - predict mode: which replies are plausible for which command (a table of
// catalogue keys), picking the right entry for a reply, and the pause / answer / score cycle.
//
// [SECTION] index
//   table ......... plausible replies per SMTP and POP3 command, most plausible first
//   choices ....... the right entry for a reply line, distractors, a deterministic order
//   predictor ..... the stop hook, answers, time-outs, rewinds, the saved transcript, the scene
#include "viz/playback/playback_predict.hpp"

#include <algorithm>
#include <cctype>

#include "sim/export/export_transcript.hpp"
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/reply/reply_all.hpp"
#include "sim/smtp/smtp_catalog.hpp"

namespace smtpsim::viz {

// ---------------------------------------------------------------------------------------------
// [SECTION] table

namespace {

struct VerbRow {
  const char* verb;                  // "" = the greeting (no command), "*" = any other command
  std::vector<const char*> keys;     // plausible replies, most plausible first
};

const std::vector<VerbRow>& smtp_table() {
  static const std::vector<VerbRow> t = {
      {"", {"smtp.greeting", "smtp.service_unavailable", "smtp.no_service", "smtp.does_not_accept_mail"}},
      {"EHLO", {"smtp.ehlo", "smtp.not_implemented", "smtp.helo_syntax", "smtp.service_unavailable"}},
      {"HELO", {"smtp.helo", "smtp.helo_syntax", "smtp.service_unavailable", "smtp.unrecognized"}},
      {"STARTTLS", {"smtp.ready_tls", "smtp.tls_unavailable", "smtp.tls_already_active", "smtp.not_implemented"}},
      {"AUTH", {"smtp.auth_ok", "smtp.auth_challenge", "smtp.auth_failed", "smtp.auth_encryption_required",
                "smtp.auth_mechanism_unknown"}},
      {"MAIL", {"smtp.mail_ok", "smtp.need_helo", "smtp.auth_required", "smtp.size_exceeded", "smtp.sender_rejected"}},
      {"RCPT", {"smtp.rcpt_ok", "smtp.user_unknown", "smtp.greylisted", "smtp.local_error", "smtp.relay_denied",
                "smtp.mailbox_full", "smtp.storage_full", "smtp.need_mail"}},
      {"DATA", {"smtp.start_data", "smtp.no_valid_recipients", "smtp.need_rcpt", "smtp.need_mail"}},
      {".", {"smtp.queued", "smtp.message_rejected", "smtp.storage_full", "smtp.message_too_big", "smtp.local_error"}},
      {"RSET", {"smtp.ok", "smtp.not_implemented", "smtp.unrecognized"}},
      {"NOOP", {"smtp.ok", "smtp.not_implemented", "smtp.unrecognized"}},
      {"VRFY", {"smtp.vrfy_cannot", "smtp.user_unknown", "smtp.not_implemented"}},
      {"QUIT", {"smtp.closing", "smtp.ok", "smtp.not_implemented"}},
      {"*", {"smtp.unrecognized", "smtp.not_implemented", "smtp.ok", "smtp.need_helo"}},
  };
  return t;
}

const std::vector<VerbRow>& pop3_table() {
  static const std::vector<VerbRow> t = {
      {"", {"pop3.greeting", "pop3.sys_temp", "pop3.unknown"}},
      {"CAPA", {"pop3.capa", "pop3.unknown", "pop3.wrong_state"}},
      {"STLS", {"pop3.stls_ok", "pop3.stls_unavailable", "pop3.stls_active"}},
      {"USER", {"pop3.user_ok", "pop3.plaintext_disallowed", "pop3.user_disabled", "pop3.wrong_state"}},
      {"PASS", {"pop3.login_ok", "pop3.auth_failed", "pop3.in_use", "pop3.login_delay"}},
      {"STAT", {"pop3.stat", "pop3.wrong_state", "pop3.sys_temp"}},
      {"LIST", {"pop3.list_all", "pop3.list_one", "pop3.no_such_message", "pop3.wrong_state"}},
      {"UIDL", {"pop3.uidl_all", "pop3.uidl_one", "pop3.no_such_message", "pop3.wrong_state"}},
      {"RETR", {"pop3.retr", "pop3.no_such_message", "pop3.already_deleted", "pop3.wrong_state"}},
      {"TOP", {"pop3.top", "pop3.bad_line_count", "pop3.no_such_message"}},
      {"DELE", {"pop3.dele", "pop3.already_deleted", "pop3.no_such_message"}},
      {"RSET", {"pop3.rset", "pop3.wrong_state", "pop3.unknown"}},
      {"NOOP", {"pop3.noop", "pop3.wrong_state", "pop3.unknown"}},
      {"QUIT", {"pop3.quit_update", "pop3.quit_auth", "pop3.update_failed"}},
      {"*", {"pop3.unknown", "pop3.not_implemented", "pop3.wrong_state"}},
  };
  return t;
}


// row_for - the table row for a verb ("*" when the verb has none).
const VerbRow& row_for(const std::vector<VerbRow>& t, const std::string& verb) {
  for (const VerbRow& r : t)
    if (verb == r.verb) return r;
  return t.back();
}

// fits - whether a reply's text (after its code) could come from a catalogue template: the
// template's literal pieces between {placeholders} appear in it, in order.
bool fits(std::string_view tmpl, std::string_view text) {
  std::size_t at = 0;
  while (!tmpl.empty()) {
    std::size_t open = tmpl.find('{');
    std::string_view lit = tmpl.substr(0, open);
    if (!lit.empty()) {
      std::size_t p = text.find(lit, at);
      if (p == std::string_view::npos) return false;
      at = p + lit.size();
    }
    if (open == std::string_view::npos) break;
    std::size_t close = tmpl.find('}', open);
    if (close == std::string_view::npos) break;
    tmpl.remove_prefix(close + 1);
  }
  return true;
}

// rest_of - the reply's text after its code and status ("250 2.1.5 Ok" -> "Ok", "-ERR [IN-USE] x" -> "x").
std::string rest_of(const std::string& reply, int code, const std::string& enhanced) {
  std::string_view t = reply;
  t.remove_prefix(std::min<std::size_t>(t.size(), code == smtp::kPop3Ok ? 3 : 4));
  auto trim = [&] { while (!t.empty() && t.front() == ' ') t.remove_prefix(1); };
  trim();
  const bool pop3 = code == smtp::kPop3Ok || code == smtp::kPop3Err;
  std::string status = pop3 ? "[" + enhanced + "]" : enhanced;
  if (!enhanced.empty() && t.substr(0, status.size()) == status) t.remove_prefix(status.size());
  trim();
  return std::string(t);
}

// choice_of - a catalogue entry as a choice.
PredictChoice choice_of(const smtp::ReplyEntry& e) {
  return {std::string(e.key), e.label(), std::string(e.text), e.code, false};
}

}  // namespace

std::vector<std::string> predict_table_keys() {
  std::vector<std::string> out;
  for (const auto* t : {&smtp_table(), &pop3_table()})
    for (const VerbRow& r : *t)
      for (const char* k : r.keys) out.emplace_back(k);
  return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] choices

std::vector<PredictChoice> predict_choices(const std::string& command, const std::string& reply, std::uint64_t salt,
                                           int distractors) {
  std::string enhanced;
  const int code = reply_code_in(reply, &enhanced);
  const bool pop3 = code == smtp::kPop3Ok || code == smtp::kPop3Err;
  const auto proto = pop3 ? smtp::ReplyProtocol::Pop3 : smtp::ReplyProtocol::Smtp;
  std::string verb;
  for (char c : command) {
    if (c == ' ') break;
    verb += char(std::toupper(static_cast<unsigned char>(c)));
  }
  const VerbRow& row = row_for(pop3 ? pop3_table() : smtp_table(), verb);
  const smtp::Catalog& cat = reply::all_replies();
  const std::string rest = rest_of(reply, code, enhanced);

  // The right entry: same code and status, its text fitting the line; the table's order first.
  const smtp::ReplyEntry* right = nullptr;
  std::vector<const smtp::ReplyEntry*> same = cat.find(code, enhanced, proto);
  auto better = [&](const smtp::ReplyEntry* e) { return fits(e->text, rest); };
  for (const char* k : row.keys)
    if (const smtp::ReplyEntry* e = cat.by_key(k); !right && e && e->code == code && e->enhanced == enhanced && better(e))
      right = e;
  for (const smtp::ReplyEntry* e : same)
    if (!right && better(e)) right = e;
  for (const char* k : row.keys)
    if (const smtp::ReplyEntry* e = cat.by_key(k); !right && e && e->code == code && e->enhanced == enhanced) right = e;
  if (!right && !same.empty()) right = same.front();

  PredictChoice r;
  if (right) {
    r = choice_of(*right);
  } else {  // not in the catalogue: the line itself is the answer
    r.label = pop3 ? (code == smtp::kPop3Ok ? "+OK" : "-ERR") : std::to_string(code) + (enhanced.empty() ? "" : " " + enhanced);
    r.text = rest;
    r.code = code;
  }
  r.right = true;

  std::vector<PredictChoice> out;
  auto distinct = [&](const smtp::ReplyEntry& e) {
    for (const PredictChoice& c : out)
      if (c.key == e.key || (!pop3 && c.label == e.label()) || (pop3 && c.label == e.label() && c.text == e.text)) return false;
    return !(e.key == r.key || (!pop3 && e.label() == r.label) || (pop3 && e.label() == r.label && e.text == r.text));
  };
  for (const char* k : row.keys) {
    if (int(out.size()) >= distractors) break;
    if (const smtp::ReplyEntry* e = cat.by_key(k); e && distinct(*e)) out.push_back(choice_of(*e));
  }
  // Too few plausible ones for this command: the catch-all row fills up.
  const VerbRow& any = (pop3 ? pop3_table() : smtp_table()).back();
  for (const char* k : any.keys) {
    if (int(out.size()) >= distractors) break;
    if (const smtp::ReplyEntry* e = cat.by_key(k); e && distinct(*e)) out.push_back(choice_of(*e));
  }
  std::size_t at = std::size_t(salt % (out.size() + 1));
  out.insert(out.begin() + std::ptrdiff_t(at), r);
  return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] predictor

namespace {
const std::vector<PredictChoice> kNone;
}  // namespace

void Predictor::attach(Playback& pb) {
  pb_ = &pb;
  pb.set_stop_hook([this](const TraceEvent& e, std::size_t idx) { return on_stop(e, idx); });
}

void Predictor::set_on(bool on) {
  on_ = on;
  if (!on) pending_.clear();
}

std::string Predictor::verb_of(const std::string& command) {
  std::string v;
  for (char c : command) {
    if (c == ' ') break;
    v += char(std::toupper(static_cast<unsigned char>(c)));
  }
  return v;
}

// on_stop - every trace event while the clock runs: a reply's first line opens a question (and
// stops the clock); its continuation lines join it; lines of a reply already known do not stop.
bool Predictor::on_stop(const TraceEvent& e, std::size_t idx) {
  if (e.kind != TraceKind::Reply) return false;
  if (!on_ || !pb_) return false;
  // A continuation line: the previous reply line on this connection was "NNN-..."
  const auto& ev = pb_->run().world().trace.events();
  bool continued = false;
  for (std::size_t i = idx, n = 0; i-- > 0 && n < 400; ++n)
    if (ev[i].kind == TraceKind::Reply && ev[i].conn == e.conn) {
      continued = ev[i].text.size() > 3 && ev[i].text[3] == '-';
      break;
    }
  if (continued) {
    for (auto& q : pending_)
      if (q.conn == e.conn) q.seqs.push_back(idx);
    return false;
  }
  std::string command;
  if (auto a = pb_->answers(idx)) command = ev[*a].text;
  Question q;
  q.seqs = {idx};
  q.time = e.time;
  q.conn = e.conn;
  q.server = e.host;
  q.client = e.peer;
  q.command = command;
  q.reply = e.text;
  q.choices = predict_choices(command, e.text, idx);
  for (auto& c : q.choices) c.text = smtp::render_text(c.text, {{"host", e.host}});  // the same for every choice
  std::string label;
  for (const auto& c : q.choices)
    if (c.right) label = c.label + " " + c.key;
  if (known_.count({verb_of(command), label})) return false;
  pending_.push_back(std::move(q));
  return true;
}

const std::vector<PredictChoice>& Predictor::choices() const { return pending_.empty() ? kNone : pending_.front().choices; }

// resolve - score the open question, remember its answer and explanation, move to the next one.
void Predictor::resolve(bool right, const std::string& guess) {
  if (pending_.empty()) return;
  const Question& q = pending_.front();
  ++asked_;
  if (right) ++right_;
  last_.answered = true;
  last_.was_right = right;
  last_.guess = guess;
  last_.reply = q.reply;
  std::string enhanced;
  int code = reply_code_in(q.reply, &enhanced);
  last_.explanation = reply_tooltip_text(code, enhanced);
  if (right)
    for (const auto& c : q.choices)
      if (c.right) known_.insert({verb_of(q.command), c.label + " " + c.key});
  pending_.pop_front();
}

void Predictor::answer_choice(int i) {
  const auto& cs = choices();
  if (i < 0 || i >= int(cs.size())) return;
  resolve(cs[std::size_t(i)].right, cs[std::size_t(i)].label + " " + cs[std::size_t(i)].text);
}

void Predictor::answer_code(int code) {
  if (pending_.empty()) return;
  int real = reply_code_in(pending_.front().reply);
  if (real == smtp::kPop3Ok || real == smtp::kPop3Err) return;  // POP3 has no number to type
  resolve(code == real, std::to_string(code));
}

void Predictor::skip() {
  if (pending_.empty()) return;
  resolve(false, "skipped");
}

void Predictor::time_out() {
  if (pending_.empty()) return;
  ++unanswered_;
  resolve(false, "no answer");
}

void Predictor::unattended(Playback& pb, int patience) {
  if (!waiting()) {
    waited_ = 0;
    if (!pb.playing() && !pb.finished()) pb.set_playing(true);
    return;
  }
  pb.set_playing(false);  // the run waits for the answer that will not come ...
  if (++waited_ <= patience) return;
  time_out();             // ... for `patience` frames, then plays on
  waited_ = waiting() ? 1 : 0;  // a pipelined reply's next question: shown from this frame on
  if (!waiting() && !pb.finished()) pb.set_playing(true);
}

std::size_t Predictor::shown_events(std::size_t n) const {
  for (const Question& q : pending_)
    for (std::uint64_t s : q.seqs) n = std::min<std::size_t>(n, std::size_t(s));
  return n;
}

std::string Predictor::transcript_so_far(Playback& pb) const {
  const auto& all = pb.run().world().trace.events();
  const std::size_t n = shown_events(all.size());
  if (n == all.size()) return exporter::format_transcript(all);
  return exporter::format_transcript(std::vector<TraceEvent>(all.begin(), all.begin() + std::ptrdiff_t(n)));
}

Requests Predictor::filter(const Requests& r) {
  Requests out = r;
  if (r.predict_pick) answer_choice(*r.predict_pick);
  else if (r.predict_code) answer_code(*r.predict_code);
  else if (r.predict_skip) skip();
  if (waiting() && pb_) {
    // answer first: the run does not move on while the reply is hidden
    out.toggle_play = out.toggle_play && pb_->playing();
    out.step_event = out.step_exchange = false;
    if (out.seek && *out.seek > pb_->now()) out.seek.reset();
  }
  return out;
}

void Predictor::sync(Playback& pb) {
  if (!pb.loaded()) {
    pending_.clear();
    return;
  }
  const auto& ev = pb.run().world().trace.events();
  while (!pending_.empty()) {
    const Question& q = pending_.front();
    std::uint64_t s = q.seqs.front();
    if (s < ev.size() && ev[s].kind == TraceKind::Reply && ev[s].time == q.time && ev[s].text == q.reply) break;
    pending_.pop_front();  // rewound to before it: the reply has not happened on this run
  }
}

void Predictor::fill(Scene& s) const {
  ScenePredict& p = s.predict;
  p = last_;
  p.on = on_;
  p.asked = asked_;
  p.right = right_;
  p.unanswered = unanswered_;
  p.waiting = !pending_.empty();
  if (pending_.empty()) return;
  const Question& q = pending_.front();
  p.server = q.server;
  p.client = q.client;
  p.command = q.command;
  for (const auto& c : q.choices) p.choices.push_back({c.label, c.text});
  int code = reply_code_in(q.reply);
  p.numeric = code != smtp::kPop3Ok && code != smtp::kPop3Err;
  // Hide every reply still waiting for its answer (the open one and any queued behind it).
  std::set<std::uint64_t> hidden;
  for (const auto& w : pending_) hidden.insert(w.seqs.begin(), w.seqs.end());
  std::erase_if(s.tokens, [&](const SceneToken& t) { return t.kind == "reply" && hidden.count(t.seq); });
  std::erase_if(s.transcript, [&](const SceneLine& l) { return l.kind == "reply" && hidden.count(l.seq); });
}

}  // namespace smtpsim::viz
