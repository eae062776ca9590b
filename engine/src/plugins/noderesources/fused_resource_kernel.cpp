#include "plugins/noderesources/fused_resource_kernel.hpp"

#include <algorithm>
#include <limits>

#include "common/multiversion.hpp"
#include "plugins/noderesources/resource_kernels.hpp"

namespace podium::plugins::noderesources {

namespace {

// floor(x / a) for integers 0 <= x <= 100a below 2^53 held as doubles, from inverse =
// RN(1/a): the truncated product is the floor or one off (resource_kernels.hpp's
// argument), which the sign of the remainder settles. a = 0 gives garbage callers drop.
// The residual x - k*a is exact (k*a is an exact product below 2^53, and the difference
// is an integer of magnitude below 2a), so one FMA gives both corrections' tests.
inline double floor_quotient(double x, double a, double inverse) {
  const double k = std::trunc(x * inverse);
  const double rest = std::fma(-k, a, x);
  const double up = rest >= a ? 1.0 : 0.0;
  const double down = rest < 0.0 ? 1.0 : 0.0;
  return k + up - down;
}

// leastRequestedScore: (a - q) * 100 / a, integer division; 0 when q > a.
inline double least_requested(double a, double inverse, double q) {
  return floor_quotient(std::max(a - q, 0.0) * 100.0, a, inverse);
}

// How the pass finds its i-th node: Dense, node i of columns the caller moved to the
// range's first node (consecutive loads); Sparse, ids[i] (the class cache's refresh of the
// nodes bound since a class was last used: a few scattered nodes).
struct Dense {
  std::size_t operator()(std::size_t i) const { return i; }
};
struct Sparse {
  const state::NodeIndex* __restrict ids;
  // Signed 32-bit, what AVX2 / AVX-512 gathers take (node counts are far below 2^31).
  std::int32_t operator()(std::size_t i) const { return static_cast<std::int32_t>(ids[i]); }
};

// The weights of one fused pass, with the mean's three possible divisors' inverses.
struct PassWeights {
  double w0, w1, least, balanced;
  double inv_both, inv_w0, inv_w1;
  PassWeights(double r0, double r1, double least_weight, double balanced_weight)
      : w0(r0), w1(r1), least(least_weight), balanced(balanced_weight) {
    const double both = w0 + w1;
    inv_both = both > 0.0 ? 1.0 / both : 0.0;
    inv_w0 = w0 > 0.0 ? 1.0 / w0 : 0.0;
    inv_w1 = w1 > 0.0 ? 1.0 / w1 : 0.0;
  }
};

// One node's least_weight x LeastAllocated + balanced_weight x BalancedAllocation from its
// two allocatables c0, c1 (with their inverses), LeastAllocated's requests q0, q1
// (NonZeroRequested + the pod's) and BalancedAllocation's b0, b1 (Requested + the pod's).
// kEqualWeights: both resources weigh the same w > 0 (the default args: 1 and 1). Then
// upstream's floor((s0 w + s1 w) / 2w) is floor((s0 + s1) / 2), a halving that is exact
// in double, and a node with one resource scores it alone: no divisor to pick.
template <bool kEqualWeights>
inline std::int64_t least_balanced_total(double c0, double inv0, double c1, double inv1, double q0, double q1,
                                         double b0, double b1, const PassWeights& w) {
  const bool has0 = c0 > 0.0;
  const bool has1 = c1 > 0.0;
  // LeastAllocated (resource_allocation.go score): a resource the node lacks is left out
  // of the weighted mean, floor(sum / weights), 0 when no resource is left.
  const double s0 = least_requested(c0, inv0, q0);
  const double s1 = least_requested(c1, inv1, q1);
  double mean;
  if constexpr (kEqualWeights) {
    const double one = has0 ? s0 : (has1 ? s1 : 0.0);
    mean = has0 && has1 ? std::trunc((s0 + s1) * 0.5) : one;
  } else {
    const double sum = (has0 ? s0 * w.w0 : 0.0) + (has1 ? s1 * w.w1 : 0.0);
    const double weights = (has0 ? w.w0 : 0.0) + (has1 ? w.w1 : 0.0);
    const double inv_one = has0 ? w.inv_w0 : w.inv_w1;
    const double inv_weights = has0 && has1 ? w.inv_both : inv_one;
    const double quotient = floor_quotient(sum, weights, inv_weights);
    mean = weights > 0.0 ? quotient : 0.0;
  }
  // BalancedAllocation, two resources: |f0 - f1| / 2 as the deviation, fractions capped
  // at 1; a node lacking either scores 100 (one fraction or none: deviation 0).
  const double f0 = std::min(1.0, exact_quotient(b0, c0, inv0));
  const double f1 = std::min(1.0, exact_quotient(b1, c1, inv1));
  const double deviation = std::abs((f0 - f1) / 2);
  const double balanced = has0 && has1 ? std::trunc((1 - deviation) * 100.0) : 100.0;  // int64(...) truncates
  // Integer scores <= 100 times weights <= 2^20: the weighted sum is an exact double.
  return static_cast<std::int64_t>(mean * w.least + balanced * w.balanced);
}

template <bool kEqualWeights, class Index>
PODIUM_MULTIVERSION void least_balanced(
    const double* __restrict a0, const double* __restrict inv0, const double* __restrict a1,
    const double* __restrict inv1, const std::int64_t* __restrict nz0, const std::int64_t* __restrict nz1,
    std::int64_t least_pod0, std::int64_t least_pod1, const std::int64_t* __restrict r0,
    const std::int64_t* __restrict r1, std::int64_t balanced_pod0, std::int64_t balanced_pod1, PassWeights w,
    Index index, std::size_t count, std::int64_t* __restrict totals) {
  const PassWeights local = w;  // a local the stores to totals cannot alias: kept in registers
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = index(i);
    totals[i] += least_balanced_total<kEqualWeights>(
        a0[n], inv0[n], a1[n], inv1[n], static_cast<double>(nz0[n] + least_pod0),
        static_cast<double>(nz1[n] + least_pod1), static_cast<double>(r0[n] + balanced_pod0),
        static_cast<double>(r1[n] + balanced_pod1), local);
  }
}

// The same scores assigned (totals[i] = both weighted scores) while NodeResourcesFit's
// Filter (fit.go fitsRequest) clears ok[i] where the node has no free pod slot or no room
// for the pod's request of either resource: BalancedAllocation's Requested columns are the
// ones Fit compares, so one pass reads them for both. fit0 / fit1: the pod's Fit request,
// or kUncheckedAmount where Fit does not check that resource (every node passes).
// Consecutive nodes only (pointers moved to the range's first node). Two loops per chunk:
// with the byte mask in the scoring loop GCC picked a 64-node vector factor and spilled
// (the pass ran slower than the separate filter); so the scoring loop, doubles and int64
// only, marks a short node in the total's sign bit (scores are >= 0), and a second loop
// over the chunk, still in L1, moves the mark and the pod-slot test into ok.
template <bool kEqualWeights>
PODIUM_MULTIVERSION void fit_least_balanced(
    const double* __restrict a0, const double* __restrict inv0, const double* __restrict a1,
    const double* __restrict inv1, const std::int64_t* __restrict nz0, const std::int64_t* __restrict nz1,
    std::int64_t least_pod0, std::int64_t least_pod1, const std::int64_t* __restrict r0,
    const std::int64_t* __restrict r1, std::int64_t balanced_pod0, std::int64_t balanced_pod1, PassWeights w,
    const std::int64_t* __restrict alloc0, const std::int64_t* __restrict alloc1, std::int64_t fit0,
    std::int64_t fit1, const std::int32_t* __restrict pod_count, const std::int32_t* __restrict allowed_pods,
    std::size_t count, std::uint8_t* __restrict ok, std::int64_t* __restrict totals) {
  constexpr std::size_t kChunk = 512;
  constexpr std::int64_t kShort = INT64_MIN;  // the sign bit: total | kShort < 0
  for (std::size_t begin = 0; begin < count; begin += kChunk) {
    const std::size_t end = std::min(count, begin + kChunk);
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t room0 = fit0 <= alloc0[i] - r0[i] ? 0 : kShort;
      const std::int64_t room1 = fit1 <= alloc1[i] - r1[i] ? 0 : kShort;
      totals[i] = least_balanced_total<kEqualWeights>(
                      a0[i], inv0[i], a1[i], inv1[i], static_cast<double>(nz0[i] + least_pod0),
                      static_cast<double>(nz1[i] + least_pod1), static_cast<double>(r0[i] + balanced_pod0),
                      static_cast<double>(r1[i] + balanced_pod1), w) |
                  room0 | room1;
    }
    for (std::size_t i = begin; i < end; ++i) {
      // Bitwise, not short-circuit, as fits_two: no branch to vectorise away.
      const std::uint8_t slot = pod_count[i] + 1 <= allowed_pods[i] ? 1 : 0;
      const std::uint8_t room = totals[i] >= 0 ? 1 : 0;
      ok[i] &= static_cast<std::uint8_t>(slot & room);
      totals[i] &= INT64_MAX;
    }
  }
}

// The class cache's refresh in one pass (shapes4): fits_kernel's verdict and both weighted
// scores for one scattered node per step, written straight to the node's total (base added,
// `infeasible` where Fit refuses). The compares are fits_two's, in int64; a checked column
// the pod does not have is padded with amount INT64_MIN (always room).
template <bool kEqualWeights>
PODIUM_MULTIVERSION void fit_least_balanced_ids(
    const double* __restrict a0, const double* __restrict inv0, const double* __restrict a1,
    const double* __restrict inv1, const std::int64_t* __restrict nz0, const std::int64_t* __restrict nz1,
    std::int64_t least_pod0, std::int64_t least_pod1, const std::int64_t* __restrict r0,
    const std::int64_t* __restrict r1, std::int64_t balanced_pod0, std::int64_t balanced_pod1, PassWeights w,
    const std::int32_t* __restrict pod_count, const std::int32_t* __restrict allowed,
    const std::int64_t* __restrict fit_a0, const std::int64_t* __restrict fit_r0, std::int64_t amount0,
    const std::int64_t* __restrict fit_a1, const std::int64_t* __restrict fit_r1, std::int64_t amount1,
    std::int64_t base, std::int64_t infeasible, const state::NodeIndex* __restrict ids, std::size_t count,
    std::int64_t* __restrict totals_by_node) {
  const PassWeights local = w;  // kept in registers (the stores cannot alias a local)
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = static_cast<std::int32_t>(ids[i]);
    const bool fits = (pod_count[n] + 1 <= allowed[n]) & (amount0 <= fit_a0[n] - fit_r0[n]) &
                      (amount1 <= fit_a1[n] - fit_r1[n]);
    const std::int64_t total =
        base + least_balanced_total<kEqualWeights>(a0[n], inv0[n], a1[n], inv1[n],
                                                   static_cast<double>(nz0[n] + least_pod0),
                                                   static_cast<double>(nz1[n] + least_pod1),
                                                   static_cast<double>(r0[n] + balanced_pod0),
                                                   static_cast<double>(r1[n] + balanced_pod1), local);
    totals_by_node[n] = fits ? total : infeasible;
  }
}

PassWeights pass_weights(const FusedResourceColumns& c) {
  return {static_cast<double>(c.least[0].weight), static_cast<double>(c.least[1].weight),
          static_cast<double>(c.least_weight), static_cast<double>(c.balanced_weight)};
}

bool equal_weights(const FusedResourceColumns& c) {
  return c.least[0].weight == c.least[1].weight && c.least[0].weight > 0;
}

}  // namespace

bool fused_columns_apply(const FusedResourceColumns& c) {
  auto ok = [](const ScoredColumn& column) {
    return column.allocatable_f64 != nullptr && column.weight >= 0 && column.weight <= kMaxRangeWeight &&
           column.pod_request >= 0;
  };
  for (int k = 0; k < 2; ++k) {
    if (!ok(c.least[k]) || !ok(c.balanced[k])) return false;
    if (c.least[k].allocatable_f64 != c.balanced[k].allocatable_f64) return false;
  }
  return c.least_weight >= 0 && c.least_weight <= kMaxRangeWeight && c.balanced_weight >= 0 &&
         c.balanced_weight <= kMaxRangeWeight;
}

void least_balanced_range_kernel(const FusedResourceColumns& c, state::NodeIndex first, std::size_t count,
                                 std::int64_t* totals) {
  const ScoredColumn& l0 = c.least[0];
  const ScoredColumn& l1 = c.least[1];
  const ScoredColumn& b0 = c.balanced[0];
  const ScoredColumn& b1 = c.balanced[1];
  const bool equal = equal_weights(c);
  (equal ? least_balanced<true, Dense> : least_balanced<false, Dense>)(
      l0.allocatable_f64 + first, l0.allocatable_inverse + first, l1.allocatable_f64 + first,
      l1.allocatable_inverse + first, l0.requested + first, l1.requested + first, l0.pod_request, l1.pod_request,
      b0.requested + first, b1.requested + first, b0.pod_request, b1.pod_request, pass_weights(c), Dense{}, count,
      totals);
}

void least_balanced_ids_kernel(const FusedResourceColumns& c, std::span<const state::NodeIndex> ids,
                               std::int64_t* totals) {
  const ScoredColumn& l0 = c.least[0];
  const ScoredColumn& l1 = c.least[1];
  const ScoredColumn& b0 = c.balanced[0];
  const ScoredColumn& b1 = c.balanced[1];
  const bool equal = equal_weights(c);
  (equal ? least_balanced<true, Sparse> : least_balanced<false, Sparse>)(
      l0.allocatable_f64, l0.allocatable_inverse, l1.allocatable_f64, l1.allocatable_inverse, l0.requested,
      l1.requested, l0.pod_request, l1.pod_request, b0.requested, b1.requested, b0.pod_request, b1.pod_request,
      pass_weights(c), Sparse{ids.data()}, ids.size(), totals);
}

bool fit_fold_pays() {
#if defined(__SANITIZE_THREAD__) || defined(__clang__) || !defined(__x86_64__)
  return false;  // the baseline build only (common/multiversion.hpp): a scalar loop
#else
  // The clone the loader picks for PODIUM_MULTIVERSION; read once (the CPU does not change).
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("x86-64-v4") != 0;
  }();
  return avx512;
#endif
}

void fit_least_balanced_range_kernel(const FusedResourceColumns& c, const FitColumns& fit, state::NodeIndex first,
                                     std::size_t count, std::uint8_t* ok, std::int64_t* totals) {
  const ScoredColumn& l0 = c.least[0];
  const ScoredColumn& l1 = c.least[1];
  const ScoredColumn& b0 = c.balanced[0];
  const ScoredColumn& b1 = c.balanced[1];
  (equal_weights(c) ? fit_least_balanced<true> : fit_least_balanced<false>)(
      l0.allocatable_f64 + first, l0.allocatable_inverse + first, l1.allocatable_f64 + first,
      l1.allocatable_inverse + first, l0.requested + first, l1.requested + first, l0.pod_request, l1.pod_request,
      b0.requested + first, b1.requested + first, b0.pod_request, b1.pod_request, pass_weights(c),
      b0.allocatable + first, b1.allocatable + first, fit.amount[0], fit.amount[1], fit.pod_count + first,
      fit.allowed_pods + first, count, ok, totals);
}

bool fit_least_balanced_ids_applies(std::span<const CheckedColumn> checked) { return checked.size() <= 2; }

void fit_least_balanced_ids_kernel(const FusedResourceColumns& c, const std::int32_t* pod_count,
                                   const std::int32_t* allowed_pods, std::span<const CheckedColumn> checked,
                                   std::int64_t base, std::int64_t infeasible, std::span<const state::NodeIndex> ids,
                                   std::int64_t* totals_by_node) {
  // Missing checked columns read any valid int64 node column and can never refuse.
  const CheckedColumn pad{c.least[0].requested, c.least[0].requested, std::numeric_limits<std::int64_t>::min()};
  const CheckedColumn& k0 = !checked.empty() ? checked[0] : pad;
  const CheckedColumn& k1 = checked.size() > 1 ? checked[1] : pad;
  const ScoredColumn& l0 = c.least[0];
  const ScoredColumn& l1 = c.least[1];
  const ScoredColumn& b0 = c.balanced[0];
  const ScoredColumn& b1 = c.balanced[1];
  (equal_weights(c) ? fit_least_balanced_ids<true> : fit_least_balanced_ids<false>)(
      l0.allocatable_f64, l0.allocatable_inverse, l1.allocatable_f64, l1.allocatable_inverse, l0.requested,
      l1.requested, l0.pod_request, l1.pod_request, b0.requested, b1.requested, b0.pod_request, b1.pod_request,
      pass_weights(c), pod_count, allowed_pods, k0.allocatable, k0.requested, k0.amount, k1.allocatable, k1.requested,
      k1.amount, base, infeasible, ids.data(), ids.size(), totals_by_node);
}

}  // namespace podium::plugins::noderesources
