// engine.hpp - the contract every protocol engine (SMTP/POP3, server/client) keeps with its driver.
//
// An engine does no I/O and reads no clock: the driver hands it bytes and the current virtual time,
// then drains what it produced. The same engine runs over a virtual link, an in-memory test pipe,
// or a real socket. TLS lives in the driver: when the engine asks for it, the driver first writes
// `bytes` in plaintext, then runs a TLS handshake and from then on encrypts/decrypts for the engine.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace smtpsim {

// ProtoEvent - something worth a trace line: a command or reply line sent, a protocol note.
struct ProtoEvent {
  enum class Kind : unsigned char {
    Command,  // a client command line was sent (text = line without CRLF; AUTH secrets masked)
    Reply,    // a server reply/response line was sent (code = 3-digit code, or 1 "+OK" / 2 "-ERR" for POP3)
    Data,     // a message body was sent or received (text = summary, code = byte count)
    Note,     // anything else: "discarded 14 bytes pipelined after STARTTLS", "timeout", ...
    Error,    // a protocol violation by the peer or a local failure
  };
  Kind kind = Kind::Note;
  int code = 0;
  std::string text;
  // rx (Command): a server's record of a line it received, not one it sent. answers (Reply): this
  // reply answers the last rx command of this engine (false: a greeting, a 421, a timeout reply).
  bool rx = false;
  bool answers = false;
};

// EngineOutput - what the driver must do after an engine call, in this order:
// write `bytes`; then, if start_tls, begin TLS (as this engine's side); then, if close, close.
struct EngineOutput {
  std::string bytes;
  std::vector<ProtoEvent> events;
  bool start_tls = false;
  bool close = false;

  bool empty() const { return bytes.empty() && events.empty() && !start_tls && !close; }
  // clear - empty, keeping the buffers' capacity for the next round.
  void clear() {
    bytes.clear();
    events.clear();
    start_tls = false;
    close = false;
  }
};

// TlsInfo - what the driver tells the engine when a TLS handshake ends.
struct TlsInfo {
  bool ok = false;
  std::string version;     // "TLSv1.3"
  std::string cipher;      // "TLS_AES_256_GCM_SHA384"
  bool peer_verified = false;
  std::string error;       // when !ok
};

class Engine {
 public:
  virtual ~Engine() = default;
  // on_open - the connection is established (a server sends its greeting here).
  virtual void on_open(SimTime now) = 0;
  // on_bytes - plaintext bytes arrived from the peer (already decrypted under TLS).
  virtual void on_bytes(std::string_view bytes, SimTime now) = 0;
  // on_tls - the TLS handshake the engine asked for has finished (or failed).
  virtual void on_tls(const TlsInfo& info, SimTime now) = 0;
  // on_timer - called at or after deadline(); the engine decides what expired.
  virtual void on_timer(SimTime now) = 0;
  // on_closed - the peer closed or the connection was lost; the engine must not write after this.
  virtual void on_closed(SimTime now) = 0;
  // deadline - when on_timer should next be called (kNever for none).
  virtual SimTime deadline() const = 0;
  // take_output - drain what the last calls produced.
  virtual EngineOutput take_output() = 0;
  // take_output_into - the same, into a driver's buffer whose capacity the engine may keep and
  // hand back later (no allocation per round); `into`'s old content is discarded.
  virtual void take_output_into(EngineOutput& into) { into = take_output(); }
  // finished - the engine has closed or finished its dialogue; the driver may drop it.
  virtual bool finished() const = 0;
};

}  // namespace smtpsim
