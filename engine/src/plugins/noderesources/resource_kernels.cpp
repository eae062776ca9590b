#include "plugins/noderesources/resource_kernels.hpp"

#include <algorithm>
#include <cmath>

#include "common/multiversion.hpp"

namespace podium::plugins::noderesources {

namespace {

constexpr std::size_t kChunk = 256;  // nodes per pass: the partial sums stay in L1

// How a kernel finds its i-th node. Sparse: through a selection vector (the batch path
// after other filters compacted it). Dense: node i of columns whose pointers the caller
// already moved to the range's first node — consecutive loads, no gathers.
struct Sparse {
  const state::NodeIndex* __restrict ids;
  // A signed 32-bit index: what the AVX2 / AVX-512 gathers take (node counts are far below 2^31).
  std::int32_t operator()(std::size_t i) const { return static_cast<std::int32_t>(ids[i]); }
};
struct Dense {
  std::size_t operator()(std::size_t i) const { return i; }
};

// sum[i] += weight * score, weights[i] += weight, for one resource over one chunk. The
// pointers never alias (columns vs. the caller's stack arrays); saying so lets the
// compiler gather instead of giving up on the loop.
template <bool kMost, class Index>
PODIUM_MULTIVERSION void accumulate_resource(const double* __restrict af, const double* __restrict inverse,
                                               const std::int64_t* __restrict requested, std::int64_t pod, double w,
                                               Index index, std::size_t count, double* __restrict sum,
                                               double* __restrict weights) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = index(i);
    const double a = af[n];
    const double q = static_cast<double>(requested[n] + pod);
    // leastRequestedScore: (a - q) * 100 / a, 0 when q > a; mostRequestedScore: q capped at a.
    const double x = (kMost ? std::min(q, a) : std::max(a - q, 0.0)) * 100.0;
    double k = static_cast<double>(static_cast<std::int32_t>(x * inverse[n]));  // trunc; x / a <= 100
    k = (k + 1.0) * a <= x ? k + 1.0 : k;
    k = k * a > x ? k - 1.0 : k;
    const bool present = a > 0.0;  // a node without the resource leaves it out of the mean
    sum[i] += present ? k * w : 0.0;
    weights[i] += present ? w : 0.0;
  }
}

PODIUM_MULTIVERSION
void weighted_means(const double* __restrict sum, const double* __restrict weights, std::size_t count,
                    std::int64_t* __restrict scores) {
  for (std::size_t i = 0; i < count; ++i) {
    const double mean = weights[i] > 0.0 ? sum[i] / weights[i] : 0.0;
    scores[i] = static_cast<std::int32_t>(mean);
  }
}

// The same means, weighted into totals: totals[i] += plugin_weight * mean. 32-bit products
// (score <= 100, weight <= 2^20: below 2^27) vectorise where 64-bit multiplies do not.
PODIUM_MULTIVERSION
void add_weighted_means(const double* __restrict sum, const double* __restrict weights, std::size_t count,
                        std::int32_t plugin_weight, std::int64_t* __restrict totals) {
  for (std::size_t i = 0; i < count; ++i) {
    const double mean = weights[i] > 0.0 ? sum[i] / weights[i] : 0.0;
    totals[i] += static_cast<std::int32_t>(mean) * plugin_weight;
  }
}

// BalancedAllocation over two resources (upstream's own special case): the fractions are
// true divisions, as upstream's float64(requested) / float64(allocatable) (a vector
// division rounds exactly like a scalar one), then |f0 - f1| / 2 as the deviation.
inline double balanced_two_score(double c0, double c1, std::int64_t q0, std::int64_t q1) {
  const double f0 = std::min(1.0, static_cast<double>(q0) / c0);
  const double f1 = std::min(1.0, static_cast<double>(q1) / c1);
  const double deviation = std::abs((f0 - f1) / 2);
  // A node lacking one of them scores one fraction or none: deviation 0, score 100.
  return c0 > 0.0 && c1 > 0.0 ? (1 - deviation) * 100.0 : 100.0;
}

PODIUM_MULTIVERSION
void balanced_two(const double* __restrict a0, const std::int64_t* __restrict r0, std::int64_t pod0,
                  const double* __restrict a1, const std::int64_t* __restrict r1, std::int64_t pod1,
                  const state::NodeIndex* __restrict ids, std::size_t count, std::int64_t* __restrict scores) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = static_cast<std::int32_t>(ids[i]);
    scores[i] = static_cast<std::int32_t>(balanced_two_score(a0[n], a1[n], r0[n] + pod0, r1[n] + pod1));
  }
}

// Dense and weighted: totals[i] += weight * score of node i (pointers start at the range).
PODIUM_MULTIVERSION
void balanced_two_dense(const double* __restrict a0, const std::int64_t* __restrict r0, std::int64_t pod0,
                        const double* __restrict a1, const std::int64_t* __restrict r1, std::int64_t pod1,
                        std::size_t count, std::int32_t weight, std::int64_t* __restrict totals) {
  for (std::size_t i = 0; i < count; ++i)
    totals[i] += static_cast<std::int32_t>(balanced_two_score(a0[i], a1[i], r0[i] + pod0, r1[i] + pod1)) * weight;
}

template <class Index>
PODIUM_MULTIVERSION void pod_slot_mask(const std::int32_t* __restrict pod_count, const std::int32_t* __restrict allowed,
                                       Index index, std::size_t count, std::uint8_t* __restrict ok) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = index(i);
    ok[i] &= pod_count[n] + 1 <= allowed[n] ? 1 : 0;
  }
}

template <class Index>
PODIUM_MULTIVERSION void resource_mask(const std::int64_t* __restrict allocatable,
                                       const std::int64_t* __restrict requested, std::int64_t amount, Index index,
                                       std::size_t count, std::uint8_t* __restrict ok) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = index(i);
    ok[i] &= amount <= allocatable[n] - requested[n] ? 1 : 0;
  }
}

// The common case in one pass: a free pod slot and room for two resources (a pod asking
// for cpu and memory), instead of three passes over the mask.
template <class Index>
PODIUM_MULTIVERSION void fits_two(const std::int32_t* __restrict pod_count, const std::int32_t* __restrict allowed,
                                  const std::int64_t* __restrict a0, const std::int64_t* __restrict r0,
                                  std::int64_t amount0, const std::int64_t* __restrict a1,
                                  const std::int64_t* __restrict r1, std::int64_t amount1, Index index,
                                  std::size_t count, std::uint8_t* __restrict ok) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = index(i);
    // Bitwise, not short-circuit: every compare is evaluated, no branch to vectorise away.
    const std::uint8_t slot = pod_count[n] + 1 <= allowed[n] ? 1 : 0;
    const std::uint8_t room0 = amount0 <= a0[n] - r0[n] ? 1 : 0;
    const std::uint8_t room1 = amount1 <= a1[n] - r1[n] ? 1 : 0;
    ok[i] &= static_cast<std::uint8_t>(slot & room0 & room1);
  }
}

}  // namespace

std::size_t fits_kernel(const std::int32_t* pod_count, const std::int32_t* allowed_pods,
                        std::span<const CheckedColumn> checked, std::span<const state::NodeIndex> candidates,
                        state::NodeIndex* survivors) {
  alignas(64) std::uint8_t ok[kChunk];
  std::size_t kept = 0;
  for (std::size_t begin = 0; begin < candidates.size(); begin += kChunk) {
    const std::size_t count = std::min(kChunk, candidates.size() - begin);
    const state::NodeIndex* ids = candidates.data() + begin;
    std::fill_n(ok, count, std::uint8_t{1});
    if (checked.size() == 2) {
      const CheckedColumn& c0 = checked[0];
      const CheckedColumn& c1 = checked[1];
      fits_two(pod_count, allowed_pods, c0.allocatable, c0.requested, c0.amount, c1.allocatable, c1.requested,
               c1.amount, Sparse{ids}, count, ok);
    } else {
      pod_slot_mask(pod_count, allowed_pods, Sparse{ids}, count, ok);
      for (const CheckedColumn& c : checked)
        resource_mask(c.allocatable, c.requested, c.amount, Sparse{ids}, count, ok);
    }
    // Branch-free compaction: every candidate is written, the cursor advances only if it
    // fits. In place is safe: kept <= begin + i, so no unread id is overwritten.
    for (std::size_t i = 0; i < count; ++i) {
      const state::NodeIndex n = ids[i];
      survivors[kept] = n;
      kept += ok[i];
    }
  }
  return kept;
}

void fits_range_kernel(const std::int32_t* pod_count, const std::int32_t* allowed_pods,
                       std::span<const CheckedColumn> checked, state::NodeIndex first, std::size_t count,
                       std::uint8_t* ok) {
  if (checked.size() == 2) {
    const CheckedColumn& c0 = checked[0];
    const CheckedColumn& c1 = checked[1];
    fits_two(pod_count + first, allowed_pods + first, c0.allocatable + first, c0.requested + first, c0.amount,
             c1.allocatable + first, c1.requested + first, c1.amount, Dense{}, count, ok);
    return;
  }
  pod_slot_mask(pod_count + first, allowed_pods + first, Dense{}, count, ok);
  for (const CheckedColumn& c : checked)
    resource_mask(c.allocatable + first, c.requested + first, c.amount, Dense{}, count, ok);
}

void balanced_two_resources_kernel(const ScoredColumn& first, const ScoredColumn& second,
                                   std::span<const state::NodeIndex> ids, std::int64_t* scores) {
  balanced_two(first.allocatable_f64, first.requested, first.pod_request, second.allocatable_f64, second.requested,
               second.pod_request, ids.data(), ids.size(), scores);
}

void balanced_two_resources_range_kernel(const ScoredColumn& a, const ScoredColumn& b, state::NodeIndex first,
                                         std::size_t count, std::int32_t weight, std::int64_t* totals) {
  balanced_two_dense(a.allocatable_f64 + first, a.requested + first, a.pod_request, b.allocatable_f64 + first,
                     b.requested + first, b.pod_request, count, weight, totals);
}

bool kernels_apply(std::span<const ScoredColumn> columns) {
  return std::all_of(columns.begin(), columns.end(), [](const ScoredColumn& c) {
    return c.allocatable_f64 != nullptr && c.weight >= 0 && c.weight <= (std::int64_t{1} << 20) && c.pod_request >= 0;
  });
}

void allocated_scores_kernel(std::span<const ScoredColumn> columns, bool most, std::span<const state::NodeIndex> ids,
                             std::int64_t* scores) {
  alignas(64) double sum[kChunk];
  alignas(64) double weights[kChunk];
  for (std::size_t begin = 0; begin < ids.size(); begin += kChunk) {
    const std::size_t count = std::min(kChunk, ids.size() - begin);
    std::fill_n(sum, count, 0.0);
    std::fill_n(weights, count, 0.0);
    for (const ScoredColumn& c : columns) {
      const auto w = static_cast<double>(c.weight);
      if (most) {
        accumulate_resource<true>(c.allocatable_f64, c.allocatable_inverse, c.requested, c.pod_request, w,
                                  Sparse{ids.data() + begin}, count, sum, weights);
      } else {
        accumulate_resource<false>(c.allocatable_f64, c.allocatable_inverse, c.requested, c.pod_request, w,
                                   Sparse{ids.data() + begin}, count, sum, weights);
      }
    }
    weighted_means(sum, weights, count, scores + begin);
  }
}

void allocated_scores_range_kernel(std::span<const ScoredColumn> columns, bool most, state::NodeIndex first,
                                   std::size_t count, std::int32_t weight, std::int64_t* totals) {
  alignas(64) double sum[kChunk];
  alignas(64) double weights[kChunk];
  for (std::size_t begin = 0; begin < count; begin += kChunk) {
    const std::size_t n = std::min(kChunk, count - begin);
    const std::size_t at = first + begin;
    std::fill_n(sum, n, 0.0);
    std::fill_n(weights, n, 0.0);
    for (const ScoredColumn& c : columns) {
      const auto w = static_cast<double>(c.weight);
      if (most) {
        accumulate_resource<true>(c.allocatable_f64 + at, c.allocatable_inverse + at, c.requested + at,
                                  c.pod_request, w, Dense{}, n, sum, weights);
      } else {
        accumulate_resource<false>(c.allocatable_f64 + at, c.allocatable_inverse + at, c.requested + at,
                                   c.pod_request, w, Dense{}, n, sum, weights);
      }
    }
    add_weighted_means(sum, weights, n, weight, totals + begin);
  }
}

}  // namespace podium::plugins::noderesources
