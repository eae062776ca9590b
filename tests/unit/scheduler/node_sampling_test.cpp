// Node sampling (percentageOfNodesToScore), as upstream v1.35's schedule_one.go and the
// cache's node_tree.go do it: how many feasible nodes a cycle looks for, the order the
// nodes are walked in, and where the next cycle's walk starts.

#include "podium/framework/node_sampling.hpp"

#include <gtest/gtest.h>

#include <string>

#include "../../support/cluster_fixture.hpp"
#include "podium/framework/framework.hpp"
#include "podium/framework/profile.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;
using podium::testing::node;
using podium::testing::pod;

// ---- numFeasibleNodesToFind --------------------------------------------------------------

struct FindCase {
  const char* name;
  std::int32_t percentage;  // resolved: the profile's, else the global one; 0 = adaptive
  std::int32_t nodes;
  std::int32_t expected;
};

class NumFeasibleNodesToFind : public ::testing::TestWithParam<FindCase> {};

TEST_P(NumFeasibleNodesToFind, MatchesUpstream) {
  EXPECT_EQ(framework::num_feasible_nodes_to_find(GetParam().percentage, GetParam().nodes), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Upstream, NumFeasibleNodesToFind,
    ::testing::Values(
        // Upstream's TestNumFeasibleNodesToFind numbers.
        FindCase{"TenNodesAreAllExaminedUnderTheAdaptivePercentage", 0, 10, 10},
        FindCase{"TenNodesAreAllExaminedWhateverThePercentage", 40, 10, 10},
        FindCase{"AThousandNodesAdaptivelyLookFor42Percent", 0, 1000, 420},
        FindCase{"AThousandNodesAt40PercentLookFor400", 40, 1000, 400},
        FindCase{"SixThousandNodesAdaptivelyHitThe5PercentFloor", 0, 6000, 300},
        FindCase{"SixThousandNodesAt40PercentLookFor2400", 40, 6000, 2400},
        // The boundaries around the constants.
        FindCase{"NinetyNineNodesAreAllExaminedEvenAt1Percent", 1, 99, 99},
        FindCase{"AHundredNodesAt10PercentStillLookFor100", 10, 100, 100},
        FindCase{"AThousandNodesAt5PercentAreRaisedTo100", 5, 1000, 100},
        FindCase{"FiveThousandNodesAdaptivelyLookFor10Percent", 0, 5000, 500},
        FindCase{"The5625thNodeLowersTheAdaptivePercentageTo5", 0, 5625, 281},
        FindCase{"AHundredPercentLooksForEveryNode", 100, 1000, 1000},
        FindCase{"PercentagesTruncateLikeGoIntegerDivision", 33, 1001, 330}),
    [](const ::testing::TestParamInfo<FindCase>& c) { return std::string(c.param.name); });

TEST(NodesToFind, WithoutAPercentageEveryNodeIsScored) {
  framework::Profile profile;
  EXPECT_EQ(framework::nodes_to_find(profile, 5000), 5000U);
}

TEST(NodesToFind, AProfileWithoutScorePluginsStopsAtTheFirstFeasibleNode) {
  framework::Profile profile;
  profile.percentage_of_nodes_to_score = 50;
  EXPECT_EQ(framework::nodes_to_find(profile, 5000), 1U);
  profile.scores.push_back({nullptr, 1});
  EXPECT_EQ(framework::nodes_to_find(profile, 5000), 2500U);
}

// ---- the snapshot's node order -------------------------------------------------------

io::NodeObject zoned(std::string name, std::vector<std::pair<std::string, std::string>> labels) {
  auto n = node(std::move(name), "4", "8Gi");
  for (auto& label : labels) n.labels.push_back(std::move(label));
  return n;
}

std::vector<std::string> walk_names(const state::ClusterState& cluster) {
  std::vector<std::string> names;
  for (const auto n : framework::zone_interleaved_walk(cluster).order) names.push_back(cluster.nodes.names[n]);
  return names;
}

TEST(ZoneInterleavedWalk, ListsZonesRoundRobinInOrderOfFirstAppearance) {
  const std::string z = "topology.kubernetes.io/zone";
  const auto cluster = podium::testing::cluster(
      {zoned("a1", {{z, "a"}}), zoned("b1", {{z, "b"}}), zoned("a2", {{z, "a"}}), zoned("none", {}),
       zoned("a3", {{z, "a"}}), zoned("c1", {{z, "c"}}), zoned("b2", {{z, "b"}})},
      {});
  // Zones a, b, "" (no labels), c; then the second node of each zone that has one, ...
  EXPECT_EQ(walk_names(cluster), (std::vector<std::string>{"a1", "b1", "none", "c1", "a2", "b2", "a3"}));
}

TEST(ZoneInterleavedWalk, KeysZonesByRegionAndZoneWithTheBetaLabelsAsFallback) {
  const std::string z = "topology.kubernetes.io/zone", r = "topology.kubernetes.io/region";
  const std::string beta_z = "failure-domain.beta.kubernetes.io/zone";
  const auto cluster = podium::testing::cluster(
      {zoned("a1", {{z, "a"}}), zoned("a2", {{beta_z, "a"}}), zoned("ra1", {{r, "r"}, {z, "a"}}),
       zoned("r1", {{r, "r"}}), zoned("a3", {{z, "a"}, {beta_z, "ignored"}}), zoned("ra2", {{r, "r"}, {z, "a"}})},
      {});
  // Zones: ":a" (a1, a2 by the beta label, a3: the GA label wins), "r:a" (ra1, ra2), "r:" (r1).
  EXPECT_EQ(walk_names(cluster), (std::vector<std::string>{"a1", "ra1", "r1", "a2", "ra2", "a3"}));
}

TEST(ZoneInterleavedWalk, PositionInvertsTheOrder) {
  const std::string z = "topology.kubernetes.io/zone";
  std::vector<io::NodeObject> nodes;
  for (int i = 0; i < 50; ++i) nodes.push_back(zoned("n" + std::to_string(i), {{z, std::to_string(i % 7 % 3)}}));
  const auto cluster = podium::testing::cluster(std::move(nodes), {});
  const auto walk = framework::zone_interleaved_walk(cluster);
  ASSERT_EQ(walk.order.size(), 50U);
  for (std::uint32_t p = 0; p < 50; ++p) EXPECT_EQ(walk.position[walk.order[p]], p);
}

// ---- the walk and nextStartNodeIndex --------------------------------------------------

TEST(AdvanceStart, WrapsAroundTheNodeCount) {
  EXPECT_EQ(framework::advance_start(150, 133, 200), 83U);
  EXPECT_EQ(framework::advance_start(150, 200, 200), 150U);  // an unsampled decision: unchanged
  EXPECT_EQ(framework::advance_start(7, 0, 200), 7U);         // PreFilter rejected: unchanged
}

// 200 unzoned nodes (walk = input order), every fourth one cordoned: 150 feasible.
// n198 is far bigger, so full scoring (LeastAllocated) always prefers it.
std::vector<io::NodeObject> cordoned_every_fourth() {
  std::vector<io::NodeObject> nodes;
  for (int i = 0; i < 200; ++i) {
    auto n = i == 198 ? node("n198", "64", "256Gi") : node("n" + std::to_string(i), "4", "8Gi");
    n.unschedulable = i % 4 == 3;
    nodes.push_back(std::move(n));
  }
  return nodes;
}

framework::Profile sampled_profile(const state::ClusterState& cluster, std::optional<std::int32_t> percentage) {
  auto spec = framework::default_profile_spec();
  spec.percentage_of_nodes_to_score = percentage;
  return framework::build_profile(spec, cluster);
}

TEST(SampledDecision, StopsAtTheNthFeasibleNodeAndScoresOnlyThose) {
  for (const int threads : {1, 2}) {
    auto cluster = podium::testing::cluster(cordoned_every_fourth(), {pod("p", "100m", "100Mi")});
    const auto profile = sampled_profile(cluster, 50);  // 200 nodes at 50%: 100 feasible nodes
    framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1), threads);
    ASSERT_TRUE(fw.samples());
    const auto walk = framework::zone_interleaved_walk(cluster);
    // From position 0: 33 groups of four hold 99 feasible nodes; the 100th is n132.
    const auto first = fw.select_sampled({cluster.pods[0], 0}, cluster, 0, walk, 0);
    EXPECT_EQ(first.feasible_nodes, 100U) << threads;
    EXPECT_EQ(first.nodes_examined, 133U) << threads;
    EXPECT_LE(first.node, 132U) << "only the sample is scored, so n198 cannot win";
    // From position 150 the walk wraps: 150..199 hold 37 feasible nodes (n198 among them,
    // which now wins), 0..82 the other 63: 133 nodes again.
    const auto wrapped = fw.select_sampled({cluster.pods[0], 0}, cluster, 0, walk, 150);
    EXPECT_EQ(wrapped.nodes_examined, 133U) << threads;
    EXPECT_EQ(wrapped.node, 198U) << threads;
  }
}

TEST(SampledDecision, AnUnschedulablePodExaminesEveryNodeAndReportsThemAll) {
  auto cluster = podium::testing::cluster(cordoned_every_fourth(), {pod("huge", "100", "")});
  const auto profile = sampled_profile(cluster, 0);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  const auto d = fw.select_sampled({cluster.pods[0], 0}, cluster, 0, framework::zone_interleaved_walk(cluster), 17);
  EXPECT_EQ(d.node, state::kNoNode);
  EXPECT_EQ(d.nodes_examined, 200U);
  EXPECT_EQ(d.reason, "0/200 nodes are available: 150 Insufficient cpu, 50 node(s) were unschedulable.");
}

TEST(SampledScheduling, TheStartIndexAdvancesByTheNodesEachDecisionExamined) {
  std::vector<io::PodObject> pods;
  for (int i = 0; i < 3; ++i) pods.push_back(pod("p" + std::to_string(i), "100m", "100Mi"));
  auto cluster = podium::testing::cluster(cordoned_every_fourth(), pods);
  const auto profile = sampled_profile(cluster, 50);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {});
  // 133 nodes from 0; from 133: 50 feasible in 133..199, 50 more in 0..65 (133 nodes);
  // from 66 (= 266 % 200): 100 feasible in 66..198 (133 nodes) -> 199.
  EXPECT_EQ(result.next_start_node_index, 199U);
  for (const auto& p : result.placements) EXPECT_NE(p.node, state::kNoNode);
}

TEST(SampledScheduling, WithoutAPercentageTheStartIndexNeverMoves) {
  auto cluster = podium::testing::cluster(cordoned_every_fourth(), {pod("a", "100m", "100Mi"), pod("b", "100m", "")});
  const auto profile = sampled_profile(cluster, std::nullopt);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {.first_start_node_index = 5});
  EXPECT_EQ(result.next_start_node_index, 5U);
  EXPECT_EQ(result.placements[0].node, 198U) << "full scoring finds the big node";
}

}  // namespace
