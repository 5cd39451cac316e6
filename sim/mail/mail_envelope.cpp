// mail_envelope.cpp - ESMTP MAIL/RCPT parameters (SIZE, BODY, DSN, SMTPUTF8, AUTH) and xtext.
#include "sim/mail/mail_envelope.hpp"

#include "sim/mail/mail_message.hpp"

namespace smtpsim::mail {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// upper_hex - 0..15 for an upper-case hex digit (xtext requires upper case), -1 otherwise.
int upper_hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// is_atom - RFC 5322 atom characters only (addr-type in ORCPT).
bool is_atom(std::string_view s) { return !s.empty() && is_dot_string(s) && s.find('.') == std::string_view::npos; }

// err - a ParamError.
ParamError err(int code, const char* status, std::string text) { return ParamError{code, status, std::move(text)}; }

// parse_u64 - 1..20 digits, no overflow.
std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t d = std::uint64_t(c - '0');
    if (v > (~0ULL - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// upper - ASCII upper-case copy.
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return out;
}

}  // namespace

std::string xtext_encode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    if (c >= 33 && c <= 126 && c != '+' && c != '=') {
      out.push_back(char(c));
    } else {
      out.push_back('+');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> xtext_decode(std::string_view x) {
  std::string out;
  out.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(x[i]);
    if (c == '+') {
      if (i + 2 >= x.size()) return std::nullopt;  // "+X" or "+" at the end
      int h = upper_hex(x[i + 1]), l = upper_hex(x[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out.push_back(char(h * 16 + l));
      i += 2;
      continue;
    }
    if (c < 33 || c > 126 || c == '=') return std::nullopt;
    out.push_back(char(c));
  }
  return out;
}

std::optional<Notify> parse_notify(std::string_view v) {
  Notify n;
  if (v.empty()) return std::nullopt;
  std::size_t start = 0;
  int items = 0;
  while (true) {
    std::size_t comma = v.find(',', start);
    std::string item = upper(v.substr(start, comma == std::string_view::npos ? v.npos : comma - start));
    bool* slot = nullptr;
    if (item == "NEVER") slot = &n.never;
    else if (item == "SUCCESS") slot = &n.success;
    else if (item == "FAILURE") slot = &n.failure;
    else if (item == "DELAY") slot = &n.delay;
    if (!slot || *slot) return std::nullopt;  // unknown or repeated
    *slot = true;
    ++items;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (n.never && items > 1) return std::nullopt;  // NEVER must stand alone
  return n;
}

std::string format_notify(const Notify& n) {
  if (n.never) return "NEVER";
  std::string out;
  auto add = [&](bool on, const char* word) {
    if (!on) return;
    if (!out.empty()) out += ',';
    out += word;
  };
  add(n.success, "SUCCESS");
  add(n.failure, "FAILURE");
  add(n.delay, "DELAY");
  return out.empty() ? std::string("NEVER") : out;
}

std::optional<OriginalRecipient> parse_orcpt(std::string_view v) {
  std::size_t semi = v.find(';');
  if (semi == std::string_view::npos || v.size() > 500) return std::nullopt;
  std::string_view type = v.substr(0, semi);
  if (!is_atom(type)) return std::nullopt;
  auto addr = xtext_decode(v.substr(semi + 1));
  if (!addr || addr->empty()) return std::nullopt;
  return OriginalRecipient{std::string(type), std::move(*addr)};
}

std::string format_orcpt(const OriginalRecipient& o) { return o.type + ";" + xtext_encode(o.address); }

std::string_view to_string(Ret r) {
  switch (r) {
    case Ret::Full: return "FULL";
    case Ret::Hdrs: return "HDRS";
    case Ret::Unspecified: break;
  }
  return "";
}

std::string_view to_string(BodyType b) {
  switch (b) {
    case BodyType::SevenBit: return "7BIT";
    case BodyType::EightBitMime: return "8BITMIME";
    case BodyType::BinaryMime: return "BINARYMIME";
    case BodyType::Unspecified: break;
  }
  return "";
}

bool is_bounce(const Envelope& e) { return e.reverse_path.is_null(); }

bool wants_success(const Recipient& r) { return r.notify && r.notify->success; }
bool wants_failure(const Recipient& r) { return !r.notify || r.notify->failure; }
bool wants_delay(const Recipient& r) { return !r.notify || r.notify->delay; }

std::optional<std::vector<EsmtpParam>> split_esmtp_params(std::string_view text) {
  std::vector<EsmtpParam> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') { ++i; continue; }
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view tok = text.substr(i, end - i);
    i = end;
    EsmtpParam p;
    std::size_t eq = tok.find('=');
    std::string_view kw = tok.substr(0, eq);
    if (kw.empty()) return std::nullopt;
    for (std::size_t k = 0; k < kw.size(); ++k) {
      char c = kw[k];
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && !(k > 0 && c == '-')) return std::nullopt;
    }
    p.keyword = std::string(kw);
    if (eq != std::string_view::npos) {
      std::string_view val = tok.substr(eq + 1);
      if (val.empty()) return std::nullopt;
      for (unsigned char c : val)
        if (c < 33 || c > 126 || c == '=') return std::nullopt;
      p.value = std::string(val);
      p.has_value = true;
    }
    out.push_back(std::move(p));
  }
  return out;
}

ParamError apply_mail_params(const std::vector<EsmtpParam>& params, const ParamSupport& sup, Envelope& env) {
  bool seen_size = false, seen_body = false, seen_ret = false, seen_envid = false, seen_utf8 = false,
       seen_auth = false;
  auto dup = [](bool& seen) {
    if (seen) return true;
    seen = true;
    return false;
  };
  for (const EsmtpParam& p : params) {
    std::string kw = upper(p.keyword);
    if (kw == "SIZE" && sup.size) {
      if (dup(seen_size)) return err(501, "5.5.4", "Duplicate SIZE parameter");
      auto n = p.has_value ? parse_u64(p.value) : std::nullopt;
      if (!n) return err(501, "5.5.4", "Bad SIZE parameter syntax");
      if (sup.max_size && *n > sup.max_size)
        return err(552, "5.3.4", "Message size exceeds fixed maximum message size");
      env.size = *n;
    } else if (kw == "BODY" && (sup.eightbitmime || sup.binarymime)) {
      if (dup(seen_body)) return err(501, "5.5.4", "Duplicate BODY parameter");
      std::string v = upper(p.value);
      if (v == "7BIT") env.body = BodyType::SevenBit;
      else if (v == "8BITMIME" && sup.eightbitmime) env.body = BodyType::EightBitMime;
      else if (v == "BINARYMIME" && sup.binarymime) env.body = BodyType::BinaryMime;
      else return err(501, "5.5.4", "Bad BODY parameter syntax");
    } else if (kw == "RET" && sup.dsn) {
      if (dup(seen_ret)) return err(501, "5.5.4", "Duplicate RET parameter");
      std::string v = upper(p.value);
      if (v == "FULL") env.ret = Ret::Full;
      else if (v == "HDRS") env.ret = Ret::Hdrs;
      else return err(501, "5.5.4", "Bad RET parameter syntax");
    } else if (kw == "ENVID" && sup.dsn) {
      if (dup(seen_envid)) return err(501, "5.5.4", "Duplicate ENVID parameter");
      auto v = p.has_value && p.value.size() <= kMaxEnvid ? xtext_decode(p.value) : std::nullopt;
      if (!v) return err(501, "5.5.4", "Bad ENVID parameter syntax");
      env.envid = *v;
    } else if (kw == "SMTPUTF8" && sup.smtputf8) {
      if (dup(seen_utf8)) return err(501, "5.5.4", "Duplicate SMTPUTF8 parameter");
      if (p.has_value) return err(501, "5.5.4", "SMTPUTF8 takes no value");
      env.smtputf8 = true;
    } else if (kw == "AUTH" && sup.auth) {
      if (dup(seen_auth)) return err(501, "5.5.4", "Duplicate AUTH parameter");
      auto v = p.has_value ? xtext_decode(p.value) : std::nullopt;
      if (!v) return err(501, "5.5.4", "Bad AUTH parameter syntax");
      env.auth = *v;
    } else {
      return err(555, "5.5.4", "Unsupported option: " + p.keyword);
    }
  }
  return {};
}

ParamError apply_rcpt_params(const std::vector<EsmtpParam>& params, const ParamSupport& sup, Recipient& r) {
  bool seen_notify = false, seen_orcpt = false;
  for (const EsmtpParam& p : params) {
    std::string kw = upper(p.keyword);
    if (kw == "NOTIFY" && sup.dsn) {
      if (seen_notify) return err(501, "5.5.4", "Duplicate NOTIFY parameter");
      seen_notify = true;
      auto n = p.has_value ? parse_notify(p.value) : std::nullopt;
      if (!n) return err(501, "5.5.4", "Bad NOTIFY parameter syntax");
      r.notify = *n;
    } else if (kw == "ORCPT" && sup.dsn) {
      if (seen_orcpt) return err(501, "5.5.4", "Duplicate ORCPT parameter");
      seen_orcpt = true;
      auto o = p.has_value ? parse_orcpt(p.value) : std::nullopt;
      if (!o) return err(501, "5.5.4", "Bad ORCPT parameter syntax");
      r.orcpt = *o;
    } else {
      return err(555, "5.5.4", "Unsupported option: " + p.keyword);
    }
  }
  return {};
}

std::string format_mail_params(const Envelope& env, const ParamSupport& peer, std::uint64_t size) {
  std::string out;
  if (peer.size && size > 0) out += " SIZE=" + std::to_string(size);
  if (env.body == BodyType::EightBitMime && peer.eightbitmime) out += " BODY=8BITMIME";
  else if (env.body == BodyType::BinaryMime && peer.binarymime) out += " BODY=BINARYMIME";
  else if (env.body == BodyType::SevenBit && peer.eightbitmime) out += " BODY=7BIT";
  if (peer.dsn) {
    if (env.ret != Ret::Unspecified) out += " RET=" + std::string(to_string(env.ret));
    if (!env.envid.empty()) out += " ENVID=" + xtext_encode(env.envid);
  }
  if (env.smtputf8 && peer.smtputf8) out += " SMTPUTF8";
  if (env.auth && peer.auth) out += " AUTH=" + xtext_encode(*env.auth);
  return out;
}

std::string format_rcpt_params(const Recipient& r, const ParamSupport& peer) {
  std::string out;
  if (!peer.dsn) return out;
  if (r.notify) out += " NOTIFY=" + format_notify(*r.notify);
  if (r.orcpt) out += " ORCPT=" + format_orcpt(*r.orcpt);
  return out;
}

}  // namespace smtpsim::mail
