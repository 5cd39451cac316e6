// view_hands.hpp - the hands-on panels of issue 12: right-click menus on links, hosts and DNS names
// (faults by hand), the compose dialog (a new message now), the branch list with "Save as
// lesson...", and the pure functions behind them that build the exact scenario::Action a lesson's
// `timeline:` or `send:` entry would (the same structs the loader fills). The panels only put
// Actions into UiState::req.actions; playback (hands-engine) applies them at the current moment.
//
//   view_hands_actions.cpp  the Action builders and the menu item lists (pure, unit-tested)
//   view_menus.cpp          the right-click menus (opened from view_topology.cpp's hook)
//   view_compose.cpp        the compose dialog
//   view_branches.cpp       the top bar's Compose / Branches buttons, the branch list, save as lesson
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_action.hpp"
#include "viz/views/views.hpp"

namespace smtpsim::viz::hands {

using scenario::Action;

// ---- the Action builders: one per thing a person can do by hand (at = 0: "now")

// link_state - cut (up = false) or restore (up = true) the link a-b: `link: [a, b], state: down`.
Action link_state(const std::string& a, const std::string& b, bool up);
// link_latency - one-way latency of a-b from now: `link: [a, b], latency: 200ms`.
Action link_latency(const std::string& a, const std::string& b, Duration latency);
// link_loss - probability a chunk on a-b is lost once (0..1): `link: [a, b], loss: 0.2`.
Action link_loss(const std::string& a, const std::string& b, double loss);
// host_crash / host_restart - `crash: host` / `restart: host`.
Action host_crash(const std::string& host);
Action host_restart(const std::string& host);
// host_greylisting - `behaviour: { greylisting: on|off }`.
Action host_greylisting(const std::string& host, bool on);
// host_refuse_rcpt - every RCPT answered with this reply line: `behaviour: { rcpt: "550 5.1.1 ..." }`;
// nullopt when the line is not a valid 4xx/5xx reply.
std::optional<Action> host_refuse_rcpt(const std::string& host, const std::string& line);
// host_rcpt_normal - `behaviour: { rcpt: normal }` (recipients answered normally again).
Action host_rcpt_normal(const std::string& host);
// host_close_421 - `behaviour: { close_with_421: on|off }`: 421 to new and open sessions.
Action host_close_421(const std::string& host, bool on);
// host_storage_full - `behaviour: { storage_full: on|off }` (452 4.3.1 at MAIL FROM; SMTP servers).
Action host_storage_full(const std::string& host, bool on);
// host_tarpit - `behaviour: { tarpit: 30s }` (0: off).
Action host_tarpit(const std::string& host, Duration delay);
// host_retry - `host: h, retry: postfix`: the sending host switches to a preset retry schedule;
// nullopt for a name that is not a preset.
std::optional<Action> host_retry(const std::string& host, const std::string& preset);
// host_normal - `behaviour: { normal: true }`: every behaviour change undone.
Action host_normal(const std::string& host);
// dns_fault - `dns: { name, fault: servfail|nxdomain|timeout|none }` (None clears it).
Action dns_fault(const std::string& name, scenario::DnsFaultKind fault);
// dns_mx - `dns: { name, mx: [...] }`: the name's MX records replaced by these.
Action dns_mx(const std::string& name, const std::vector<SceneZone::Mx>& mx);
// dns_remove_mx - the zone's MX records now without `host` (dns_mx of the rest).
Action dns_remove_mx(const SceneZone& z, const std::string& host);
// dns_null_mx - `dns: { name, null_mx: true }` (RFC 7505: the domain takes no mail).
Action dns_null_mx(const std::string& name);

// ---- the compose dialog's message

// ComposeFields - what the dialog's form holds.
struct ComposeFields {
  std::string client;         // the mail client (mua host) that submits it
  std::string from;
  std::string to;             // one or more addresses, separated by commas, semicolons or spaces
  std::string subject, body;
  std::uint64_t size = 0;     // >0: a generated body of about this many bytes instead of `body`
};
// split_addresses - "b@b.example, c@c.example; d@x" -> the addresses, lower-cased, each once.
std::vector<std::string> split_addresses(const std::string& text);
// compose_message - the MessageSpec a lesson `send:` entry with these keys would give (via the
// client, unknown_ok when a recipient is not a user of the lesson); nullopt with `why` when the
// form is not complete (no client, no sender, no recipient, an address without '@').
std::optional<scenario::MessageSpec> compose_message(const Scene& s, const ComposeFields& f, std::string* why);

// ---- the menus' items

// Refusal - one RCPT refusal the host menu offers, from the reply catalogue.
struct Refusal {
  std::string line;     // "550 5.1.1 Recipient address rejected: User unknown in local recipient table"
  std::string meaning;  // the catalogue's words for a student
};
// rcpt_refusals - the catalogue's RCPT refusals: 450 451 452 550 551 552 553, 4xx first.
const std::vector<Refusal>& rcpt_refusals();

// Item - one menu entry: its submenu ("" = top level), label, what it means, and its Action.
struct Item {
  std::string menu, label, help;
  Action action;
};
// link_items - what a right click on link a-b offers, by its state now (no "restore" on a link
// that is up); the latency / loss fields are drawn beside these.
std::vector<Item> link_items(const Scene& s, const std::string& a, const std::string& b);
// host_items - what a right click on a host offers: crash or restart by whether it is up, and for
// servers the behaviours by their state now (greylisting on or off, ...).
std::vector<Item> host_items(const Scene& s, const std::string& host);
// dns_items - the DNS host's zone items: per lesson domain SERVFAIL / NXDOMAIN / time out (the
// fault set now is not offered again, "clear" is), remove one MX, null MX, restore the lesson's MX.
std::vector<Item> dns_items(const Scene& s);

}  // namespace smtpsim::viz::hands

namespace smtpsim::viz {

// open_menu - ask for the right-click menu on a link ("link", a, b), a host ("host", h) or the
// DNS host's zones ("dns", h) to open next frame at screen point (x, y) (-1: at the mouse).
void open_menu(UiState& ui, const std::string& kind, const std::string& a, const std::string& b = "",
               float x = -1, float y = -1);
// right_click_menu - a right click on the canvas: the menu of hovered_host ("" = none), else of
// the link within a few pixels of the mouse, opens at the mouse.
void right_click_menu(const Scene& s, UiState& ui, const std::string& hovered_host);
// draw_hands_menu - the open right-click menu (call inside the canvas window, after the canvas).
void draw_hands_menu(const Scene& s, UiState& ui);
// draw_compose - the compose dialog when ui.hands.compose_open.
void draw_compose(const Scene& s, UiState& ui);
// open_compose - open the compose dialog, sending through `client` ("" = the first client).
void open_compose(const Scene& s, UiState& ui, const std::string& client = "");
// draw_hands_buttons - the top bar's "Compose..." and "Branches (n)" buttons.
void draw_hands_buttons(const Scene& s, UiState& ui);
// draw_branches - the branch list with "Save as lesson..." when ui.hands.branches_open.
void draw_branches(const Scene& s, UiState& ui);

}  // namespace smtpsim::viz
