// The tie rule's batch argmax against the rule written out: highest total, then the node
// first on the ring from the start (TieBreaker::distance).

#include "framework/tie_rule_argmax.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "podium/framework/tie_breaker.hpp"

namespace podium::framework {
namespace {

TEST(TieRuleArgmax, PicksTheHighestTotalThenTheFirstNodeOnTheRing) {
  for (const std::uint32_t nodes : {1U, 2U, 7U, 64U, 1000U, 5000U}) {
    const TieBreaker ties(nodes, nodes * 31ULL + 1);
    std::uint64_t s = nodes;
    for (int round = 0; round < 200; ++round) {
      // A selection of nodes with few distinct totals, so most of them tie.
      std::vector<state::NodeIndex> ids;
      std::vector<std::int64_t> totals;
      for (state::NodeIndex n = 0; n < nodes; ++n) {
        s = splitmix64(s);
        if (bounded(s, 4) == 0) continue;
        ids.push_back(n);
        totals.push_back(static_cast<std::int64_t>(bounded(s >> 8, 3)) * 100);
      }
      s = splitmix64(s);
      const std::uint32_t start = bounded(s, nodes);
      std::int64_t best_total = 0;
      std::uint32_t best_distance = ~0U;
      state::NodeIndex best_node = state::kNoNode;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::uint32_t d = ties.distance(ids[i], start);
        if (best_node == state::kNoNode || totals[i] > best_total || (totals[i] == best_total && d < best_distance)) {
          best_total = totals[i];
          best_distance = d;
          best_node = ids[i];
        }
      }
      const TieRuleWinner w = tie_rule_argmax(ids.data(), totals.data(), ids.size(), ties.ranks().data(), nodes, start);
      ASSERT_EQ(w.node, best_node) << nodes << " nodes, round " << round;
      if (best_node != state::kNoNode) {
        EXPECT_EQ(w.total, best_total);
        EXPECT_EQ(w.distance, best_distance);
      }
    }
  }
}

}  // namespace
}  // namespace podium::framework
