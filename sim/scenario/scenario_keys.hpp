// scenario_keys.hpp - every key a lesson file may use, per place: what the loader checks unknown
// keys against (with "did you mean") and what the FORMAT.md test checks the documentation against.
#pragma once
#include <string>
#include <vector>

#include "sim/scenario/scenario_spec.hpp"

namespace smtpsim::scenario {

// KeyPlace - a kind of map in the file.
enum class KeyPlace : unsigned char {
  Top, Lesson, Until, Retry, RetryStage, Greylisting, Domain, MxEntry, User, Host, Layout, Link,
  Send, Dsn, Timeline, Behaviour, ReplyOverride, DnsAction, Narration, Matcher, Expect, Attempts,
};

// place_name - how messages name the place: "link", "host", "expectation", ...
const char* place_name(KeyPlace p);

// keys_of - the valid keys of a place (for Host: the keys every host has; see role_keys).
const std::vector<std::string>& keys_of(KeyPlace p);

// role_keys - the keys a host of this role accepts besides name, role, ip, layout.
const std::vector<std::string>& role_keys(Role r);

// all_places - every KeyPlace, for tests and documentation checks.
std::vector<KeyPlace> all_places();

// all_roles - every Role in declaration order.
std::vector<Role> all_roles();

// role_names - "mua", "msa", ... (file spellings, declaration order).
std::vector<std::string> role_names();

// behaviour_commands - the command names a reply override may use in a behaviour, for SMTP hosts
// and for POP3 hosts (lower case, as written in files).
const std::vector<std::string>& smtp_override_commands();
const std::vector<std::string>& pop3_override_commands();

}  // namespace smtpsim::scenario
