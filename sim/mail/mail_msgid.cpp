// mail_msgid.cpp - deterministic Message-ID and queue id generation.
#include "sim/mail/mail_msgid.hpp"

#include <cstdio>

namespace smtpsim::mail {

namespace {

// id_host - a host name usable as Message-ID id-right (dot-atom-text); "localhost" if unusable.
std::string id_host(std::string_view host) {
  std::string out;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == '_';
    out.push_back(ok ? c : '-');
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  while (!out.empty() && out.back() == '.') out.pop_back();
  for (std::size_t p; (p = out.find("..")) != std::string::npos;) out.erase(p, 1);
  return out.empty() ? std::string("localhost") : out;
}

}  // namespace

IdGenerator::IdGenerator(std::string host, Rng rng)
    : host_(id_host(host)), rng_(rng), salt_(rng_.next() & 0xFFFFF) {}

std::string IdGenerator::message_id(SimTime now, const MailClock& clock) {
  std::uint64_t n = msg_counter_++;
  unsigned r = unsigned(rng_.next() & 0xFFFF);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02llX%04X", static_cast<unsigned long long>(n), r);
  return "<" + clock.compact(now) + "." + buf + "@" + host_ + ">";
}

std::string IdGenerator::queue_id(SimTime now) {
  std::uint64_t n = queue_counter_++;
  SimTime us = now % 1000000;
  if (us < 0) us += 1000000;
  char buf[64];
  // the low 20 bits of the counter, XOR a fixed salt: a bijection, so the first 2^20 ids differ
  std::snprintf(buf, sizeof buf, "%05llX%05llX", static_cast<unsigned long long>(us),
                static_cast<unsigned long long>((n & 0xFFFFF) ^ salt_));
  std::string id = buf;
  if (n >> 20) {
    std::snprintf(buf, sizeof buf, "%llX", static_cast<unsigned long long>(n >> 20));
    id += buf;
  }
  return id;
}

}  // namespace smtpsim::mail
