// smtp_server_data.cpp - receiving the message after 354: a streaming scanner that unstuffs dots,
// ends only at <CR><LF>.<CR><LF>, handles bare CR/LF per BareNewlineMode, counts Received:
// headers (loop detection), enforces the size limit without buffering beyond it, and at the end
// hands the message to the policy and answers.
//
// Choices: text lines longer than 1000 octets (RFC 5321 4.5.3.1.6) are accepted unchanged, with
// one Note per message - Postfix accepts them too, and refusing would lose mail that real MTAs
// deliver. NUL octets in content are accepted with one Note. A line that begins after a bare
// newline is never treated as a line start: no dot is removed there and it can never end DATA.
#include <algorithm>
#include <cctype>
#include <cstdint>

#include "sim/smtp/smtp_server.hpp"

namespace smtpsim::smtp {
namespace {

constexpr std::string_view kReceived = "Received:";

// iprefix - s starts with (a prefix of) p, case-insensitively, over min(len) octets.
bool iprefix_match(std::string_view s, std::string_view p) {
  std::size_t n = std::min(s.size(), p.size());
  for (std::size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(p[i])))
      return false;
  return true;
}

}  // namespace

// consume_data - scan buffered input; true when the message ended or the session closed.
bool SmtpServer::consume_data(SimTime now) {
  std::string_view s(in_);
  std::size_t i = in_pos_;
  const bool normalize = cfg_.bare_newline == BareNewlineMode::Normalize;
  while (i < s.size()) {
    if (rx_.line_start) {
      std::size_t avail = s.size() - i;
      if (s[i] == '.') {
        if (avail < 3 && (avail == 1 || s[i + 1] == '\r')) break;  // could still be ".\r\n"
        if (s.compare(i, 3, ".\r\n") == 0) {
          in_pos_ = i + 3;
          data_finish(now);
          return true;
        }
        ++i;  // dot-stuffing: the client doubled a leading '.'; drop one
        rx_.line_start = false;
        continue;
      }
      if (rx_.in_headers) {
        if (s[i] == '\r') {
          if (avail < 2) break;
          if (s[i + 1] == '\n') rx_.in_headers = false;  // the empty line ends the header section
        } else if (avail < kReceived.size() && iprefix_match(s.substr(i), kReceived)) {
          break;  // not enough octets yet to tell
        } else if (iprefix_match(s.substr(i, kReceived.size()), kReceived) && avail >= kReceived.size()) {
          ++rx_.received;
        }
      }
      rx_.line_start = false;
    }
    // Copy up to the next CR or LF.
    std::size_t j = i;
    while (j < s.size() && s[j] != '\r' && s[j] != '\n') ++j;
    if (j > i) {
      std::string_view chunk = s.substr(i, j - i);
      if (!rx_.nul_noted && chunk.find('\0') != std::string_view::npos) {
        rx_.nul_noted = true;
        note("message contains NUL octets (accepted unchanged)");
      }
      rx_.line_len += chunk.size();
      data_store(chunk);
      i = j;
      if (data_drop_check()) return true;
    }
    if (i >= s.size()) break;
    if (s[i] == '\r') {
      if (i + 1 >= s.size()) break;  // wait: CR may be the first half of CRLF
      if (s[i + 1] == '\n') {
        data_store("\r\n");
        i += 2;
        if (rx_.line_len + 2 > kMaxTextLine && !rx_.long_line_noted) {
          rx_.long_line_noted = true;
          note("message has a line of " + std::to_string(rx_.line_len) +
               " octets, over the 1000-octet limit of RFC 5321 4.5.3.1.6 (accepted unchanged)");
        }
        rx_.line_len = 0;
        rx_.line_start = true;
        idle_deadline_ = now + cfg_.data_timeout;
        if (data_drop_check()) return true;
        continue;
      }
    }
    // A bare CR (not followed by LF) or a bare LF.
    bool was_cr = s[i] == '\r';
    if (!rx_.bare_newline)
      error(std::string("bare ") + (was_cr ? "<CR>" : "<LF>") + " in message data after " +
            std::to_string(rx_.size) + " octets" +
            (normalize ? " (stored as <CR><LF>; not a line start)" : " (the message will be refused)"));
    rx_.bare_newline = true;
    if (normalize) data_store("\r\n");
    ++i;
    // Never a line start: a '.' after a bare newline is content.
  }
  in_pos_ = i;
  return false;
}

// data_store - keep message octets up to the size limit (none once the message is refused).
void SmtpServer::data_store(std::string_view bytes) {
  rx_.size += bytes.size();
  bool refused = rx_.too_big || (rx_.bare_newline && cfg_.bare_newline == BareNewlineMode::Reject);
  if (!refused && rx_.size > cfg_.max_message_size) {
    rx_.too_big = true;
    refused = true;
    note("message exceeds " + std::to_string(cfg_.max_message_size) + " octets; reading on to the end, storing nothing");
  }
  if (refused) {
    if (!rx_.message.empty()) std::string().swap(rx_.message);
    return;
  }
  rx_.message += bytes;
}

// data_drop_check - behaviour.drop_in_data: cut the connection once enough octets arrived.
bool SmtpServer::data_drop_check() {
  const auto& drop = policy_.behaviour.drop_in_data;
  if (!drop || rx_.size < *drop) return false;
  error("behaviour: dropping the connection in DATA after " + std::to_string(rx_.size) + " octets");
  close_session();
  return true;
}

// data_finish - the final "." arrived: decide, answer, go back to READY.
void SmtpServer::data_finish(SimTime now) {
  facts_.now = now;
  if (policy_.behaviour.drop_in_data) {  // shorter than the drop point: drop at the dot, unanswered
    error("behaviour: dropping the connection at the end of DATA (" + std::to_string(rx_.size) + " octets), no reply");
    close_session();
    return;
  }
  std::string summary = "message of " + std::to_string(rx_.size) + " octets for " +
                        std::to_string(env_.rcpts.size()) + " recipient" + (env_.rcpts.size() == 1 ? "" : "s");
  if (rx_.received > 0) summary += ", " + std::to_string(rx_.received) + " Received: headers";
  stage_.events.push_back(ProtoEvent{ProtoEvent::Kind::Data, static_cast<int>(std::min<std::uint64_t>(rx_.size, INT32_MAX)), summary});

  state_ = ServerState::Ready;
  const ServerBehaviour& b = policy_.behaviour;
  if (rx_.bare_newline && cfg_.bare_newline == BareNewlineMode::Reject) {
    reply(ReplyId::BareNewlineInData);
  } else if (rx_.too_big) {
    reply(ReplyId::MessageTooBig);
  } else if (rx_.received >= cfg_.max_received) {
    error("mail loop: " + std::to_string(rx_.received) + " Received: headers (limit " +
          std::to_string(cfg_.max_received) + ")");
    reply(ReplyId::TooManyHops);
  } else if (b.reject_data) {
    note("behaviour: message refused after DATA");
    reply_custom(*b.reject_data, ReplyId::MessageRejected, {});
  } else {
    AcceptResult r = policy_.accept_message(facts_, env_, std::move(rx_.message));
    if (r.error) {
      reply_custom(*r.error, ReplyId::LocalError, {});
    } else if (r.queue_id.empty()) {
      error("the role stored nothing and gave no reason");
      reply(ReplyId::LocalError);
    } else {
      ++accepted_;
      reply(ReplyId::Queued, {{"id", r.queue_id}});
    }
  }
  rx_ = DataRx{};
  reset_transaction();
}

}  // namespace smtpsim::smtp
