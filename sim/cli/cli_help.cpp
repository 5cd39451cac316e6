// cli_help.cpp - the --help texts of smtpsim and its subcommands.
#include "sim/cli/cli_commands.hpp"

namespace smtpsim::cli {

const char* const kMainHelp =
    R"(smtpsim - a deterministic SMTP/POP3 network simulator for teaching

Usage: smtpsim COMMAND [ARGS...]

Commands:
  run FILE...             run lessons; print the expectations and a summary
  validate FILE...        check lesson files without running them
  list                    the lessons in scenarios/lessons with their titles
  explain CODE            what a reply means: 550, 5.1.1, "550 5.1.1", "-ERR [IN-USE]"
  explain retry           the retry schedules of story, sendmail, postfix and exim side by side
  talk FILE HOST:PORT     type SMTP or POP3 by hand at a server of a running lesson (like telnet)
  live FILE --expose ...  run a lesson in real time; real mail clients connect over loopback
  help [COMMAND]          this text, or the help of a command

Options:
  -h, --help              help (also after any command: smtpsim run --help)
  --version               the program's version

Exit status: 0 every expectation passed and no mail was lost; 1 an expectation failed or mail was
lost; 2 unusable input (bad flags, unreadable or invalid file); 3 internal error (a bug - please
report it with the lesson file).
)";

const char* const kRunHelp =
    R"(Usage: smtpsim run FILE... [options]

Runs each lesson to its end (a fixed `until`, or until the mail is quiet), then prints every
expectation (PASS/FAIL with the evidence), ledger problems if any, and one summary line.
Flags may come before or after the files.

Options:
  --seed N               seed every random choice with N instead of the file's seed
  --until DURATION       stop at this virtual time instead of the file's run length (90m, 6h, 2d)
  --transcript           print the transcript (one line per command, reply and event, with virtual
                         time, hosts and direction) while the run goes
  --events FILE.jsonl    write every trace event as JSON Lines (fields: sim/export/EVENTS.md)
  --pcap FILE            write a pcap capture of every connection and DNS query (open with
                         Wireshark/tshark)
  --keylog FILE          write the secrets of every TLS session in the NSS key log format, so the
                         capture's SMTP and POP3 inside STARTTLS/STLS can be read:
                         tshark -r run.pcap -o tls.keylog_file:FILE (Wireshark: Preferences >
                         Protocols > TLS > (Pre)-Master-Secret log filename)
  --summary-json FILE    write the results as JSON: per run the seed, the figures of the summary
                         line, every expectation, the trace hash, the number of events, the virtual
                         end time and the wall time
  -h, --help             this text

With several FILEs each runs in turn under a header, and the exit status is the worst of them.
--events, --pcap and --keylog then need "{name}" in the path (replaced by each lesson's file name without
.yaml), so that runs do not overwrite each other; --summary-json holds all runs in one document.
A progress line (virtual time reached, events per second) appears on stderr for long runs when
stderr is a terminal.

Exit status: 0 all expectations passed and no mail was lost, 1 otherwise, 2 unusable input,
3 internal error.
)";

const char* const kValidateHelp =
    R"(Usage: smtpsim validate FILE... [--quiet]

Loads each lesson file and reports every problem in it as file:line:column: message (warnings as
file:line:column: warning: message), or a one-line description of a valid lesson.

Options:
  -q, --quiet    print only the problems
  -h, --help     this text

Exit status: 0 every file is valid (warnings allowed), 2 a file is unreadable or invalid.
)";

const char* const kListHelp =
    R"(Usage: smtpsim list [--dir DIR] [--long]

Lists the lessons (*.yaml) with their level and title. The directory is the first that exists of:
--dir DIR, $SMTPSIM_LESSONS, ./scenarios/lessons, <program dir>/../scenarios/lessons.

Options:
  --dir DIR      look in DIR
  -l, --long     also print each lesson's summary and tags
  -h, --help     this text

Exit status: 0 listed (invalid lessons are listed as such), 2 no lesson directory was found.
)";

const char* const kExplainHelp =
    R"(Usage: smtpsim explain CODE
       smtpsim explain retry [PRESET]

Explains replies from the reply catalogue the simulated servers use: the text they send, what it
means, what a client does next, and the RFC. CODE may be
  550             every SMTP reply with that code
  5.1.1           every reply with that enhanced status code (RFC 3463), and its meaning
  "550 5.1.1"     that exact reply (also written as two words: explain 550 5.1.1)
  +OK, -ERR       POP3 replies; "-ERR [IN-USE]" or [IN-USE] for one response code (RFC 2449)
  smtp.greylisted an entry by its catalogue key

`explain retry` prints the retry presets (story, sendmail, postfix, exim): their rules, the
attempt times of each for a destination that never answers over the first 6 hours, and when each
warns and bounces. `explain retry PRESET` lists every attempt of one preset until the bounce.

Exit status: 0 explained, 2 nothing in the catalogue matches.
)";

const char* const kTalkHelp =
    R"(Usage: smtpsim talk FILE HOST:PORT [--crlf] [--raw] [--seed N]

The classic exercise of typing SMTP or POP3 by hand (like `telnet mx 25`), against a server of a
running lesson. A host named "terminal" joins the lesson's network and connects to HOST:PORT; the
lesson runs on in virtual time around the conversation.

The terminal reaches HOST over a private 1 ms link of its own, not over the lesson's links: it
bypasses the lesson's path to HOST (the Internet, routers, cluster links), so the lesson's faults on
that path - a link down, a host cut off, latency, loss - do not apply to this conversation. That is
what lets you talk to a host the lesson has cut off, or to one with no Internet link (like an MSA).
The first status line names the links it bypasses. Faults of HOST itself (crashes, its replies)
still apply.

Each line read from stdin is sent exactly as given (one write per line) and the simulation then
runs on 2 virtual seconds; what the server sends is printed as it arrives. At the end of input the
sending side is closed and the simulation runs on until the server closes (at most 10 virtual
seconds). "Connection closed by foreign host." is printed when the server closes, as telnet does.
Works the same with a terminal and with piped input:

  printf 'EHLO me\r\nQUIT\r\n' | smtpsim talk story.yaml mx1.b.example:25
  smtpsim talk story.yaml pop.b.example:110 --crlf

Real mail clients can talk through it too: with --raw, stdout carries only the server's bytes
(telnet's status lines go to stderr) and stdin is passed on as it arrives, chunk by chunk, not
line by line - so STARTTLS/STLS and the TLS handshake after it work:

  swaks --pipe "smtpsim talk story.yaml mx1.b.example:25 --raw" --to b@b.example --tls

Clients that need a TCP port (curl, openssl s_client, Python's smtplib/poplib) go through a bridge:

  socat TCP-LISTEN:2525,reuseaddr,fork EXEC:"smtpsim talk story.yaml mx1.b.example:25 --raw"
  curl --ssl-reqd -k smtp://127.0.0.1:2525 --mail-from a@a.example --mail-rcpt b@b.example -T msg.txt

Options:
  --crlf        send each line ending LF as CRLF (what SMTP and POP3 require; for typing)
  --raw         for clients: stdin passed on as it arrives (no line buffering, no CRLF
                repair, so TLS works), only the server's bytes on stdout, status lines on stderr
  --seed N      seed the lesson with N instead of the file's seed
  -h, --help    this text

Exit status: 0 the conversation ended, 1 the connection failed or was reset, 2 unusable input
(bad flags, invalid file, unknown host, nothing listening on that port).
)";

const char* const kLiveHelp =
    R"(Usage: smtpsim live FILE --expose HOST:PORT[=127.0.0.1:LOCALPORT] ... [options]

Runs the lesson in real time - the virtual clock follows the wall clock, times --speed - and lets
real mail clients (swaks, curl, Python, Thunderbird, openssl s_client) talk to its servers. Each
--expose opens a real socket on loopback for one lesson server; a connection to it arrives at
that host itself and is answered by the host's own SMTP/POP3 engine, behaviours, faults and TLS,
and the mail it takes travels on over the lesson's links like any other. The lesson's `until` is
ignored: it runs until Ctrl-C / SIGTERM (or --for), then prints what is still queued.

Once everything listens (and the CA file is written) one line is printed and flushed:
  ready mx1.b.example:25=127.0.0.1:2525 pop.b.example:110=127.0.0.1:41234
LOCALPORT 0 (or leaving "=..." out) picks a free port; the ready line says which.

  smtpsim live story.yaml --expose msa.a.example:587=127.0.0.1:2587 \
      --expose pop.b.example:110=127.0.0.1:2110 --write-ca ca.pem --transcript
  swaks --server 127.0.0.1:2587 --tls --tls-ca-path ca.pem --auth-user alice ...
  curl --ssl-reqd --cacert ca.pem pop3://127.0.0.1:2110/1 -u bob:...

TLS: STARTTLS / STLS use the simulation's CA (--write-ca saves it); in live mode every server
certificate also names localhost, 127.0.0.1 and ::1. Live sessions draw real randomness.

Safety: binds loopback only (unless --allow-external); at most --max-connections real clients at
once (more get 421 / -ERR); each is cut after --idle-timeout without a byte from it or after
--session-timeout in all; the engines' line, command and message size limits apply; a real client
without AUTH may only send to the lesson's own domains, even where the MSA has `auth: optional`;
AUTH needs STARTTLS first unless the lesson says otherwise.

Options:
  --expose HOST:PORT=ADDR:LOCALPORT   a lesson server reachable at ADDR:LOCALPORT (repeatable)
  --gateway HOST[:PORT]=ADDR:REALPORT the lesson host's service (default port 25) is the real
                       server at ADDR:REALPORT: simulated clients reach it over the lesson's links
                       (e.g. an MX played by python3 -m aiosmtpd or Postfix's smtp-sink; repeatable)
  --speed X            virtual seconds per wall second (default 1; 60 = a minute per second)
  --for DURATION       stop after this much wall time (e.g. 30s, 10m); default: until a signal
  --write-ca FILE      write the simulation CA's certificate (PEM) before the ready line
  --events FILE        the trace as JSON lines, streamed as it happens
  --pcap FILE          the trace as a pcap capture (the real clients' connections included)
  --transcript         the transcript on stdout as it happens
  --seed N             seed the lesson with N instead of the file's seed
  --allow-external     allow binding and accepting non-loopback addresses
  --max-connections N  real clients at once (default 100)
  --idle-timeout D     cut a real client silent for this long (wall time; default 5m)
  --session-timeout D  cut a real client connected this long (wall time; default 30m)
  -h, --help           this text

Exit status: 0 stopped cleanly, 2 unusable input (bad flags, invalid file, unknown host, nothing
listening on that port, address in use), 3 internal error.
)";

}  // namespace smtpsim::cli
