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
#include "sim/smtp/smtp_scan.hpp"
#include "sim/core/ascii.hpp"
#include "sim/smtp/smtp_server.hpp"

namespace smtpsim::smtp {
namespace {

constexpr std::string_view kReceived = "Received:";

// iprefix - s starts with (a prefix of) p, ASCII case-insensitively, over min(len) octets.
bool iprefix_match(std::string_view s, std::string_view p) {
  std::size_t n = std::min(s.size(), p.size());
  for (std::size_t i = 0; i < n; ++i)
    if (ascii_lower(s[i]) != ascii_lower(p[i])) return false;
  return true;
}

}  // namespace

// consume_data - scan message input s (the caller's bytes or the buffered rest); `used` = octets
// consumed. True when the message ended or the session closed.
//
// One pass finds CR, LF and NUL together. Octets that go into the message unchanged are not
// copied line by line: `run` marks the first octet not yet stored, and the run is stored
// (counted, checked against the size limit, appended) only when something else must happen
// first - a dot to drop, a bare newline to replace, an event to emit (so events keep the order
// line-by-line storing gives them), an exact drop_in_data check, or the end of the input.
bool SmtpServer::consume_data(std::string_view s, std::size_t& used, SimTime now) {
  const char* const base = s.data();
  const char* const end = base + s.size();
  const char* p = base;
  const char* run = p;
  const bool normalize = cfg_.bare_newline == BareNewlineMode::Normalize;
  const bool exact_drop = policy_.behaviour.drop_in_data.has_value();
  // store_run - store the unchanged octets from run up to `upto`.
  auto store_run = [&](const char* upto) {
    if (upto > run) data_store(std::string_view(run, static_cast<std::size_t>(upto - run)));
    run = upto;
  };
  while (p < end) {
    if (rx_.line_start) {
      const std::size_t avail = static_cast<std::size_t>(end - p);
      if (*p == '.') {
        if (avail < 3 && (avail == 1 || p[1] == '\r')) break;  // could still be ".\r\n"
        if (p[1] == '\r' && p[2] == '\n') {
          store_run(p);
          used = static_cast<std::size_t>(p + 3 - base);
          data_finish(now);
          return true;
        }
        store_run(p);
        ++p;  // dot-stuffing: the client doubled a leading '.'; drop one
        run = p;
        rx_.line_start = false;
        continue;
      }
      if (rx_.in_headers) {
        const std::string_view rest(p, avail);
        if (*p == '\r') {
          if (avail < 2) break;
          if (p[1] == '\n') rx_.in_headers = false;  // the empty line ends the header section
        } else if (avail < kReceived.size() && iprefix_match(rest, kReceived)) {
          break;  // not enough octets yet to tell
        } else if (avail >= kReceived.size() && iprefix_match(rest.substr(0, kReceived.size()), kReceived)) {
          ++rx_.received;
        }
      }
      rx_.line_start = false;
    }
    // The line's text up to the next CR or LF (NUL octets are noted once and kept).
    const char* const text = p;
    const char* q = find_special(p, end);
    while (q < end && *q == '\0') {
      if (!rx_.nul_noted) {
        store_run(text);
        rx_.nul_noted = true;
        note("message contains NUL octets (accepted unchanged)");
      }
      q = find_special(q + 1, end);
    }
    rx_.line_len += static_cast<std::size_t>(q - text);
    p = q;
    if (exact_drop && p > text) {
      store_run(p);
      if (data_drop_check()) return true;
    }
    if (p >= end) break;
    if (*p == '\r') {
      if (p + 1 >= end) break;  // wait: CR may be the first half of CRLF
      if (p[1] == '\n') {
        p += 2;
        const std::size_t line_len = rx_.line_len;
        rx_.line_len = 0;
        rx_.line_start = true;
        idle_deadline_ = now + cfg_.data_timeout;
        if (line_len + 2 > kMaxTextLine && !rx_.long_line_noted) {
          store_run(p);
          rx_.long_line_noted = true;
          note("message has a line of " + std::to_string(line_len) +
               " octets, over the 1000-octet limit of RFC 5321 4.5.3.1.6 (accepted unchanged)");
        }
        if (exact_drop) {
          store_run(p);
          if (data_drop_check()) return true;
        }
        continue;
      }
    }
    // A bare CR (not followed by LF) or a bare LF: never stored as itself.
    store_run(p);
    const bool was_cr = *p == '\r';
    if (!rx_.bare_newline)
      error(std::string("bare ") + (was_cr ? "<CR>" : "<LF>") + " in message data after " +
            std::to_string(rx_.size) + " octets" +
            (normalize ? " (stored as <CR><LF>; not a line start)" : " (the message will be refused)"));
    rx_.bare_newline = true;
    if (normalize) data_store("\r\n");
    ++p;
    run = p;
    // Never a line start: a '.' after a bare newline is content.
  }
  store_run(p);
  used = static_cast<std::size_t>(p - base);
  return false;
}

// data_store - keep message octets up to the size limit (none once the message is refused). The
// first octets reserve room for the size the client announced (MAIL SIZE=), capped at the limit.
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
  if (rx_.message.empty() && env_.mail.params.size)
    rx_.message.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*env_.mail.params.size, cfg_.max_message_size)));
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
  record_rx(".", false);  // the end-of-data line: the reply below answers it
  data_reply();
  answering_ = false;
}

// data_reply - the decision on the message that just ended, and its reply.
void SmtpServer::data_reply() {
  if (policy_.behaviour.drop_in_data) {  // shorter than the drop point: drop at the dot, unanswered
    error("behaviour: dropping the connection at the end of DATA (" + std::to_string(rx_.size) + " octets), no reply");
    close_session();
    return;
  }
  std::string summary;  // "message of 1234 octets for 1 recipient[, 2 Received: headers]"
  summary.reserve(64);
  summary += "message of ";
  summary += std::to_string(rx_.size);
  summary += " octets for ";
  summary += std::to_string(env_.rcpts.size());
  summary += env_.rcpts.size() == 1 ? " recipient" : " recipients";
  if (rx_.received > 0) {
    summary += ", ";
    summary += std::to_string(rx_.received);
    summary += " Received: headers";
  }
  stage_.events.push_back(ProtoEvent{ProtoEvent::Kind::Data, static_cast<int>(std::min<std::uint64_t>(rx_.size, INT32_MAX)),
                                     std::move(summary)});

  state_ = ServerState::Ready;
  ServerBehaviour& b = policy_.behaviour;
  if (rx_.bare_newline && cfg_.bare_newline == BareNewlineMode::Reject) {
    reply(ReplyId::BareNewlineInData);
  } else if (rx_.too_big) {
    reply(ReplyId::MessageTooBig);
  } else if (rx_.received >= cfg_.max_received) {
    error("mail loop: " + std::to_string(rx_.received) + " Received: headers (limit " +
          std::to_string(cfg_.max_received) + ")");
    reply(ReplyId::TooManyHops);
  } else if (b.reject_data && b.reject_data->refuses()) {
    const ServerReply refused = *use_override(b.reject_data);
    note("behaviour: message refused after DATA");
    reply_custom(refused, ReplyId::MessageRejected, {});
    if (refused.code == 421) close_session();
  } else {
    AcceptResult r = policy_.accept_message(facts_, env_, std::move(rx_.message));
    if (r.error) {
      reply_custom(*r.error, ReplyId::LocalError, {});
    } else if (r.queue_id.empty()) {
      error("the role stored nothing and gave no reason");
      reply(ReplyId::LocalError);
    } else {
      ++accepted_;
      answer(b.reject_data, ReplyId::Queued, {{"id", r.queue_id}});
    }
  }
  rx_ = DataRx{};
  reset_transaction();
}

}  // namespace smtpsim::smtp
