// mail_dsn_parse.cpp - reading a multipart/report delivery-status message back into fields.
#include "sim/mail/mail_dsn.hpp"
#include "sim/mail/mail_mime.hpp"

namespace smtpsim::mail {

namespace {

// after_type - "rfc822; bob@b.example" -> "bob@b.example"; a value without ';' trimmed.
std::string after_type(std::string_view v) {
  std::size_t semi = v.find(';');
  if (semi != std::string_view::npos) v.remove_prefix(semi + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return std::string(v);
}

// lookup - a field value by name in a group ("" if absent).
std::string lookup(const DsnFields& f, std::string_view name) {
  for (const auto& [k, v] : f)
    if (iequals(k, name)) return v;
  return "";
}

// decoded_body - a part's body with its Content-Transfer-Encoding undone (QP, base64).
std::string decoded_body(const Message& part) {
  std::string cte = part.get("Content-Transfer-Encoding").value_or("");
  if (iequals(cte, "quoted-printable")) return qp_decode(part.body());
  if (iequals(cte, "base64")) return base64_decode_lenient(part.body()).value_or(part.body());
  return part.body();
}

// field_groups - the blank-line separated groups of a delivery-status body.
std::vector<DsnFields> field_groups(std::string_view body) {
  std::vector<DsnFields> groups;
  std::string rest(body);
  for (int guard = 0; guard < 100000 && !rest.empty(); ++guard) {
    Message g = Message::parse(rest);
    if (g.headers().empty()) {
      if (!g.has_separator()) break;  // junk that is not a field
      rest = g.body();
      continue;
    }
    DsnFields f;
    for (const Header& h : g.headers()) f.emplace_back(h.name(), h.value());
    groups.push_back(std::move(f));
    if (!g.has_separator()) break;
    rest = g.body();
  }
  return groups;
}

}  // namespace

std::string ParsedDsnRecipient::field(std::string_view name) const { return lookup(fields, name); }

const ParsedDsnRecipient* ParsedDsn::find(std::string_view address) const {
  for (const ParsedDsnRecipient& r : recipients)
    if (iequals(r.final_recipient, address) || iequals(r.original_recipient, address)) return &r;
  return nullptr;
}

std::optional<ParsedDsn> parse_dsn(const Message& m, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<ParsedDsn> {
    if (error) *error = why;
    return std::nullopt;
  };
  auto ctv = m.get("Content-Type");
  if (!ctv) return fail("no Content-Type field");
  auto ct = parse_content_type(*ctv);
  if (!ct || !ct->is("multipart/report")) return fail("Content-Type is not multipart/report");
  auto rt = ct->param("report-type");
  if (rt && !iequals(*rt, "delivery-status")) return fail("report-type is not delivery-status");
  auto boundary = ct->param("boundary");
  if (!boundary || boundary->empty()) return fail("multipart/report without a boundary parameter");
  auto mp = split_multipart(m.body(), *boundary);
  if (!mp) return fail("no part delimited by the boundary");

  ParsedDsn d;
  d.boundary = *boundary;
  bool have_status = false, have_text = false;
  for (const std::string& raw : mp->parts) {
    Message part = Message::parse(raw);
    auto pct = parse_content_type(part.get("Content-Type").value_or("text/plain"));
    std::string type = pct ? pct->mime_type() : "text/plain";
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      if (have_status) continue;
      have_status = true;
      std::vector<DsnFields> groups = field_groups(decoded_body(part));
      if (groups.empty()) continue;
      d.message_fields = groups.front();
      d.reporting_mta = after_type(lookup(d.message_fields, "Reporting-MTA"));
      d.arrival_date = lookup(d.message_fields, "Arrival-Date");
      d.original_envelope_id = lookup(d.message_fields, "Original-Envelope-Id");
      for (std::size_t g = 1; g < groups.size(); ++g) {
        ParsedDsnRecipient r;
        r.fields = std::move(groups[g]);
        std::string orig = r.field("Original-Recipient");
        if (!orig.empty()) r.original_recipient = after_type(orig);
        r.final_recipient = after_type(r.field("Final-Recipient"));
        r.action = parse_dsn_action(r.field("Action"));
        r.status = r.field("Status");
        std::string rm = r.field("Remote-MTA");
        if (!rm.empty()) r.remote_mta = after_type(rm);
        r.diagnostic_code = r.field("Diagnostic-Code");
        r.last_attempt_date = r.field("Last-Attempt-Date");
        r.will_retry_until = r.field("Will-Retry-Until");
        d.recipients.push_back(std::move(r));
      }
    } else if (type == "message/rfc822" || type == "text/rfc822-headers" || type == "message/global" ||
               type == "message/global-headers") {
      if (d.returned_type.empty()) {
        d.returned_type = type;
        d.returned = part.body();
      }
    } else if (!have_text && pct && pct->type == "text") {
      have_text = true;
      d.human_text = decoded_body(part);
    }
  }
  if (!have_status) return fail("no message/delivery-status part");
  return d;
}

}  // namespace smtpsim::mail
