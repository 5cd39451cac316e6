// scenario_reader.cpp - diagnostics collection and typed, position-aware reading of YAML values.
#include "sim/scenario/scenario_reader.hpp"

#include <algorithm>
#include <cctype>

#include "sim/scenario/scenario_suggest.hpp"
#include "sim/scenario/scenario_units.hpp"

namespace smtpsim::scenario::detail {

namespace {

// normalise_word - lower case, '-' and ' ' read as '_': how enum values are compared.
std::string normalise_word(std::string_view s) {
  std::string out = to_lower(s);
  for (char& c : out)
    if (c == '-' || c == ' ') c = '_';
  return out;
}

// expected - the common "name: expected X, got Y" message.
std::string expected(const Val& v, std::string_view what) {
  return v.name + ": expected " + std::string(what) + ", got " + shown(v.node);
}

// scalar_or_report - the scalar text of v, or report "expected <what>" and return nullopt.
std::optional<std::string> scalar_or_report(Diags& d, const Val& v, std::string_view what) {
  if (!v.is_scalar()) {
    d.error(v.pos, v.present ? expected(v, what) : v.name + ": expected " + std::string(what) +
                                                       ", got nothing");
    return std::nullopt;
  }
  return v.node.Scalar();
}

// parse_integer - an optionally signed decimal integer (no overflow), nullopt otherwise.
std::optional<std::int64_t> parse_integer(std::string_view s) {
  bool neg = false;
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return std::nullopt;
  std::int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (v > (INT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

// duration_hint - a hint for a text that is almost a duration ("15" -> add a unit, "1.5h").
std::string duration_hint(std::string_view s) {
  if (parse_integer(s)) return " (add a unit: us, ms, s, m, h or d)";
  if (s.find('.') != std::string_view::npos) return " (whole numbers only: write 1h30m for 1.5h)";
  if (s.find(' ') != std::string_view::npos) return " (no spaces: write 1h5m)";
  return "";
}

}  // namespace

void Diags::error(SourcePos at, std::string message) {
  if (errors_ >= kMaxErrors) {
    capped_ = true;
    return;
  }
  ++errors_;
  list_.push_back({file_, at.line, at.column, std::move(message), Severity::Error});
  derived_.push_back(false);
}

void Diags::derived(SourcePos at, std::string message) {
  std::size_t before = list_.size();
  error(at, std::move(message));
  if (list_.size() > before) derived_.back() = true;
}

void Diags::warning(SourcePos at, std::string message) {
  if (list_.size() >= 2 * kMaxErrors) return;
  list_.push_back({file_, at.line, at.column, std::move(message), Severity::Warning});
  derived_.push_back(false);
}

std::vector<Diagnostic> Diags::sorted() const {
  std::vector<std::size_t> order(list_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const Diagnostic &a = list_[x], &b = list_[y];
    if (derived_[x] != derived_[y]) return !derived_[x];
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  std::vector<Diagnostic> out;
  out.reserve(order.size() + 1);
  for (std::size_t i : order) out.push_back(list_[i]);
  if (capped_)
    out.push_back({file_, 0, 0,
                   "too many errors; stopped after " + std::to_string(kMaxErrors),
                   Severity::Error});
  return out;
}

SourcePos pos_of(const YAML::Node& n) {
  if (!n.IsDefined()) return {};
  YAML::Mark m = n.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

std::string shown(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  std::string s = n.Scalar();
  if (s.empty()) return "an empty text";
  std::string out;
  for (char c : s) {
    if (out.size() >= 40) {
      out += "...";
      break;
    }
    if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  return "'" + out + "'";
}

Val val_of(const YAML::Node& n, std::string name) {
  Val v;
  v.node = n;
  v.pos = pos_of(n);
  v.name = std::move(name);
  v.present = n.IsDefined();
  return v;
}

Fields::Fields(Diags& d, const Val& map, KeyPlace place, SourceInfo* src)
    : d_(d), place_(place), src_(src), pos_(map.pos) {
  if (src_) src_->pos = pos_;
  if (map.is_null()) return;  // an empty map: required keys are reported by the reader
  if (!map.is_map()) {
    d_.error(map.pos, expected(map, std::string("a map of keys (key: value) for the ") +
                                        place_name(place)));
    ok_ = false;
    return;
  }
  std::vector<Entry> merged;  // from YAML merge keys (<<: *anchor), lower priority
  for (auto it = map.node.begin(); it != map.node.end(); ++it) {
    const YAML::Node k = it->first;  // a copy: it-> returns a temporary proxy
    SourcePos kp = pos_of(k);
    if (!k.IsScalar()) {
      d_.error(kp, "keys must be plain words, got " + shown(k));
      continue;
    }
    std::string key = k.Scalar();
    const YAML::Node value = it->second;
    SourcePos vp = value.IsNull() ? kp : pos_of(value);
    if (key == "<<") {
      std::vector<YAML::Node> sources;
      if (value.IsMap()) sources.push_back(value);
      else if (value.IsSequence())
        for (const YAML::Node& e : value) sources.push_back(e);
      bool bad = sources.empty();
      for (const YAML::Node& s : sources) {
        if (!s.IsMap()) {
          bad = true;
          continue;
        }
        for (auto mit = s.begin(); mit != s.end(); ++mit)
          if (mit->first.IsScalar())
            merged.push_back({mit->first.Scalar(), mit->second, pos_of(mit->first),
                              mit->second.IsNull() ? pos_of(mit->first) : pos_of(mit->second)});
      }
      if (bad) d_.error(kp, "<<: merges a map (like <<: *defaults), got " + shown(value));
      continue;
    }
    if (const Entry* first = find(key)) {
      d_.error(kp, "duplicate key '" + key + "' (already given at line " +
                       std::to_string(first->key_pos.line) + ")");
      continue;
    }
    entries_.push_back({key, value, kp, vp});
  }
  for (Entry& e : merged)
    if (!find(e.key)) entries_.push_back(std::move(e));
}

const Fields::Entry* Fields::find(std::string_view key) const {
  for (const Entry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

bool Fields::has(std::string_view key) const { return find(key) != nullptr; }

Val Fields::get(std::string_view key) {
  Val v;
  v.name = std::string(key);
  const Entry* e = find(key);
  if (!e) {
    v.pos = pos_;
    return v;
  }
  v.node = e->value;
  v.pos = e->value_pos;
  v.present = true;
  if (src_) src_->keys[std::string(key)] = e->value_pos;
  return v;
}

SourcePos Fields::key_pos(std::string_view key) const {
  const Entry* e = find(key);
  return e ? e->key_pos : pos_;
}

std::vector<std::string> Fields::written() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.key);
  return out;
}

std::vector<std::string> Fields::check(
    const std::vector<std::string>& valid,
    const std::function<std::optional<std::string>(const std::string&)>& explain) {
  std::vector<std::string> suggested;
  for (const Entry& e : entries_) {
    if (std::find(valid.begin(), valid.end(), e.key) != valid.end()) continue;
    if (explain) {
      if (auto msg = explain(e.key)) {
        d_.error(e.key_pos, *msg);
        continue;
      }
    }
    std::string near = closest(e.key, valid);
    std::string hint = near.empty() ? " (valid keys: " + join_list(valid, 40) + ")"
                                    : " (did you mean '" + near + "'?)";
    if (!near.empty()) suggested.push_back(near);
    d_.error(e.key_pos, "unknown key '" + e.key + "' in " + place_name(place_) + hint);
  }
  return suggested;
}

bool too_many(Diags& d, const Val& v, std::size_t max, const char* what) {
  if (!v.present || (!v.node.IsSequence() && !v.node.IsMap()) || v.node.size() <= max) return false;
  d.error(v.pos, v.name + ": " + std::to_string(v.node.size()) + " " + what + " is too many (a "
                 "lesson may have at most " + std::to_string(max) + ")");
  return true;
}

std::vector<Val> items(Diags& d, const Val& v, bool one_ok, SourceInfo* src) {
  std::vector<Val> out;
  if (v.is_null()) return out;
  if (too_many(d, v, Limits::kListItems, "entries")) return out;
  if (v.is_list()) {
    std::size_t i = 0;
    for (const YAML::Node& e : v.node) {
      Val item = val_of(e, v.name);
      if (e.IsNull()) item.pos = v.pos;
      if (src) src->keys[v.name + "[" + std::to_string(i) + "]"] = item.pos;
      out.push_back(item);
      ++i;
    }
    return out;
  }
  if (one_ok && v.is_scalar()) {
    out.push_back(v);
    return out;
  }
  d.error(v.pos, expected(v, one_ok ? "one value or a list like [a, b]" : "a list like [a, b]"));
  return out;
}

std::optional<std::string> read_text(Diags& d, const Val& v) {
  return scalar_or_report(d, v, "text");
}

std::optional<std::string> read_prose(Diags& d, const Val& v) {
  auto s = read_text(d, v);
  if (s) {
    const std::size_t end = s->find_last_not_of(" \t\r\n");
    s->erase(end == std::string::npos ? 0 : end + 1);
  }
  return s;
}

std::optional<std::string> read_host_name(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a host name like mx1.b.example");
  if (!s) return std::nullopt;
  if (!valid_host_name(*s)) {
    d.error(v.pos, v.name + ": '" + *s +
                       "' is not a valid host name (use letters, digits, '-', '_' and dots)");
    return std::nullopt;
  }
  return to_lower(*s);
}

std::optional<std::string> read_domain_name(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a domain name like b.example");
  if (!s) return std::nullopt;
  if (s->find('@') != std::string::npos) {
    d.error(v.pos, v.name + ": '" + *s + "' is an address, not a domain (write just the part after @)");
    return std::nullopt;
  }
  if (!valid_host_name(*s) || s->find('.') == std::string::npos) {
    d.error(v.pos, v.name + ": '" + *s + "' is not a valid domain name (like b.example)");
    return std::nullopt;
  }
  return to_lower(*s);
}

std::optional<std::string> read_address(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "an email address like b@b.example");
  if (!s) return std::nullopt;
  std::string a = *s;
  if (a.size() > 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
  if (!valid_address(a)) {
    d.error(v.pos, v.name + ": '" + *s + "' is not an email address (like b@b.example)");
    return std::nullopt;
  }
  return to_lower(a);
}

std::optional<bool> read_bool(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "true or false");
  if (!s) return std::nullopt;
  std::string l = to_lower(*s);
  if (l == "true" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "no" || l == "off") return false;
  d.error(v.pos, expected(v, "true or false"));
  return std::nullopt;
}

std::optional<std::int64_t> read_int(Diags& d, const Val& v, std::int64_t min, std::int64_t max) {
  auto s = scalar_or_report(d, v, "a whole number");
  if (!s) return std::nullopt;
  auto n = parse_integer(*s);
  if (!n) {
    d.error(v.pos, expected(v, "a whole number"));
    return std::nullopt;
  }
  if (*n < min || *n > max) {
    d.error(v.pos, v.name + ": " + *s + " is out of range (" + std::to_string(min) + " to " +
                       std::to_string(max) + ")");
    return std::nullopt;
  }
  return n;
}

std::optional<std::uint64_t> read_uint64(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a whole number");
  if (!s) return std::nullopt;
  std::uint64_t n = 0;
  bool ok = !s->empty() && s->size() <= 20;
  for (char c : *s) {
    if (c < '0' || c > '9') {
      ok = false;
      break;
    }
    std::uint64_t next = n * 10 + std::uint64_t(c - '0');
    if (next / 10 != n) {
      ok = false;
      break;
    }
    n = next;
  }
  if (!ok) {
    d.error(v.pos, expected(v, "a whole number (0 or more)"));
    return std::nullopt;
  }
  return n;
}

std::optional<double> read_number(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a number");
  if (!s) return std::nullopt;
  std::string t = *s;
  bool neg = !t.empty() && t[0] == '-';
  if (neg) t = t.substr(1);
  auto n = parse_loss(t);  // plain decimal without a unit
  if (!n || t.find('%') != std::string::npos) {
    d.error(v.pos, expected(v, "a number"));
    return std::nullopt;
  }
  return neg ? -*n : *n;
}

std::optional<Duration> read_duration(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a duration like 15m or 250ms");
  if (!s) return std::nullopt;
  if (!s->empty() && (*s)[0] == '-') {
    d.error(v.pos, v.name + ": cannot be negative, got '" + *s + "'");
    return std::nullopt;
  }
  auto r = parse_duration(*s);
  if (!r) {
    d.error(v.pos, expected(v, "a duration like 15m or 250ms") + duration_hint(*s));
    return std::nullopt;
  }
  return r;
}

std::optional<SimTime> read_time(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a time since the start like 30s or 1h5m");
  if (!s) return std::nullopt;
  if (!s->empty() && (*s)[0] == '-') {
    d.error(v.pos, v.name + ": cannot be negative (times count from the start of the run), got '" +
                       *s + "'");
    return std::nullopt;
  }
  std::string t = *s;
  if (!t.empty() && t[0] == '+') t = t.substr(1);
  auto r = parse_duration(t);
  if (!r) {
    d.error(v.pos, expected(v, "a time since the start like 30s or 1h5m") + duration_hint(t));
    return std::nullopt;
  }
  return r;
}

std::optional<std::uint64_t> read_size(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a size like 10KB or 2MB");
  if (!s) return std::nullopt;
  if (!s->empty() && (*s)[0] == '-') {
    d.error(v.pos, v.name + ": cannot be negative, got '" + *s + "'");
    return std::nullopt;
  }
  auto r = parse_size(*s);
  if (!r) {
    d.error(v.pos, expected(v, "a size like 10KB or 2MB"));
    return std::nullopt;
  }
  return r;
}

std::optional<std::uint64_t> read_bandwidth(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a bandwidth like 10Mbit or 1Gbit");
  if (!s) return std::nullopt;
  if (*s == "0" || to_lower(*s) == "unlimited") return std::uint64_t{0};
  if (!s->empty() && (*s)[0] == '-') {
    d.error(v.pos, v.name + ": cannot be negative, got '" + *s + "'");
    return std::nullopt;
  }
  auto r = parse_bandwidth(*s);
  if (!r) {
    std::string hint;
    if (auto bits = bytes_per_second_hint(*s))
      hint = " (bandwidth is in bits per second: " + *s + " is " + *bits + ")";
    else if (parse_integer(*s))
      hint = " (add a unit: bit, kbit, Mbit or Gbit)";
    d.error(v.pos, expected(v, "a bandwidth like 10Mbit or 1Gbit") + hint);
    return std::nullopt;
  }
  if (*r == 0) return std::uint64_t{0};
  return r;
}

std::optional<double> read_loss(Diags& d, const Val& v) {
  auto s = scalar_or_report(d, v, "a loss rate from 0 to 1 or a percentage like 1%");
  if (!s) return std::nullopt;
  if (!s->empty() && (*s)[0] == '-') {
    d.error(v.pos, v.name + ": cannot be negative, got '" + *s + "'");
    return std::nullopt;
  }
  auto r = parse_loss(*s);
  if (!r) {
    d.error(v.pos, expected(v, "a loss rate from 0 to 1 or a percentage like 1%"));
    return std::nullopt;
  }
  if (*r > 1.0) {
    bool pct = s->find('%') != std::string::npos;
    d.error(v.pos, v.name + ": " + *s + " is more than " + (pct ? "100%" : "1") +
                       " (write a probability from 0 to 1, or a percentage like 1%)");
    return std::nullopt;
  }
  return r;
}

std::optional<std::pair<Val, Val>> read_pair(Diags& d, const Val& v, const char* what) {
  if (!v.is_list()) {
    d.error(v.pos, expected(v, std::string("two ") + what + " like [a, b]"));
    return std::nullopt;
  }
  if (v.node.size() != 2) {
    d.error(v.pos, v.name + ": expected two " + what + " like [a, b], got " +
                       std::to_string(v.node.size()) + (v.node.size() == 1 ? " entry" : " entries"));
    return std::nullopt;
  }
  return std::make_pair(val_of(v.node[0], v.name), val_of(v.node[1], v.name));
}

std::optional<std::size_t> read_choice(Diags& d, const Val& v,
                                       const std::vector<std::string>& choices) {
  std::string list = join_list(choices, 40);
  auto s = scalar_or_report(d, v, "one of " + list);
  if (!s) return std::nullopt;
  std::string w = normalise_word(*s);
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (w == choices[i]) return i;
  d.error(v.pos, expected(v, "one of " + list) + did_you_mean(w, choices));
  return std::nullopt;
}

}  // namespace smtpsim::scenario::detail
