// smtp_reply_parser.hpp - incremental parser of SMTP server reply bytes into complete replies.
//
// RFC 5321 4.2: a reply is one or more lines `ddd-text CRLF` ending with `ddd text CRLF` (or a
// bare `ddd CRLF`), every line carrying the same code. Bytes may arrive split at any point; the
// parser keeps the partial line and hands out one complete reply at a time so the caller can stop
// reading exactly after a given reply (STARTTLS: anything after the 220 must be discarded).
// Hostile input (junk lines, bare CR/LF, NUL, codes out of range, endless lines or replies) puts
// the parser into a sticky error state with a readable message; memory stays bounded by the limits.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::smtp {

// Reply - one complete server reply.
struct Reply {
  int code = 0;                    // 3-digit reply code (0 for a reply made up locally by a client)
  std::string enhanced;            // RFC 3463 "class.subject.detail" from the first line, or ""
  std::vector<std::string> lines;  // each line's text after "ddd-" / "ddd " (enhanced code kept)

  // text - the lines joined with '\n' (enhanced codes kept, exactly as the server sent them).
  std::string text() const;
  // message - the first line's text without its enhanced code prefix.
  std::string message() const;
  // summary - one line for logs: "550 5.1.1 <x@y>: Recipient address rejected" (first line only).
  std::string summary() const;
  // wire - the reply as it appears on the wire, CRLF line ends included.
  std::string wire() const;
  // positive / transient / permanent - reply class 2/3, 4, 5.
  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500 && code < 600; }
};

// ReplyLimits - how much a server may send before the parser calls it hostile.
struct ReplyLimits {
  std::size_t max_line = 2048;        // bytes per line including CRLF (RFC 5321 asks for 512)
  std::size_t max_lines = 200;        // lines in one multi-line reply
  std::size_t max_total = 64 * 1024;  // bytes of text in one reply
};

// format_reply - one reply for people to read: "550 5.1.1 <b@x>: User unknown". A code of 0 (a
// client's own finding) and an empty enhanced code are left out, and so is an enhanced code that
// the text already starts with ("4.7.5" + "4.7.5 TLS handshake failed" -> "4.7.5 TLS handshake
// failed", never "4.7.5 4.7.5 ..."). Every note, deferral reason and DSN text that shows a reply
// is built with it (or with Reply::summary, which uses it).
std::string format_reply(int code, std::string_view enhanced, std::string_view text);

// parse_enhanced_code - RFC 3463 code at the start of text whose class matches reply_code's first
// digit ("5.1.1 User unknown" -> "5.1.1"); "" when there is none.
std::string parse_enhanced_code(std::string_view text, int reply_code);

class ReplyParser {
 public:
  explicit ReplyParser(ReplyLimits limits = {});

  // next - consume bytes from the front of input until one reply is complete and return it;
  // input is advanced past what was consumed. nullopt when input ran out (partial data is kept)
  // or on error (then failed() is true and all later calls return nullopt).
  std::optional<Reply> next(std::string_view& input);
  // next - the same into `out` (true when a reply was completed there): out's line storage is
  // kept for the parser's next reply, so a caller that keeps one Reply allocates no lines anew.
  bool next(std::string_view& input, Reply& out);

  bool failed() const { return !error_.empty(); }
  // error - what was wrong with the server's bytes, for an Error event ("" when fine).
  const std::string& error() const { return error_; }
  // pending - bytes of an incomplete reply held (a partial line plus earlier lines of a reply).
  std::size_t pending() const;
  // in_reply - true while a reply has started but is not complete.
  bool in_reply() const { return pending_cr_ || !partial_.empty() || !current_.lines.empty(); }
  // reset - forget partial data and any error (after STARTTLS both sides start afresh).
  void reset();
  const ReplyLimits& limits() const { return limits_; }

 private:
  // take_line - process one complete line (without CRLF); true when it completed a reply.
  bool take_line(std::string_view line);
  static constexpr std::size_t kLinesReserve = 8;  // room for a reply's lines (an EHLO reply fits)

  // hand_out - move the completed reply to out and start the next one empty.
  void hand_out(Reply& out);
  // fail - enter the sticky error state.
  void fail(std::string why);

  ReplyLimits limits_;
  std::string partial_;     // bytes of the current line seen so far (without CR)
  bool pending_cr_ = false; // the last byte seen was a CR that still needs its LF
  Reply current_;           // lines of the reply being assembled
  std::size_t current_bytes_ = 0;
  std::string error_;
};

}  // namespace smtpsim::smtp
