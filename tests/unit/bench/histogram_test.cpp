#include "harness/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace podium::bench {
namespace {

TEST(LogHistogram, EmptyHistogramReportsZeroes) {
  const LogHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.value_at_quantile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(LogHistogram, SmallValuesAreExact) {
  LogHistogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.value_at_quantile(0.5), 50u);
  EXPECT_EQ(h.value_at_quantile(0.99), 99u);
  EXPECT_EQ(h.value_at_quantile(1.0), 100u);
  EXPECT_EQ(h.value_at_quantile(0.0), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(LogHistogram, BucketsTileTheRangeWithoutGapsOrOverlap) {
  for (std::size_t b = 0; b + 1 < LogHistogram::kBucketCount; ++b) {
    ASSERT_LE(LogHistogram::bucket_low(b), LogHistogram::bucket_high(b)) << b;
    ASSERT_EQ(LogHistogram::bucket_high(b) + 1, LogHistogram::bucket_low(b + 1)) << b;
  }
  EXPECT_EQ(LogHistogram::bucket_high(LogHistogram::kBucketCount - 1), ~std::uint64_t{0});
  for (std::uint64_t v : {0ull, 255ull, 256ull, 257ull, 1000ull, 123456789ull, ~0ull}) {
    const auto b = LogHistogram::bucket_of(v);
    EXPECT_LE(LogHistogram::bucket_low(b), v);
    EXPECT_GE(LogHistogram::bucket_high(b), v);
  }
}

// Percentiles from buckets agree with an exact sort within the bucket precision (< 1%).
TEST(LogHistogram, PercentilesMatchASortWithinOnePercent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(std::log(20'000.0), 1.0);  // ~20 us median, long tail
  LogHistogram h;
  std::vector<std::uint64_t> samples;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<std::uint64_t>(latency(rng));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto exact = samples[static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size()))) - 1];
    const auto approx = h.value_at_quantile(q);
    EXPECT_GE(approx, exact) << q;  // the bucket's upper bound
    EXPECT_LE(static_cast<double>(approx), static_cast<double>(exact) * 1.008) << q;
  }
  EXPECT_EQ(h.value_at_quantile(1.0), samples.back());
  EXPECT_EQ(h.max(), samples.back());
  EXPECT_EQ(h.min(), samples.front());
}

TEST(LogHistogram, MergeEqualsRecordingEverythingInOne) {
  LogHistogram a, b, all;
  for (std::uint64_t v = 0; v < 5000; v += 7) {
    (v % 2 ? a : b).record(v * 13);
    all.record(v * 13);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
  for (double q : {0.1, 0.5, 0.9, 0.99}) EXPECT_EQ(a.value_at_quantile(q), all.value_at_quantile(q));
}

}  // namespace
}  // namespace podium::bench
