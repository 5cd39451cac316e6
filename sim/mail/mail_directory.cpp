// mail_directory.cpp - local users, address canonicalisation, aliases and password checks.
#include "sim/mail/mail_directory.hpp"
#include "sim/core/ascii.hpp"

#include <algorithm>

namespace smtpsim::mail {

namespace {

constexpr auto lower = ascii_lower_copy;
constexpr auto append_lower = append_ascii_lower;
constexpr auto same_folded = ascii_iequals;

// strip_brackets - "<a@b>" -> "a@b" (surrounding spaces dropped too).
std::string_view strip_brackets(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}


// domain_text - d without a trailing dot, or "" if it is not a plausible domain (any case kept).
std::string_view domain_text(std::string_view d) {
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  if (d.empty() || d.size() > 255) return {};
  for (unsigned char c : d) {
    if (c <= 0x20 || c >= 0x7F || c == '@' || c == '<' || c == '>') return {};
  }
  return d;
}

// canonical_domain - lower case without a trailing dot; "" if not a plausible domain.
std::string canonical_domain(std::string_view d) { return lower(domain_text(d)); }

}  // namespace

// to_string - names for lookup outcomes.
const char* to_string(LookupStatus s) {
  switch (s) {
    case LookupStatus::Found: return "found";
    case LookupStatus::UnknownUser: return "unknown user";
    case LookupStatus::UnknownDomain: return "unknown domain";
    case LookupStatus::Invalid: return "invalid address";
    case LookupStatus::AliasLoop: return "alias loop";
  }
  return "?";
}

// Directory - empty, with the given matching rules.
Directory::Directory(AddressOptions opts) : opts_(std::move(opts)) {}

// canonical_address - fold the domain (and the local part if configured); "" if not an address.
std::string Directory::canonical_address(std::string_view address) const {
  address = strip_brackets(address);
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return "";
  std::string_view local = address.substr(0, at);
  for (unsigned char c : local) {
    if (c < 0x20 || c == 0x7F) return "";
  }
  const std::string_view domain = domain_text(address.substr(at + 1));
  if (domain.empty()) return "";
  std::string canon;
  canon.reserve(local.size() + 1 + domain.size());
  if (opts_.case_insensitive_local || same_folded(local, "postmaster")) append_lower(canon, local);
  else canon.append(local);
  canon.push_back('@');
  append_lower(canon, domain);
  return canon;
}

// login_key - logins compare like addresses (or as a folded/unfolded bare name).
std::string Directory::login_key(std::string_view login) const {
  if (login.find('@') != std::string_view::npos) {
    std::string c = canonical_address(login);
    if (!c.empty()) return c;
  }
  return opts_.case_insensitive_local ? lower(login) : std::string(login);
}

// add_domain - remember a local domain once.
void Directory::add_domain(std::string_view domain) {
  std::string d = canonical_domain(domain);
  if (d.empty() || is_local_domain(d)) return;
  domains_.push_back(std::move(d));
}

// is_local_domain - case-insensitive membership.
bool Directory::is_local_domain(std::string_view domain) const {
  const std::string_view d = domain_text(domain);  // domains_ hold lower case: compare folded
  return !d.empty() &&
         std::any_of(domains_.begin(), domains_.end(), [d](const std::string& local) { return same_folded(local, d); });
}

// add_user - create (or update) an account and index its address and login.
const User& Directory::add_user(std::string_view address, std::string_view password, std::string_view login,
                                std::string_view mailbox) {
  const std::string canon = canonical_address(address);
  const std::string log = login.empty() ? (canon.empty() ? std::string(address) : canon) : std::string(login);
  const std::string key = login_key(log);
  std::size_t index;
  auto it = by_login_.find(key);
  if (it != by_login_.end()) {
    index = it->second;
  } else {
    index = users_.size();
    users_.emplace_back();
    by_login_.emplace(key, index);
  }
  User& u = users_[index];
  u.login = log;
  u.password = std::string(password);
  u.mailbox = !mailbox.empty() ? std::string(mailbox) : (!canon.empty() ? canon : log);
  if (!canon.empty()) {
    add_domain(canon.substr(canon.rfind('@') + 1));
    if (std::find(u.addresses.begin(), u.addresses.end(), canon) == u.addresses.end()) u.addresses.push_back(canon);
    by_address_[canon] = index;
  }
  return u;
}

// add_address - index one more address for an existing login.
bool Directory::add_address(std::string_view login, std::string_view address) {
  auto it = by_login_.find(login_key(login));
  const std::string canon = canonical_address(address);
  if (it == by_login_.end() || canon.empty()) return false;
  User& u = users_[it->second];
  add_domain(canon.substr(canon.rfind('@') + 1));
  if (std::find(u.addresses.begin(), u.addresses.end(), canon) == u.addresses.end()) u.addresses.push_back(canon);
  by_address_[canon] = it->second;
  return true;
}

// add_alias - alias -> target; both must be addresses (a bare "postmaster" means every local domain).
bool Directory::add_alias(std::string_view alias, std::string_view target) {
  const std::string t = canonical_address(target);
  if (t.empty()) return false;
  std::string_view a = strip_brackets(alias);
  if (lower(a) == "postmaster") {
    for (const auto& d : domains_) aliases_["postmaster@" + d] = t;
    aliases_["postmaster"] = t;
    return true;
  }
  const std::string c = canonical_address(a);
  if (c.empty()) return false;
  add_domain(c.substr(c.rfind('@') + 1));
  aliases_[c] = t;
  return true;
}

// set_password - replace the secret of one login.
bool Directory::set_password(std::string_view login, std::string_view password) {
  auto it = by_login_.find(login_key(login));
  if (it == by_login_.end()) return false;
  users_[it->second].password = std::string(password);
  return true;
}

// resolve - exact address, alias, then plus-detail stripping.
Lookup Directory::resolve(const std::string& canonical, int depth) const {
  Lookup r;
  r.address = canonical;
  if (depth > 8) {
    r.status = LookupStatus::AliasLoop;
    r.detail = "alias expansion deeper than 8 (loop?)";
    return r;
  }
  if (auto u = by_address_.find(canonical); u != by_address_.end()) {
    r.status = LookupStatus::Found;
    r.user = &users_[u->second];
    return r;
  }
  if (auto a = aliases_.find(canonical); a != aliases_.end()) {
    Lookup next = resolve(a->second, depth + 1);
    next.address = canonical;
    return next;
  }
  const std::size_t at = canonical.rfind('@');
  const std::string domain = canonical.substr(at + 1);
  if (!is_local_domain(domain)) {
    r.status = LookupStatus::UnknownDomain;
    r.detail = "domain " + domain + " is not delivered here";
    return r;
  }
  if (canonical.compare(0, at, "postmaster") == 0 && at == 10) {
    if (auto a = aliases_.find("postmaster"); a != aliases_.end()) {
      Lookup next = resolve(a->second, depth + 1);
      next.address = canonical;
      return next;
    }
  }
  if (!opts_.plus_separators.empty()) {
    const std::size_t sep = canonical.find_first_of(opts_.plus_separators);
    if (sep != std::string::npos && sep > 0 && sep < at) {
      Lookup base = resolve(canonical.substr(0, sep) + canonical.substr(at), depth + 1);
      if (base.found()) {
        base.address = canonical;
        return base;
      }
    }
  }
  r.status = LookupStatus::UnknownUser;
  r.detail = "no mailbox for " + canonical;
  return r;
}

// lookup - canonicalise, then resolve (a bare "postmaster" goes through its alias).
Lookup Directory::lookup(std::string_view address) const {
  std::string_view a = strip_brackets(address);
  if (a.find('@') == std::string_view::npos && lower(a) == "postmaster") {
    if (auto it = aliases_.find("postmaster"); it != aliases_.end()) {
      Lookup r = resolve(it->second, 1);
      r.address = "postmaster";
      return r;
    }
    Lookup r;
    r.status = LookupStatus::UnknownUser;
    r.address = "postmaster";
    r.detail = "no postmaster alias";
    return r;
  }
  const std::string canon = canonical_address(a);
  if (canon.empty()) {
    Lookup r;
    r.status = LookupStatus::Invalid;
    r.detail = "not a valid address";
    return r;
  }
  return resolve(canon, 0);
}

// find_login - the account for a login name.
const User* Directory::find_login(std::string_view login) const {
  auto it = by_login_.find(login_key(login));
  return it == by_login_.end() ? nullptr : &users_[it->second];
}

// check_password - exact comparison of the stored secret.
bool Directory::check_password(std::string_view login, std::string_view password) const {
  const User* u = find_login(login);
  return u != nullptr && u->password == password;
}

}  // namespace smtpsim::mail
