// scenario_load_events.cpp - reading `send` (the mail of the lesson) and `timeline` (faults and
// behaviour changes at given times).
#include <algorithm>
#include <cctype>
#include <limits>

#include "sim/scenario/scenario_keys.hpp"
#include "sim/core/ascii.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

// upper - ASCII upper case.
std::string upper(std::string_view s) { return ascii_upper_copy(s); }

// read_dsn - notify / ret / envid.
void read_dsn(Diags& d, const Val& v, DsnSpec& dsn) {
  Fields f(d, v, KeyPlace::Dsn);
  if (!f.ok()) return;
  f.check();
  if (auto n = f.get("notify"); n.present) {
    std::vector<Val> words;
    if (n.is_scalar()) {
      // "success,failure" is how the SMTP parameter is written: accept it too
      std::string t = n.text();
      std::size_t start = 0;
      while (start <= t.size()) {
        std::size_t comma = t.find(',', start);
        std::string w = t.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!w.empty() && w.front() == ' ') w.erase(w.begin());
        while (!w.empty() && w.back() == ' ') w.pop_back();
        Val wv = n;
        wv.node = YAML::Node(w);
        words.push_back(wv);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      words = items(d, n, true);
    }
    dsn.notify_set = true;
    for (const Val& w : words) {
      auto k = read_choice(d, w, {"never", "success", "failure", "delay"});
      if (!k) continue;
      if (*k == 0) dsn.never = true;
      if (*k == 1) dsn.success = true;
      if (*k == 2) dsn.failure = true;
      if (*k == 3) dsn.delay = true;
    }
    if (dsn.never && (dsn.success || dsn.failure || dsn.delay))
      d.error(n.pos, "notify: never cannot be combined with success, failure or delay");
  }
  if (auto r = f.get("ret"); r.present)
    if (auto k = read_choice(d, r, {"full", "hdrs", "headers"}))
      dsn.ret = *k == 0 ? DsnSpec::Ret::Full : DsnSpec::Ret::Headers;
  if (auto e = f.get("envid"); e.present)
    if (auto s = read_text(d, e)) {
      bool ok = !s->empty() && s->size() <= 100;
      for (char c : *s)
        if (c < 33 || c > 126 || c == '+' || c == '=') ok = false;
      if (!ok)
        d.error(e.pos, "envid: expected up to 100 printable characters without spaces, '+' or '='");
      else
        dsn.envid = *s;
    }
}

// read_override - one reply override value: a reply line, `normal`, or { reply, times }.
std::optional<ReplyOverride> read_override(Diags& d, const Val& v, const std::string& command) {
  ReplyOverride o;
  o.command = upper(command);
  o.pos = v.pos;
  Val line = v;
  if (v.is_map()) {
    Fields f(d, v, KeyPlace::ReplyOverride);
    f.check();
    if (!f.has("reply")) {
      d.error(v.pos, v.name + ": needs reply: (like reply: \"451 4.3.0 Try again later\")");
      return std::nullopt;
    }
    line = f.get("reply");
    line.name = v.name;
    if (auto t = f.get("times"); t.present) {
      auto n = read_int(d, t, 1, 100000);
      if (!n) return std::nullopt;
      o.times = int(*n);
    }
  }
  if (!line.is_scalar()) {
    d.error(line.pos, line.name + ": expected a reply line like \"451 4.3.0 Try again later\" (or "
                                  "normal), got " + shown(line.node));
    return std::nullopt;
  }
  std::string text = line.text();
  if (to_lower(text) == "normal") {
    if (v.is_map()) {
      d.error(line.pos, line.name + ": normal takes no times:");
      return std::nullopt;
    }
    o.clear = true;
    return o;
  }
  std::string why;
  auto r = parse_reply_line(text, &why);
  if (!r) {
    d.error(line.pos, line.name + ": expected a reply line like \"451 4.3.0 Try again later\", got " +
                          shown(line.node) + " (" + why + ")");
    return std::nullopt;
  }
  o.code = r->code;
  o.line = r->line;
  return o;
}

// read_behaviour - the behaviour: map of a timeline entry.
std::optional<BehaviourChange> read_behaviour(Diags& d, const Val& v) {
  BehaviourChange b;
  Fields f(d, v, KeyPlace::Behaviour);
  if (!f.ok()) return std::nullopt;
  f.check();
  const auto& smtp = smtp_override_commands();
  const auto& pop3 = pop3_override_commands();
  for (const std::string& key : f.written()) {
    bool command = std::find(smtp.begin(), smtp.end(), key) != smtp.end() ||
                   std::find(pop3.begin(), pop3.end(), key) != pop3.end();
    if (!command) continue;
    if (auto o = read_override(d, f.get(key), key)) b.replies.push_back(*o);
  }
  auto flag = [&](const char* key, std::optional<bool>& out) {
    if (auto x = f.get(key); x.present)
      if (auto v2 = read_bool(d, x)) out = *v2;
  };
  flag("greylisting", b.greylisting);
  flag("drop_mid_data", b.drop_mid_data);
  flag("drop_after_data", b.drop_after_data);
  flag("storage_full", b.storage_full);
  flag("close_with_421", b.close_with_421);
  flag("auth_reject", b.auth_reject);
  if (auto x = f.get("tarpit"); x.present) {
    if (x.is_scalar() && (to_lower(x.text()) == "off" || to_lower(x.text()) == "false"))
      b.tarpit = Duration{0};
    else if (auto t = read_duration(d, x))
      b.tarpit = *t;
  }
  if (auto x = f.get("normal"); x.present)
    if (auto n = read_bool(d, x)) {
      if (!*n) d.error(x.pos, "normal: only true makes sense (it removes every earlier change)");
      b.reset = *n;
    }
  if (f.ok() && f.written().empty())
    d.error(v.pos, "behaviour: says nothing to change (like rcpt: \"451 4.3.0 Try again later\")");
  return b;  // partial after errors: its host is still cross-checked
}

// read_dns_action - dns: { name, fault | mx | null_mx | a | remove }.
std::optional<TimelineAction> read_dns_action(Loader& L, const Val& v, SourceInfo& src) {
  Diags& d = L.d;
  Fields f(d, v, KeyPlace::DnsAction);
  if (!f.ok()) return std::nullopt;
  f.check();
  std::string name;
  if (auto n = f.get("name"); n.present) {
    if (auto h = read_host_name(d, n)) name = *h;
    src.keys["dns.name"] = n.pos;
  } else {
    d.error(v.pos, "dns: needs name: (the domain or host name the change is about)");
  }
  bool records = f.has("mx") || f.has("null_mx") || f.has("a") || f.has("remove");
  if (f.has("fault") && records) {
    d.error(v.pos, "dns: give either fault: or new records (mx, null_mx, a, remove), not both");
    return std::nullopt;
  }
  if (f.has("fault")) {
    DnsFaultAction a;
    a.name = name;
    if (auto x = read_enum<DnsFaultKind>(d, f.get("fault"),
                                         {{"none", DnsFaultKind::None},
                                          {"nxdomain", DnsFaultKind::NxDomain},
                                          {"servfail", DnsFaultKind::ServFail},
                                          {"timeout", DnsFaultKind::Timeout}}))
      a.fault = *x;
    return a;  // partial after errors too: the name is still cross-checked
  }
  if (!records) {
    d.error(v.pos, "dns: says nothing to change (add fault: servfail, or records like mx: [...])");
    return std::nullopt;
  }
  DnsChangeAction c;
  c.name = name;
  if (f.has("remove") && (f.has("mx") || f.has("null_mx") || f.has("a"))) {
    d.error(f.key_pos("remove"), "remove: drops every record of the name; it cannot be combined "
                                 "with new records");
    return std::nullopt;
  }
  if (f.has("mx") && f.has("null_mx")) {
    d.error(f.key_pos("null_mx"), "null_mx: cannot be combined with mx:");
    return std::nullopt;
  }
  if (auto x = f.get("mx"); x.present) c.mx = L.read_mx_list(x, &src);
  if (auto x = f.get("null_mx"); x.present)
    if (auto b = read_bool(d, x)) c.null_mx = *b;
  if (auto x = f.get("a"); x.present) c.a = L.read_a_list(x, &src);
  if (auto x = f.get("remove"); x.present)
    if (auto b = read_bool(d, x)) c.remove = *b;
  for (const char* k : {"mx", "a"})
    if (f.has(k)) src.keys[std::string("dns.") + k] = f.get(k).pos;
  return c;
}

}  // namespace

void Loader::read_send(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kMessages, "messages")) return;
  if (!v.is_list()) {
    d.error(v.pos, "send: expected a list of messages (like - { from: a@a.example, to: b@b.example "
                   "}), got " + shown(v.node));
    return;
  }
  int index = 0;
  std::size_t recipients_total = 0;
  bool recipients_capped = false;
  for (const YAML::Node& n : v.node) {
    ++index;
    send_count = index;
    MessageSpec m;
    m.index = index;
    m.id = std::to_string(index);
    Fields f(d, val_of(n, "message"), KeyPlace::Send, &m.src);
    if (!f.ok()) continue;
    f.check();
    if (auto x = f.get("id"); x.present)
      if (auto s = read_text(d, x)) {
        bool digits = !s->empty() && std::all_of(s->begin(), s->end(), [](char c) {
          return c >= '0' && c <= '9';
        });
        if (digits)
          d.error(x.pos, "id: '" + *s + "' looks like a message number; use a word like lunch");
        else if (!valid_host_name(*s))
          d.error(x.pos, "id: use letters, digits, '-' and '_' (like lunch-invite), got " +
                             shown(x.node));
        else {
          for (const MessageSpec& other : spec.messages)
            if (other.id == to_lower(*s))
              d.error(x.pos, "id: '" + *s + "' is already used by the message at line " +
                                 std::to_string(other.src.pos.line));
          m.id = to_lower(*s);
        }
      }
    if (auto x = f.get("at"); x.present)
      if (auto t = read_time(d, x)) m.at = *t;
    if (auto x = f.get("from"); x.present) {
      if (auto a = read_address(d, x)) m.from = *a;
    } else {
      d.error(f.pos(), "message: has no from: (the sender's address)");
    }
    for (const char* key : {"to", "cc", "bcc"}) {
      auto& list = std::string(key) == "to" ? m.to : std::string(key) == "cc" ? m.cc : m.bcc;
      if (auto x = f.get(key); x.present) {
        for (const Val& item : items(d, x, true, &m.src))
          if (auto a = read_address(d, item)) list.push_back(*a);
        if (x.is_list() && x.node.size() == 0) d.error(x.pos, std::string(key) + ": is empty");
      }
    }
    if (!f.has("to") && !f.has("cc") && !f.has("bcc"))
      d.error(f.pos(), "message: has no recipients (add to: b@b.example)");
    recipients_total += m.to.size() + m.cc.size() + m.bcc.size();
    if (recipients_total > Limits::kListItems * 2 && !recipients_capped) {
      recipients_capped = true;
      d.error(f.pos(), "send: more than " + std::to_string(Limits::kListItems * 2) +
                           " recipients in all is too many for a lesson");
    }
    if (auto x = f.get("subject"); x.present)
      if (auto s = read_text(d, x)) m.subject = *s;
    if (f.has("body") && f.has("size")) {
      d.error(f.key_pos("size"), "size: give either body: (the text) or size: (generated text of "
                                 "that size), not both");
    } else {
      if (auto x = f.get("body"); x.present)
        if (auto s = read_text(d, x)) m.body = *s;
      if (auto x = f.get("size"); x.present)
        if (auto n = read_size(d, x)) {
          if (*n == 0) d.error(x.pos, "size: must be more than 0");
          m.size = *n;
        }
    }
    if (auto x = f.get("raw_body"); x.present) {
      // Exact bytes, for hostile input (SMTP smuggling): YAML's "\r" and "\n" escapes give bare
      // CR / LF; the client sends them as they are (see OutgoingMessage::raw).
      if (f.has("body") || f.has("size"))
        d.error(x.pos, "raw_body: give either raw_body: (exact bytes) or body:/size:, not both");
      else if (auto s = read_text(d, x)) {
        m.raw_body = *s;
        m.raw = true;
      }
    }
    if (auto x = f.get("via"); x.present)
      if (auto h = read_host_name(d, x)) m.via = *h;
    if (auto x = f.get("dsn"); x.present) read_dsn(d, x, m.dsn);
    if (auto x = f.get("headers"); x.present) {
      if (!x.is_map()) {
        d.error(x.pos, "headers: expected header names with values (like X-Priority: 1), got " +
                           shown(x.node));
      } else {
        static const std::vector<std::string> own{"from", "to", "cc", "bcc", "subject"};
        for (auto it = x.node.begin(); it != x.node.end(); ++it) {
          Val k = val_of(it->first, "headers");
          Val val = val_of(it->second, "headers");
          if (it->second.IsNull()) val.pos = k.pos;
          auto name = read_text(d, k);
          if (!name) continue;
          bool ok = !name->empty() && name->size() <= 76;
          for (char c : *name)
            if (c < 33 || c > 126 || c == ':') ok = false;
          if (!ok) {
            d.error(k.pos, "headers: '" + *name + "' is not a header field name (printable "
                                                  "characters without ':' or spaces)");
            continue;
          }
          if (std::find(own.begin(), own.end(), to_lower(*name)) != own.end()) {
            d.error(k.pos, "headers: " + *name + " has its own key: write " + to_lower(*name) +
                               ": instead");
            continue;
          }
          auto value = read_text(d, val);
          if (!value) continue;
          if (value->find_first_of("\r\n") != std::string::npos) {
            d.error(val.pos, "headers: the value of " + *name + " must be one line");
            continue;
          }
          m.headers.emplace_back(*name, *value);
        }
      }
    }
    if (auto x = f.get("repeat"); x.present)
      if (auto r = read_int(d, x, 1, 100000)) m.repeat = int(*r);
    if (auto x = f.get("every"); x.present) {
      if (!f.has("repeat"))
        d.error(x.pos, "every: goes with repeat: (like repeat: 10, every: 1s)");
      else if (auto t = read_duration(d, x))
        m.every = *t;
    }
    if (auto x = f.get("unknown_ok"); x.present)
      if (auto b = read_bool(d, x)) m.unknown_ok = *b;
    if (auto x = f.get("after_event"); x.present) {
      if (f.has("repeat"))
        d.error(x.pos, "after_event: places one message exactly; it does not go with repeat:");
      else if (auto k = read_int(d, x, 0, std::numeric_limits<std::int64_t>::max()))
        m.after_event = std::uint64_t(*k);
    }
    // a message with errors is kept too: its names are still cross-checked
    spec.messages.push_back(std::move(m));
  }
}

void Loader::read_timeline(const Val& v) {
  if (v.is_null() || too_many(d, v, Limits::kTimeline, "timeline entries")) return;
  if (!v.is_list()) {
    d.error(v.pos, "timeline: expected a list of timed actions (like - { at: 30s, crash: mx1 }), "
                   "got " + shown(v.node));
    return;
  }
  static const std::vector<std::string> actions{"link", "crash", "restart", "behaviour", "dns", "retry"};
  for (const YAML::Node& n : v.node) {
    TimelineEntry e;
    Fields f(d, val_of(n, "timeline entry"), KeyPlace::Timeline, &e.src);
    if (!f.ok()) continue;
    auto suggested = f.check();
    bool typo_action = false;  // a misspelt action key is reported once, as a typo
    for (const std::string& k : suggested)
      if (std::find(actions.begin(), actions.end(), k) != actions.end() || k == "behavior" ||
          k == "note")
        typo_action = true;
    if (auto x = f.get("at"); x.present) {
      if (auto t = read_time(d, x)) e.at = *t;
    } else {
      d.error(f.pos(), "timeline entry: has no at: (when it happens, like at: 30s)");
    }
    if (auto x = f.get("note"); x.present)
      if (auto s = read_prose(d, x)) e.note = *s;
    if (auto x = f.get("after_event"); x.present)
      if (auto k = read_int(d, x, 0, std::numeric_limits<std::int64_t>::max())) e.after_event = std::uint64_t(*k);
    bool behaviour = f.has("behaviour") || f.has("behavior");
    if (f.has("behaviour") && f.has("behavior"))
      d.error(f.key_pos("behavior"), "behavior: is the same as behaviour:; give only one");
    std::vector<std::string> given;
    for (const std::string& a : actions)
      if (a == "behaviour" ? behaviour : f.has(a)) given.push_back(a);
    if (given.size() > 1) {
      d.error(f.pos(), "timeline entry: has more than one action (" + join_list(given) +
                           "); write one entry per action");
      continue;
    }
    // keys that only belong to one kind of action
    for (const char* k : {"state", "latency", "bandwidth", "loss"})
      if (f.has(k) && !f.has("link"))
        d.error(f.key_pos(k), std::string(k) + ": only applies to a link action (add link: [a, b])");
    if (f.has("host") && !behaviour && !f.has("retry"))
      d.error(f.key_pos("host"), "host: goes with behaviour: or retry: (to crash a host write crash: " +
                                     (f.get("host").is_scalar() ? f.get("host").text()
                                                                : std::string("name")) + ")");
    if (given.empty()) {
      if (!f.has("note")) {
        if (!typo_action)
          d.error(f.pos(), "timeline entry: has no action (link, crash, restart, behaviour, dns, retry "
                           "or note)");
      } else if (e.note.empty()) {
        d.error(e.src.at("note"), "note: is empty");
      }
      spec.timeline.push_back(std::move(e));
      continue;
    }
    const std::string& what = given[0];
    if (what == "link") {
      LinkAction a;
      if (auto p = read_pair(d, f.get("link"), "host names")) {
        auto x = read_host_name(d, p->first), y = read_host_name(d, p->second);
        if (x) a.a = *x;
        if (y) a.b = *y;
      }
      if (auto x = f.get("state"); x.present)
        if (auto s = read_enum<bool>(d, x, {{"up", true}, {"down", false}})) a.up = *s;
      if (auto x = f.get("latency"); x.present)
        if (auto t = read_duration(d, x)) a.latency = *t;
      if (auto x = f.get("bandwidth"); x.present)
        if (auto b = read_bandwidth(d, x)) a.bandwidth_bps = *b;
      if (auto x = f.get("loss"); x.present)
        if (auto l = read_loss(d, x)) a.loss = *l;
      if (!f.has("state") && !f.has("latency") && !f.has("bandwidth") && !f.has("loss"))
        d.error(f.key_pos("link"), "link: says nothing to change (add state: down, or latency:, "
                                   "bandwidth:, loss:)");
      e.action = a;
    } else if (what == "crash" || what == "restart") {
      HostAction a;
      a.op = what == "crash" ? HostAction::Op::Crash : HostAction::Op::Restart;
      if (auto h = read_host_name(d, f.get(what))) a.host = *h;
      e.action = a;
    } else if (what == "behaviour") {
      Val bv = f.get(f.has("behaviour") ? "behaviour" : "behavior");
      if (f.has("behavior")) e.src.keys["behaviour"] = bv.pos;
      std::optional<BehaviourChange> b = read_behaviour(d, bv);
      if (!f.has("host"))
        d.error(f.pos(), "timeline entry: behaviour: needs host: (the host that changes)");
      else if (auto h = read_host_name(d, f.get("host")); h && b)
        b->host = *h;
      if (b) e.action = *b;
    } else if (what == "dns") {
      if (auto a = read_dns_action(*this, f.get("dns"), e.src)) e.action = *a;
    } else if (what == "retry") {
      RetryAction a;
      Val rv = f.get("retry");
      if (!rv.is_scalar())
        d.error(rv.pos, "retry: expected a preset (story, sendmail, postfix, exim), got " + shown(rv.node));
      else if (auto p = read_enum<RetryPreset>(d, rv, retry_presets()))
        a.preset = *p;
      if (!f.has("host"))
        d.error(f.pos(), "timeline entry: retry: needs host: (the sending host whose schedule changes)");
      else if (auto h = read_host_name(d, f.get("host")))
        a.host = *h;
      e.action = a;
    }
    spec.timeline.push_back(std::move(e));  // kept after errors too: its names are still checked
  }
  std::stable_sort(spec.timeline.begin(), spec.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
}

}  // namespace smtpsim::scenario::detail
