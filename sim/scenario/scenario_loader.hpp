// scenario_loader.hpp - internal to the loader: the state shared by the section readers
// (scenario_load_*.cpp) and the checks that run once every section is read (scenario_validate.cpp,
// scenario_resolve.cpp). Not part of the public API.
#pragma once
#include <map>
#include <set>
#include <string>

#include "sim/scenario/scenario_reader.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario::detail {

struct Loader {
  Loader(Diags& diags, ScenarioSpec& out) : d(diags), spec(out) {}
  Diags& d;
  ScenarioSpec& spec;
  std::set<std::string> broken_hosts;    // written but not fully readable: skip checks on them
  std::set<std::string> broken_domains;
  std::set<std::string> broken_users;
  bool hosts_read = false;               // `hosts` was a readable list
  int send_count = 0;                    // entries in `send` (readable or not)
  std::map<std::string, const UserSpec*> user_index;  // built once every section is read

  // --- sections (scenario_load_top.cpp) ---
  void read_lesson(const Val& v);
  void read_seed(const Val& v);
  void read_until(const Val& v);
  std::optional<RetrySpec> read_retry(const Val& v);
  // retry_presets - the preset names a lesson may write (retry:, and a timeline entry's retry:).
  static const std::vector<std::pair<std::string, RetryPreset>>& retry_presets();
  // --- topology (scenario_load_topology.cpp) ---
  void read_domains(const Val& v);
  void read_hosts(const Val& v);
  void read_links(const Val& v);
  std::vector<MxEntry> read_mx_list(const Val& v, SourceInfo* src);
  std::vector<AddressRecord> read_a_list(const Val& v, SourceInfo* src);
  // --- events (scenario_load_events.cpp) ---
  void read_send(const Val& v);
  void read_timeline(const Val& v);
  // --- lesson flow (scenario_load_expect.cpp) ---
  void read_narration(const Val& v);
  void read_expect(const Val& v);
  std::optional<EventMatcher> read_matcher(const Val& v);
  // message_ref - a `message:` value (index or id) as a send entry index; 0 after an error.
  int message_ref(const Val& v);

  // --- after every section (scenario_resolve.cpp, scenario_validate.cpp) ---
  void add_implicit_hosts();  // the `internet` router, cluster members
  void validate_references();
  // check_message / check_timeline_entry - one entry's references (validate_references runs them
  // on the file's; an --actions file's entries get the same checks, scenario_load_actions.cpp).
  void check_message(const MessageSpec& m);
  void check_timeline_entry(const TimelineEntry& e);
  // resolve_via - the mua that sends m when it names none (part of resolve()).
  void resolve_via(MessageSpec& m);
  void resolve();              // IPs, mailboxes, accepts, relay_for, ports, via, passwords
  void validate_semantics();   // connectivity, ports, timing

  // helpers for checks
  const HostSpec* host(std::string_view name) const { return spec.find_host(name); }
  // check_host - report an unknown host name at pos as "<key>: unknown host ..." (with a
  // suggestion); false when unknown or empty.
  bool check_host(const std::string& name, SourcePos pos, const std::string& key);
  // check_role - check_host, then the host's role must be one of `roles` (`need` says which).
  bool check_role(const std::string& name, SourcePos pos, const std::string& key,
                  std::initializer_list<Role> roles, const std::string& need);
  bool check_domain(const std::string& name, SourcePos pos, const std::string& key);
  // check_user - an address that must be a user of a known domain; `hint` ends the message.
  bool check_user(const std::string& address, SourcePos pos, const std::string& key,
                  const std::string& hint = "");
  std::vector<std::string> host_names() const;
  std::vector<std::string> domain_names() const;
  std::vector<std::string> user_addresses() const;
};

}  // namespace smtpsim::scenario::detail
