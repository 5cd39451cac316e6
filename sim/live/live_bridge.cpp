// live_bridge.cpp - listening sockets for exposed lesson servers, the accept path into the
// simulation, the connection limit and the no-open-relay rule for real clients.
#include "sim/live/live_bridge.hpp"

#include <boost/asio/write.hpp>
#include <stdexcept>

#include "sim/core/ascii.hpp"
#include "sim/roles/world.hpp"

namespace smtpsim::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Bridge::Listener {
  Listener(asio::io_context& io, std::size_t i) : acceptor(io), index(i) {}
  tcp::acceptor acceptor;
  std::size_t index;  // into bound_
  HostId host = kNoHost;
};

namespace {

// ipv4_of - the IPv4 address the trace shows for a real peer (IPv6 loopback as 127.0.0.1).
std::uint32_t ipv4_of(const asio::ip::address& a) {
  if (a.is_v4()) return a.to_v4().to_uint();
  auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_uint();
  if (v6.is_loopback()) return 0x7f000001u;
  return 0;
}

// is_loopback - 127/8, ::1 or an IPv4-mapped loopback.
bool is_loopback(const asio::ip::address& a) {
  if (a.is_v4()) return a.to_v4().is_loopback();
  auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback();
  return v6.is_loopback();
}

// domain_of - the part after the last '@' ("" when none).
std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : ascii_lower_copy(address.substr(at + 1));
}

}  // namespace

Bridge::Bridge(Pump& pump, World& world, BridgeOptions opts) : pump_(pump), world_(world), opts_(std::move(opts)) {}

Bridge::~Bridge() {
  *alive_ = false;
  close();
}

void Bridge::open() {
  for (const Exposure& e : opts_.expose) {
    auto host = world_.net.find_host(e.host);
    if (!host) throw std::runtime_error("--expose " + e.host + ":" + std::to_string(e.port) + ": no host '" + e.host + "' in this lesson");
    if (!world_.net.listening(*host, e.port))
      throw std::runtime_error("--expose " + e.host + ":" + std::to_string(e.port) + ": " + e.host +
                               " does not listen on port " + std::to_string(e.port) + " in this lesson");
    boost::system::error_code ec;
    asio::ip::address addr = asio::ip::make_address(e.bind_address, ec);
    if (ec) throw std::runtime_error("--expose: '" + e.bind_address + "' is not an IP address");
    if (!is_loopback(addr) && !opts_.allow_external)
      throw std::runtime_error("--expose: " + e.bind_address +
                               " is not a loopback address; the bridge binds loopback only unless --allow-external");
    auto l = std::make_unique<Listener>(pump_.io(), bound_.size());
    l->host = *host;
    tcp::endpoint ep(addr, e.local_port);
    l->acceptor.open(ep.protocol(), ec);
    if (!ec) l->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) l->acceptor.bind(ep, ec);
    if (!ec) l->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error("--expose " + e.host + ":" + std::to_string(e.port) + ": cannot listen on " +
                               e.bind_address + ":" + std::to_string(e.local_port) + ": " + ec.message());
    Bound b;
    b.exposure = e;
    b.local_port = l->acceptor.local_endpoint().port();
    Pop3Host* p = world_.pop3(e.host);
    b.pop3 = p && p->config().port == e.port;
    bound_.push_back(b);
    listeners_.push_back(std::move(l));
  }
  install_relay_rule();
  for (auto& l : listeners_) accept_next(*l);
}

void Bridge::close() {
  for (auto& l : listeners_) {
    boost::system::error_code ignored;
    l->acceptor.close(ignored);
  }
}

std::string Bridge::ready_line() const {
  std::string s = "ready";
  for (const Bound& b : bound_)
    s += " " + b.exposure.host + ":" + std::to_string(b.exposure.port) + "=" + b.exposure.bind_address + ":" +
         std::to_string(b.local_port);
  return s;
}

// install_relay_rule - real clients without AUTH may only send to the lesson's domains, on every
// SMTP server of the world (a lesson's "auth: optional" MSA included).
void Bridge::install_relay_rule() {
  const std::string client = ascii_lower_copy(opts_.client_name);
  const std::set<std::string> domains = opts_.lesson_domains;
  for (const auto& m : world_.mtas()) {
    MtaConfig& c = m->config();
    auto previous = c.extra_rcpt_check;
    c.extra_rcpt_check = [client, domains, previous](const smtp::SessionFacts& s,
                                                     const smtp::RcptTo& r) -> std::optional<smtp::ServerReply> {
      if (ascii_lower_copy(s.client_name) == client && s.auth_user.empty() && !r.postmaster &&
          !domains.count(domain_of(r.forward_path)))
        return smtp::ServerReply{554, "5.7.1",
                                 "<" + r.forward_path + ">: Relay access denied (the live bridge lets a real client "
                                 "without AUTH send only to the lesson's domains)"};
      return previous ? previous(s, r) : std::nullopt;
    };
  }
}

void Bridge::accept_next(Listener& l) {
  l.acceptor.async_accept([this, &l, alive = alive_](const boost::system::error_code& ec, tcp::socket s) {
    if (!*alive || !l.acceptor.is_open()) return;
    if (!ec) on_accept(l, std::move(s));
    accept_next(l);
  });
}

// on_accept - a real client: refuse it over the limit, else give its stream to the host's listener.
void Bridge::on_accept(Listener& l, tcp::socket s) {
  boost::system::error_code ec;
  tcp::endpoint peer = s.remote_endpoint(ec);
  if (ec) return;
  const Bound& b = bound_[l.index];
  if ((!is_loopback(peer.address()) && !opts_.allow_external) || active_ >= opts_.max_connections) {
    ++refused_;
    const char* msg = b.pop3 ? "-ERR [SYS/TEMP] too many connections to the live bridge, try later\r\n"
                             : "421 4.7.0 Too many connections to the live bridge, try again later\r\n";
    if (!is_loopback(peer.address()) && !opts_.allow_external) msg = b.pop3 ? "-ERR not allowed\r\n" : "554 5.7.1 Not allowed\r\n";
    s.non_blocking(true, ec);
    asio::write(s, asio::buffer(msg, std::char_traits<char>::length(msg)), ec);
    s.shutdown(tcp::socket::shutdown_both, ec);
    s.close(ec);
    return;
  }
  ++accepted_;
  ++active_;
  pump_.catch_up();
  EndpointInfo server{b.exposure.host, world_.net.host_ip(l.host), b.exposure.port};
  EndpointInfo client{opts_.client_name, ipv4_of(peer.address()), peer.port()};
  StreamPtr stream = make_live_stream(pump_, world_.trace, std::move(s), world_.net.reserve_conn_id(), server, client,
                                      opts_.limits, [this, alive = alive_] { if (*alive) --active_; });
  Network& net = world_.net;
  const HostId host = l.host;
  const std::uint16_t port = b.exposure.port;
  world_.sched.schedule_in(0, [&net, host, port, stream] {
    if (!net.accept_external(host, port, stream)) stream->abort();  // host down: the client sees a reset
  });
  pump_.catch_up();
}

}  // namespace smtpsim::live
