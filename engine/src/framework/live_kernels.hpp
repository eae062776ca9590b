#pragma once
// The live path's per-node passes outside the plugins (Framework::decide_with_live), as
// vectorisable kernels (PODIUM_MULTIVERSION).

#include <cstddef>
#include <cstdint>

#include "podium/state/cluster_state.hpp"

namespace podium::framework {

// Writes the ids of nodes [0, node_count) with totals[n] != infeasible to ids, ascending;
// returns how many. Constraint workloads leave every node feasible most of the time: one
// vectorised check then replaces the compaction loop (a store and a compare per node)
// with an iota.
std::size_t feasible_ids(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible,
                         state::NodeIndex* ids);

// Whether no node of [0, node_count) has totals[n] == infeasible (one vectorised count).
bool every_node_feasible(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible);

// feasible_ids' compaction alone, for a caller that already knows some node is infeasible.
std::size_t compact_feasible(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible,
                             state::NodeIndex* ids);

// totals[i] = from[i] + scores[i] * weight for i < count, `from` being totals or an array
// overlapping neither totals nor scores: a plugin's weighted share of the totals (Go's
// int64 arithmetic; no overflow for in-range scores and weights).
void add_weighted(std::int64_t* totals, const std::int64_t* from, const std::int64_t* scores, std::size_t count,
                  std::int64_t weight);

}  // namespace podium::framework
