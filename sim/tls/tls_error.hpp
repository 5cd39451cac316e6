// tls_error.hpp - the tls area's exception type and OpenSSL error-queue text.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace smtpsim::tls {

// TlsError - a TLS/PKI setup step failed (bad PEM, OpenSSL refused a key, a bad host name, ...).
// Handshake and record failures are not thrown: a Session reports them as its state and error().
class TlsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// openssl_errors - drain this thread's OpenSSL error queue into "reason; reason" ("" if empty).
std::string openssl_errors();

// throw_openssl - throw TlsError("<what>: <queued OpenSSL errors>").
[[noreturn]] void throw_openssl(std::string_view what);

}  // namespace smtpsim::tls
