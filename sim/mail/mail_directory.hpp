// mail_directory.hpp - local users: addresses -> mailbox, logins and passwords. The MDA asks it who
// a recipient is; the POP3 server asks it whether a login and password (or APOP secret) are right.
//
// Address rules (RFC 5321 section 2.4, and what Postfix/Dovecot do by default):
//  * the domain is case-insensitive; the local part is case-insensitive unless configured otherwise
//    (RFC 5321 lets the receiving host decide; practically every system folds case);
//  * "postmaster" is recognised in any case, with or without a domain (RFC 5321 4.1.1.3);
//  * plus-addressing (optional): "b+lists@b.example" reaches b@b.example when no exact entry exists;
//  * aliases map one address to another (e.g. postmaster -> a real user), followed up to 8 hops.
#pragma once
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::mail {

// User - one local account.
struct User {
  std::string login;                   // POP3 login name ("b@b.example" by default)
  std::string password;                // kept in clear: APOP needs the shared secret
  std::string mailbox;                 // mailbox name in the store
  std::vector<std::string> addresses;  // canonical addresses delivered to this mailbox
};

// AddressOptions - how local parts are matched.
struct AddressOptions {
  bool case_insensitive_local = true;
  std::string plus_separators = "+";   // characters that start a detail ("" switches the feature off)
};

enum class LookupStatus : unsigned char {
  Found,          // user is set
  UnknownUser,    // the domain is local but nobody has this address
  UnknownDomain,  // the domain is not delivered here
  Invalid,        // not an address (no '@', empty parts, too long, control characters)
  AliasLoop,      // aliases point in a circle (or deeper than 8)
};
const char* to_string(LookupStatus s);

// Lookup - the answer for one recipient address.
struct Lookup {
  LookupStatus status = LookupStatus::Invalid;
  const User* user = nullptr;
  std::string address;   // the canonical form of the address asked about
  std::string detail;    // why, for anything but Found
  bool found() const { return status == LookupStatus::Found; }
};

class Directory {
 public:
  explicit Directory(AddressOptions opts = {});

  // add_domain - mail for this domain is delivered here.
  void add_domain(std::string_view domain);
  // is_local_domain - the domain (any case, trailing dot allowed) is delivered here.
  bool is_local_domain(std::string_view domain) const;
  // add_user - an account receiving mail for address (its domain becomes local). login defaults to
  // the canonical address, mailbox to the canonical address too. Re-adding a login replaces it.
  const User& add_user(std::string_view address, std::string_view password, std::string_view login = {},
                       std::string_view mailbox = {});
  // add_address - one more address for the user with this login; false if no such user/bad address.
  bool add_address(std::string_view login, std::string_view address);
  // add_alias - mail for alias goes to target (a local address, or another alias).
  bool add_alias(std::string_view alias, std::string_view target);
  // set_password - change a user's password (false if there is no such login).
  bool set_password(std::string_view login, std::string_view password);

  // lookup - who receives mail for address ("<...>" brackets allowed).
  Lookup lookup(std::string_view address) const;
  // find_login - the account with this login name (case as the address options say), or null.
  const User* find_login(std::string_view login) const;
  // check_password - login exists and password matches exactly.
  bool check_password(std::string_view login, std::string_view password) const;

  // canonical_address - lower-case domain without a trailing dot; local part folded if configured;
  // "" when the text is not an address.
  std::string canonical_address(std::string_view address) const;

  const std::deque<User>& users() const { return users_; }
  const AddressOptions& options() const { return opts_; }

 private:
  std::string login_key(std::string_view login) const;
  Lookup resolve(const std::string& canonical, int depth) const;

  AddressOptions opts_;
  std::vector<std::string> domains_;                            // in order added
  std::deque<User> users_;                                      // stable addresses
  std::map<std::string, std::size_t, std::less<>> by_address_;  // canonical address -> users_ index
  std::map<std::string, std::size_t, std::less<>> by_login_;    // login key -> users_ index
  std::map<std::string, std::string, std::less<>> aliases_;     // canonical alias -> target
};

}  // namespace smtpsim::mail
