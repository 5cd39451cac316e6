// smtp_server_commands.cpp - the SMTP server's command handlers: HELO/EHLO, MAIL, RCPT, DATA
// (its start), RSET, NOOP, QUIT, VRFY, HELP, STARTTLS, and the policy checks they apply.
#include <cctype>

#include "sim/smtp/smtp_server.hpp"
#include "sim/core/ascii.hpp"

namespace smtpsim::smtp {
namespace {

// iequal - ASCII case-insensitive equality.
constexpr auto iequal = ascii_iequals;

// domain_of - the part after the last '@'.
std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

// bracketed - "<addr>" as Postfix quotes addresses in replies.
std::string bracketed(std::string_view address) { return "<" + std::string(address) + ">"; }

}  // namespace

// dispatch - run the handler of a command that the state table allows here.
void SmtpServer::dispatch(const CommandLine& c, const Transition& t, SimTime now) {
  switch (c.verb) {
    case Verb::Helo:
    case Verb::Ehlo: cmd_hello(c, now); return;
    case Verb::Mail: cmd_mail(c.arg, now); return;
    case Verb::Rcpt: cmd_rcpt(c.arg, now); return;
    case Verb::Data: cmd_data(c.arg, now); return;
    case Verb::Rset: cmd_rset(c.arg); return;
    case Verb::Noop: cmd_noop(); return;
    case Verb::Quit: cmd_quit(); return;
    case Verb::Vrfy: cmd_vrfy(c.arg); return;
    case Verb::Help: cmd_help(); return;
    case Verb::StartTls: cmd_starttls(c.arg); return;
    case Verb::Auth: cmd_auth(c.arg, now); return;
    default: break;
  }
  (void)t;
  reply(ReplyId::NotImplemented);
}

// parse_options - MAIL/RCPT parameters allowed by what EHLO offered.
ParseOptions SmtpServer::parse_options() const {
  ParseOptions o;
  o.strict = cfg_.strict_syntax;
  o.size = cfg_.size;
  o.eightbitmime = cfg_.eightbitmime;
  o.dsn = cfg_.dsn;
  o.auth = auth_offered();
  return o;
}

// reset_transaction - forget MAIL/RCPT (RSET, EHLO, after DATA).
void SmtpServer::reset_transaction() {
  env_ = Envelope{};
  rcpt_attempted_ = false;
}

// ehlo_keywords - the extension lines of the EHLO reply, in Postfix's order.
SmtpServer::EhloKeywords SmtpServer::ehlo_keywords() const {
  EhloKeywords k;
  if (cfg_.pipelining) k.add("PIPELINING");
  if (cfg_.size) k.add(size_keyword_);
  if (cfg_.tls_available && !facts_.tls) k.add("STARTTLS");
  if (auth_offered()) {
    if (cfg_.auth_plain && cfg_.auth_login) k.add("AUTH PLAIN LOGIN");
    else if (cfg_.auth_plain) k.add("AUTH PLAIN");
    else if (cfg_.auth_login) k.add("AUTH LOGIN");
    else k.add("AUTH");
  }
  if (cfg_.enhanced_status_codes) k.add("ENHANCEDSTATUSCODES");
  if (cfg_.eightbitmime) k.add("8BITMIME");
  if (cfg_.dsn) k.add("DSN");
  if (cfg_.help) k.add("HELP");
  return k;
}

// shown_address - "<address>" as Postfix quotes addresses in replies, in the reused shown_ buffer
// (valid until the next call).
std::string_view SmtpServer::shown_address(std::string_view address) {
  shown_.assign(1, '<');
  shown_ += address;
  shown_ += '>';
  return shown_;
}

// cmd_hello - EHLO / HELO: (re)start the session; a second one resets like RSET.
void SmtpServer::cmd_hello(const CommandLine& c, SimTime now) {
  (void)now;
  if (c.arg.empty() || c.arg.find(' ') != std::string_view::npos) {
    reply(ReplyId::HeloSyntax, {{"verb", verb_name(c.verb)}});
    return;
  }
  ServerBehaviour& b = policy_.behaviour;
  std::optional<ServerReply>& o = c.verb == Verb::Ehlo ? b.ehlo : b.helo;
  if (refused_by(o, ReplyId::HeloSyntax, {{"verb", verb_name(c.verb)}}, verb_name(c.verb))) return;
  reset_transaction();
  facts_.helo.assign(c.arg);
  facts_.esmtp = c.verb == Verb::Ehlo;
  state_ = ServerState::Ready;
  if (c.verb == Verb::Helo) {
    answer(o, ReplyId::HeloOk, {{"host", cfg_.hostname}}, /*bare=*/true);
    return;
  }
  const EhloKeywords keywords = ehlo_keywords();
  const TextVar host[] = {{"host", cfg_.hostname}};
  const ReplyEntry& ok = smtp_reply(ReplyId::EhloOk);
  // The first line (a behaviour's words and code, else the catalogue's), then the extensions
  // under the same code (RFC 5321 4.2.1).
  int code = ok.code;
  std::string_view enhanced = ok.enhanced;
  if (o) {
    const ServerReply r = *use_override(o);
    code = r.code >= 200 && r.code <= 599 ? r.code : 250;
    send_rendered(code, r.enhanced, r.text.empty() ? ok.text : std::string_view(r.text), host, keywords.count > 0);
    enhanced = "";
  } else {
    send_rendered(code, enhanced, ok.text, host, keywords.count > 0);
  }
  for (std::size_t i = 0; i < keywords.count; ++i)
    send_line(code, enhanced, keywords.lines[i], i + 1 < keywords.count);
}

// cmd_mail - MAIL FROM: start a transaction.
void SmtpServer::cmd_mail(std::string_view arg, SimTime now) {
  facts_.now = now;
  if (cfg_.tls_required && !facts_.tls) {
    reply(ReplyId::TlsRequired);
    return;
  }
  if (cfg_.msa_mode && facts_.auth_user.empty()) {
    reply(ReplyId::AuthRequired);
    return;
  }
  ParseResult<MailFrom> p = parse_mail_from(arg, parse_options());
  if (!p.ok) {
    reply(p.error.reply, {{"option", p.error.param}, {"param", p.error.param}});
    return;
  }
  if (p.value.params.size && *p.value.params.size > cfg_.max_message_size) {
    reply(ReplyId::SizeExceeded);
    return;
  }
  ServerBehaviour& b = policy_.behaviour;
  const std::string_view shown = shown_address(p.value.reverse_path);
  if (b.storage_full) {
    note("behaviour: storage full");
    reply(ReplyId::StorageFull);
    return;
  }
  if (refused_by(b.reject_sender, ReplyId::SenderRejected, {{"address", shown}}, "sender")) return;
  if (auto r = policy_.check_sender(facts_, p.value)) {
    reply_custom(*r, ReplyId::SenderRejected, {{"address", shown}, {"user", facts_.auth_user}});
    return;
  }
  reset_transaction();
  env_.mail = std::move(p.value);
  state_ = ServerState::Mail;
  answer(b.reject_sender, ReplyId::MailOk, {{"address", shown}});
}

// cmd_rcpt - RCPT TO: one recipient through the policy chain (see smtp_policy.hpp).
void SmtpServer::cmd_rcpt(std::string_view arg, SimTime now) {
  facts_.now = now;
  rcpt_attempted_ = true;
  ParseResult<RcptTo> p = parse_rcpt_to(arg, parse_options());
  if (!p.ok) {
    reply(p.error.reply, {{"option", p.error.param}, {"param", p.error.param}});
    return;
  }
  RcptTo& r = p.value;
  const std::string_view shown = shown_address(r.forward_path);
  if (env_.rcpts.size() >= cfg_.max_recipients) {
    reply(ReplyId::TooManyRecipients);
    return;
  }
  ServerBehaviour& b = policy_.behaviour;
  const bool chosen = b.reject_recipient_match.empty() || iequal(b.reject_recipient_match, r.forward_path);
  if (chosen && refused_by(b.reject_recipient, ReplyId::RecipientRejected, {{"address", shown}}, "recipient"))
    return;
  bool relay_ok = false;
  if (!r.postmaster) {
    std::string_view domain = domain_of(r.forward_path);
    if (policy_.is_local_domain(domain)) {
      if (!policy_.recipient_exists(r.forward_path)) {
        reply(ReplyId::UserUnknown, {{"address", shown}});
        return;
      }
    } else {
      relay_ok = policy_.may_relay(facts_);
      if (!relay_ok) {
        reply(ReplyId::RelayDenied, {{"address", shown}});
        return;
      }
    }
  }
  if (auto extra = policy_.check_recipient(facts_, env_, r)) {
    reply_custom(*extra, ReplyId::RecipientRejected, {{"address", shown}, {"user", facts_.auth_user}});
    return;
  }
  if (b.greylist && facts_.auth_user.empty() && !r.postmaster && !(relay_ok || policy_.may_relay(facts_))) {
    Greylist::Verdict v =
        policy_.greylist.check(facts_.client_ip, env_.mail.reverse_path, r.forward_path, now, b.greylist_config);
    if (!v.pass) {
      Duration secs = (v.wait + sec(1) - 1) / sec(1);
      note(std::string("greylisting ") + (v.first_seen ? "new triplet" : "retry too early") + " (" +
           facts_.client_ip + ", " + bracketed(env_.mail.reverse_path) + ", " + std::string(shown) + ")");
      reply(ReplyId::Greylisted, {{"address", shown}, {"seconds", std::to_string(secs)}});
      return;
    }
  }
  env_.rcpts.push_back(std::move(r));
  state_ = ServerState::Rcpt;
  if (chosen) answer(b.reject_recipient, ReplyId::RcptOk, {{"address", shown}});
  else reply(ReplyId::RcptOk);
}

// cmd_data - DATA: 354 and switch to message input.
void SmtpServer::cmd_data(std::string_view arg, SimTime now) {
  (void)now;
  if (!arg.empty()) {
    reply(ReplyId::NoArgsSyntax, {{"verb", "DATA"}});
    return;
  }
  if (refused_by(policy_.behaviour.data, ReplyId::NoValidRecipients, {}, "DATA")) return;
  rx_ = DataRx{};
  state_ = ServerState::Data;
  answer(policy_.behaviour.data, ReplyId::StartData, {}, /*bare=*/true);
}

// cmd_rset - RSET: drop the transaction, keep the session.
void SmtpServer::cmd_rset(std::string_view arg) {
  if (!arg.empty()) {
    reply(ReplyId::NoArgsSyntax, {{"verb", "RSET"}});
    return;
  }
  if (refused_by(policy_.behaviour.rset, ReplyId::LocalError, {}, "RSET")) return;
  reset_transaction();
  if (state_ != ServerState::Connected) state_ = ServerState::Ready;
  answer(policy_.behaviour.rset, ReplyId::Ok, {});
}

// cmd_noop - NOOP: 250, nothing else.
void SmtpServer::cmd_noop() {
  if (refused_by(policy_.behaviour.noop, ReplyId::LocalError, {}, "NOOP")) return;
  answer(policy_.behaviour.noop, ReplyId::Ok, {});
}

// cmd_quit - QUIT: 221 and close; a behaviour override is only the reply sent before closing.
void SmtpServer::cmd_quit() {
  std::optional<ServerReply>& o = policy_.behaviour.quit;
  if (o) reply_custom(*use_override(o), ReplyId::Closing, {{"host", cfg_.hostname}});
  else reply(ReplyId::Closing);
  close_session();
}

// cmd_vrfy - VRFY: never reveal, always 252 (RFC 5321 3.5.3).
void SmtpServer::cmd_vrfy(std::string_view arg) {
  if (arg.empty()) {
    reply(ReplyId::VrfySyntax);
    return;
  }
  if (refused_by(policy_.behaviour.vrfy, ReplyId::VrfySyntax, {}, "VRFY")) return;
  answer(policy_.behaviour.vrfy, ReplyId::VrfyCannot, {{"address", std::string(arg)}});
}

// cmd_help - HELP: the command list.
void SmtpServer::cmd_help() {
  std::string commands = "HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP";
  if (cfg_.tls_available) commands += " STARTTLS";
  if (cfg_.auth) commands += " AUTH";
  reply_lines(ReplyId::HelpCommands,
              {render_text(smtp_reply(ReplyId::HelpCommands).text, {{"commands", commands}}),
               std::string(smtp_reply(ReplyId::HelpEnd).text)});
}

// cmd_starttls - STARTTLS: 220, then the driver runs TLS. Pipelined plaintext is discarded.
void SmtpServer::cmd_starttls(std::string_view arg) {
  if (!arg.empty()) {
    reply(ReplyId::NoArgsSyntax, {{"verb", "STARTTLS"}});
    return;
  }
  if (facts_.tls) {
    reply(ReplyId::TlsAlreadyActive);
    return;
  }
  if (refused_by(policy_.behaviour.starttls, ReplyId::TlsUnavailable, {}, "STARTTLS")) return;
  if (!cfg_.tls_available) {
    reply(ReplyId::TlsUnavailable);
    return;
  }
  answer(policy_.behaviour.starttls, ReplyId::ReadyTls, {});
  stage_.start_tls = true;
  state_ = ServerState::StartTls;
  std::size_t pending = in_.size() - in_pos_;
  if (pending > 0) {
    error("discarded " + std::to_string(pending) +
          " octets of plaintext pipelined after STARTTLS (CVE-2011-0411): " + preview_pending(Verb::StartTls));
    in_pos_ = in_.size();
  }
  discarding_ = false;
}

}  // namespace smtpsim::smtp
