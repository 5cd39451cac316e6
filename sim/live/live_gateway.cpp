// live_gateway.cpp - proxying a simulated host's service to a real server: virtual stream on one
// side, an Asio socket on the other, bytes copied both ways with the clock caught up first.
#include "sim/live/live_gateway.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

#include "sim/roles/world.hpp"

namespace smtpsim::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Session - one proxied connection: the simulated client's stream and the real socket.
struct Gateway::Session : std::enable_shared_from_this<Session> {
  Session(Pump& p, StreamPtr s) : pump(p), v(std::move(s)), sock(p.io()) {}
  Pump& pump;
  StreamPtr v;
  tcp::socket sock;
  bool connected = false, writing = false, v_eof = false, done = false;
  std::string pending, inflight;
  std::array<char, 16384> buf{};

  // start - hook the virtual stream and dial the real server.
  void start(const tcp::endpoint& real, std::function<void(bool)> on_connect) {
    auto self = shared_from_this();
    StreamHandler h;
    h.on_data = [self](std::string_view b) {
      self->pending.append(b);
      self->flush();
    };
    h.on_eof = [self] {
      self->v_eof = true;
      self->flush();
    };
    h.on_closed = [self](CloseReason) { self->finish(false); };
    v->set_handler(std::move(h));
    sock.async_connect(real, [self, on_connect](const boost::system::error_code& ec) {
      if (self->done) return;
      self->pump.catch_up();
      on_connect(!ec);
      if (ec) {
        self->finish(true);  // the simulated client sees a reset, as from a dead server
      } else {
        boost::system::error_code ignored;
        self->sock.set_option(tcp::no_delay(true), ignored);
        self->connected = true;
        self->read();
        self->flush();
      }
      self->pump.catch_up();
    });
  }

  // flush - bytes from the simulated client to the real server; its FIN after them.
  void flush() {
    if (!connected || writing || done) return;
    if (pending.empty()) {
      if (v_eof) {
        boost::system::error_code ignored;
        sock.shutdown(tcp::socket::shutdown_send, ignored);
      }
      return;
    }
    writing = true;
    inflight.clear();
    inflight.swap(pending);
    asio::async_write(sock, asio::buffer(inflight), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                                 std::size_t) {
      self->writing = false;
      if (ec) {
        if (!self->done) {
          self->pump.catch_up();
          self->finish(true);
          self->pump.catch_up();
        }
        return;
      }
      self->flush();
    });
  }

  // read - bytes from the real server, written into the virtual stream at the pump's now.
  void read() {
    sock.async_read_some(asio::buffer(buf), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                         std::size_t n) {
      if (self->done) return;
      self->pump.catch_up();
      if (!ec) {
        self->v->write(std::string_view(self->buf.data(), n));
        self->read();
      } else if (ec == asio::error::eof) {
        self->v->close();
        self->finish(false);
      } else {
        self->finish(true);
      }
      self->pump.catch_up();
    });
  }

  // finish - end both sides once (abort: the simulated client sees a reset).
  void finish(bool abort) {
    if (done) return;
    done = true;
    boost::system::error_code ignored;
    sock.close(ignored);
    if (abort && v->is_open()) v->abort();
    v->set_handler({});
    v.reset();
  }
};

Gateway::Gateway(Pump& pump, World& world, std::vector<GatewaySpec> specs, bool allow_external)
    : pump_(pump), world_(world), specs_(std::move(specs)), allow_external_(allow_external) {}

Gateway::~Gateway() { *alive_ = false; }

void Gateway::open() {
  for (const GatewaySpec& g : specs_) {
    auto h = world_.net.find_host(g.host);
    if (!h) throw std::runtime_error("--gateway " + g.host + ": no host '" + g.host + "' in this lesson");
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(g.address, ec);
    if (ec) throw std::runtime_error("--gateway " + g.host + ": '" + g.address + "' is not an IP address");
    if (!addr.is_loopback() && !allow_external_)
      throw std::runtime_error("--gateway " + g.host + ": " + g.address +
                               " is not a loopback address (use --allow-external to reach other machines)");
    if (world_.net.listening(*h, g.port)) world_.net.unlisten(*h, g.port);
    tcp::endpoint real(addr, g.real_port);
    world_.net.listen(*h, g.port, [this, alive = alive_, g, real](StreamPtr s) {
      if (!*alive) return;
      ++sessions_;
      auto session = std::make_shared<Session>(pump_, std::move(s));
      session->start(real, [this, alive](bool ok) {
        if (*alive && !ok) ++failed_;
      });
    });
    world_.ctx.note(g.host, "gateway: port " + std::to_string(g.port) + " is served by the real server at " +
                                g.address + ":" + std::to_string(g.real_port));
  }
}

}  // namespace smtpsim::live
