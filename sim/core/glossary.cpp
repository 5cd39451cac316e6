// glossary.cpp - the glossary's entries (one table, read by the CLI and the visualizer) and lookup.
#include "sim/core/glossary.hpp"

#include <unordered_map>

#include <array>

namespace smtpsim {

namespace {

// kGlossary - the terms, grouped: roles, protocols and their parts, the message, the queue, DNS.
constexpr GlossaryEntry kGlossary[] = {
    // ---- roles: who does what on the way from sender to reader
    {"MUA", "Mail User Agent, mail client, mail program",
     "Mail User Agent: the program a person reads and writes mail with (Thunderbird, Outlook, a phone app).",
     "The Mail User Agent is the mail program on a person's own device. It hands a new message to its "
     "provider's submission server (the MSA) with SMTP, usually on port 587 after logging in, and later "
     "fetches the mail that arrived for its owner from a POP3 (or IMAP) server. It never talks to the "
     "receiver's servers directly.",
     "RFC 5598 §2.1, RFC 6409"},
    {"MSA", "Mail Submission Agent, submission server, submission",
     "Mail Submission Agent: the server that takes a new message from its own users' mail programs (port 587, login required).",
     "The Mail Submission Agent is the first server a new message reaches. It listens on port 587 (or 465 "
     "with TLS from the start), asks the mail program to log in (AUTH) so that only its own users can send "
     "through it, checks and completes the message (a Date or Message-ID it lacks), and passes it on to an "
     "MTA for the journey across the Internet (in many lessons it is that MTA too).",
     "RFC 6409, RFC 5598 §2.2.1"},
    {"MTA", "Mail Transfer Agent, mail server",
     "Mail Transfer Agent: a server that carries mail towards its destination with SMTP, queueing and retrying it.",
     "A Mail Transfer Agent takes responsibility for a message (by answering 250 to its end of data), looks "
     "up where the recipient's domain receives mail (its MX records) and passes the message on with SMTP. "
     "When the next server cannot take it now, the MTA keeps the message in its queue and tries again "
     "later; when it gives up, it sends a bounce to the sender. Postfix, Exim and Sendmail are MTAs.",
     "RFC 5321 §2.3.3, RFC 5598 §2.2.2"},
    {"MX", "mail exchanger, MX record, MX host, mail exchange",
     "Mail eXchanger: the server a domain names in DNS (its MX record) to receive its mail.",
     "A domain says which servers accept mail for it with MX records in DNS, each with a preference number: "
     "lower numbers are tried first, equal ones in any order, and a sender falls back to the next when one "
     "does not answer or says 'try later'. 'MX' means both the DNS record and the server it names (mx1, "
     "mx2). If a domain has no MX record, senders try its address (A/AAAA) record instead.",
     "RFC 5321 §5.1, RFC 1035 §3.3.9"},
    {"MDA", "Mail Delivery Agent, local delivery, delivery agent, LDA",
     "Mail Delivery Agent: the program that puts an arrived message into the recipient's mailbox.",
     "The Mail Delivery Agent is the last step of the journey: the receiving MTA hands it the message and it "
     "writes it into the recipient's mailbox (a maildir or mbox file), where a POP3 or IMAP server can find "
     "it. Only when the MDA has stored it is the message 'delivered'. procmail, Dovecot's LDA and Postfix's "
     "local(8) are MDAs.",
     "RFC 5598 §2.2.3"},
    {"relay", "relaying, mail relay",
     "Relay: to pass a message on to another server instead of delivering it here.",
     "A server relays when it accepts a message for a domain that is not its own and sends it onwards. An "
     "MTA relays only for its own users (who logged in, or who are on its own network); for everyone else "
     "it accepts mail only for the domains it is responsible for, and refuses other recipients with "
     "'554 5.7.1 Relay access denied'.",
     "RFC 5321 §2.3.10, §3.6"},
    {"open relay", "open-relay, open mail relay",
     "Open relay: a server that passes on anyone's mail to anywhere - a spammer's tool, refused everywhere.",
     "An open relay is a server that relays mail from anyone to any domain, without a login. Spammers "
     "use open relays to hide where their mail comes from, so servers on the Internet block them. A "
     "correct MTA relays only for its own users and refuses other RCPTs for foreign domains (554 5.7.1).",
     "RFC 5321 §3.6.2, RFC 2505"},
    {"smarthost", "smart host, relayhost, relay host, outbound relay",
     "Smarthost: a server an MTA sends all outgoing mail through, instead of looking up each destination's MX.",
     "An MTA with a smarthost does not look up MX records: it passes every outgoing message to one fixed "
     "server (its 'relayhost' in Postfix), which does the MX lookups and the delivery. Companies and "
     "providers use it to send all mail out through one well-managed place.",
     "RFC 5321 §2.3.10"},
    {"cluster", "outbound cluster, mail cluster, server cluster",
     "Cluster: several MTAs that share the work of sending, behind one balancer.",
     "A cluster is a group of MTAs doing the same job, so that one busy or broken server does not stop the "
     "mail. A balancer spreads new messages over the members; each member keeps its own queue, so a "
     "message already accepted by one member is retried by that member.",
     ""},
    {"balancer", "load balancer, load-balancer, lb",
     "Balancer: the front that hands each new connection to one member of a cluster.",
     "A load balancer spreads connections over the servers of a cluster (in turn, or to the least busy) and "
     "stops sending to a member that does not answer. It does not speak SMTP itself: the client's "
     "conversation is with the member it was given.",
     ""},
    {"spool", "mail spool, spool directory",
     "Spool: the disk area where a server keeps mail it has accepted but not yet passed on or read.",
     "The spool is where mail waits on disk: an MTA's queue files, or the mailbox files the MDA writes for "
     "the POP3 server to read. Writing the message to the spool before answering 250 is what lets a server "
     "survive a crash without losing mail it has accepted.",
     "RFC 5321 §6.1"},

    // ---- protocols and their parts
    {"SMTP", "Simple Mail Transfer Protocol, ESMTP, Extended SMTP",
     "Simple Mail Transfer Protocol: the text protocol servers use to pass mail on (port 25, 587 for submission).",
     "SMTP is a conversation of text lines: the client sends commands (EHLO, MAIL FROM, RCPT TO, DATA, "
     "QUIT) and the server answers each with a three-digit reply code and a text. A 2xx reply means done, "
     "3xx go on, 4xx try again later, 5xx do not try again. ESMTP is SMTP with extensions (STARTTLS, AUTH, "
     "SIZE, PIPELINING) that the server lists in its answer to EHLO.",
     "RFC 5321"},
    {"POP3", "POP, Post Office Protocol, Post Office Protocol version 3",
     "Post Office Protocol 3: how a mail program fetches the mail waiting in its mailbox (port 110, 995 with TLS).",
     "POP3 lets a mail program log in to its mailbox, list the messages (LIST, UIDL), download them (RETR) "
     "and delete them (DELE, carried out at QUIT). Replies start with +OK or -ERR. A session passes through "
     "three states: AUTHORIZATION (logging in), TRANSACTION (working on the mailbox) and UPDATE (after "
     "QUIT, when deletions take effect).",
     "RFC 1939"},
    {"DNS", "Domain Name System, name server, resolver",
     "Domain Name System: the Internet's directory that turns names into addresses and tells where a domain's mail goes.",
     "DNS answers questions like 'which servers take mail for b.example?' (MX records) and 'what is the "
     "address of mx1.b.example?' (A/AAAA records). A sending MTA asks DNS before every delivery. An answer "
     "can also be 'no such domain' (NXDOMAIN, permanent) or 'could not find out' (SERVFAIL, temporary).",
     "RFC 1034, RFC 1035"},
    {"octet", "octets, byte, bytes",
     "Octet: a byte of 8 bits. Mail standards say 'octet' because 'byte' once meant other sizes.",
     "An octet is exactly 8 bits - what is now called a byte. Mail standards count sizes in octets: POP3's "
     "'+OK 2 320' means two messages of 320 octets in all, and SMTP's SIZE extension and its line limit "
     "(1000 octets including CR LF) are in octets.",
     "RFC 5321 §4.5.3.1, RFC 1939"},
    {"UIDL", "unique id listing, unique-id, unique id",
     "UIDL: the POP3 command that lists a permanent unique id for each message, so a client knows what it already has.",
     "Message numbers in POP3 (1, 2, 3...) change from one session to the next as messages are deleted. UIDL "
     "gives each message a unique id that stays the same, so a mail program that leaves mail on the server "
     "can tell which messages it downloaded before and fetch only the new ones.",
     "RFC 1939 §7"},
    {"STARTTLS", "start tls, starttls command",
     "STARTTLS: the SMTP command that turns a plain connection into an encrypted (TLS) one.",
     "A server that can encrypt lists STARTTLS in its EHLO answer. The client sends STARTTLS, the server "
     "answers 220, both run the TLS handshake on the same connection, and the SMTP conversation starts "
     "again (a new EHLO) inside the encryption. Everything after it - the login, the addresses, the message "
     "- is hidden from anyone on the wire.",
     "RFC 3207"},
    {"STLS", "pop3 starttls",
     "STLS: POP3's command to switch a plain connection to TLS (POP3's STARTTLS).",
     "STLS does for POP3 what STARTTLS does for SMTP: the client asks, the server answers +OK, the TLS "
     "handshake runs on the same connection, and the session continues encrypted, so the password and the "
     "mail are not sent in the clear.",
     "RFC 2595 §4"},
    {"TLS", "Transport Layer Security, SSL, encryption",
     "Transport Layer Security: the encryption that protects a connection (what HTTPS uses too).",
     "TLS encrypts a connection and lets the client check the server's certificate. Mail uses it in two "
     "ways: STARTTLS/STLS upgrade a plain connection after it starts (ports 25, 587, 110), and 'implicit TLS' "
     "starts encrypted from the first byte (ports 465, 995). Between MTAs it is often used without "
     "checking certificates, which stops eavesdropping but not an attacker in the middle.",
     "RFC 8446, RFC 8314"},
    {"MITM", "man in the middle, man-in-the-middle, eavesdropper, STARTTLS stripping, strip STARTTLS",
     "Man in the middle: a machine on the path that relays a conversation and can read or change what is not encrypted.",
     "A man in the middle sits on the wire between client and server (a spliced cable, a compromised "
     "router, a 'protocol inspecting' firewall) and relays both directions. It reads everything sent in "
     "plaintext. Because STARTTLS is offered in plaintext, it can also take the offer out of the EHLO "
     "answer (STARTTLS stripping): a sender with opportunistic TLS then goes on unencrypted. Against TLS "
     "it can only present a forged certificate, which a client that checks certificates refuses. MTA-STS "
     "and DANE let a sender insist on TLS for a domain.",
     "RFC 3207 §6, RFC 8461, RFC 7672"},
    {"AUTH", "SMTP AUTH, authentication, login, AUTH PLAIN, AUTH LOGIN",
     "AUTH: the SMTP command a mail program uses to log in to its submission server.",
     "AUTH logs a user in with a SASL mechanism (PLAIN, LOGIN, SCRAM...), which the server lists in its EHLO "
     "answer. A submission server (MSA) refuses to accept mail before a successful AUTH (530 5.7.0), and "
     "offers it only after STARTTLS so that the password is not sent in the clear. A successful login gets "
     "235, a wrong password 535.",
     "RFC 4954"},
    {"SASL", "Simple Authentication and Security Layer, sasl mechanism, mechanism",
     "SASL: the family of login methods (PLAIN, LOGIN, SCRAM) that SMTP's AUTH and other protocols share.",
     "SASL is a framework that separates how a password or token is exchanged (the 'mechanism') from the "
     "protocol carrying it. PLAIN sends user and password in one base64 line (safe only inside TLS); SCRAM "
     "proves knowledge of the password without sending it. SMTP, POP3, IMAP and LDAP all use SASL.",
     "RFC 4422, RFC 4616"},
    {"pipelining", "PIPELINING, command pipelining, pipelined",
     "Pipelining: sending several SMTP commands at once without waiting for each reply.",
     "With the PIPELINING extension a client may send MAIL, RCPT and DATA in one go and read the replies "
     "afterwards, which saves round trips on slow links. The server must answer them in order. Sending "
     "commands before the server has said it supports this, or before the greeting, is a sign of a badly "
     "written or hostile client, and many servers then drop it.",
     "RFC 2920"},
    {"reply code", "reply, status code, response code, smtp reply, 3-digit code",
     "Reply code: the three digits a server answers each command with - 2xx done, 3xx go on, 4xx later, 5xx never.",
     "Every SMTP reply starts with three digits. The first says what to do: 2 success, 3 go on (send the "
     "message after DATA's 354), 4 temporary failure (keep the message and try again later), 5 permanent "
     "failure (do not retry: bounce). The second says the topic (0 syntax, 1 information, 2 connection, "
     "5 mail system). The text after the digits is for people; programs read the digits.",
     "RFC 5321 §4.2"},
    {"enhanced status code", "enhanced status, extended status code, status code x.y.z, enhanced code, dsn status",
     "Enhanced status code: the x.y.z after a reply code (5.1.1 = no such mailbox) that says precisely what happened.",
     "An enhanced status code has three numbers: class (2 success, 4 temporary, 5 permanent), subject "
     "(1 addressing, 2 mailbox, 3 mail system, 4 network and routing, 5 protocol, 6 content, 7 security) "
     "and detail. '550 5.1.1' says more than 550 alone: the recipient's mailbox does not exist. Bounces "
     "(DSNs) carry the same codes in their Status: field.",
     "RFC 3463, RFC 2034"},
    {"AUTHORIZATION", "authorization state, pop3 authorization",
     "AUTHORIZATION: the first POP3 state - the client must log in (USER/PASS, APOP or AUTH) before anything else.",
     "A POP3 session starts in the AUTHORIZATION state after the server's +OK greeting. Only login commands "
     "(USER, PASS, APOP, AUTH), STLS, CAPA and QUIT are allowed. A successful login locks the mailbox and "
     "moves the session to TRANSACTION.",
     "RFC 1939 §4"},
    {"TRANSACTION", "transaction state, pop3 transaction",
     "TRANSACTION: the POP3 state after login, where the client lists, reads and marks messages for deletion.",
     "In the TRANSACTION state the client works on its mailbox: STAT, LIST, UIDL, RETR, TOP, DELE and RSET. "
     "DELE only marks a message; nothing is removed until QUIT moves the session to UPDATE. If the "
     "connection drops here instead, the marked messages stay.",
     "RFC 1939 §5"},
    {"UPDATE", "update state, pop3 update",
     "UPDATE: the POP3 state entered at QUIT, where the messages marked with DELE are really removed.",
     "When the client sends QUIT from the TRANSACTION state, the server enters UPDATE: it deletes the messages "
     "marked for deletion, releases the mailbox lock, answers +OK and closes. A session that ends any other "
     "way never reaches UPDATE, so no mail is deleted.",
     "RFC 1939 §6"},

    // ---- the message
    {"envelope", "smtp envelope, MAIL FROM, RCPT TO, envelope sender, return-path",
     "Envelope: the sender and recipients given with MAIL FROM and RCPT TO - what servers route by, not the From:/To: headers.",
     "Like a letter, a mail has an envelope and a content. The envelope is what the SMTP client says in MAIL "
     "FROM (where bounces go) and RCPT TO (who receives it); servers route by it. The From: and To: headers "
     "inside the message are for the reader and may differ: a Bcc recipient is on the envelope but in no "
     "header, and a mailing list's envelope sender is the list.",
     "RFC 5321 §2.3.1, RFC 5598 §4.1"},
    {"header", "headers, header field, header fields, mail header",
     "Header: the 'Name: value' lines at the top of a message (From, To, Subject, Date, Received), before the blank line.",
     "A message is a header and a body separated by an empty line. Each header field is 'Name: value' "
     "(From, To, Subject, Date, Message-ID). Servers add Received: fields at the top as the message travels. "
     "The headers are part of the content: servers route by the envelope, not by the To: header.",
     "RFC 5322 §2.2, §3.6"},
    {"Received", "Received header, received field, trace header",
     "Received: the header each server adds on top of a message, saying from whom and when it got it.",
     "Every server that accepts a message adds a 'Received: from X by Y with ESMTPS id Q for <rcpt>; date' "
     "line at the top. Read from the bottom up, the Received lines are the message's route and timing - "
     "where it waited, and which hops used TLS. A message that collects too many of them is in a loop and "
     "is bounced.",
     "RFC 5321 §4.4, RFC 5322 §3.6.7"},
    {"Message-ID", "message id, msgid, message-id header",
     "Message-ID: the unique id of a message (<...@domain>), set once and kept across every hop.",
     "The Message-ID header gives a message a worldwide unique name like <20261207.1234@a.example>. The "
     "sender's program or its MSA sets it once; every server keeps it, so it identifies the same message in "
     "every log, and replies refer to it (In-Reply-To). It is not the queue id, which each server gives its "
     "own copy.",
     "RFC 5322 §3.6.4"},
    {"DSN", "Delivery Status Notification, delivery report, NOTIFY, RET",
     "Delivery Status Notification: the standard form of a delivery report (a bounce or a delay warning).",
     "A DSN is a message sent back to the envelope sender saying what happened to a delivery: failed "
     "(a bounce), delayed (still trying), or, if asked for, delivered. It has a text part for people and a "
     "machine-readable part with each recipient's Action (failed, delayed), Status (an enhanced code such as "
     "5.1.1) and the remote server's last reply. It is sent with an empty envelope sender (MAIL FROM:<>) so "
     "that a DSN can never cause another one.",
     "RFC 3461, RFC 3464"},
    {"bounce", "bounced, bounce message, NDR, non-delivery report, non-delivery notification",
     "Bounce: the report a server sends back to the sender when it gives up on delivering a message.",
     "When a message cannot be delivered - a permanent 5xx refusal, or temporary failures until the give-up "
     "deadline - the server that holds it sends the sender a bounce (a DSN with Action: failed) that says "
     "which recipient failed and why, with the last reply it got. A server that answered 250 must bounce "
     "rather than drop a message: accepted mail is never silently lost.",
     "RFC 5321 §4.2.5, §6.1, RFC 3464"},

    // ---- the queue
    {"queue", "mail queue, queued, deferred queue",
     "Queue: where an MTA keeps messages it has accepted but not yet passed on, until they go or bounce.",
     "An MTA that answered 250 is responsible for the message. It stores it in its queue and tries to "
     "deliver it; if the next server does not answer or says 4xx, the message stays queued (deferred) and "
     "is tried again on a retry schedule, until it is delivered, refused with 5xx, or too old (the give-up "
     "deadline) - then it bounces.",
     "RFC 5321 §4.5.4"},
    {"queue id", "queue-id, queueid, queue ID, qid",
     "Queue id: the name one server gives its copy of a message (Postfix: 4Fq2Zx0Cj1z), seen in its log and Received: line.",
     "Each server that accepts a message stores it under its own queue id and says it in the 250 reply "
     "('250 2.0.0 Ok: queued as 4Fq2Zx0Cj1z') and in the Received: line it adds. Following one message "
     "through several servers means following several queue ids; the Message-ID stays the same throughout.",
     ""},
    {"retry", "retries, retry schedule, retry interval, backoff",
     "Retry: another delivery try of a deferred message, on a schedule that waits longer each time.",
     "After a temporary failure (no answer, or a 4xx reply) the MTA waits and tries the message again. The "
     "waits grow - Postfix starts at 5 minutes and doubles up to about an hour - so that a server that is "
     "down is not flooded when it comes back. Retries go on until the message is delivered, refused "
     "permanently, or reaches the give-up deadline. `smtpsim explain retry` shows the presets.",
     "RFC 5321 §4.5.4.1"},
    {"deferral", "deferred, defer, deferred delivery, temporary failure, 4xx",
     "Deferral: a delivery that failed for now (4xx or no answer); the message stays queued for a retry.",
     "A delivery is deferred when the receiving side says 'not now' (a 4xx reply such as 451 4.3.0) or "
     "cannot be reached. Nothing is lost and the sender is not told yet: the MTA keeps the message and "
     "retries later. Only if deferrals go on past the give-up deadline does it bounce.",
     "RFC 5321 §4.2.1, §4.5.4.1"},
    {"greylisting", "greylist, greylisted, grey listing, graylisting, graylist",
     "Greylisting: refusing mail from an unknown sender with 4xx once, knowing a real MTA retries and spamware does not.",
     "A greylisting server answers the first attempt from a new (client, sender, recipient) combination with "
     "a temporary refusal (450 or 451 4.7.1). A real MTA keeps the message and retries a few minutes later, "
     "and is then let through; many spam programs never retry. The cost is that the first mail from a new "
     "sender arrives minutes late.",
     "RFC 6647"},
    {"give-up deadline", "give up, give_up_after, maximal queue lifetime, queue lifetime, expiry, expire",
     "Give-up deadline: how long an MTA keeps retrying a message before it bounces it (Postfix: 5 days).",
     "Each queued message has a deadline counted from when the MTA accepted it (Postfix "
     "maximal_queue_lifetime, 5 days; the story lesson 4 hours). When a retry would come after it, the MTA "
     "stops and bounces the message with the status of its last failed attempt (4.3.0 after a "
     "'451 4.3.0' reply, 4.4.1 when no server answered) or, with no reason on record, 4.4.7 (delivery "
     "time expired).",
     "RFC 5321 §4.5.4.1, RFC 3463 (4.4.7)"},

    // ---- DNS answers
    {"null MX", "null-mx, nullmx, MX 0 ., no mail domain",
     "Null MX: an MX record '0 .' with which a domain says it accepts no mail at all.",
     "A domain that never receives mail publishes a single MX record with preference 0 and the host '.'. A "
     "sending MTA that sees it does not queue or retry: it bounces at once with 556 5.1.10, which tells the "
     "sender that the address cannot receive mail.",
     "RFC 7505"},
    {"NXDOMAIN", "no such domain, nonexistent domain, rcode 3",
     "NXDOMAIN: DNS's answer 'this domain does not exist' - a permanent failure, the mail bounces.",
     "When DNS says a recipient's domain does not exist (response code 3, NXDOMAIN), there is nowhere to "
     "deliver and nothing to wait for: the MTA bounces the message at once (5.1.2, bad destination "
     "system). Usually it means a typing error in the address.",
     "RFC 1035 §4.1.1, RFC 8020"},
    {"SERVFAIL", "server failure, dns timeout, rcode 2, temporary dns failure",
     "SERVFAIL: DNS's answer 'I could not find out' - a temporary failure, the mail stays queued and is retried.",
     "SERVFAIL (response code 2) means the DNS server could not get an answer, for example because the "
     "domain's own name servers are down. It says nothing about whether the domain exists, so the MTA "
     "defers the message (4.4.3) and retries later, just as for a 4xx reply.",
     "RFC 1035 §4.1.1"},
};

}  // namespace

// glossary_key - lower case; '-', '_' and runs of spaces become one space; quotes, angle brackets
// and a trailing ':' dropped.
std::string glossary_key(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\'' || c == '<' || c == '>') continue;
    if (c == '-' || c == '_' || c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ':')) out.pop_back();
  return out;
}

namespace {
// glossary_index - every entry's term and aliases, normalised once: key -> entry. Terms go in
// before aliases, both in table order, and the first entry for a key stays (as a scan would find).
const std::unordered_map<std::string, const GlossaryEntry*>& glossary_index() {
  static const std::unordered_map<std::string, const GlossaryEntry*> index = [] {
    std::unordered_map<std::string, const GlossaryEntry*> m;
    for (const GlossaryEntry& e : kGlossary) m.emplace(glossary_key(e.term), &e);
    for (const GlossaryEntry& e : kGlossary) {
      std::string_view rest = e.aliases;
      while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string key = glossary_key(rest.substr(0, comma));
        if (!key.empty()) m.emplace(std::move(key), &e);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    return m;
  }();
  return index;
}
}  // namespace

// glossary_find - the entry whose term (else alias) reads the same after normalising both sides.
const GlossaryEntry* glossary_find(std::string_view term) {
  const std::string key = glossary_key(term);
  if (key.empty()) return nullptr;
  const auto& index = glossary_index();
  auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

// glossary_all - the table as a span.
std::span<const GlossaryEntry> glossary_all() { return kGlossary; }

}  // namespace smtpsim
