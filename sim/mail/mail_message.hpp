// mail_message.hpp - an RFC 5322 message: an ordered list of header fields and a body, kept as bytes.
//
// Parsing never rewrites anything: each header field keeps its exact bytes (name, colon, folded
// value, CRLF), so serialize() of an unmodified parse returns the input byte for byte. Lines end
// only at CRLF (a bare CR or LF is ordinary data, as in SMTP); to_crlf() converts scenario text
// written with LF line ends before parsing. The header section ends at the first empty line, or
// at the first line that is not a header field (as Postfix' cleanup does); such a message keeps
// "no separator" so it still round-trips.
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smtpsim::mail {

inline constexpr std::size_t kMaxLineLength = 998;   // RFC 5322 2.1.1, excluding CRLF
inline constexpr std::size_t kFoldWidth = 78;        // RFC 5322 2.1.1 SHOULD

// Header - one header field with its exact bytes.
class Header {
 public:
  // Header - a new field "Name: value\r\n"; a long value is folded at whitespace to <= 78 columns
  // where possible. Bare CR/LF in the value (not part of a CRLF+WSP fold) become spaces, so a
  // value can never inject another header line.
  Header(std::string_view name, std::string_view value);
  // from_raw - a field exactly as given (must be "Name:..." and should end with CRLF); the name is
  // the text before the colon without trailing whitespace.
  static Header from_raw(std::string raw);

  const std::string& name() const { return name_; }
  const std::string& raw() const { return raw_; }  // "Name: value\r\n\tmore\r\n"
  // raw_value - everything after the colon, folds kept, without the final CRLF.
  std::string_view raw_value() const;
  // value - the unfolded value (CRLF before WSP removed), leading and trailing WSP trimmed.
  std::string value() const;
  // is - case-insensitive name comparison.
  bool is(std::string_view name) const;

 private:
  Header() = default;
  friend class Message;
  std::string name_;
  std::string raw_;
};

// unfold - remove every CRLF that is immediately followed by WSP (RFC 5322 2.2.3).
std::string unfold(std::string_view text);
// fold_value - fold an unfolded value for a field called `name` so lines stay <= width where a
// whitespace allows it; the result starts after "Name:" (it includes the leading space).
std::string fold_value(std::string_view name, std::string_view value, std::size_t width = kFoldWidth);
// to_crlf - make every line end CRLF: bare LF -> CRLF, bare CR -> CRLF, CRLF kept.
std::string to_crlf(std::string_view text);
// iequals - ASCII case-insensitive comparison (header names, keywords).
bool iequals(std::string_view a, std::string_view b);
// is_field_name - RFC 5322 field-name: 1*(%d33-57 / %d59-126).
bool is_field_name(std::string_view name);

// FieldView - one header field seen in place: its name and its exact bytes (folds and CRLF kept).
struct FieldView {
  std::string_view name;
  std::string_view raw;
};
// find_field - the first field called `name` (case-insensitive) in the header section of raw
// message bytes, split exactly as Message::parse splits them, without copying anything.
std::optional<FieldView> find_field(std::string_view bytes, std::string_view name);
// find_fields - find_field for several names in one walk: found[i] is the first field called names[i].
void find_fields(std::string_view bytes, std::span<const std::string_view> names,
                 std::span<std::optional<FieldView>> found);
// field_value - the unfolded, trimmed value of a field's raw bytes (what Header::value() gives).
std::string field_value(std::string_view raw);
// append_with_fields - bytes appended to out with `fields` (whole raw fields, each ending CRLF)
// added at the end of its header section: the bytes parse(), append() of each and serialize()
// give, without the parse.
void append_with_fields(std::string& out, std::string_view bytes, std::string_view fields);

class Message {
 public:
  Message() = default;

  // parse - split raw bytes (CRLF line ends) into header fields and body. Never fails: a message
  // without headers is all body.
  static Message parse(std::string_view bytes);
  // from_text - to_crlf(text) then parse (scenario text, test fixtures).
  static Message from_text(std::string_view text);

  // serialize - the exact bytes: headers, the empty separator line (when present), body.
  std::string serialize() const;
  // size - serialize().size() without building the string.
  std::size_t size() const;

  const std::vector<Header>& headers() const { return headers_; }
  const std::string& body() const { return body_; }
  // header_bytes - the header section as bytes (fields + separator line when present).
  std::string header_bytes() const;
  // has_separator - an empty line separates header and body. A message with a body but no
  // separator ended its header section at a line that was not a field ("Subject hello").
  bool has_separator() const { return separator_; }
  // body_first_line - the 1-based line number of the body's first line in the whole message.
  std::size_t body_first_line() const;

  // get - the unfolded value of the first field with this name (case-insensitive).
  std::optional<std::string> get(std::string_view name) const;
  // get_all - the unfolded values of all fields with this name, top to bottom.
  std::vector<std::string> get_all(std::string_view name) const;
  // count - how many fields have this name ("Received" counts hops for loop detection).
  std::size_t count(std::string_view name) const;
  // find - the first field with this name, or nullptr.
  const Header* find(std::string_view name) const;

  // set - replace the first field with this name in place (folded value) and remove the others;
  // appended at the end of the header section when absent.
  void set(std::string_view name, std::string_view value);
  // prepend - a new field at the top (trace fields: Received, Return-Path, Delivered-To).
  void prepend(std::string_view name, std::string_view value);
  void prepend(Header h);
  // append - a new field at the end of the header section.
  void append(std::string_view name, std::string_view value);
  void append(Header h);
  // remove - delete all fields with this name; returns how many were removed.
  std::size_t remove(std::string_view name);

  // set_body - replace the body (bytes as given; use to_crlf for text); adds the separator.
  void set_body(std::string body);

  // long_lines - 1-based line numbers (of the whole message) longer than `limit` octets
  // excluding CRLF.
  std::vector<std::size_t> long_lines(std::size_t limit = kMaxLineLength) const;
  // max_line_length - the longest line in octets excluding CRLF.
  std::size_t max_line_length() const;
  // is_8bit - any octet >= 0x80 in header or body (needs BODY=8BITMIME to travel unchanged).
  bool is_8bit() const;
  // has_bare_line_ends - a CR or LF that is not part of a CRLF pair.
  bool has_bare_line_ends() const;
  // has_nul - a NUL octet anywhere.
  bool has_nul() const;

 private:
  std::vector<Header> headers_;
  bool separator_ = false;
  std::string body_;
};

}  // namespace smtpsim::mail
