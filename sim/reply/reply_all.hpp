// reply_all.hpp - the SMTP and POP3 reply catalogues as one Catalog, built once: what the tools
// that explain any reply search (`smtpsim explain`, the visualizer's tutor and predict mode).
// Header-only on purpose: the smtp and pop3 areas stay independent of each other (reply_catalog.hpp);
// only the programs that include this link both.
#pragma once
#include "sim/pop3/pop3_catalog.hpp"
#include "sim/smtp/smtp_catalog.hpp"

namespace smtpsim::reply {

// all_replies - every SMTP and POP3 reply of the catalogue.
inline const smtp::Catalog& all_replies() {
  static const smtp::Catalog cat = [] {
    smtp::Catalog c = smtp::Catalog::smtp();
    c.add(pop3::catalog_entries());
    return c;
  }();
  return cat;
}

}  // namespace smtpsim::reply
