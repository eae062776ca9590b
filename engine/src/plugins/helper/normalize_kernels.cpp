#include "plugins/helper/normalize_kernels.hpp"

#include <algorithm>
#include <limits>

#include "common/multiversion.hpp"
#include "podium/plugins/helper/normalize_score.hpp"

namespace podium::plugins::helper {
namespace {

// Exact integer division through float64 (why the kernels below may divide in doubles):
// for integers 0 <= a < 2^53 and 1 <= b < 2^53, trunc(fl(a / b)) == a / b (Go's and C++'s
// truncating int64 division), where fl is IEEE-754 round-to-nearest division of the exact
// doubles a and b. Proof: let k = a / b (integer quotient) and q = a / b the real quotient,
// so k <= q < k + 1.
//  - fl(q) >= k: k <= q and k is a double (k <= a < 2^53); rounding is monotone, so
//    fl(q) >= fl(k) = k.
//  - fl(q) < k + 1: if b divides a, q = k is a double and fl(q) = k. Otherwise
//    q = k + r / b with 1 <= r <= b - 1, so k + 1 - q = (b - r) / b >= 1 / b. The rounding
//    error is at most half an ulp of q, at most q * 2^-53 = a / b * 2^-53 < 2^53 / b * 2^-53
//    = 1 / b. Hence fl(q) < q + 1 / b <= k + 1.
// So k <= fl(q) < k + 1 and truncation gives k. Outside these bounds the callers fall back
// to the scalar integer formula.
constexpr std::int64_t kExactBelow = std::int64_t{1} << 53;

// Exact integer division by a loop-invariant divisor through its float64 reciprocal: a
// multiply instead of a division (a vector division costs ~2 cycles per element). For
// integers 0 <= a < 2^52 and 1 <= b < 2^52, with inv = fl(1 / b), p = fl(a * inv) and
// k = a / b (integer quotient), trunc(p) is k - 1, k or k + 1, and the exact remainder
// a - trunc(p) * b picks k. Proof: for b = 1, inv = 1 and p = a exactly. For b >= 2,
// p = (a / b)(1 + e1)(1 + e2) with |e1|, |e2| <= 2^-53, so
// |p - a / b| <= a / b * (2^-52 + 2^-106) < 2^52 / b * 2^-52 * (1 + 2^-54) <= (1 + 2^-54) / 2
// < 1. Hence k - 1 <= a / b - 1 < p < a / b + 1 < k + 2, and p >= 0, so trunc(p) lies in
// [k - 1, k + 1]. The remainder r = a - trunc(p) * b is exact in int64 (|r| < 2b): r < 0
// means trunc(p) = k + 1, r >= b means k - 1. (The tests find only k - 1 below 2^52; the
// proof allows both, and both corrections cost the same vector ops.)
constexpr std::int64_t kReciprocalExactBelow = std::int64_t{1} << 52;

inline std::int64_t divide_by_reciprocal(std::int64_t a, std::int64_t b, double inv) {
  const auto q = static_cast<std::int64_t>(static_cast<double>(a) * inv);
  const std::int64_t r = a - q * b;
  return q - (r < 0 ? 1 : 0) + (r >= b ? 1 : 0);
}

PODIUM_MULTIVERSION
void range_of(const std::int64_t* __restrict scores, std::size_t count, std::int64_t& lo, std::int64_t& hi) {
  std::int64_t a = lo;
  std::int64_t b = hi;
  for (std::size_t i = 0; i < count; ++i) {
    a = std::min(a, scores[i]);
    b = std::max(b, scores[i]);
  }
  lo = a;
  hi = b;
}

PODIUM_MULTIVERSION
void range_of_skipping(const std::int64_t* __restrict scores, std::size_t count, std::int64_t skip,
                       std::int64_t& lo, std::int64_t& hi) {
  std::int64_t a = lo;
  std::int64_t b = hi;
  for (std::size_t i = 0; i < count; ++i) {
    // A skipped score becomes the identity of each reduction (mask arithmetic: GCC
    // vectorises it where it leaves a select scalar).
    const std::int64_t skipped = -static_cast<std::int64_t>(scores[i] == skip);
    const std::int64_t kept = scores[i] & ~skipped;
    const std::int64_t for_min = kept | (skipped & std::numeric_limits<std::int64_t>::max());
    const std::int64_t for_max = kept | (skipped & std::numeric_limits<std::int64_t>::min());
    a = std::min(a, for_min);
    b = std::max(b, for_max);
  }
  lo = a;
  hi = b;
}

// Both arms of `reverse` as separate loops, so neither carries a select.
template <bool kReverse>
PODIUM_MULTIVERSION void scale_loop(std::int64_t* __restrict scores, std::size_t count, std::int64_t max_priority,
                                    std::int64_t max_count, double inverse) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t q = divide_by_reciprocal(max_priority * scores[i], max_count, inverse);
    scores[i] = kReverse ? max_priority - q : q;
  }
}

PODIUM_MULTIVERSION
void spread_loop(std::int64_t* __restrict scores, std::size_t count, std::int64_t max_node_score,
                 std::int64_t max_plus_min, double divisor, std::int64_t skip) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t s = scores[i];
    // Computed for `skip` too (a discarded, overflow-free value), then masked to 0: no branch.
    const auto q = static_cast<std::int64_t>(static_cast<double>(max_node_score * (max_plus_min - s)) / divisor);
    const std::int64_t keep = -static_cast<std::int64_t>(s != skip);
    scores[i] = q & keep;
  }
}

PODIUM_MULTIVERSION
void ratio_loop(std::int64_t* __restrict scores, std::size_t count, double max_node_score, std::int64_t min,
                double diff) {
  for (std::size_t i = 0; i < count; ++i)
    scores[i] = static_cast<std::int64_t>(max_node_score * (static_cast<double>(scores[i] - min) / diff));
}

PODIUM_MULTIVERSION
std::int64_t add_weighted_max_loop(const std::int64_t* __restrict scores, std::size_t count, std::int64_t weight,
                                   const std::int64_t* __restrict base, std::int64_t* __restrict totals) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) {
    totals[i] = base[i] + scores[i] * weight;
    best = std::max(best, totals[i]);
  }
  return best;
}

// The same in place (base == totals): separate loops keep both restrict-clean.
PODIUM_MULTIVERSION
std::int64_t add_weighted_max_in_place(const std::int64_t* __restrict scores, std::size_t count, std::int64_t weight,
                                       std::int64_t* __restrict totals) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) {
    totals[i] += scores[i] * weight;
    best = std::max(best, totals[i]);
  }
  return best;
}

}  // namespace

std::int64_t add_weighted_max(const std::int64_t* scores, std::size_t count, std::int64_t weight,
                              const std::int64_t* base, std::int64_t* totals) {
  return base == totals ? add_weighted_max_in_place(scores, count, weight, totals)
                        : add_weighted_max_loop(scores, count, weight, base, totals);
}

ScoreRange score_range(const std::int64_t* scores, std::size_t count) {
  ScoreRange r;
  range_of(scores, count, r.min, r.max);
  return r;
}

ScoreRange score_range_skipping(const std::int64_t* scores, std::size_t count, std::int64_t skip) {
  ScoreRange r;
  range_of_skipping(scores, count, skip, r.min, r.max);
  return r;
}

bool scale_to_max_priority(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_priority,
                           std::int64_t max_count, bool reverse) {
  // Every numerator max_priority * s lies in [0, max_priority * max_count], and the divisor
  // max_count below it (or max_priority is 0): the reciprocal proof's bounds.
  if (count == 0 || range.min < 0 || range.max > max_count || max_count <= 0 || max_priority < 0 ||
      max_count >= kReciprocalExactBelow ||
      (max_priority > 0 && max_count > (kReciprocalExactBelow - 1) / max_priority))
    return false;
  const double inverse = 1.0 / static_cast<double>(max_count);
  if (reverse) {
    scale_loop<true>(scores, count, max_priority, max_count, inverse);
  } else {
    scale_loop<false>(scores, count, max_priority, max_count, inverse);
  }
  return true;
}

bool spread_normalize(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_node_score,
                      std::int64_t skip) {
  // Numerators max_node_score * (max + min - s) for kept s in [min, max] lie in
  // [max_node_score * min, max_node_score * max]; a skipped s (< 0) gives at most
  // max_node_score * (max + min - skip), kept overflow-free by the bound below.
  // range.max == 0 is upstream's "every score MaxNodeScore" arm: the caller's.
  if (count == 0 || skip >= 0 || range.min < 0 || range.max < range.min || range.max == 0 || max_node_score < 0 ||
      skip < -kExactBelow)
    return false;
  const std::int64_t max_plus_min = range.max + range.min;
  if (max_plus_min >= kExactBelow || (max_node_score > 0 && max_plus_min - skip > (kExactBelow - 1) / max_node_score))
    return false;
  spread_loop(scores, count, max_node_score, max_plus_min, static_cast<double>(range.max), skip);
  return true;
}

bool ratio_normalize(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_node_score) {
  std::int64_t diff = 0;
  if (count == 0 || range.max <= range.min || __builtin_sub_overflow(range.max, range.min, &diff)) return false;
  ratio_loop(scores, count, static_cast<double>(max_node_score), range.min, static_cast<double>(diff));
  return true;
}

void default_normalize_score_vectorised(std::int64_t max_priority, bool reverse, std::span<std::int64_t> scores) {
  const ScoreRange range = score_range(scores.data(), scores.size());
  // Upstream's maxCount starts at 0; with every score 0 (or none) the scalar arm fills.
  if (range.max > 0 && scale_to_max_priority(scores.data(), scores.size(), range, max_priority, range.max, reverse))
    return;
  default_normalize_score(max_priority, reverse, scores);
}

std::int64_t add_default_normalized(std::int64_t max_priority, bool reverse, ScoreRange range, std::int64_t* scores,
                                    std::size_t count, std::int64_t weight, const std::int64_t* base,
                                    std::int64_t* totals) {
  // default_normalize_score_vectorised with every part's range: maxCount from 0 over all
  // of them; a range holding the part's scores keeps scale_to_max_priority exact.
  if (!(range.max > 0 && scale_to_max_priority(scores, count, range, max_priority, range.max, reverse))) {
    const std::int64_t max_count = std::max<std::int64_t>(0, range.max);
    if (max_count == 0) {
      if (reverse) std::fill_n(scores, count, max_priority);
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const std::int64_t scaled = max_priority * scores[i] / max_count;
        scores[i] = reverse ? max_priority - scaled : scaled;
      }
    }
  }
  return add_weighted_max(scores, count, weight, base, totals);
}

}  // namespace podium::plugins::helper
