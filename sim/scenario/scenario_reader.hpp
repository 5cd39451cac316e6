// scenario_reader.hpp - internal to the loader (includes yaml-cpp; not part of the public API):
// collecting diagnostics, and reading YAML nodes as typed values with positions and friendly
// messages ("latency: expected a duration like 15m or 250ms, got 'soon'").
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/scenario_keys.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario::detail {

// Diags - the diagnostics of one file; capped so a pathological file cannot flood memory.
class Diags {
 public:
  static constexpr std::size_t kMaxErrors = 500;
  explicit Diags(std::string file) : file_(std::move(file)) {}
  void error(SourcePos at, std::string message);
  // derived - an error that may follow from another one (no hosts: section when a key is
  // misspelt; unreachable hosts when a link was refused): listed after the other errors.
  void derived(SourcePos at, std::string message);
  void warning(SourcePos at, std::string message);
  std::size_t errors() const { return errors_; }
  const std::string& file() const { return file_; }
  // sorted - all diagnostics by position, derived errors after the rest (stable: same position
  // keeps report order).
  std::vector<Diagnostic> sorted() const;

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
  std::vector<bool> derived_;  // per entry of list_: reported with derived()
  std::size_t errors_ = 0;
  bool capped_ = false;
};

// pos_of - the 1-based position of a node (0:0 for nodes without a mark).
SourcePos pos_of(const YAML::Node& n);

// shown - how a node is quoted in messages: 'soon', a list, a map, nothing.
std::string shown(const YAML::Node& n);

// Val - one value to read: the node, where to report problems, the name messages use.
struct Val {
  YAML::Node node;
  SourcePos pos;
  std::string name;
  bool present = false;
  bool is_null() const { return !present || node.IsNull(); }
  bool is_scalar() const { return present && node.IsScalar(); }
  bool is_map() const { return present && node.IsMap(); }
  bool is_list() const { return present && node.IsSequence(); }
  std::string text() const { return is_scalar() ? node.Scalar() : std::string(); }
};

// val_of - a Val for a node that is not the value of a key (list entries, the root).
Val val_of(const YAML::Node& n, std::string name);

// Fields - the keys of one YAML map, in file order. Duplicate and non-text keys are reported when
// constructed; unknown keys by check(). get() records value positions into the SourceInfo.
class Fields {
 public:
  Fields(Diags& d, const Val& map, KeyPlace place, SourceInfo* src = nullptr);
  bool ok() const { return ok_; }  // false when the value was not a map (already reported)
  bool has(std::string_view key) const;
  Val get(std::string_view key);
  SourcePos key_pos(std::string_view key) const;
  SourcePos pos() const { return pos_; }
  std::vector<std::string> written() const;
  // check - reports every key not in `valid` with a suggestion; `explain` may return a better
  // message for a key (e.g. "'deliver_to' does not apply to role mua ..."). Returns the keys it
  // suggested instead, so a reader can skip "missing key" errors the typo already explains.
  std::vector<std::string> check(
      const std::vector<std::string>& valid,
      const std::function<std::optional<std::string>(const std::string&)>& explain = {});
  std::vector<std::string> check() { return check(keys_of(place_)); }

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    SourcePos key_pos;
    SourcePos value_pos;
  };
  const Entry* find(std::string_view key) const;
  Diags& d_;
  KeyPlace place_;
  SourceInfo* src_;
  SourcePos pos_;
  std::vector<Entry> entries_;
  bool ok_ = true;
};

// Limits - how big a lesson may be (a lesson is a page, not a data set; the checks stay fast).
struct Limits {
  static constexpr std::size_t kHosts = 1000, kLinks = 2000, kDomains = 500, kUsers = 5000,
                               kMessages = 5000, kTimeline = 5000, kNarration = 1000,
                               kExpect = 2000, kListItems = 5000;
};

// too_many - report and return true when a list or map has more than `max` entries.
bool too_many(Diags& d, const Val& v, std::size_t max, const char* what);

// items - the entries of a list (or a single value when `one_ok`), recorded as name[i] in src.
std::vector<Val> items(Diags& d, const Val& v, bool one_ok, SourceInfo* src = nullptr);

// --- typed readers: nullopt after reporting an error at v.pos ---
std::optional<std::string> read_text(Diags& d, const Val& v);
// read_prose - text people read (titles, narration, notes): as read_text, without the line end a
// YAML block (`text: >` or `|`) leaves at the end, which transcripts would show as <LF>.
std::optional<std::string> read_prose(Diags& d, const Val& v);
std::optional<std::string> read_host_name(Diags& d, const Val& v);    // lower-cased
std::optional<std::string> read_domain_name(Diags& d, const Val& v);  // lower-cased, has a dot
std::optional<std::string> read_address(Diags& d, const Val& v);      // lower-cased
std::optional<bool> read_bool(Diags& d, const Val& v);
std::optional<std::int64_t> read_int(Diags& d, const Val& v, std::int64_t min, std::int64_t max);
std::optional<std::uint64_t> read_uint64(Diags& d, const Val& v);
std::optional<double> read_number(Diags& d, const Val& v);
std::optional<Duration> read_duration(Diags& d, const Val& v);
std::optional<SimTime> read_time(Diags& d, const Val& v);  // a moment counted from the start
std::optional<std::uint64_t> read_size(Diags& d, const Val& v);
std::optional<std::uint64_t> read_bandwidth(Diags& d, const Val& v);
std::optional<double> read_loss(Diags& d, const Val& v);
std::optional<std::pair<Val, Val>> read_pair(Diags& d, const Val& v, const char* what);

// read_choice - one of `choices` (lower-cased, '-' read as '_'); returns the index.
std::optional<std::size_t> read_choice(Diags& d, const Val& v,
                                       const std::vector<std::string>& choices);

// read_enum - read_choice mapped onto a table of (spelling, value).
template <class E>
std::optional<E> read_enum(Diags& d, const Val& v,
                           const std::vector<std::pair<std::string, E>>& table) {
  std::vector<std::string> names;
  for (const auto& [n, e] : table) names.push_back(n);
  auto i = read_choice(d, v, names);
  if (!i) return std::nullopt;
  return table[*i].second;
}

}  // namespace smtpsim::scenario::detail
