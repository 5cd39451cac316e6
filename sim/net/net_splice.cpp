// net_splice.cpp - splicing a host into a link at run time (a box cabled into a wire), and undoing it.
#include <algorithm>
#include <stdexcept>

#include "sim/net/net_impl.hpp"

namespace smtpsim {

using namespace net_detail;

namespace {
// replace_adj - in `adj`, the entry (old_nb, l) becomes (new_nb, new_l), in place (order kept:
// route ties are broken by neighbour order).
void replace_adj(std::vector<std::pair<HostId, LinkId>>& adj, HostId old_nb, LinkId l, HostId new_nb, LinkId new_l) {
  for (auto& e : adj)
    if (e.first == old_nb && e.second == l) {
      e = {new_nb, new_l};
      return;
    }
  adj.emplace_back(new_nb, new_l);
}
}  // namespace

// splice - a <-> b becomes a <-> via <-> b (see network.hpp).
LinkId Network::splice(LinkId l, HostId via) {
  impl_->check_link(l);
  impl_->check_host(via);
  LinkState& ls = impl_->links[l];
  const HostId a = ls.a, b = ls.b;
  const std::string what = "cannot splice " + host_name(via) + " into the link " + host_name(a) + " - " + host_name(b) + ": ";
  if (via == a || via == b) throw std::invalid_argument(what + "it is one of the link's ends");
  for (const LinkSplice& s : impl_->splices) {
    if (s.link == l) throw std::logic_error(what + host_name(s.via) + " already sits on it");
    if (s.via == via) throw std::logic_error(what + "it already sits on the link " + host_name(s.a) + " - " + host_name(s.b));
  }
  for (const auto& [ends, path] : impl_->static_routes)
    for (std::size_t i = 0; i + 1 < path.size(); ++i)
      if ((path[i] == a && path[i + 1] == b) || (path[i] == b && path[i + 1] == a))
        throw std::logic_error(what + "the static route " + host_name(ends.first) + " -> " + host_name(ends.second) +
                               " crosses it");
  for (const auto& [nb, other] : impl_->hosts[via].adj)
    if (nb != b || impl_->splice_tails.count(via) == 0 || impl_->splice_tails.at(via) != other)
      throw std::logic_error(what + "it is already cabled to " + host_name(nb));

  // The via <-> b link: made on the first splice (its own loss stream, like any link), then reused.
  LinkId tail;
  if (auto t = impl_->splice_tails.find(via); t != impl_->splice_tails.end() && impl_->links[t->second].b == b) {
    tail = t->second;
  } else {
    if (auto t2 = impl_->splice_tails.find(via); t2 != impl_->splice_tails.end())
      throw std::logic_error(what + "it was spliced next to " + host_name(impl_->links[t2->second].b) + " before");
    tail = add_link(via, b, LinkParams{0, 0, 0.0});
    impl_->splice_tails[via] = tail;
  }
  LinkState& l2 = impl_->links[l];  // add_link may have moved the vector
  // b's end of l moves to via; b reaches a's side through the tail link, in l's place in its list.
  auto& badj = impl_->hosts[b].adj;
  badj.erase(std::remove(badj.begin(), badj.end(), std::pair<HostId, LinkId>{via, tail}), badj.end());
  replace_adj(badj, a, l, via, tail);
  replace_adj(impl_->hosts[a].adj, b, l, via, l);
  impl_->hosts[via].adj = {{a, l}, {b, tail}};
  l2.b = via;
  impl_->links[tail].up = l2.up;
  impl_->splices.push_back({l, tail, a, b, via});
  ++impl_->up_version;
  impl_->invalidate_routes();
  return tail;
}

// unsplice - l joins its original ends again; the tail link goes down.
void Network::unsplice(LinkId l) {
  impl_->check_link(l);
  auto& sp = impl_->splices;
  auto it = std::find_if(sp.begin(), sp.end(), [&](const LinkSplice& s) { return s.link == l; });
  if (it == sp.end()) return;
  const LinkSplice s = *it;
  sp.erase(it);
  replace_adj(impl_->hosts[s.a].adj, s.via, l, s.b, l);
  replace_adj(impl_->hosts[s.b].adj, s.via, s.tail, s.a, l);
  impl_->hosts[s.b].adj.emplace_back(s.via, s.tail);  // the (now down) tail stays cabled to b
  impl_->hosts[s.via].adj = {{s.b, s.tail}};
  impl_->links[l].b = s.b;
  impl_->links[s.tail].up = false;
  ++impl_->up_version;
  impl_->invalidate_routes();
}

// splices - the links spliced now.
std::vector<Network::LinkSplice> Network::splices() const { return impl_->splices; }

}  // namespace smtpsim
