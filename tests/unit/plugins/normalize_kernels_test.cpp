// NormalizeScore's vectorised kernels against the upstream formulas written out per node
// (helper.DefaultNormalizeScore, PodTopologySpread and InterPodAffinity NormalizeScore):
// edge values, values at the bounds of the exact-division proof, and random inputs.

#include "plugins/helper/normalize_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/helper/normalize_score.hpp"

namespace podium::plugins::helper {
namespace {

constexpr std::int64_t kMax = 100;  // framework::kMaxNodeScore
constexpr std::int64_t kInvalid = -1;
constexpr std::int64_t k2to52 = std::int64_t{1} << 52;
constexpr std::int64_t k2to53 = std::int64_t{1} << 53;

// PodTopologySpread NormalizeScore per node (scoring.go), integer arithmetic.
std::vector<std::int64_t> spread_by_formula(std::vector<std::int64_t> s) {
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = 0;
  for (const std::int64_t v : s)
    if (v != kInvalid) lo = std::min(lo, v), hi = std::max(hi, v);
  for (std::int64_t& v : s) v = v == kInvalid ? 0 : hi == 0 ? kMax : kMax * (hi + lo - v) / hi;
  return s;
}

// InterPodAffinity NormalizeScore per node (scoring.go), float64 arithmetic.
std::vector<std::int64_t> ratio_by_formula(std::vector<std::int64_t> s) {
  const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
  const std::int64_t min = *lo;
  const std::int64_t diff = *hi - *lo;
  for (std::int64_t& v : s)
    v = static_cast<std::int64_t>(static_cast<double>(kMax) * (static_cast<double>(v - min) / static_cast<double>(diff)));
  return s;
}

std::vector<std::int64_t> random_scores(std::uint64_t& seed, std::size_t n, std::int64_t below, bool with_invalid) {
  std::vector<std::int64_t> s(n);
  for (std::int64_t& v : s) {
    seed = framework::splitmix64(seed);
    v = static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(below));
    if (with_invalid && (seed >> 60) == 0) v = kInvalid;
  }
  return s;
}

TEST(NormalizeKernels, ScoreRangeMatchesMinMax) {
  EXPECT_EQ(score_range(nullptr, 0).min, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(score_range(nullptr, 0).max, std::numeric_limits<std::int64_t>::min());
  const std::vector<std::int64_t> edges = {0, std::numeric_limits<std::int64_t>::max(), -5,
                                           std::numeric_limits<std::int64_t>::min(), kInvalid, 3};
  EXPECT_EQ(score_range(edges.data(), edges.size()).min, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(score_range(edges.data(), edges.size()).max, std::numeric_limits<std::int64_t>::max());
  const std::vector<std::int64_t> skipping = {kInvalid, 9, kInvalid, 4, 12, kInvalid};
  EXPECT_EQ(score_range_skipping(skipping.data(), skipping.size(), kInvalid).min, 4);
  EXPECT_EQ(score_range_skipping(skipping.data(), skipping.size(), kInvalid).max, 12);
  const std::vector<std::int64_t> only_skipped(37, kInvalid);
  const ScoreRange none = score_range_skipping(only_skipped.data(), only_skipped.size(), kInvalid);
  EXPECT_EQ(none.min, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(none.max, std::numeric_limits<std::int64_t>::min());
  std::uint64_t seed = 1;
  for (const std::size_t n : {1U, 7U, 64U, 333U, 5000U}) {
    const std::vector<std::int64_t> s = random_scores(seed, n, 1000, true);
    const ScoreRange r = score_range(s.data(), n);
    EXPECT_EQ(r.min, *std::min_element(s.begin(), s.end()));
    EXPECT_EQ(r.max, *std::max_element(s.begin(), s.end()));
  }
}

TEST(NormalizeKernels, DefaultNormalizeMatchesTheScalarFormula) {
  std::uint64_t seed = 2;
  std::vector<std::vector<std::int64_t>> cases = {
      {}, {0}, {0, 0, 0}, {5}, {0, 7, 3}, {100, 0, 100, 1},
      // The largest max_count the proof covers for max_priority 100, and values just under it
      // (quotients near every remainder: the reciprocal's correction in both directions).
      {(k2to52 - 1) / kMax, (k2to52 - 1) / kMax - 1, 1, 0, (k2to52 - 1) / kMax / 3, (k2to52 - 1) / kMax / 7 * 5},
      {3, 1, 2, 0}, {7, 6, 5, 4, 3, 2, 1}, {99, 98, 97, 33, 66, 1}, {1000003, 999999, 500001, 333334},
      // Past the bound: the scalar fallback, still the same integers.
      {k2to52 / kMax + 1, k2to52 / kMax, 12345}, {k2to53 / kMax + 1, k2to53 / kMax, 12345},
      {std::numeric_limits<std::int64_t>::max() / kMax, 77}};
  for (const std::size_t n : {3U, 64U, 517U, 5000U})
    for (const std::int64_t below : {std::int64_t{2}, std::int64_t{101}, std::int64_t{1} << 40, (k2to52 - 1) / kMax})
      cases.push_back(random_scores(seed, n, below, false));
  for (const auto& scores : cases)
    for (const bool reverse : {false, true}) {
      std::vector<std::int64_t> want = scores;
      default_normalize_score(kMax, reverse, want);
      std::vector<std::int64_t> got = scores;
      default_normalize_score_vectorised(kMax, reverse, got);
      EXPECT_EQ(got, want) << scores.size() << " scores, reverse " << reverse;
    }
}

// The reciprocal division over its whole proven range: any divisor below 2^52 (here from 1
// to the bound), any priority, numerators up to the bound; against Go's integer division.
TEST(NormalizeKernels, ScaleToMaxPriorityDividesExactlyAcrossTheProvenRange) {
  std::uint64_t seed = 5;
  for (const std::int64_t max_priority : {std::int64_t{0}, std::int64_t{1}, std::int64_t{3}, kMax, std::int64_t{7919}})
    for (int round = 0; round < 300; ++round) {
      seed = framework::splitmix64(seed);
      const std::int64_t limit = max_priority == 0 ? k2to52 - 1 : (k2to52 - 1) / max_priority;
      // Divisors of every magnitude: 1 .. limit, log-uniform.
      const std::int64_t max_count = std::max<std::int64_t>(1, limit >> (seed % 52));
      std::vector<std::int64_t> scores = random_scores(seed, 64, max_count + 1, false);
      scores[0] = max_count;
      scores[1] = max_count - 1;
      std::vector<std::int64_t> want = scores;
      for (std::int64_t& v : want) v = max_priority * v / max_count;
      ASSERT_TRUE(scale_to_max_priority(scores.data(), scores.size(), score_range(scores.data(), scores.size()),
                                        max_priority, max_count, false));
      ASSERT_EQ(scores, want) << "max_priority " << max_priority << ", max_count " << max_count;
    }
}

TEST(NormalizeKernels, ScaleToMaxPriorityRefusesOutsideTheProvenRange) {
  std::vector<std::int64_t> s = {1, 2};
  const std::vector<std::int64_t> before = s;
  const std::int64_t last_exact = (k2to52 - 1) / kMax;  // kMax * last_exact < 2^52
  EXPECT_FALSE(scale_to_max_priority(s.data(), s.size(), {1, 2}, kMax, last_exact + 1, false));
  EXPECT_FALSE(scale_to_max_priority(s.data(), s.size(), {-1, 2}, kMax, 2, false));  // negative score
  EXPECT_FALSE(scale_to_max_priority(s.data(), s.size(), {1, 3}, kMax, 2, false));   // score above max_count
  EXPECT_FALSE(scale_to_max_priority(s.data(), s.size(), {1, 2}, kMax, 0, false));
  EXPECT_EQ(s, before);
  EXPECT_TRUE(scale_to_max_priority(s.data(), s.size(), {1, 2}, kMax, last_exact, false));
}

TEST(NormalizeKernels, SpreadNormalizeMatchesTheScalarFormula) {
  std::uint64_t seed = 3;
  std::vector<std::vector<std::int64_t>> cases = {
      {0, 5, kInvalid}, {kInvalid, 9}, {3, 3, 3}, {0, 1},
      // min + max at the proof's bound: max_node_score * (max + min) < 2^53.
      {(k2to53 - 1) / kMax - 1, 0, kInvalid, 1},
      // Past it: the caller's scalar arm (the kernel refuses; the plugin still agrees).
      {k2to53 / kMax, 1, kInvalid}};
  for (const std::size_t n : {5U, 64U, 700U, 5000U})
    for (const std::int64_t below : {std::int64_t{3}, std::int64_t{2000}, std::int64_t{1} << 44})
      cases.push_back(random_scores(seed, n, below, true));
  for (const auto& scores : cases) {
    const std::vector<std::int64_t> want = spread_by_formula(scores);
    std::vector<std::int64_t> got = scores;
    ScoreRange r = score_range_skipping(got.data(), got.size(), kInvalid);
    r.max = std::max<std::int64_t>(0, r.max);
    if (r.max > 0 && spread_normalize(got.data(), got.size(), r, kMax, kInvalid)) {
      EXPECT_EQ(got, want) << scores.size() << " scores up to " << r.max;
    } else {
      // Refused: only outside the proof's bounds (the plugin then runs the scalar formula).
      EXPECT_TRUE(r.max == 0 || kMax * (r.max + r.min - kInvalid) >= k2to53) << r.min << ".." << r.max;
      EXPECT_EQ(got, scores);
    }
  }
}

TEST(NormalizeKernels, RatioNormalizeMatchesGoFloat64Bits) {
  std::uint64_t seed = 4;
  constexpr std::int64_t kHuge = std::int64_t{1} << 62;
  std::vector<std::vector<std::int64_t>> cases = {
      {0, 1}, {-3, 0, 3}, {-kHuge, kHuge - 1, 0, 1, -1, 12345678901234567},  // doubles round here
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17},
      {0, k2to53 + 1, k2to53 - 1, 3}};
  for (const std::size_t n : {2U, 64U, 900U, 5000U})
    for (const std::int64_t below : {std::int64_t{7}, std::int64_t{1} << 20, kHuge}) {
      std::vector<std::int64_t> s = random_scores(seed, n, below, false);
      for (std::size_t i = 0; i < s.size(); i += 3) s[i] = -s[i];  // InterPodAffinity sums may be negative
      cases.push_back(std::move(s));
    }
  for (const auto& scores : cases) {
    const std::vector<std::int64_t> want = ratio_by_formula(scores);
    std::vector<std::int64_t> got = scores;
    ASSERT_TRUE(ratio_normalize(got.data(), got.size(), score_range(got.data(), got.size()), kMax));
    EXPECT_EQ(got, want) << scores.size() << " scores";
  }
  // float64(29) / 100 * 100 is 28.999999999999996 in Go: 28, where integer arithmetic gives 29.
  std::vector<std::int64_t> rounding = {0, 29, 57, 100};
  ASSERT_TRUE(ratio_normalize(rounding.data(), rounding.size(), score_range(rounding.data(), 4), kMax));
  EXPECT_EQ(rounding, (std::vector<std::int64_t>{0, 28, 56, 100}));
  EXPECT_EQ(ratio_by_formula({0, 29, 57, 100}), rounding);
  std::vector<std::int64_t> equal = {4, 4};
  EXPECT_FALSE(ratio_normalize(equal.data(), equal.size(), score_range(equal.data(), 2), kMax));
  std::vector<std::int64_t> overflow = {std::numeric_limits<std::int64_t>::min(), 1};
  EXPECT_FALSE(ratio_normalize(overflow.data(), overflow.size(), score_range(overflow.data(), 2), kMax));
}

}  // namespace
}  // namespace podium::plugins::helper
