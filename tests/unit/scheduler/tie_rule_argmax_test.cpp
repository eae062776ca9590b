// The tie rule's batch argmax against the rule written out: highest total, then the node
// first on the ring from the start (TieBreaker::distance).

#include "framework/tie_rule_argmax.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "podium/framework/tie_breaker.hpp"

namespace podium::framework {
namespace {

// The rule written out over any list: highest total, then least ring distance.
TieRuleWinner by_the_rule(const std::vector<state::NodeIndex>& ids, const std::vector<std::int64_t>& totals,
                          const TieBreaker& ties, std::uint32_t start) {
  TieRuleWinner best;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t d = ties.distance(ids[i], start);
    if (best.node == state::kNoNode || totals[i] > best.total || (totals[i] == best.total && d < best.distance))
      best = {totals[i], d, ids[i]};
  }
  return best;
}

void expect_same(const TieRuleWinner& got, const TieRuleWinner& want, const std::string& where) {
  ASSERT_EQ(got.node, want.node) << where;
  if (want.node == state::kNoNode) return;
  EXPECT_EQ(got.total, want.total) << where;
  EXPECT_EQ(got.distance, want.distance) << where;
}

TEST(TieRuleArgmax, NodeAtRankInvertsRank) {
  const TieBreaker ties(1000, 5);
  ASSERT_EQ(ties.node_at_rank().size(), 1000U);
  for (state::NodeIndex n = 0; n < 1000; ++n) EXPECT_EQ(ties.node_at_rank()[ties.ranks()[n]], n);
}

TEST(TieRuleArgmax, PicksTheHighestTotalThenTheFirstNodeOnTheRing) {
  for (const std::uint32_t nodes : {1U, 2U, 7U, 64U, 1000U, 5000U}) {
    const TieBreaker ties(nodes, nodes * 31ULL + 1);
    std::uint64_t s = nodes;
    for (int round = 0; round < 200; ++round) {
      // A selection of nodes with few distinct totals, so most of them tie. Every fourth
      // round keeps every node: the consecutive (dense) path.
      std::vector<state::NodeIndex> ids;
      std::vector<std::int64_t> totals;
      for (state::NodeIndex n = 0; n < nodes; ++n) {
        s = splitmix64(s);
        if (round % 4 != 0 && bounded(s, 4) == 0) continue;
        ids.push_back(n);
        totals.push_back(static_cast<std::int64_t>(bounded(s >> 8, 3)) * 100);
      }
      s = splitmix64(s);
      const std::uint32_t start = bounded(s, nodes);
      const TieRuleWinner w = tie_rule_argmax(ids.data(), totals.data(), ids.size(), ties, start);
      expect_same(w, by_the_rule(ids, totals, ties, start), std::to_string(nodes) + " nodes, round " + std::to_string(round));
    }
  }
}

// Lists that are or look like runs of consecutive nodes: every node, a run not starting at
// 0, and the same ids shuffled (an unsorted list whose first and last ids match a run), each
// with every node tied so the ring alone decides, for every start; and the nodes on the first
// ring positions only, so for every later start the winner lies past the ring's end
// (start + distance wraps back to position 0).
TEST(TieRuleArgmax, ConsecutiveAndShuffledListsAgreeWithTheRuleAtEveryStart) {
  constexpr std::uint32_t kNodes = 97;
  const TieBreaker ties(kNodes, 11);
  std::vector<state::NodeIndex> all(kNodes);
  std::iota(all.begin(), all.end(), 0U);
  const std::vector<state::NodeIndex> run(all.begin() + 10, all.begin() + 60);
  std::vector<state::NodeIndex> shuffled = run;
  std::reverse(shuffled.begin() + 1, shuffled.end() - 1);
  std::vector<state::NodeIndex> early_only;
  for (std::uint32_t p = 0; p < 5; ++p) early_only.push_back(ties.node_at_rank()[p]);
  std::sort(early_only.begin(), early_only.end());
  using Ids = std::vector<state::NodeIndex>;
  for (const Ids* ids : std::initializer_list<const Ids*>{&all, &run, &shuffled, &early_only}) {
    const std::vector<std::int64_t> tied(ids->size(), 7);
    std::vector<std::int64_t> one_best(ids->size(), 7);
    one_best[ids->size() / 2] = 8;
    for (std::uint32_t start = 0; start < kNodes; ++start) {
      for (const std::vector<std::int64_t>* totals : {&tied, &std::as_const(one_best)}) {
        const TieRuleWinner w = tie_rule_argmax(ids->data(), totals->data(), ids->size(), ties, start);
        expect_same(w, by_the_rule(*ids, *totals, ties, start),
                    std::to_string(ids->size()) + " ids, start " + std::to_string(start));
      }
    }
  }
}

TEST(TieRuleArgmax, RangeSkipsABatchBelowTheTotalToBeat) {
  const TieBreaker ties(64, 3);
  std::vector<std::int64_t> totals(32, 5);
  totals[9] = 6;
  const TieRuleWinner skipped = tie_rule_argmax_range(16, totals.data(), totals.size(), ties, 40, 7);
  EXPECT_EQ(skipped.node, state::kNoNode);
  EXPECT_EQ(skipped.total, 6);
  const TieRuleWinner found = tie_rule_argmax_range(16, totals.data(), totals.size(), ties, 40, 6);
  EXPECT_EQ(found.node, 25U);
  EXPECT_EQ(found.distance, ties.distance(25, 40));
}

}  // namespace
}  // namespace podium::framework
