#pragma once
// The tie rule's argmax over a batch of scored nodes (framework/tie_breaker.hpp): the highest
// total, then the smallest ring distance from the decision's start. Two branch-free,
// vectorisable passes (PODIUM_MULTIVERSION): a max over the totals, then a min over the ring
// distances of the nodes holding it. Distances are unique per node for a start, so the
// least one names exactly the rule's winner: the node at ring position start + distance
// (TieBreaker::node_at_rank, O(1)). Constraint workloads leave thousands of nodes tied at
// the best total; a branchy second pass was a third of their time.

#include <cstddef>
#include <cstdint>

#include "podium/framework/tie_breaker.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::framework {

struct TieRuleWinner {
  std::int64_t total = 0;
  std::uint32_t distance = ~0U;
  state::NodeIndex node = state::kNoNode;  // kNoNode when count == 0
};

// The winner among ids[0, count) with totals[i] node ids[i]'s, ring of `ties`. Any id list;
// when it is a run of consecutive nodes (every node in order, common on the live path) the
// distance pass reads rank in order instead of gathering it.
TieRuleWinner tie_rule_argmax(const state::NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                              const TieBreaker& ties, std::uint32_t start);

// The same over the consecutive nodes [first, first + count), totals[i] being node first + i's
// (rank and totals read in order). When the best total is below `at_least` (a winner found
// elsewhere already beats every node here) the distance pass is skipped: node kNoNode.
TieRuleWinner tie_rule_argmax_range(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                    const TieBreaker& ties, std::uint32_t start, std::int64_t at_least);

// The same when the caller already knows the highest of totals[0, count) (`best`, from a
// pass that wrote them): only the distance pass runs.
TieRuleWinner tie_rule_argmax_range_of(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                       std::int64_t best, const TieBreaker& ties, std::uint32_t start,
                                       std::int64_t at_least);

}  // namespace podium::framework
