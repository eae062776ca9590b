#pragma once
// InterPodAffinity Score / NormalizeScore's per-node passes as vectorisable kernels
// (PODIUM_MULTIVERSION). On the live path they run over every feasible node of every pod
// with preferred terms; the general loops in inter_pod_affinity.cpp read a node's domain
// through its topology column and zero-fill then add, which the common case needs neither:
// one topology key (hostname: a pod's own term and the bound pods' same term) whose domain
// is often the node itself.

#include <cstddef>
#include <cstdint>

#include "plugins/helper/normalize_kernels.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

// The raw score of the kept columns of one topology key (at most two: wb = 0 and vb =
// nullptr for one), written, not added: scores[i] = wa * va[d] + wb * vb[d] with d the
// node's domain, 0 where the node lacks the key (domain -1). `domain` nullptr: the key's
// domain of node n is n (TopologyColumns::by_node), every node has it. Returns the least and
// greatest score written (NormalizeScore's range, found in the same pass).
helper::ScoreRange score_one_key(const state::NodeIndex* nodes, std::size_t count, const std::int32_t* domain,
                                 const std::int32_t* va, std::int64_t wa, const std::int32_t* vb, std::int64_t wb,
                                 std::int64_t* scores);

// scores[i] = int64(float64(scores[i] - lo) * factor), truncated: a table's values computed
// per node, where the caller has checked that this gives them. Requires
// 0 <= scores[i] - lo < 2^31 and results below 2^31 (NormalizeScore's: at most 100).
void scale_above_min(std::int64_t* scores, std::size_t count, std::int64_t lo, double factor);

// scores[i] = table[scores[i] - lo] for scores in [lo, lo + table size): NormalizeScore's
// per-value table applied to every node.
void apply_table(std::int64_t* scores, std::size_t count, std::int64_t lo, const std::int64_t* table);

}  // namespace podium::plugins::interpodaffinity::detail
