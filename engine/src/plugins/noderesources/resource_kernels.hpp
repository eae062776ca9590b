#pragma once
// Vectorisable kernels for NodeResourcesFit's Filter and its LeastAllocated and MostAllocated scores
// (least_allocated.go leastResourceScorer / most_allocated.go mostResourceScorer; division
// free) and BalancedAllocation's two-resource score (balanced_allocation.go
// balancedResourceScorer), bit-for-bit equal to the scalar paths.
//
// Why they are exact. Per resource upstream computes floor(x / a) with x = free (or used)
// capacity * 100 and a = allocatable, all integers. Here every value is a double: a and x
// are exact below 2^53 (NodeTable keeps the double columns only for a < 2^46, so x <= 100a
// < 2^53). t = x * (1/a) is within a few ulps of the true quotient (<= 100), so trunc(t) is
// the floor or one off; k*a and (k+1)*a are exact (< 2^53), and comparing them with x
// fixes k to the floor — no division at all. The weighted mean floor(sum / weights) is a
// correctly rounded double division of exact integers whose quotient is <= 100 and whose
// divisor, the weight sum, is far below 2^46 (kernels_apply caps each weight at 2^20): a
// non-integer quotient is at least 1/divisor from the next integer, more than the rounding
// error, so truncating it is the floor. Requested columns are sums of non-negative
// requests (the loader refuses negative ones), which the argument also assumes.
//
// Resource-major loops over a batch (for each resource, for each node) with selects in
// place of branches, so the compiler vectorises them; built for x86-64-v4 (AVX-512),
// x86-64-v3 (AVX2) and baseline x86-64, chosen at load time (function multiversioning).

#include <cstdint>
#include <span>

#include "podium/state/cluster_state.hpp"
#include "plugins/noderesources/resource_allocation.hpp"

namespace podium::plugins::noderesources {

// Whether the kernels may score these columns: every column has its double columns and a
// weight in [0, 2^20] (so weighted sums stay exact).
bool kernels_apply(std::span<const ScoredColumn> columns);

// scores[i] = LeastAllocated (most == false) or MostAllocated score of node ids[i].
void allocated_scores_kernel(std::span<const ScoredColumn> columns, bool most, std::span<const state::NodeIndex> ids,
                             std::int64_t* scores);

// NodeResourcesFit's Filter (fitsRequest): keeps, in order, the candidates with a free pod
// slot and room for every checked resource, writing them to `survivors` (may alias
// candidates); returns how many. Resource-major masks, then one compaction pass.
std::size_t fits_kernel(const std::int32_t* pod_count, const std::int32_t* allowed_pods,
                        std::span<const CheckedColumn> checked, std::span<const state::NodeIndex> candidates,
                        state::NodeIndex* survivors);

// Dense forms for the consecutive nodes [first, first + count), no selection vector
// (FilterPlugin::filter_range / ScorePlugin::score_range). fits_range_kernel clears ok[i]
// where node first + i does not fit; the scorers add weight x score to totals[i], with
// weight in [0, 2^20] (32-bit products). Same formulas, bit for bit, as the sparse kernels.
void fits_range_kernel(const std::int32_t* pod_count, const std::int32_t* allowed_pods,
                       std::span<const CheckedColumn> checked, state::NodeIndex first, std::size_t count,
                       std::uint8_t* ok);
void allocated_scores_range_kernel(std::span<const ScoredColumn> columns, bool most, state::NodeIndex first,
                                   std::size_t count, std::int32_t weight, std::int64_t* totals);
void balanced_two_resources_range_kernel(const ScoredColumn& first_column, const ScoredColumn& second_column,
                                         state::NodeIndex first, std::size_t count, std::int32_t weight,
                                         std::int64_t* totals);
// The largest plugin weight the dense scorers take (their products stay in 32 bits).
inline constexpr std::int64_t kMaxRangeWeight = std::int64_t{1} << 20;

// BalancedAllocation's score of node ids[i] from exactly two scored columns (upstream's
// |f0 - f1| / 2 case), equal to balanced_resource_score; both need their double columns.
void balanced_two_resources_kernel(const ScoredColumn& first, const ScoredColumn& second,
                                   std::span<const state::NodeIndex> ids, std::int64_t* scores);

}  // namespace podium::plugins::noderesources
