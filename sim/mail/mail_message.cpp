// mail_message.cpp - parsing, editing and byte-exact serialization of RFC 5322 messages.
#include "sim/mail/mail_message.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim::mail {

namespace {

// is_wsp - SP or HTAB.
bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// trim_wsp - strip SP/HTAB (and stray CR/LF) from both ends.
std::string_view trim_wsp(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// ends_crlf - the text ends with CRLF.
bool ends_crlf(std::string_view s) { return s.size() >= 2 && s[s.size() - 2] == '\r' && s.back() == '\n'; }

// sanitize_value - keep CRLF+WSP folds whose line has some text; every other CR or LF becomes a
// space, so a value can neither inject a field nor end the header section with an empty line.
std::string sanitize_value(std::string_view v, bool* has_folds) {
  std::string out;
  out.reserve(v.size());
  *has_folds = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\r' && i + 2 < v.size() && v[i + 1] == '\n' && is_wsp(v[i + 2])) {
      std::size_t j = i + 2;
      while (j < v.size() && is_wsp(v[j])) ++j;
      if (j < v.size() && v[j] != '\r' && v[j] != '\n') {
        out += "\r\n";
        ++i;
        *has_folds = true;
        continue;
      }
    }
    out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  }
  return out;
}

// scan_lines - call f(line_number, length) for each CRLF-terminated (or final) line of text.
template <class F>
void scan_lines(std::string_view text, F&& f) {
  std::size_t pos = 0, line = 1;
  while (pos < text.size()) {
    std::size_t eol = text.find("\r\n", pos);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    f(line, end - pos);
    ++line;
    if (eol == std::string_view::npos) break;
    pos = eol + 2;
  }
}

// HeaderSplit - where the header section of raw bytes ends: the body's first byte, and whether
// an empty separator line came before it.
struct HeaderSplit {
  std::size_t body_start = 0;
  bool separator = false;
};

// split_header - call on_field(FieldView) for each header field of bytes in order (a field is its
// first line plus its continuation lines) and say where the body starts. The section ends at the
// empty line, at a continuation with nothing to continue, or at a line that is not a field.
template <class F>
HeaderSplit split_header(std::string_view bytes, F&& on_field) {
  constexpr std::size_t kNone = std::string_view::npos;
  std::string_view field_name;
  std::size_t field_start = kNone, field_end = 0;
  auto flush = [&] {
    if (field_start != kNone) on_field(FieldView{field_name, bytes.substr(field_start, field_end - field_start)});
  };
  std::size_t pos = 0;
  const std::size_t n = bytes.size();
  while (pos < n) {
    std::size_t eol = bytes.find("\r\n", pos);
    std::size_t line_end = eol == kNone ? n : eol;
    std::size_t next = eol == kNone ? n : eol + 2;
    std::string_view line = bytes.substr(pos, line_end - pos);
    if (line.empty()) {  // the empty separator line (eol is set: pos < n)
      flush();
      return {next, true};
    }
    if (is_wsp(line.front())) {
      if (field_start == kNone) break;  // a continuation with nothing to continue: body
      field_end = next;
      pos = next;
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == kNone) break;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);  // obs "Name :"
    if (!is_field_name(name)) break;
    flush();
    field_name = name;
    field_start = pos;
    field_end = next;
    pos = next;
  }
  flush();
  return {pos, false};
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) { return ascii_iequals(a, b); }

bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c < 33 || c > 126 || c == ':') return false;
  return true;
}

std::string unfold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 2 < text.size() && text[i + 1] == '\n' && is_wsp(text[i + 2])) {
      ++i;  // drop CR and LF, keep the WSP
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

// fits_unfolded - a value without CR or LF that fits on the field's first line as it is: folding
// would only trim its outer whitespace (t gets that trimmed text).
bool fits_unfolded(std::string_view name, std::string_view value, std::size_t width, std::string_view& t) {
  if (value.find_first_of("\r\n") != std::string_view::npos) return false;
  t = value;
  while (!t.empty() && is_wsp(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_wsp(t.back())) t.remove_suffix(1);
  return name.size() + 2 + t.size() <= width;
}

std::string fold_value(std::string_view name, std::string_view value, std::size_t width) {
  if (std::string_view t; fits_unfolded(name, value, width, t)) {
    if (t.empty()) return "";
    std::string out;
    out.reserve(t.size() + 1);
    out.append(" ").append(t);
    return out;
  }
  bool has_folds = false;
  std::string v = sanitize_value(value, &has_folds);
  std::string_view t = v;
  while (!t.empty() && is_wsp(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_wsp(t.back())) t.remove_suffix(1);
  if (t.empty()) return "";
  if (has_folds) return " " + std::string(t);  // the caller folded it already
  std::string out = " ";
  std::size_t col = name.size() + 2;  // "Name: "
  bool line_has_word = false;
  std::size_t i = 0;
  while (i < t.size()) {
    // one segment: leading WSP run + non-WSP run
    std::size_t j = i;
    while (j < t.size() && is_wsp(t[j])) ++j;
    std::size_t k = j;
    while (k < t.size() && !is_wsp(t[k])) ++k;
    std::string_view seg = t.substr(i, k - i);
    bool leading_ws = j > i;
    if (leading_ws && line_has_word && col + seg.size() > width) {
      out += "\r\n";
      col = 0;
    }
    out += seg;
    col += seg.size();
    line_has_word = true;
    i = k;
  }
  return out;
}

std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// ---- Header ----

Header::Header(std::string_view name, std::string_view value) : name_(name) {
  raw_.reserve(name.size() + value.size() + 8);
  raw_ += name;
  raw_ += ':';
  raw_ += fold_value(name, value);
  raw_ += "\r\n";
}

Header Header::from_raw(std::string raw) {
  Header h;
  std::size_t colon = raw.find(':');
  std::string_view n = std::string_view(raw).substr(0, colon == std::string::npos ? raw.size() : colon);
  h.name_ = std::string(trim_wsp(n));
  h.raw_ = std::move(raw);
  return h;
}

std::string_view Header::raw_value() const {
  std::string_view r = raw_;
  std::size_t colon = r.find(':');
  if (colon == std::string_view::npos) return {};
  r.remove_prefix(colon + 1);
  if (ends_crlf(r)) r.remove_suffix(2);
  return r;
}

std::string Header::value() const { return field_value(raw_); }

bool Header::is(std::string_view name) const { return iequals(name_, name); }

// ---- Message ----

Message Message::parse(std::string_view bytes) {
  Message m;
  std::size_t fields = 0;
  split_header(bytes, [&](const FieldView&) { ++fields; });
  m.headers_.reserve(fields);
  const HeaderSplit split = split_header(bytes, [&](const FieldView& f) {
    Header h;
    h.name_ = std::string(f.name);
    h.raw_ = std::string(f.raw);
    m.headers_.push_back(std::move(h));
  });
  m.separator_ = split.separator;
  m.body_ = std::string(bytes.substr(split.body_start));
  return m;
}

std::optional<FieldView> find_field(std::string_view bytes, std::string_view name) {
  std::optional<FieldView> found;
  find_fields(bytes, std::span(&name, 1), std::span(&found, 1));
  return found;
}

void find_fields(std::string_view bytes, std::span<const std::string_view> names,
                 std::span<std::optional<FieldView>> found) {
  split_header(bytes, [&](const FieldView& f) {
    for (std::size_t i = 0; i < names.size() && i < found.size(); ++i)
      if (!found[i] && iequals(f.name, names[i])) found[i] = f;
  });
}

void append_with_fields(std::string& out, std::string_view bytes, std::string_view fields) {
  std::size_t fields_end = 0;      // where the last header field ends
  bool last_ends_crlf = true;      // append() completes a last field that lacks its CRLF
  split_header(bytes, [&](const FieldView& f) {
    fields_end = std::size_t(f.raw.data() - bytes.data()) + f.raw.size();
    last_ends_crlf = ends_crlf(f.raw);
  });
  out.append(bytes.substr(0, fields_end));
  if (!last_ends_crlf) out.append("\r\n");
  out.append(fields);
  out.append(bytes.substr(fields_end));
}

std::string field_value(std::string_view raw) {
  std::size_t colon = raw.find(':');
  if (colon == std::string_view::npos) return {};
  raw.remove_prefix(colon + 1);
  if (ends_crlf(raw)) raw.remove_suffix(2);
  if (raw.find('\r') == std::string_view::npos) return std::string(trim_wsp(raw));  // no fold to undo
  return std::string(trim_wsp(unfold(raw)));
}

Message Message::from_text(std::string_view text) { return parse(to_crlf(text)); }

std::string Message::serialize() const {
  std::string out;
  out.reserve(size());
  for (const Header& h : headers_) out += h.raw();
  if (separator_) out += "\r\n";
  out += body_;
  return out;
}

std::size_t Message::size() const {
  std::size_t n = body_.size() + (separator_ ? 2 : 0);
  for (const Header& h : headers_) n += h.raw().size();
  return n;
}

std::string Message::header_bytes() const {
  std::string out;
  for (const Header& h : headers_) out += h.raw();
  if (separator_) out += "\r\n";
  return out;
}

std::size_t Message::body_first_line() const {
  std::size_t lines = 0;
  for (const Header& h : headers_) {
    const std::string& r = h.raw();
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
      if (r[i] == '\r' && r[i + 1] == '\n') ++lines;
  }
  return lines + (separator_ ? 1 : 0) + 1;
}

std::optional<std::string> Message::get(std::string_view name) const {
  const Header* h = find(name);
  if (!h) return std::nullopt;
  return h->value();
}

std::vector<std::string> Message::get_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const Header& h : headers_)
    if (h.is(name)) out.push_back(h.value());
  return out;
}

std::size_t Message::count(std::string_view name) const {
  std::size_t n = 0;
  for (const Header& h : headers_)
    if (h.is(name)) ++n;
  return n;
}

const Header* Message::find(std::string_view name) const {
  for (const Header& h : headers_)
    if (h.is(name)) return &h;
  return nullptr;
}

void Message::set(std::string_view name, std::string_view value) {
  bool replaced = false;
  for (std::size_t i = 0; i < headers_.size();) {
    if (headers_[i].is(name)) {
      if (!replaced) {
        headers_[i] = Header(name, value);
        replaced = true;
        ++i;
      } else {
        headers_.erase(headers_.begin() + std::ptrdiff_t(i));
      }
    } else {
      ++i;
    }
  }
  if (!replaced) append(name, value);
}

void Message::prepend(std::string_view name, std::string_view value) { prepend(Header(name, value)); }

void Message::prepend(Header h) {
  if (!ends_crlf(h.raw_)) h.raw_ += "\r\n";
  headers_.insert(headers_.begin(), std::move(h));
}

void Message::append(std::string_view name, std::string_view value) { append(Header(name, value)); }

void Message::append(Header h) {
  if (!headers_.empty() && !ends_crlf(headers_.back().raw_)) headers_.back().raw_ += "\r\n";
  if (!ends_crlf(h.raw_)) h.raw_ += "\r\n";
  headers_.push_back(std::move(h));
}

std::size_t Message::remove(std::string_view name) {
  std::size_t before = headers_.size();
  std::erase_if(headers_, [&](const Header& h) { return h.is(name); });
  return before - headers_.size();
}

void Message::set_body(std::string body) {
  if (!headers_.empty() && !ends_crlf(headers_.back().raw_)) headers_.back().raw_ += "\r\n";
  body_ = std::move(body);
  separator_ = true;
}

std::vector<std::size_t> Message::long_lines(std::size_t limit) const {
  std::vector<std::size_t> out;
  scan_lines(serialize(), [&](std::size_t line, std::size_t len) {
    if (len > limit) out.push_back(line);
  });
  return out;
}

std::size_t Message::max_line_length() const {
  std::size_t best = 0;
  scan_lines(serialize(), [&](std::size_t, std::size_t len) {
    if (len > best) best = len;
  });
  return best;
}

bool Message::is_8bit() const {
  for (const Header& h : headers_)
    for (unsigned char c : h.raw())
      if (c >= 0x80) return true;
  for (unsigned char c : body_)
    if (c >= 0x80) return true;
  return false;
}

bool Message::has_bare_line_ends() const {
  std::string s = serialize();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return true;
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return true;
  }
  return false;
}

bool Message::has_nul() const {
  for (const Header& h : headers_)
    if (h.raw().find('\0') != std::string::npos) return true;
  return body_.find('\0') != std::string::npos;
}

}  // namespace smtpsim::mail
