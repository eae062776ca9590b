// The noderesources scoring formulas, pinned against values computed by hand from
// upstream's Go code (integer division truncates; BalancedAllocation truncates a float).

#include "podium/plugins/noderesources/scorers.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace nr = podium::plugins::noderesources;

TEST(LeastRequestedScore, IsTheFreeShareTruncated) {
  EXPECT_EQ(nr::least_requested_score(2000, 4000), 50);
  EXPECT_EQ(nr::least_requested_score(1000, 3000), 66);  // 66.67 truncates
  EXPECT_EQ(nr::least_requested_score(0, 4000), 100);
  EXPECT_EQ(nr::least_requested_score(4000, 4000), 0);
}

TEST(LeastRequestedScore, IsZeroWhenOverCapacityOrNoCapacity) {
  EXPECT_EQ(nr::least_requested_score(4001, 4000), 0);
  EXPECT_EQ(nr::least_requested_score(10, 0), 0);
}

TEST(MostRequestedScore, IsTheUsedShareAndClampsOverCapacity) {
  EXPECT_EQ(nr::most_requested_score(1000, 3000), 33);
  EXPECT_EQ(nr::most_requested_score(1050, 1000), 100);  // request-less defaults can exceed
  EXPECT_EQ(nr::most_requested_score(5, 0), 0);
}

TEST(BrokenLinear, InterpolatesWithIntegerDivisionAndClampsOutside) {
  const std::vector<nr::ShapePoint> shape{{10, 0}, {50, 100}, {100, 20}};
  EXPECT_EQ(nr::broken_linear(shape, 0), 0);     // before the first point: first score
  EXPECT_EQ(nr::broken_linear(shape, 10), 0);
  EXPECT_EQ(nr::broken_linear(shape, 11), 2);    // 0 + 100*1/40 = 2.5 -> 2
  EXPECT_EQ(nr::broken_linear(shape, 50), 100);
  EXPECT_EQ(nr::broken_linear(shape, 75), 60);   // 100 + (-80)*25/50 = 60
  EXPECT_EQ(nr::broken_linear(shape, 99), 22);   // 100 + (-80)*49/50 = 100 - 78.4 -> 100 - 78
  EXPECT_EQ(nr::broken_linear(shape, 150), 20);  // after the last point: last score
}

TEST(RequestedToCapacityRatioScore, UsesFullUtilizationWhenOverCapacity) {
  const std::vector<nr::ShapePoint> shape{{0, 0}, {100, 100}};
  EXPECT_EQ(nr::requested_to_capacity_ratio_score(shape, 375, 1000), 37);
  EXPECT_EQ(nr::requested_to_capacity_ratio_score(shape, 2000, 1000), 100);
  EXPECT_EQ(nr::requested_to_capacity_ratio_score(shape, 0, 0), 100);
}

TEST(BalancedResourceScore, UsesHalfTheDifferenceForTwoResources) {
  const std::vector<double> f{0.5, 0.375};
  EXPECT_EQ(nr::balanced_resource_score(f), 93);  // (1 - 0.0625) * 100 = 93.75 -> 93
}

TEST(BalancedResourceScore, UsesThePopulationStandardDeviationForThreeOrMore) {
  const std::vector<double> f{0.5, 0.375, 1.0};
  EXPECT_EQ(nr::balanced_resource_score(f), 72);  // std 0.27003 -> 72.99 -> 72
}

TEST(BalancedResourceScore, IsPerfectForOneOrNoResource) {
  EXPECT_EQ(nr::balanced_resource_score(std::vector<double>{0.7}), 100);
  EXPECT_EQ(nr::balanced_resource_score(std::vector<double>{}), 100);
}

TEST(FloorDivNonneg, EqualsIntegerDivisionEverywhereItIsUsed) {
  // Random operands across magnitudes, plus quotients just below an integer, where a
  // correctly rounded double quotient can round up to that integer.
  std::uint64_t s = 7;
  auto next = [&s] {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  };
  for (int i = 0; i < 200000; ++i) {
    const int shift = static_cast<int>(next() % 60);
    const auto a = static_cast<std::int64_t>((next() >> (4 + shift % 50)) | 1);
    const auto x = static_cast<std::int64_t>(next() >> (4 + shift));
    ASSERT_EQ(nr::floor_div_nonneg(x, a), x / a) << x << " / " << a;
    const std::int64_t k = x % 1000 + 1;
    if (a < (std::int64_t{1} << 40)) {
      ASSERT_EQ(nr::floor_div_nonneg(k * a - 1, a), k - 1) << k << " " << a;
    }
  }
  const std::int64_t big = std::int64_t{1} << 53;
  EXPECT_EQ(nr::floor_div_nonneg(big * 3 + 5, 3), (big * 3 + 5) / 3);  // beyond 2^53: integer path
  EXPECT_EQ(nr::floor_div_nonneg((big - 1), big - 2), 1);
}
