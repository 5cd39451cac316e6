// mail_maildir.cpp - the Maildir backend of the mailbox store (tmp/new/cur, deterministic names).
#include "sim/mail/mail_maildir.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "sim/core/rng.hpp"

namespace smtpsim::mail {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCounterFile = "smtpsim-uidnext";

// sanitize_host - host name characters safe in a file name and a UIDL, at most 32 of them.
std::string sanitize_host(std::string_view host) {
  std::string out;
  for (char c : host) {
    if (out.size() >= 32) break;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    out.push_back(ok ? c : '_');
  }
  return out.empty() ? std::string("localhost") : out;
}

// leading_number - the decimal number at the start of s (0 if none or too long).
std::uint64_t leading_number(std::string_view s) {
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < s.size() && i < 19 && s[i] >= '0' && s[i] <= '9'; ++i) v = v * 10 + std::uint64_t(s[i] - '0');
  return v;
}

// info_field - the value of ",<key>=<digits>" in a Maildir name, if present.
bool info_field(std::string_view name, char key, std::uint64_t& out) {
  const std::size_t colon = name.find(':');
  std::string_view base = name.substr(0, colon);
  const char pat[3] = {',', key, '='};
  std::size_t p = base.find(std::string_view(pat, 3));
  if (p == std::string_view::npos) return false;
  p += 3;
  std::size_t e = p;
  while (e < base.size() && base[e] >= '0' && base[e] <= '9') ++e;
  if (e == p || e - p > 19) return false;
  out = leading_number(base.substr(p, e - p));
  return true;
}

// uid_of - the UIDL of a Maildir file name.
std::string uid_of(std::string_view name) {
  std::string_view base = name.substr(0, name.find_first_of(",:"));
  if (valid_uidl(base)) return std::string(base);
  char buf[24];
  std::snprintf(buf, sizeof buf, "x%016llx", static_cast<unsigned long long>(fnv1a64(name)));
  return buf;
}

// read_file - the whole file; false on error.
bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  const auto len = in.tellg();
  if (len < 0) return false;
  in.seekg(0, std::ios::beg);
  out.resize(static_cast<std::size_t>(len));
  if (len > 0) in.read(out.data(), len);
  return static_cast<bool>(in) || in.eof();
}

// write_file - create path with bytes; false on error.
bool write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  return static_cast<bool>(out);
}

// to_lf - canonical CRLF text with LF line ends (lossless: canonical text has no bare CR/LF).
std::string to_lf(std::string_view crlf) {
  std::string out;
  out.reserve(crlf.size());
  std::size_t pos = 0;
  while (pos < crlf.size()) {
    std::size_t p = crlf.find("\r\n", pos);
    if (p == std::string_view::npos) {
      out.append(crlf.substr(pos));
      break;
    }
    out.append(crlf.substr(pos, p - pos));
    out.push_back('\n');
    pos = p + 2;
  }
  return out;
}

}  // namespace

// MaildirStore - remember where and under which host name to store.
MaildirStore::MaildirStore(std::string root, std::string host) : root_(std::move(root)), host_(sanitize_host(host)) {}

// dir - the Maildir of one mailbox.
std::string MaildirStore::dir(std::string_view mailbox) const { return (fs::path(root_) / std::string(mailbox)).string(); }

// scan - list new/ and cur/, parse names, order by counter then name.
bool MaildirStore::scan(std::string_view mailbox, std::vector<Entry>& out, std::string& error, bool sizes) const {
  out.clear();
  if (!valid_mailbox_name(mailbox)) return true;  // such a mailbox can never exist
  const fs::path base = dir(mailbox);
  std::error_code ec;
  if (!fs::exists(base, ec)) return true;
  for (const char* sub : {"new", "cur"}) {
    const fs::path d = base / sub;
    if (!fs::is_directory(d, ec)) continue;
    fs::directory_iterator it(d, ec), end;
    if (ec) {
      error = "cannot read " + d.string() + ": " + ec.message();
      return false;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        error = "cannot read " + d.string() + ": " + ec.message();
        return false;
      }
      std::error_code fec;
      if (!it->is_regular_file(fec)) continue;
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      Entry e;
      e.uid = uid_of(name);
      e.path = it->path().string();
      e.order = leading_number(name);
      e.name = std::move(name);
      if (sizes && !info_field(e.name, 'W', e.size)) {
        std::string bytes;
        if (!read_file(e.path, bytes)) {
          error = "cannot read " + e.path;
          return false;
        }
        e.size = canonical_crlf(bytes).size();
      }
      out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  return true;
}

// store_message - tmp/ then rename into new/, bump the persistent counter.
StoreResult MaildirStore::store_message(std::string_view mailbox, std::string canonical) {
  const fs::path base = dir(mailbox);
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(base / sub, ec);
    if (ec) return {StoreStatus::TempFailure, "", "cannot create " + (base / sub).string() + ": " + ec.message()};
  }
  // Next counter: the larger of the saved one and what the files show (a lost counter file must
  // never make a UID repeat).
  std::uint64_t counter = 0;
  std::string saved;
  if (read_file((base / kCounterFile).string(), saved)) counter = leading_number(saved);
  std::vector<Entry> entries;
  std::string error;
  if (!scan(mailbox, entries, error, false)) return {StoreStatus::TempFailure, "", error};
  for (const auto& e : entries) counter = std::max(counter, e.order);
  ++counter;

  const std::string uid = make_uid(counter, canonical) + "." + host_;
  const std::string disk = to_lf(canonical);
  const std::string name = uid + ",S=" + std::to_string(disk.size()) + ",W=" + std::to_string(canonical.size());
  const fs::path tmp = base / "tmp" / name;
  const fs::path dst = base / "new" / name;
  if (!write_file(tmp.string(), disk)) {
    fs::remove(tmp, ec);
    return {StoreStatus::TempFailure, "", "cannot write " + tmp.string()};
  }
  if (fs::exists(dst, ec)) {
    fs::remove(tmp, ec);
    return {StoreStatus::TempFailure, "", "file exists: " + dst.string()};
  }
  fs::rename(tmp, dst, ec);
  if (ec) {
    std::error_code ec2;
    fs::remove(tmp, ec2);
    return {StoreStatus::TempFailure, "", "cannot rename into new/: " + ec.message()};
  }
  // The message is safely in new/; a failure to save the counter is repaired by the scan above.
  write_file((base / kCounterFile).string(), std::to_string(counter) + "\n");
  return {StoreStatus::Ok, uid, ""};
}

// on_lock - move new/ messages to cur/ with the ":2," info suffix (they have now been seen).
void MaildirStore::on_lock(std::string_view mailbox) {
  if (!valid_mailbox_name(mailbox)) return;
  const fs::path base = dir(mailbox);
  std::error_code ec;
  if (!fs::is_directory(base / "new", ec)) return;
  std::vector<fs::path> moving;
  for (fs::directory_iterator it(base / "new", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec) && it->path().filename().string().rfind('.', 0) != 0) moving.push_back(it->path());
  }
  for (const auto& p : moving) {
    std::string name = p.filename().string();
    if (name.find(':') == std::string::npos) name += ":2,";
    std::error_code rec;
    fs::rename(p, base / "cur" / name, rec);  // on failure the file simply stays in new/
  }
}

// list - UIDs and CRLF sizes.
ListResult MaildirStore::list(std::string_view mailbox) const {
  ListResult r;
  if (unavailable(mailbox)) {
    r.status = StoreStatus::TempFailure;
    r.detail = "mailbox temporarily unavailable";
    return r;
  }
  std::vector<Entry> entries;
  if (!scan(mailbox, entries, r.detail, true)) {
    r.status = StoreStatus::TempFailure;
    return r;
  }
  r.messages.reserve(entries.size());
  for (auto& e : entries) r.messages.push_back({std::move(e.uid), e.size});
  return r;
}

// path_of - the current file of a message.
std::string MaildirStore::path_of(std::string_view mailbox, std::string_view uid) const {
  std::vector<Entry> entries;
  std::string error;
  if (!scan(mailbox, entries, error, false)) return "";
  for (const auto& e : entries) {
    if (e.uid == uid) return e.path;
  }
  return "";
}

// read - the file's bytes with CRLF line ends.
MessagePtr MaildirStore::read(std::string_view mailbox, std::string_view uid) const {
  const std::string path = path_of(mailbox, uid);
  if (path.empty()) return nullptr;
  std::string bytes;
  if (!read_file(path, bytes)) return nullptr;
  return std::make_shared<const std::string>(canonical_crlf(bytes));
}

// remove - unlink the message's file.
StoreResult MaildirStore::remove(std::string_view mailbox, std::string_view uid) {
  const std::string path = path_of(mailbox, uid);
  if (path.empty()) return {StoreStatus::NotFound, "", "no message " + std::string(uid.substr(0, 70))};
  std::error_code ec;
  if (!fs::remove(path, ec) || ec) {
    return {StoreStatus::TempFailure, "", "cannot remove " + path + (ec ? ": " + ec.message() : std::string())};
  }
  return {StoreStatus::Ok, std::string(uid), ""};
}

// mailboxes - subdirectories of root that look like Maildirs.
std::vector<std::string> MaildirStore::mailboxes() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code dec;
    if (!it->is_directory(dec)) continue;
    std::string name = it->path().filename().string();
    if (valid_mailbox_name(name) && fs::is_directory(it->path() / "cur", dec)) out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace smtpsim::mail
