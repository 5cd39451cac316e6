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

// append_hex - v in upper-case hex, zero-padded to at least `digits` digits (printf "%0*llX").
void append_hex(std::string& out, std::uint64_t v, int digits) {
  char buf[16];
  int n = 0;
  do {
    buf[n++] = "0123456789ABCDEF"[v & 0xF];
    v >>= 4;
  } while (v != 0);
  for (int pad = n; pad < digits; ++pad) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
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
  std::string id;
  id.reserve(15);
  append_hex(id, std::uint64_t(us), 5);
  // the low 20 bits of the counter, XOR a fixed salt: a bijection, so the first 2^20 ids differ
  append_hex(id, (n & 0xFFFFF) ^ salt_, 5);
  if (n >> 20) append_hex(id, n >> 20, 1);
  return id;
}

}  // namespace smtpsim::mail
