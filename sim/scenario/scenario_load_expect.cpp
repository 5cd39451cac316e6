// scenario_load_expect.cpp - reading `narration` (lesson steps with event matchers) and `expect`
// (what must be true of the run).
#include <algorithm>
#include <cctype>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

const std::vector<std::string> kVerbs{
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP",
    "STARTTLS", "AUTH", "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "TOP", "UIDL",
    "CAPA", "STLS"};

// read_verb - an SMTP or POP3 command verb, upper-cased.
std::optional<std::string> read_verb(Diags& d, const Val& v) {
  auto s = read_text(d, v);
  if (!s) return std::nullopt;
  std::string u = *s;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::find(kVerbs.begin(), kVerbs.end(), u) != kVerbs.end()) return u;
  d.error(v.pos, v.name + ": '" + *s + "' is not an SMTP or POP3 command" + did_you_mean(u, kVerbs));
  return std::nullopt;
}

// read_code - 250, "4xx", "+OK" / "-ERR" (POP3: code 1 / 2).
bool read_code(Diags& d, const Val& v, int& code, int& cls) {
  auto s = read_text(d, v);
  if (!s) return false;
  std::string t = to_lower(*s);
  if (t == "+ok") { code = 1; return true; }
  if (t == "-err") { code = 2; return true; }
  if (t.size() == 3 && t[0] >= '2' && t[0] <= '5' && t[1] == 'x' && t[2] == 'x') {
    cls = t[0] - '0';
    return true;
  }
  if (t.size() == 3 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = std::stoi(t);
    if (n >= 200 && n <= 559) {
      code = n;
      return true;
    }
  }
  d.error(v.pos, v.name + ": expected a reply code like 250 or 451, a class like 4xx, or +OK/-ERR, "
                          "got " + shown(v.node));
  return false;
}

// read_window - by / not_before / between into w (false after an error).
bool read_window(Diags& d, Fields& f, TimeWindow& w) {
  bool ok = true;
  if (f.has("between") && (f.has("by") || f.has("not_before"))) {
    d.error(f.key_pos("between"), "between: cannot be combined with by: or not_before:");
    return false;
  }
  if (auto x = f.get("between"); x.present) {
    auto p = read_pair(d, x, "times");
    if (!p) return false;
    auto a = read_time(d, p->first), b = read_time(d, p->second);
    if (!a || !b) return false;
    if (*a > *b) {
      d.error(x.pos, "between: starts (" + format_duration(*a) + ") after it ends (" +
                         format_duration(*b) + ")");
      return false;
    }
    w.from = *a;
    w.to = *b;
  }
  if (auto x = f.get("by"); x.present) {
    if (auto t = read_time(d, x)) w.to = *t;
    else ok = false;
  }
  if (auto x = f.get("not_before"); x.present) {
    if (auto t = read_time(d, x)) w.from = *t;
    else ok = false;
  }
  if (ok && w.from > w.to) {
    d.error(f.key_pos("not_before"), "not_before: is later than by:");
    ok = false;
  }
  return ok;
}

// read_count - at_least / exactly / at_most (at most one of them); false after an error.
bool read_count(Diags& d, Fields& f, CountCheck& c) {
  int given = int(f.has("at_least")) + int(f.has("exactly")) + int(f.has("at_most"));
  if (given > 1) {
    d.error(f.pos(), "give one of at_least, exactly, at_most");
    return false;
  }
  for (auto [key, op] : {std::pair{"at_least", CountCheck::Op::AtLeast},
                         std::pair{"exactly", CountCheck::Op::Exactly},
                         std::pair{"at_most", CountCheck::Op::AtMost}})
    if (auto x = f.get(key); x.present) {
      auto n = read_int(d, x, 0, 1000000);
      if (!n) return false;
      c.op = op;
      c.n = *n;
    }
  return true;
}

}  // namespace

int Loader::message_ref(const Val& v) {
  auto s = read_text(d, v);
  if (!s) return 0;
  bool digits = !s->empty() && s->size() < 9 &&
                std::all_of(s->begin(), s->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    int n = std::stoi(*s);
    if (n >= 1 && n <= send_count) return n;
    d.error(v.pos, v.name + ": there is no message " + *s + " (send: has " +
                       std::to_string(send_count) + ")");
    return 0;
  }
  std::string id = to_lower(*s);
  std::vector<std::string> ids;
  for (const MessageSpec& m : spec.messages) {
    if (m.id == id) return m.index;
    ids.push_back(m.id);
  }
  d.error(v.pos, v.name + ": no message has id '" + *s + "'" + did_you_mean(id, ids));
  return 0;
}

std::optional<EventMatcher> Loader::read_matcher(const Val& v) {
  EventMatcher m;
  Fields f(d, v, KeyPlace::Matcher, &m.src);
  if (!f.ok()) return std::nullopt;
  auto suggested = f.check();
  using K = EventMatcher::Kind;
  static const std::vector<std::pair<std::string, K>> kinds{
      {"at", K::Time},           {"reply", K::Reply}, {"command", K::Command},
      {"queue", K::Queue},       {"delivered", K::Delivery}, {"bounced", K::Bounce},
      {"tls", K::Tls},           {"connection", K::Connection}, {"dns", K::Dns},
      {"fault", K::Fault}};
  std::vector<std::string> given;
  for (const auto& [key, kind] : kinds)
    if (f.has(key)) {
      given.push_back(key);
      m.kind = kind;
    }
  if (given.empty()) {
    for (const std::string& k : suggested)
      for (const auto& [key, kind] : kinds)
        if (k == key) return std::nullopt;  // a misspelt kind, already reported as a typo
    d.error(v.pos, v.name + ": says what to wait for with one of at, reply, command, queue, "
                            "delivered, bounced, tls, connection, dns, fault");
    return std::nullopt;
  }
  if (given.size() > 1) {
    d.error(v.pos, v.name + ": waits for one kind of event, got " + join_list(given));
    return std::nullopt;
  }
  // filters that only make sense with some kinds
  auto only = [&](const char* key, std::initializer_list<K> ok, const char* hint) {
    if (f.has(key) && std::find(ok.begin(), ok.end(), m.kind) == ok.end())
      d.error(f.key_pos(key), std::string(key) + ": " + hint);
  };
  only("after", {K::Reply}, "goes with reply: (the command that was answered)");
  only("answer", {K::Dns}, "goes with dns: (the answer's code)");
  only("rcpt", {K::Queue, K::Delivery, K::Bounce}, "goes with queue:, delivered: or bounced:");
  if (m.kind == K::Time && (f.has("host") || f.has("peer") || f.has("message")))
    d.error(v.pos, v.name + ": at: is a moment; it takes no host, peer or message");
  switch (m.kind) {
    case K::Time:
      if (auto t = read_time(d, f.get("at"))) m.at = *t;
      break;
    case K::Reply:
      read_code(d, f.get("reply"), m.code, m.code_class);
      if (auto x = f.get("after"); x.present)
        if (auto verb = read_verb(d, x)) m.command = *verb;
      break;
    case K::Command:
      if (auto verb = read_verb(d, f.get("command"))) m.command = *verb;
      break;
    case K::Queue:
      if (auto s = read_choice(d, f.get("queue"), {"queued", "attempt", "retrying", "deferred", "sent", "delivered",
                                                   "bounced", "warned", "expired"})) {
        static const char* names[] = {"queued", "attempt", "retrying", "deferred", "sent", "delivered",
                                      "bounced", "warned", "expired"};
        m.state = names[*s];
      }
      break;
    case K::Delivery:
    case K::Bounce: {
      Val x = f.get(m.kind == K::Delivery ? "delivered" : "bounced");
      if (x.is_scalar() && (to_lower(x.text()) == "true" || to_lower(x.text()) == "any")) break;
      if (auto a = read_address(d, x)) m.rcpt = *a;
      break;
    }
    case K::Tls:
      if (auto s = read_choice(d, f.get("tls"), {"start", "done", "failed"})) {
        static const char* names[] = {"start", "done", "failed"};
        m.state = names[*s];
      }
      break;
    case K::Connection:
      if (auto s = read_choice(d, f.get("connection"),
                               {"open", "refused", "timeout", "reset", "close"})) {
        static const char* names[] = {"open", "refused", "timeout", "reset", "close"};
        m.state = names[*s];
      }
      break;
    case K::Dns: {
      Val x = f.get("dns");
      if (!(x.is_scalar() && to_lower(x.text()) == "any"))
        if (auto n = read_host_name(d, x)) m.dns_name = *n;
      if (auto a = f.get("answer"); a.present)
        if (auto s = read_choice(d, a, {"noerror", "nxdomain", "servfail", "timeout"})) {
          static const char* names[] = {"noerror", "nxdomain", "servfail", "timeout"};
          m.state = names[*s];
        }
      break;
    }
    case K::Fault: {
      Val x = f.get("fault");
      if (auto b = read_bool(d, x); b && !*b)
        d.error(x.pos, "fault: false waits for nothing (write fault: true)");
      break;
    }
  }
  if (auto x = f.get("host"); x.present)
    if (auto h = read_host_name(d, x)) m.host = *h;
  if (auto x = f.get("peer"); x.present)
    if (auto h = read_host_name(d, x)) m.peer = *h;
  if (auto x = f.get("rcpt"); x.present && m.rcpt.empty())
    if (auto a = read_address(d, x)) m.rcpt = *a;
  if (auto x = f.get("message"); x.present) m.message = message_ref(x);
  if (auto x = f.get("occurrence"); x.present)
    if (auto n = read_int(d, x, 1, 1000000)) m.occurrence = int(*n);
  return m;  // partial after errors too: its names are still cross-checked
}

void Loader::read_narration(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kNarration, "narration steps")) return;
  if (!v.is_list()) {
    d.error(v.pos, "narration: expected a list of steps (like - { title: ..., text: ... }), got " +
                       shown(v.node));
    return;
  }
  for (const YAML::Node& n : v.node) {
    NarrationStep s;
    Fields f(d, val_of(n, "narration step"), KeyPlace::Narration, &s.src);
    if (!f.ok()) continue;
    f.check();
    if (auto x = f.get("title"); x.present) {
      if (auto t = read_prose(d, x)) s.title = *t;
    } else {
      d.error(f.pos(), "narration step: has no title");
    }
    if (auto x = f.get("text"); x.present) {
      if (auto t = read_prose(d, x)) s.text = *t;
    } else {
      d.error(f.pos(), "narration step: has no text");
    }
    if (auto x = f.get("start_on"); x.present) s.start_on = read_matcher(x);
    if (auto x = f.get("pause_on"); x.present) s.pause_on = read_matcher(x);
    spec.narration.push_back(std::move(s));
  }
}

void Loader::read_expect(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kExpect, "expectations")) return;
  if (!v.is_list()) {
    d.error(v.pos, "expect: expected a list of expectations (like - { delivered: b@b.example, by: "
                   "1h }), got " + shown(v.node));
    return;
  }
  using K = Expectation::Kind;
  static const std::vector<std::pair<std::string, K>> kinds{
      {"delivered", K::Delivered}, {"not_delivered", K::NotDelivered}, {"bounced", K::Bounced},
      {"warned", K::Warned},       {"reply", K::Reply},                {"no_reply", K::NoReply},
      {"attempts", K::Attempts},   {"fetched_by", K::FetchedBy},       {"lost", K::Lost},
      {"duplicates", K::Duplicates}, {"queued", K::Queued},            {"tls", K::Tls}};
  // modifiers each kind accepts (besides its own key)
  auto modifiers = [](K k) -> std::vector<std::string> {
    std::vector<std::string> w{"by", "between", "not_before"};
    auto with = [&](std::vector<std::string> more) {
      more.insert(more.end(), w.begin(), w.end());
      return more;
    };
    switch (k) {
      case K::Delivered: return with({"message", "host"});
      case K::NotDelivered: return with({"message"});
      case K::Bounced:
      case K::Warned: return with({"to", "status", "message"});
      case K::Reply: return with({"host", "peer", "after", "at_least", "exactly", "at_most"});
      case K::NoReply: return with({"host", "peer", "after"});
      case K::Attempts: return w;
      case K::FetchedBy: return with({"within", "rcpt", "message"});
      case K::Lost:
      case K::Duplicates: return {};
      case K::Queued: return {"host"};
      case K::Tls: return with({"used", "version"});
    }
    return {};
  };
  for (const YAML::Node& n : v.node) {
    Expectation e;
    Fields f(d, val_of(n, "expectation"), KeyPlace::Expect, &e.src);
    if (!f.ok()) continue;
    std::vector<std::string> given;
    for (const auto& [key, kind] : kinds)
      if (f.has(key)) {
        given.push_back(key);
        e.kind = kind;
      }
    if (given.empty()) {
      std::vector<std::string> names;
      for (const auto& [key, kind] : kinds) names.push_back(key);
      auto suggested = f.check();
      bool typo = std::any_of(suggested.begin(), suggested.end(), [&](const std::string& k) {
        return std::find(names.begin(), names.end(), k) != names.end();
      });
      if (!typo) d.error(f.pos(), "expectation: says what to expect with one of " + join_list(names));
      continue;
    }
    if (given.size() > 1) {
      d.error(f.pos(), "expectation: has both '" + given[0] + "' and '" + given[1] +
                           "'; write them as two expectations");
      continue;
    }
    std::string kind_key = given[0];
    std::vector<std::string> valid = modifiers(e.kind);
    valid.push_back(kind_key);
    f.check(valid, [&](const std::string& key) -> std::optional<std::string> {
      std::vector<std::string> owners;
      for (const auto& [k2, kind2] : kinds) {
        auto m = modifiers(kind2);
        if (std::find(m.begin(), m.end(), key) != m.end()) owners.push_back(k2);
      }
      if (owners.empty()) return std::nullopt;
      return "key '" + key + "' does not apply to a " + kind_key + " expectation (it goes with " +
             join_list(owners) + ")";
    });
    Val kv = f.get(kind_key);
    read_window(d, f, e.window);
    switch (e.kind) {
      case K::Delivered:
      case K::NotDelivered:
      case K::Bounced:
      case K::Warned:
        if (auto a = read_address(d, kv)) e.rcpt = *a;
        if (auto x = f.get("message"); x.present) e.message = message_ref(x);
        if (auto x = f.get("host"); x.present)
          if (auto h = read_host_name(d, x)) e.host = *h;
        if (auto x = f.get("to"); x.present)
          if (auto a = read_address(d, x)) e.dsn_to = *a;
        if (auto x = f.get("status"); x.present)
          if (auto s = read_text(d, x)) {
            std::string st = to_lower(*s);
            if (!valid_status_pattern(st))
              d.error(x.pos, "status: expected an enhanced status code like 5.1.1 or 5.x.x, got " +
                                 shown(x.node));
            else if (e.kind == K::Bounced && st[0] != '5' && st[0] != '4')
              d.error(x.pos, "status: a bounce carries a 5.x.x (or 4.x.x after giving up) status");
            else if (e.kind == K::Warned && st[0] != '4')
              d.error(x.pos, "status: a delay warning carries a 4.x.x status");
            else
              e.status = st;
          }
        break;
      case K::Reply:
      case K::NoReply:
        read_code(d, kv, e.code, e.code_class);
        if (auto x = f.get("after"); x.present)
          if (auto verb = read_verb(d, x)) e.command = *verb;
        if (auto x = f.get("host"); x.present)
          if (auto h = read_host_name(d, x)) e.host = *h;
        if (auto x = f.get("peer"); x.present)
          if (auto h = read_host_name(d, x)) e.peer = *h;
        if (e.kind == K::Reply) read_count(d, f, e.count);
        break;
      case K::Attempts: {
        if (!kv.is_map()) {
          d.error(kv.pos, "attempts: expected a map like { message: 1, at_least: 4 }, got " +
                              shown(kv.node));
          break;
        }
        Fields af(d, kv, KeyPlace::Attempts, &e.src);
        af.check();
        if (auto x = af.get("message"); x.present) e.message = message_ref(x);
        if (auto x = af.get("rcpt"); x.present)
          if (auto a = read_address(d, x)) e.rcpt = *a;
        if (auto x = af.get("host"); x.present)
          if (auto h = read_host_name(d, x)) e.host = *h;
        if (!af.has("at_least") && !af.has("exactly") && !af.has("at_most"))
          d.error(kv.pos, "attempts: needs at_least:, exactly: or at_most:");
        else
          read_count(d, af, e.count);
        break;
      }
      case K::FetchedBy:
        if (auto h = read_host_name(d, kv)) e.mua = *h;
        if (auto x = f.get("within"); x.present)
          if (auto t = read_duration(d, x)) e.within = *t;
        if (auto x = f.get("rcpt"); x.present)
          if (auto a = read_address(d, x)) e.rcpt = *a;
        if (auto x = f.get("message"); x.present) e.message = message_ref(x);
        break;
      case K::Lost:
      case K::Duplicates:
      case K::Queued:
        if (auto c = read_int(d, kv, 0, 1000000)) {
          e.count.op = CountCheck::Op::Exactly;
          e.count.n = *c;
        }
        if (auto x = f.get("host"); x.present)
          if (auto h = read_host_name(d, x)) e.host = *h;
        break;
      case K::Tls:
        if (auto p = read_pair(d, kv, "host names")) {
          auto a = read_host_name(d, p->first), b = read_host_name(d, p->second);
          if (a) e.host = *a;
          if (b) e.peer = *b;
        }
        if (auto x = f.get("used"); x.present)
          if (auto b = read_bool(d, x)) e.tls_used = *b;
        if (auto x = f.get("version"); x.present)
          if (auto s = read_choice(d, x, {"tlsv1.2", "tlsv1.3"}))
            e.tls_version = *s == 0 ? "TLSv1.2" : "TLSv1.3";
        if (!e.tls_used && f.has("version"))
          d.error(f.key_pos("version"), "version: makes no sense with used: false");
        break;
    }
    spec.expectations.push_back(std::move(e));
  }
}

}  // namespace smtpsim::scenario::detail
