// NodeResourcesFit and NodeResourcesBalancedAllocation through the framework's explain
// path, on hand-built clusters with hand-computed upstream numbers.

#include <gtest/gtest.h>

#include "../../support/cluster_fixture.hpp"
#include "podium/framework/framework.hpp"
#include "podium/plugins/noderesources/args.hpp"

namespace {

using namespace podium;
using podium::testing::bound;
using podium::testing::cluster;
using podium::testing::node;
using podium::testing::pod;

// Explains the last pod of `c` (a pending pod) under `spec`.
framework::Explanation explain_last(state::ClusterState& c, const framework::ProfileSpec& spec) {
  const auto profile = framework::build_profile(spec, c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  const auto p = static_cast<state::PodIndex>(c.pods.size() - 1);
  return fw.explain({c.pods[p], p}, c, 0);
}

std::int64_t score_of(const framework::Explanation& ex, std::size_t node, const std::string& plugin) {
  for (std::size_t s = 0; s < ex.score_plugins.size(); ++s)
    if (ex.score_plugins[s] == plugin) return ex.nodes[node].scores[s];
  ADD_FAILURE() << plugin << " did not score";
  return -1;
}

TEST(NodeResourcesFitScore, GivesRequestLessPodsTheUpstreamDefaults) {
  // 100m of 4000m free -> 97.5 -> 97; 200Mi of 8Gi -> 97.55 -> 97.
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("p", "", "")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(score_of(ex, 0, "NodeResourcesFit"), 97);
}

TEST(NodeResourcesBalancedAllocation, SkipsPodsThatRequestNothing) {
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("p", "", "")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  // NodeAffinity skips too (no preferred terms); TaintToleration and ImageLocality score.
  EXPECT_EQ(ex.score_plugins, (std::vector<std::string>{"TaintToleration", "NodeResourcesFit", "ImageLocality"}));
  EXPECT_EQ(ex.nodes[0].total, 3 * 100 + 97 + 0);
}

TEST(NodeResourcesScores, CountPodsAlreadyOnTheNode) {
  // Node 4 cpu / 8Gi with 1 cpu / 2Gi bound; incoming 1 cpu / 1Gi.
  // LeastAllocated: cpu 2000/4000 -> 50, memory 3Gi/8Gi -> 62 (62.5), mean 56.
  // Balanced: fractions 0.5 and 0.375 -> 93.
  auto c = cluster({node("n1", "4", "8Gi")}, {bound(pod("old", "1", "2Gi"), "n1"), pod("new", "1", "1Gi")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(score_of(ex, 0, "NodeResourcesFit"), 56);
  EXPECT_EQ(score_of(ex, 0, "NodeResourcesBalancedAllocation"), 93);
  EXPECT_EQ(ex.nodes[0].total, 3 * 100 + 149);  // TaintToleration 100 on an untainted cluster
}

TEST(NodeResourcesFitScore, WeighsResourcesAsConfigured) {
  auto c = cluster({node("n1", "4", "8Gi")}, {bound(pod("old", "1", "2Gi"), "n1"), pod("new", "1", "1Gi")});
  auto spec = framework::default_profile_spec();
  plugins::noderesources::FitArgs args;
  args.resources = {{"cpu", 3}, {"memory", 1}};
  spec.args["NodeResourcesFit"] = args;
  EXPECT_EQ(score_of(explain_last(c, spec), 0, "NodeResourcesFit"), 53);  // (50*3 + 62) / 4
}

TEST(NodeResourcesFitScore, MostAllocatedPrefersTheFullerNode) {
  auto c = cluster({node("n1", "4", "8Gi"), node("n2", "4", "8Gi")},
                   {bound(pod("old", "2", "4Gi"), "n1"), pod("new", "1", "1Gi")});
  auto spec = framework::default_profile_spec();
  plugins::noderesources::FitArgs args;
  args.strategy = plugins::noderesources::ScoringStrategyType::kMostAllocated;
  spec.args["NodeResourcesFit"] = args;
  const auto ex = explain_last(c, spec);
  EXPECT_EQ(score_of(ex, 0, "NodeResourcesFit"), 68);  // cpu 75, memory 62 (62.5) -> 137/2
  EXPECT_EQ(score_of(ex, 1, "NodeResourcesFit"), 18);  // cpu 25, memory 12 (12.5) -> 37/2
  EXPECT_EQ(c.nodes.names[ex.decision.node], "n1");
}

TEST(NodeResourcesFitScore, RequestedToCapacityRatioLeavesZeroScoresOutOfTheMean) {
  // Shape 0% -> 0, 100% -> 10 (x10 = 100). The pod asks 2 cpu of 4 (50) and memory 0 of
  // 8Gi but gets the 200Mi default: 200Mi*100/8Gi = 2 -> score 2. Both positive: (50+2)/2.
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("new", "2", "")});
  auto spec = framework::default_profile_spec();
  plugins::noderesources::FitArgs args;
  args.strategy = plugins::noderesources::ScoringStrategyType::kRequestedToCapacityRatio;
  args.shape = {{0, 0}, {100, 10}};
  spec.args["NodeResourcesFit"] = args;
  EXPECT_EQ(score_of(explain_last(c, spec), 0, "NodeResourcesFit"), 26);

  // With a shape that gives 0 to low utilisation, memory's 0 drops out of the mean.
  args.shape = {{0, 0}, {10, 0}, {100, 10}};
  spec.args["NodeResourcesFit"] = args;
  // cpu: 50% -> 0 + 100*(50-10)/90 = 44; memory 2% -> 0, excluded: 44 / 1.
  EXPECT_EQ(score_of(explain_last(c, spec), 0, "NodeResourcesFit"), 44);
}

TEST(NodeResourcesBalancedAllocation, UsesTheGeneralFormulaForThreeResources) {
  // cpu 2/4 = 0.5, memory 3Gi/8Gi = 0.375, gpu (2 bound + 2) / 4 = 1.0 -> 72.
  auto c = cluster({node("n1", "4", "8Gi", 110, {{"example.com/gpu", "4"}})},
                   {bound(pod("old", "1", "2Gi", {{"example.com/gpu", "2"}}), "n1"),
                    pod("new", "1", "1Gi", {{"example.com/gpu", "2"}})});
  auto spec = framework::default_profile_spec();
  plugins::noderesources::BalancedAllocationArgs args;
  args.resources = {{"cpu", 1}, {"memory", 1}, {"example.com/gpu", 1}};
  spec.args["NodeResourcesBalancedAllocation"] = args;
  EXPECT_EQ(score_of(explain_last(c, spec), 0, "NodeResourcesBalancedAllocation"), 72);
}

TEST(NodeResourcesBalancedAllocation, ArgsRefuseWeightsOtherThanOneAndDuplicates) {
  // ValidateNodeResourcesBalancedAllocationArgs: the balance is unweighted, so a weight of 2
  // (valid for NodeResourcesFit) is refused here as the config reader refuses it.
  plugins::noderesources::BalancedAllocationArgs args;
  args.resources = {{"cpu", 1}, {"memory", 2}};
  try {
    plugins::noderesources::validate(args);
    ADD_FAILURE() << "weight 2 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "resources[1].weight: must be 1");
  }
  args.resources = {{"cpu", 1}, {"cpu", 1}};
  EXPECT_THROW(plugins::noderesources::validate(args), std::invalid_argument);
  args.resources = {{"cpu", 1}, {"memory", 1}, {"example.com/gpu", 1}};
  EXPECT_NO_THROW(plugins::noderesources::validate(args));
}

TEST(NodeResourcesFitFilter, ReportsEveryInsufficientResource) {
  auto c = cluster({node("n1", "1", "1Gi")}, {pod("new", "2", "2Gi")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  ASSERT_FALSE(ex.nodes[0].status.ok());
  EXPECT_EQ(ex.nodes[0].status.plugin(), "NodeResourcesFit");
  EXPECT_EQ(ex.nodes[0].status.message(), "Insufficient cpu, Insufficient memory");
  // More than the whole node: preemption cannot help.
  EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulableAndUnresolvable);
}

TEST(NodeResourcesFitFilter, IsResolvableWhenOnlyUsageBlocks) {
  auto c = cluster({node("n1", "2", "4Gi")}, {bound(pod("old", "1500m", "1Gi"), "n1"), pod("new", "1", "1Gi")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(ex.nodes[0].status.message(), "Insufficient cpu");
  EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulable);
}

TEST(NodeResourcesFitFilter, ChecksThePodCountEvenForRequestLessPods) {
  auto c = cluster({node("n1", "4", "8Gi", 1)}, {bound(pod("old", "", ""), "n1"), pod("new", "", "")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(ex.nodes[0].status.message(), "Too many pods");
}

TEST(NodeResourcesFitFilter, RejectsExtendedResourcesTheNodeLacks) {
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("new", "1", "1Gi", {{"nvidia.com/gpu", "1"}})});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(ex.nodes[0].status.message(), "Insufficient nvidia.com/gpu");
}

TEST(NodeResourcesFitFilter, SkipsIgnoredResourcesAndResourceGroups) {
  auto c = cluster({node("n1", "4", "8Gi")}, {pod("new", "1", "1Gi", {{"nvidia.com/gpu", "1"}})});
  auto spec = framework::default_profile_spec();
  plugins::noderesources::FitArgs args;
  args.ignored_resource_groups = {"nvidia.com"};
  spec.args["NodeResourcesFit"] = args;
  EXPECT_TRUE(explain_last(c, spec).nodes[0].status.ok());
  args.ignored_resource_groups.clear();
  args.ignored_resources = {"nvidia.com/gpu"};
  spec.args["NodeResourcesFit"] = args;
  EXPECT_TRUE(explain_last(c, spec).nodes[0].status.ok());
}

TEST(FitErrorMessage, CountsReasonsAndSortsThemAsStrings) {
  auto c = cluster({node("a", "1", "8Gi"), node("b", "1", "8Gi"), node("c", "8", "1Gi")}, {pod("new", "2", "2Gi")});
  const auto ex = explain_last(c, framework::default_profile_spec());
  EXPECT_EQ(ex.decision.node, state::kNoNode);
  EXPECT_EQ(ex.decision.reason, "0/3 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
}

}  // namespace
