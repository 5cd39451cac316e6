// roles_mta_due_test.cpp - the MTA's due list gives the order and contents of a std::set of
// (time, qid, rcpt), duplicates included, and the ledger's holder lookup without joined names.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/roles/mta_due.hpp"
#include "sim/roles/world_ledger.hpp"

using namespace smtpsim;

TEST_CASE("DueQueue pops in set order and each distinct entry once", "[roles][mta]") {
  DueQueue q;
  q.push(20, "B", 0);
  q.push(10, "C", 1);
  q.push(10, "A", 2);
  q.push(10, "A", 0);
  q.push(10, "A", 2);  // pushed twice: comes out once
  REQUIRE(q.earliest() == 10);
  const std::vector<DueQueue::Entry> want = {{10, "A", 0}, {10, "A", 2}, {10, "C", 1}, {20, "B", 0}};
  std::vector<DueQueue::Entry> got;
  while (!q.empty()) got.push_back(q.pop());
  CHECK(got == want);
}

TEST_CASE("DueQueue matches a std::set under mixed pushes and pops", "[roles][mta]") {
  Rng rng(5);
  DueQueue q;
  std::set<DueQueue::Entry> ref;
  for (int step = 0; step < 20000; ++step) {
    if (rng.below(3) != 0 || ref.empty()) {
      DueQueue::Entry e{SimTime(rng.below(50)), std::string(1, char('A' + rng.below(6))), rng.below(3)};
      q.push(std::get<0>(e), std::get<1>(e), std::get<2>(e));
      ref.insert(e);
    } else {
      REQUIRE(q.earliest() == std::get<0>(*ref.begin()));
      REQUIRE(q.pop() == *ref.begin());
      ref.erase(ref.begin());
    }
  }
  while (!ref.empty()) {
    REQUIRE(q.pop() == *ref.begin());
    ref.erase(ref.begin());
  }
  CHECK(q.empty());
}

TEST_CASE("ledger releases the holder named by host and queue id, in name order", "[roles][ledger]") {
  MailLedger l;
  const LedgerKey k{"<1@x>", "bob@b.example"};
  // "a.b:Q" sorts before "a:Q" (':' > '.'), the opposite of comparing the host names alone.
  l.accepted(k, "a", "Q", false);
  l.accepted(k, "a.b", "Q", false);
  l.accepted(k, "a", "Q2", false);
  REQUIRE(l.custody_count(k) == 3);
  l.released(k, "a", "Q");
  l.released(k, "a", "Q");   // already released: nothing happens
  REQUIRE(l.custody_count(k) == 2);
  const LedgerSummary s = l.summarize();
  REQUIRE(s.lines.size() == 1);
  CHECK(s.lines[0].holders == std::vector<std::string>{"a.b:Q", "a:Q2"});
}
