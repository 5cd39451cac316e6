// tls_engine_pipe.hpp - joins a client and a server Engine in memory on a virtual clock, with real
// STARTTLS: the reference driver for the engine contract, and the harness for SMTP/POP3 tests.
//
// What it does, all in virtual time (sim/core/scheduler):
//  - opens both engines at options.start (server first, then client: the greeting comes first);
//  - carries each engine's output to the other after options.one_way_delay, optionally cut into
//    segments of at most options.max_segment bytes (each arrives as its own on_bytes call);
//  - calls on_timer when an engine's deadline() comes;
//  - TLS: when an engine's output has start_tls, its `bytes` go out in plaintext first, then that
//    side becomes a TLS endpoint (tls::Session: client side for the client engine, server side for
//    the server engine). From then on EVERYTHING that reaches that side goes to TLS, and everything
//    the engine writes is encrypted. Plaintext that reached the engine earlier (say, commands
//    pipelined behind "STARTTLS\r\n" in the same segment) was already handed to on_bytes: dropping
//    it is the engine's job (the STARTTLS injection defence, CVE-2011-0411). Plaintext that arrives
//    after the switch is fed to TLS as ciphertext and breaks the handshake, as on a real server.
//    When a handshake ends, the engine gets on_tls(TlsInfo) before any decrypted bytes.
//  - a failed handshake: on_tls(ok=false), then the connection is dead for that engine: whatever
//    it writes is dropped, it gets on_closed unless it closed itself, and the pipe closes that side
//    (the TLS alert OpenSSL produced still goes out, then FIN).
//  - close: EngineOutput.close (or the end of a dead connection) sends close_notify under TLS, then
//    FIN. The peer gets on_closed when the close_notify or the FIN reaches it (whichever first),
//    unless it already closed. Bytes that reach a side after it closed are dropped (recorded).
//  - it records a transcript (records()) of every step with virtual time and side.
//
// Determinism: the pipe itself is deterministic; make the contexts in a seeded library context
// (TlsOptions::lib = pki.lib() or a tls::LibContext::seeded(seed)) to make the ciphertext reproducible.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/tls/tls_context.hpp"
#include "sim/tls/tls_session.hpp"

namespace smtpsim::tls {

enum class Side : unsigned char { Client, Server };
// to_string - "client" / "server".
const char* to_string(Side s);
// other - the opposite side.
inline Side other(Side s) { return s == Side::Client ? Side::Server : Side::Client; }

struct PipeOptions {
  SimTime start = 0;               // when both engines are opened
  Duration one_way_delay = 0;      // time from a write to its arrival
  std::size_t max_segment = 0;     // cut every write into segments of at most this size; 0 = whole
  std::optional<ServerContext> server_tls;  // used when the server engine asks for TLS
  std::optional<ClientContext> client_tls;  // used when the client engine asks for TLS
  ClientParams client_params;               // server name the client expects (SNI + name check)
};

// PipeRecord - one line of the transcript.
struct PipeRecord {
  enum class Kind : unsigned char {
    Open,      // on_open was called on `side`
    Write,     // side's engine wrote `bytes` (plaintext, before any encryption)
    Wire,      // side put `bytes` on the wire (ciphertext when tls); `arrive` = arrival time
    Deliver,   // `bytes` (plaintext) handed to side's engine in on_bytes
    Event,     // side's engine reported `event`
    TlsStart,  // side became a TLS endpoint (its engine asked for start_tls)
    TlsDone,   // side's handshake ended; `text` = "TLSv1.3 TLS_AES_256_GCM_SHA384 verified" or "failed: why"
    Timer,     // on_timer was called on side
    Close,     // side closed its end; `text` = why ("engine", "TLS failed", "peer closed", ...)
    Closed,    // on_closed was called on side; `text` = what ended it ("FIN", "close_notify", ...)
    Drop,      // `bytes` were dropped at side; `text` = why
  };
  SimTime time = 0;
  Side side = Side::Client;
  Kind kind = Kind::Open;
  bool tls = false;      // Wire: the bytes are TLS records; Write/Deliver: the plaintext went through TLS
  std::string bytes;
  ProtoEvent event;      // Event only
  std::string text;
  SimTime arrive = 0;    // Wire only
};
// to_string - "open", "write", "wire", "deliver", "event", "tls-start", "tls-done", "timer",
// "close", "closed", "drop".
const char* to_string(PipeRecord::Kind k);

// PipeStop - why run() returned.
enum class PipeStop : unsigned char {
  Finished,   // both engines finished() (or both sides closed) and nothing is in flight
  Idle,       // nothing left to do but the engines are not finished: they wait for each other
  TimeLimit,  // the next event is after `until` (the clock is left at `until`)
  StepLimit,  // max_steps events ran
};
const char* to_string(PipeStop s);

class EnginePipe {
 public:
  // EnginePipe - join two engines (not owned; they must outlive the pipe). Nothing runs yet.
  EnginePipe(Engine& client, Engine& server, PipeOptions options = {});
  ~EnginePipe();
  EnginePipe(const EnginePipe&) = delete;
  EnginePipe& operator=(const EnginePipe&) = delete;

  // run - process events in time order until a stop condition; may be called again to go on.
  PipeStop run(SimTime until = kNever, std::size_t max_steps = 1'000'000);
  SimTime now() const { return sched_.now(); }

  // records - the transcript, in the order things happened.
  const std::vector<PipeRecord>& records() const { return records_; }
  // format - the transcript as aligned text lines (bytes escaped, ciphertext as a hex summary).
  std::string format() const;

  // wire - every byte `from` put on the wire, in order (plaintext, then TLS records after STARTTLS).
  const std::string& wire(Side from) const;
  // wire_before_tls / wire_after_tls - the wire bytes of `from` split where it became a TLS
  // endpoint (all of it is "before" if it never did).
  std::string wire_before_tls(Side from) const;
  std::string wire_after_tls(Side from) const;
  // written - all plaintext side's engine wrote; delivered - all plaintext it was given.
  const std::string& written(Side s) const;
  const std::string& delivered(Side s) const;
  // events - the ProtoEvents side's engine reported.
  const std::vector<ProtoEvent>& events(Side s) const;
  // tls_info - what on_tls told side's engine (nullopt if it never started TLS / not finished).
  const std::optional<TlsInfo>& tls_info(Side s) const;
  // session - side's TLS endpoint (nullptr before STARTTLS); for keylog, peer cert, version...
  const Session* session(Side s) const;
  bool closed(Side s) const;

 private:
  struct End;
  End& end(Side s);
  const End& end(Side s) const;
  void record(Side s, PipeRecord::Kind k, std::string bytes = {}, std::string text = {}, bool tls = false);
  void open_all();
  void process(Side s);
  void send(Side s, std::string_view plain);
  void flush_tls(Side s);
  void put_wire(Side s, std::string bytes, bool tls);
  void begin_tls(Side s);
  void arrive(Side s, const std::string& bytes);
  void after_tls_io(Side s);
  void report_tls(Side s);
  void deliver(Side s, std::string bytes);
  void peer_ended(Side s, const char* how);
  void connection_lost(Side s, const std::string& why);
  void close_side(Side s, const std::string& why);
  void update_timer(Side s);
  bool done() const;

  PipeOptions opts_;
  Scheduler sched_;
  std::unique_ptr<End> ends_[2];
  std::vector<PipeRecord> records_;
  std::size_t in_flight_ = 0;
  bool opened_ = false;
};

}  // namespace smtpsim::tls
