// smtp_client_message.cpp - names of outcomes and stages; small helpers on message results.
#include "sim/smtp/smtp_client_message.hpp"

namespace smtpsim::smtp {

// to_string - outcome name as logs and exports print it.
const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Delivered: return "delivered";
    case Outcome::Deferred: return "deferred";
    case Outcome::Failed: return "failed";
  }
  return "?";
}

// to_string - stage name as logs and exports print it.
const char* to_string(Stage s) {
  switch (s) {
    case Stage::Connect: return "connect";
    case Stage::Greeting: return "greeting";
    case Stage::Ehlo: return "EHLO";
    case Stage::StartTls: return "STARTTLS";
    case Stage::Auth: return "AUTH";
    case Stage::Mail: return "MAIL";
    case Stage::Rcpt: return "RCPT";
    case Stage::Data: return "DATA";
    case Stage::EndOfData: return "end-of-data";
    case Stage::Timeout: return "timeout";
    case Stage::ConnectionLost: return "connection lost";
  }
  return "?";
}

// count - recipients with the given outcome.
std::size_t MessageResult::count(Outcome o) const {
  std::size_t n = 0;
  for (const auto& r : recipients)
    if (r.outcome == o) ++n;
  return n;
}

}  // namespace smtpsim::smtp
