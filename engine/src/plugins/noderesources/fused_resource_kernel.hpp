#pragma once
// One dense pass for the default profile's two node-local resource scorers:
// NodeResourcesFit's LeastAllocated (least_allocated.go leastResourceScorer) and
// NodeResourcesBalancedAllocation's two-resource case (balanced_allocation.go
// balancedResourceScorer), adding both weighted scores to the totals per node with no
// intermediate per-plugin arrays and no division instruction. Bit for bit equal to the
// plugins' own paths (see exact_quotient and the LeastAllocated argument in
// resource_kernels.hpp).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include "plugins/noderesources/resource_allocation.hpp"

namespace podium::plugins::noderesources {

// RN(q / c), the correctly rounded float64 quotient upstream's float64(requested) /
// float64(allocatable) gives, without a division: q and c are non-negative integers below
// 2^53 held exactly (c < 2^46, as NodeTable's double columns guarantee) and inverse =
// RN(1 / c). t0 = RN(q * inverse) is within 1.5 ulp of q / c; one residual step
// (r = q - t*c, exact: a multiple of ulp(t) below 2^53 ulp(t); t += r * inverse) brings it
// within one ulp, and a second is Markstein's theorem (y = RN(1/c) has relative error
// < 2^-53, t a faithful quotient: RN(t + r*y) = RN(q/c); Markstein 1990, IBM J. Res. Dev.
// 34(1)). q = 0 gives 0. c = 0 (inverse 0) gives garbage the callers never use. Needs a
// hardware FMA to be fast; std::fma is exact everywhere.
inline double exact_quotient(double q, double c, double inverse) {
  double t = q * inverse;
  double r = std::fma(-t, c, q);
  t = std::fma(r, inverse, t);
  r = std::fma(-t, c, q);
  return std::fma(r, inverse, t);
}

// The columns the fused pass reads: LeastAllocated's two (NonZeroRequested) and
// BalancedAllocation's two (Requested) over the same two resources, so allocatable and its
// inverse are shared.
struct FusedResourceColumns {
  ScoredColumn least[2];
  ScoredColumn balanced[2];
  std::int32_t least_weight;     // the plugins' weights in the profile, each in [0, 2^20]
  std::int32_t balanced_weight;
};

// Whether the fused pass may score these columns: both column pairs cover the same two
// resources in the same order, every column has its double columns, and the per-resource
// and plugin weights are in [0, 2^20].
bool fused_columns_apply(const FusedResourceColumns& c);

// totals[i] += least_weight x LeastAllocated + balanced_weight x BalancedAllocation of node
// first + i, for the consecutive nodes [first, first + count).
void least_balanced_range_kernel(const FusedResourceColumns& c, state::NodeIndex first, std::size_t count,
                                 std::int64_t* totals);
// The same for the scattered nodes ids[i]: totals[i] += both weighted scores of node ids[i]
// (the class cache's refresh of the nodes bound since a class's last decision).
void least_balanced_ids_kernel(const FusedResourceColumns& c, std::span<const state::NodeIndex> ids,
                               std::int64_t* totals);

// The class cache's refresh in one pass (shapes4): NodeResourcesFit's Filter (fitsRequest:
// a free pod slot and room for each checked resource, as fits_kernel) and both weighted
// scores, per node ids[i]: totals_by_node[ids[i]] = base + least_weight x LeastAllocated +
// balanced_weight x BalancedAllocation when the node fits, else `infeasible`. One gather of
// each column per node instead of a filter pass, its compaction, a score pass and a scatter.
// `checked` holds at most two columns (fit_least_balanced_ids_applies).
bool fit_least_balanced_ids_applies(std::span<const CheckedColumn> checked);
void fit_least_balanced_ids_kernel(const FusedResourceColumns& c, const std::int32_t* pod_count,
                                   const std::int32_t* allowed_pods, std::span<const CheckedColumn> checked,
                                   std::int64_t base, std::int64_t infeasible, std::span<const state::NodeIndex> ids,
                                   std::int64_t* totals_by_node);
// NodeResourcesFit's Filter over the fused pass's two resources (the balanced columns'
// Requested and allocatable): amount[k] is the pod's request of resource k, or
// kUncheckedAmount where Fit does not check it (no request, or ignored).
struct FitColumns {
  const std::int32_t* pod_count;
  const std::int32_t* allowed_pods;
  std::int64_t amount[2];
};
inline constexpr std::int64_t kUncheckedAmount = INT64_MIN;

// Whether fit_least_balanced_range_kernel beats Fit's own pass plus the fused one: only in
// the x86-64-v4 (AVX-512) clone, where the scoring loop is vectorised (int64 -> double
// conversions). The x86-64-v3 clone of the scoring loop stays scalar, and Fit's compares
// inside it cost more than Fit's vectorised pass (callgrind, which runs the v3 clones:
// 6.74 G instructions against 5.45 G on the all-distinct bench; BENCHMARKS.md, dense4).
bool fit_fold_pays();

// Fit's Filter and both scores in one pass over the consecutive nodes [first, first + count):
// ok[i] &= Fit accepts node first + i; totals[i] = least_weight x LeastAllocated +
// balanced_weight x BalancedAllocation (assigned, not added: the pass starts the totals).
void fit_least_balanced_range_kernel(const FusedResourceColumns& c, const FitColumns& fit, state::NodeIndex first,
                                     std::size_t count, std::uint8_t* ok, std::int64_t* totals);

}  // namespace podium::plugins::noderesources
