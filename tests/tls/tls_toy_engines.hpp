// tls_toy_engines.hpp - two small line-protocol engines that keep the Engine contract, for testing
// the EnginePipe before the real SMTP/POP3 engines exist. Deliberately SMTP-shaped: a greeting,
// "NNN text" replies, STARTTLS with the injection defence, QUIT, an idle timeout.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/engine.hpp"

namespace toy {

using smtpsim::Duration;
using smtpsim::EngineOutput;
using smtpsim::kNever;
using smtpsim::ProtoEvent;
using smtpsim::SimTime;
using smtpsim::TlsInfo;

// take_line - pop one line (without its CRLF/LF) off the front of buf; false if none complete.
inline bool take_line(std::string& buf, std::string& line) {
  auto nl = buf.find('\n');
  if (nl == std::string::npos) return false;
  line = buf.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  buf.erase(0, nl + 1);
  return true;
}

struct ServerOptions {
  Duration idle_timeout = 0;   // 0 = none; else "421 idle timeout" and close
  bool fake_starttls = false;  // say 220 to STARTTLS but never start TLS (a broken server)
};

struct ClientOptions {
  Duration think = 0;  // wait this long after a reply before sending the next step
};

// Server - "200 toy ready"; ECHO x -> "250 x"; STARTTLS -> "220 go ahead" + TLS; QUIT -> "221 bye".
class Server : public smtpsim::Engine {
 public:
  using Options = ServerOptions;
  Server() = default;
  explicit Server(Options o) : opt_(o) {}

  std::vector<std::string> commands;  // every command line the server acted on
  std::string discarded;              // bytes thrown away after STARTTLS
  std::vector<TlsInfo> tls;           // on_tls calls
  bool closed_by_peer = false;

  void on_open(SimTime now) override {
    last_ = now;
    reply(200, "toy ready");
  }
  void on_bytes(std::string_view bytes, SimTime now) override {
    last_ = now;
    if (done_ || waiting_tls_) {  // nothing is read while the handshake runs (the driver sends TLS)
      if (waiting_tls_) discarded.append(bytes);
      return;
    }
    buf_.append(bytes);
    std::string line;
    while (!done_ && !waiting_tls_ && take_line(buf_, line)) {
      commands.push_back(line);
      if (line == "STARTTLS") {
        if (in_tls_) {
          reply(503, "TLS already active");
          continue;
        }
        reply(220, "go ahead");
        if (opt_.fake_starttls) continue;
        out_.start_tls = true;
        waiting_tls_ = true;
        if (!buf_.empty()) {  // the STARTTLS injection defence
          discarded += buf_;
          out_.events.push_back({ProtoEvent::Kind::Note, 0,
                                 "discarded " + std::to_string(buf_.size()) + " bytes pipelined after STARTTLS"});
          buf_.clear();
        }
      } else if (line.rfind("ECHO ", 0) == 0) {
        reply(250, line.substr(5));
      } else if (line == "QUIT") {
        reply(221, "bye");
        out_.close = true;
        done_ = true;
      } else {
        reply(500, "unknown command");
      }
    }
  }
  void on_tls(const TlsInfo& info, SimTime now) override {
    last_ = now;
    tls.push_back(info);
    waiting_tls_ = false;
    if (info.ok) in_tls_ = true;
    else done_ = true;
  }
  void on_timer(SimTime now) override {
    if (done_ || opt_.idle_timeout == 0 || now < last_ + opt_.idle_timeout) return;
    reply(421, "idle timeout");
    out_.close = true;
    done_ = true;
  }
  void on_closed(SimTime) override {
    closed_by_peer = true;
    done_ = true;
  }
  SimTime deadline() const override {
    return (done_ || opt_.idle_timeout == 0) ? kNever : last_ + opt_.idle_timeout;
  }
  EngineOutput take_output() override { return std::exchange(out_, EngineOutput{}); }
  bool finished() const override { return done_; }

 private:
  void reply(int code, const std::string& text) {
    std::string line = std::to_string(code) + " " + text;
    out_.bytes += line + "\r\n";
    out_.events.push_back({ProtoEvent::Kind::Reply, code, line});
  }

  Options opt_;
  EngineOutput out_;
  std::string buf_;
  SimTime last_ = 0;
  bool in_tls_ = false, waiting_tls_ = false, done_ = false;
};

// Client - sends its script one step per reply (each step is raw text; "STARTTLS..." steps start
// TLS when answered 220), optionally after a think time; closes after 221.
class Client : public smtpsim::Engine {
 public:
  using Options = ClientOptions;
  explicit Client(std::vector<std::string> script, Options o = {}) : script_(std::move(script)), opt_(o) {}

  std::vector<std::string> replies;  // every reply line received
  std::vector<TlsInfo> tls;
  bool closed_by_peer = false;

  void on_open(SimTime) override {}
  void on_bytes(std::string_view bytes, SimTime now) override {
    if (done_) return;
    buf_.append(bytes);
    std::string line;
    while (!done_ && take_line(buf_, line)) {
      replies.push_back(line);
      if (waiting_tls_) continue;  // plaintext after our STARTTLS was answered: ignore it
      if (last_sent_ == "STARTTLS" && line.rfind("220", 0) == 0) {
        out_.start_tls = true;
        waiting_tls_ = true;
        buf_.clear();
        continue;
      }
      if (line.rfind("221", 0) == 0) {
        out_.close = true;
        done_ = true;
        continue;
      }
      schedule_next(now);
    }
  }
  void on_tls(const TlsInfo& info, SimTime now) override {
    tls.push_back(info);
    waiting_tls_ = false;
    if (!info.ok) {
      done_ = true;
      return;
    }
    schedule_next(now);  // no greeting after STARTTLS: go on with the script
  }
  void on_timer(SimTime now) override {
    if (done_ || next_at_ == kNever || now < next_at_) return;
    next_at_ = kNever;
    send_next();
  }
  void on_closed(SimTime) override {
    closed_by_peer = true;
    done_ = true;
  }
  SimTime deadline() const override { return done_ ? kNever : next_at_; }
  EngineOutput take_output() override { return std::exchange(out_, EngineOutput{}); }
  bool finished() const override { return done_; }

 private:
  void schedule_next(SimTime now) {
    if (opt_.think == 0) send_next();
    else next_at_ = now + opt_.think;
  }
  void send_next() {
    if (step_ >= script_.size()) return;
    std::string raw = script_[step_++];
    if (raw.find('\n') == std::string::npos) raw += "\r\n";
    out_.bytes += raw;
    std::string copy = raw, line;
    last_sent_.clear();
    while (take_line(copy, line)) {
      out_.events.push_back({ProtoEvent::Kind::Command, 0, line});
      if (last_sent_.empty()) last_sent_ = line;  // the first line is the command we wait on
    }
  }

  std::vector<std::string> script_;
  Options opt_;
  EngineOutput out_;
  std::string buf_, last_sent_;
  std::size_t step_ = 0;
  SimTime next_at_ = kNever;
  bool waiting_tls_ = false, done_ = false;
};

}  // namespace toy
