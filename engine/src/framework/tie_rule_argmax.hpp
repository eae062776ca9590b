#pragma once
// The tie rule's argmax over a batch of scored nodes (framework/tie_breaker.hpp): the highest
// total, then the smallest ring distance from the decision's start. Two branch-free,
// vectorisable passes (PODIUM_MULTIVERSION): a max over the totals, then a min over
// (distance << 32 | node) keys of the nodes holding it. Distances are unique per node for a
// start, so the key's minimum is exactly the rule's winner. Constraint workloads leave
// thousands of nodes tied at the best total; a branchy second pass was a third of their time.

#include <cstddef>
#include <cstdint>

#include "podium/state/cluster_state.hpp"

namespace podium::framework {

struct TieRuleWinner {
  std::int64_t total = 0;
  std::uint32_t distance = ~0U;
  state::NodeIndex node = state::kNoNode;  // kNoNode when count == 0
};

// rank[node] is the node's ring position (TieBreaker::ranks()), node_count the ring's size.
TieRuleWinner tie_rule_argmax(const state::NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                              const std::uint32_t* rank, std::uint32_t node_count, std::uint32_t start);

// The same over the consecutive nodes [first, first + count), totals[i] being node first + i's
// (rank and totals read in order). When the best total is below `at_least` (a winner found
// elsewhere already beats every node here) the distance passes are skipped: node kNoNode.
TieRuleWinner tie_rule_argmax_range(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                    const std::uint32_t* rank, std::uint32_t node_count, std::uint32_t start,
                                    std::int64_t at_least);

}  // namespace podium::framework
