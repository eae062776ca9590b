// TaintToleration: the filter on NoSchedule/NoExecute taints, the PreferNoSchedule count
// and its reversed DefaultNormalizeScore, with upstream's numbers worked by hand.

#include <gtest/gtest.h>

#include "plugin_fixture.hpp"
#include "podium/plugins/helper/normalize_score.hpp"
#include "podium/plugins/tainttoleration/taint_toleration.hpp"

namespace {

using namespace podium;
using namespace podium::testing;

const io::Taint kNoSchedule{"dedicated", "gpu", "NoSchedule"};

TEST(TaintTolerationFilter, RejectsAnUntoleratedNoScheduleTaintAsUnresolvable) {
  auto c = cluster({tainted(node("n1", "4", "8Gi"), {kNoSchedule}), node("n2", "4", "8Gi")}, {pod("p", "1", "1Gi")});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.plugin(), "TaintToleration");
  // Since v1.35 the reason no longer names the taint (kubernetes PR 134740).
  EXPECT_EQ(ex.nodes[0].status.message(), "node(s) had untolerated taint(s)");
  EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulableAndUnresolvable);
  EXPECT_TRUE(ex.nodes[1].status.ok());
  EXPECT_EQ(ex.decision.node, 1U);
}

TEST(TaintTolerationFilter, RejectsUntoleratedNoExecuteButNotPreferNoScheduleTaints) {
  auto c = cluster({tainted(node("n1", "4", "8Gi"), {{"k", "v", "NoExecute"}}),
                    tainted(node("n2", "4", "8Gi"), {{"k", "v", "PreferNoSchedule"}})},
                   {pod("p", "1", "1Gi")});
  const auto ex = explain_last(c);
  EXPECT_FALSE(ex.nodes[0].status.ok());
  EXPECT_TRUE(ex.nodes[1].status.ok());
}

TEST(TaintTolerationFilter, CountsRejectedNodesInTheFitError) {
  auto c = cluster({tainted(node("n1", "4", "8Gi"), {kNoSchedule}), tainted(node("n2", "4", "8Gi"), {kNoSchedule})},
                   {pod("p", "1", "1Gi")});
  EXPECT_EQ(explain_last(c).decision.reason, "0/2 nodes are available: 2 node(s) had untolerated taint(s).");
}

struct TolerationCase {
  const char* name;
  io::Toleration toleration;
  bool tolerated;
};

class TolerationMatching : public ::testing::TestWithParam<TolerationCase> {};

TEST_P(TolerationMatching, DecidesWhetherTheTaintDedicatedGpuNoScheduleIsTolerated) {
  auto p = pod("p", "1", "1Gi");
  p.tolerations = {GetParam().toleration};
  auto c = cluster({tainted(node("n1", "4", "8Gi"), {kNoSchedule})}, {p});
  EXPECT_EQ(explain_last(c).nodes[0].status.ok(), GetParam().tolerated);
}

INSTANTIATE_TEST_SUITE_P(
    ToleratesTaint, TolerationMatching,
    ::testing::Values(TolerationCase{"EqualWithTheSameValue", toleration("dedicated", "Equal", "gpu", "NoSchedule"), true},
                      TolerationCase{"EqualWithAnotherValue", toleration("dedicated", "Equal", "cpu", "NoSchedule"), false},
                      TolerationCase{"EmptyOperatorMeansEqual", toleration("dedicated", "", "gpu", "NoSchedule"), true},
                      TolerationCase{"ExistsIgnoresTheValue", toleration("dedicated", "Exists", "", "NoSchedule"), true},
                      TolerationCase{"EmptyKeyExistsToleratesEverything", toleration("", "Exists", "", ""), true},
                      TolerationCase{"EmptyEffectMatchesEveryEffect", toleration("dedicated", "Exists", "", ""), true},
                      TolerationCase{"AnotherEffectDoesNotMatch", toleration("dedicated", "Exists", "", "NoExecute"), false},
                      TolerationCase{"AnotherKeyDoesNotMatch", toleration("team", "Exists", "", "NoSchedule"), false},
                      TolerationCase{"PreferNoScheduleTolerationDoesNotCover",
                                     toleration("dedicated", "Exists", "", "PreferNoSchedule"), false}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(TaintTolerationScore, CountsIntolerablePreferNoScheduleTaintsAndReversesTheScale) {
  // Raw counts 0, 1, 3; max 3: 100 - 0 = 100, 100 - 100*1/3 = 100 - 33 = 67, 100 - 100 = 0.
  // n2's NoSchedule taint is tolerated so that n2 stays feasible; that toleration has
  // another effect and does not count for scoring.
  const io::Taint a{"a", "", "PreferNoSchedule"}, b{"b", "", "PreferNoSchedule"}, d{"d", "", "PreferNoSchedule"};
  auto p = pod("p", "1", "1Gi");
  p.tolerations = {toleration("dedicated", "Exists", "", "NoSchedule")};
  auto c = cluster({node("n0", "4", "8Gi"), tainted(node("n1", "4", "8Gi"), {a}),
                    tainted(node("n2", "4", "8Gi"), {a, b, d, kNoSchedule})},
                   {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 0, "TaintToleration"), 100);
  EXPECT_EQ(score_of(ex, 1, "TaintToleration"), 67);
  EXPECT_EQ(score_of(ex, 2, "TaintToleration"), 0);
  EXPECT_EQ(ex.decision.node, 0U);
}

TEST(TaintTolerationScore, OnlyTolerationsWithEffectPreferNoScheduleOrEmptyCount) {
  // n1 carries a:PreferNoSchedule. A NoSchedule-only toleration of `a` does not help
  // (raw 1 -> 0 after reversing against max 1); an effect-less one does (raw 0 -> 100).
  const io::Taint a{"a", "", "PreferNoSchedule"};
  auto narrow = pod("p", "1", "1Gi");
  narrow.tolerations = {toleration("a", "Exists", "", "NoSchedule")};
  auto c = cluster({node("n0", "4", "8Gi"), tainted(node("n1", "4", "8Gi"), {a})}, {narrow});
  EXPECT_EQ(score_of(explain_last(c), 1, "TaintToleration"), 0);
  auto wide = pod("p", "1", "1Gi");
  wide.tolerations = {toleration("a", "Exists", "", "")};
  c = cluster({node("n0", "4", "8Gi"), tainted(node("n1", "4", "8Gi"), {a})}, {wide});
  EXPECT_EQ(score_of(explain_last(c), 1, "TaintToleration"), 100);
}

TEST(TaintTolerationScore, GivesEveryNode100WhenAllRawScoresAreZero) {
  // The cluster has a PreferNoSchedule taint, so the plugin normalizes, but the pod
  // tolerates it: every raw score is 0 and the reverse of 0 is MaxNodeScore.
  auto p = pod("p", "1", "1Gi");
  p.tolerations = {toleration("a", "Exists", "", "PreferNoSchedule")};
  auto c = cluster({node("n0", "4", "8Gi"), tainted(node("n1", "4", "8Gi"), {{"a", "", "PreferNoSchedule"}})}, {p});
  const auto profile = framework::build_profile(framework::default_profile_spec(), c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  EXPECT_TRUE(fw.has_live_plugins());  // normalizing: rerun at every decision, never cached
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 0, "TaintToleration"), 100);
  EXPECT_EQ(score_of(ex, 1, "TaintToleration"), 100);
}

TEST(TaintTolerationScore, SkipsNormalizingWhenNoNodeHasAPreferNoScheduleTaint) {
  // Every raw score is then 0 for every pod: the plugin scores 100 directly and stays
  // node-local, so the default profile keeps the equivalence-class cache.
  auto c = cluster({tainted(node("n0", "4", "8Gi"), {kNoSchedule}), node("n1", "4", "8Gi")}, {pod("p", "1", "1Gi")});
  const plugins::TaintToleration plugin(c);
  EXPECT_FALSE(plugin.has_normalize());
  const auto profile = framework::build_profile(framework::default_profile_spec(), c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  EXPECT_TRUE(fw.node_results_cacheable());
  EXPECT_FALSE(fw.has_live_plugins());
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 1, "TaintToleration"), 100);
}

TEST(TaintTolerationScore, WeighsThreeInTheDefaultProfile) {
  // Request-less pod on an empty 4 cpu / 8Gi node: Fit 97, TaintToleration 100 x 3,
  // ImageLocality 0, BalancedAllocation and NodeAffinity skipped.
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("p", "", "")});
  EXPECT_EQ(explain_last(c).nodes[0].total, 3 * 100 + 97);
}

struct NormalizeCase {
  const char* name;
  bool reverse;
  std::vector<std::int64_t> in;
  std::vector<std::int64_t> out;
};

class DefaultNormalizeScore : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(DefaultNormalizeScore, ScalesLikeUpstream) {
  auto scores = GetParam().in;
  plugins::helper::default_normalize_score(100, GetParam().reverse, scores);
  EXPECT_EQ(scores, GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(
    Helper, DefaultNormalizeScore,
    ::testing::Values(NormalizeCase{"AllZeroStayZero", false, {0, 0, 0}, {0, 0, 0}},
                      NormalizeCase{"AllZeroReversedBecomeMax", true, {0, 0}, {100, 100}},
                      NormalizeCase{"ScalesToTheMaximum", false, {1, 2, 3}, {33, 66, 100}},
                      NormalizeCase{"ReversesAfterTruncating", true, {1, 2, 3}, {67, 34, 0}},
                      NormalizeCase{"EqualNonZeroScoresAllBecomeMax", false, {7, 7}, {100, 100}},
                      NormalizeCase{"EqualNonZeroScoresReversedAllBecomeZero", true, {7, 7}, {0, 0}}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
