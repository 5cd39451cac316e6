// tls_error.cpp - turning OpenSSL's thread-local error queue into readable text.
#include "sim/tls/tls_error.hpp"

#include <openssl/err.h>

namespace smtpsim::tls {

// openssl_errors - drain the queue; each entry gives its reason string (or the full code text).
std::string openssl_errors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    const char* reason = ERR_reason_error_string(e);
    std::string text;
    if (reason) {
      text = reason;
    } else {
      char buf[256];
      ERR_error_string_n(e, buf, sizeof buf);
      text = buf;
    }
    if (out.find(text) != std::string::npos) continue;  // the same reason is often queued twice
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

// throw_openssl - attach the queued OpenSSL reasons to a setup failure.
void throw_openssl(std::string_view what) {
  std::string errs = openssl_errors();
  std::string msg(what);
  if (!errs.empty()) msg += ": " + errs;
  throw TlsError(msg);
}

}  // namespace smtpsim::tls
