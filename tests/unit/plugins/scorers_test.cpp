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
