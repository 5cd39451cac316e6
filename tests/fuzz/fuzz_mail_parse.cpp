// fuzz_mail_parse.cpp - every mail parser on arbitrary bytes: no crash, and parse+serialize of a
// message is byte-exact (the invariant MTAs rely on when they prepend trace fields).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sim/mail/mail_address.hpp"
#include "sim/mail/mail_date.hpp"
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_envelope.hpp"
#include "sim/mail/mail_message.hpp"
#include "sim/mail/mail_mime.hpp"
#include "sim/mail/mail_received.hpp"
#include "sim/mail/mail_validate.hpp"

using namespace smtpsim;
using namespace smtpsim::mail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t sink = 0;

  Message m = Message::parse(in);
  if (m.serialize() != in || m.size() != in.size()) std::abort();
  m.prepend("Received", "from x by y; Mon, 02 Mar 2026 09:15:00 +0000");
  Message again = Message::parse(m.serialize());
  if (again.serialize() != m.serialize()) std::abort();
  sink += validate(m).size() + parse_received_chain(m).size();
  if (auto d = parse_dsn(m)) sink += d->recipients.size();
  sink += Message::from_text(in).size();

  sink += parse_received(in).comments.size();
  sink += header_addresses(in).size();
  sink += Address::parse(in).address.has_value();
  sink += parse_reverse_path(in).address.has_value() + parse_forward_path(in, false).address.has_value();
  sink += parse_rfc5322_date(in).has_value() + MailClock::parse(in).has_value();
  if (auto ct = parse_content_type(in)) sink += ct->params.size();
  if (auto mp = split_multipart(in, "b")) sink += mp->parts.size();
  if (auto x = xtext_decode(in)) {
    if (xtext_decode(xtext_encode(*x)) != *x) std::abort();
  }
  if (auto ps = split_esmtp_params(in)) {
    Envelope env;
    Recipient r;
    sink += apply_mail_params(*ps, ParamSupport{}, env).code + apply_rcpt_params(*ps, ParamSupport{}, r).code;
  }
  sink += qp_decode(in).size() + decode_words(in).size() + unfold(in).size();
  if (auto b = base64_decode_lenient(in)) {
    if (base64_decode_lenient(base64_encode(*b)) != *b) std::abort();
  }
  if (qp_decode(qp_encode(to_crlf(in))) != to_crlf(in)) std::abort();
  Header h("X-Fuzz", in);
  Message hm = Message::parse(h.raw());
  if (hm.headers().size() != 1 || hm.has_separator() || !hm.body().empty()) std::abort();  // no injection
  return sink == 0xFFFFFFFF ? 1 : 0;
}
