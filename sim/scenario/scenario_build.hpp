// scenario_build.hpp - turning a loaded lesson (ScenarioSpec) into a running World: hosts, links,
// DNS zones, mailboxes and the roles, exactly as the file describes them.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/roles/world.hpp"
#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// BuiltWorld - the world plus what the runner needs to find again (stores, host ids).
struct BuiltWorld {
  std::unique_ptr<World> world;
  std::map<std::string, std::shared_ptr<mail::Directory>> directories;  // MDA host -> its users
  std::map<std::string, std::shared_ptr<mail::MailboxStore>> stores;    // MDA host -> its mailboxes
  std::map<std::string, HostId> hosts;
  // links - each written link under both orders of its ends: its network link, or the two halves
  // a <-> mitm <-> b when a mitm sits on it.
  std::map<std::pair<std::string, std::string>, std::vector<LinkId>> links;
  // mitms_added - the men in the middle put on written links at run time (timeline `mitm:`): the
  // link's ends as written -> the host made for it (it stays, down, once taken off).
  std::map<std::pair<std::string, std::string>, HostId> mitms_added;

  // links_between - the network links that make up the written link a <-> b (empty: none).
  std::vector<LinkId> links_between(const std::string& a, const std::string& b) const;
};

// to_retry_preset - the roles' schedule for a lesson's retry spec.
smtpsim::RetrySchedule to_retry_preset(const RetrySpec& r);

// build_world - everything the spec describes, not yet started. Throws std::runtime_error with a
// `file:line:column: message` text if the spec asks for something the simulator cannot build.
BuiltWorld build_world(const ScenarioSpec& spec, std::uint64_t seed);

}  // namespace smtpsim::scenario
