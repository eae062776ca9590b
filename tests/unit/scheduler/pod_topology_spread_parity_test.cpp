// PodTopologySpread end to end: the engine (incremental counters, domain columns, class
// cache with live plugins, parallel batches) places every pod exactly as the reference
// oracle (which walks every node's bound pods per decision), at 1, 2 and 4 threads.

#include <gtest/gtest.h>

#include "../../support/placement_runs.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "podium/framework/framework.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;
using podium::testing::engine_nodes;
using podium::testing::reference_nodes;
namespace pts = plugins::podtopologyspread;

// The default profile, and the reference set up alike, with `args` for the plugin.
framework::ProfileSpec spec_with(const pts::PodTopologySpreadArgs& args) {
  auto spec = framework::default_profile_spec();
  spec.args["PodTopologySpread"] = args;
  return spec;
}

pts::PodTopologySpreadArgs list_defaults() {
  pts::PodTopologySpreadArgs args;
  args.defaulting_type = pts::DefaultingType::kList;
  pts::DefaultConstraint zone;
  zone.max_skew = 1;
  zone.topology_key = "topology.kubernetes.io/zone";
  zone.when_unsatisfiable = "DoNotSchedule";
  pts::DefaultConstraint rack;
  rack.max_skew = 2;
  rack.topology_key = "rack";
  rack.when_unsatisfiable = "ScheduleAnyway";
  args.default_constraints = {zone, rack};
  return args;
}

class SpreadParity : public ::testing::TestWithParam<int> {};

TEST_P(SpreadParity, MatchesTheReferenceUnderSystemDefaults) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 40, .pending_pods = 250, .bound_pods = 60});
    const auto expected = reference_nodes(objects, seed, {});
    for (const bool cache : {true, false})
      EXPECT_EQ(engine_nodes(objects, seed, GetParam(), spec_with({}), cache), expected)
          << "seed " << seed << " cache " << cache;
  }
}

TEST_P(SpreadParity, MatchesTheReferenceWithListDefaults) {
  for (std::uint64_t seed = 21; seed <= 26; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 40, .pending_pods = 250, .bound_pods = 60});
    reference::ReferenceOptions ref;
    ref.pod_topology_spread = list_defaults();
    const auto expected = reference_nodes(objects, seed, ref);
    EXPECT_EQ(engine_nodes(objects, seed, GetParam(), spec_with(list_defaults()), true), expected) << "seed " << seed;
  }
}

TEST_P(SpreadParity, MatchesTheReferenceWhenOnlyAShareOfTheNodesIsScored) {
  // percentageOfNodesToScore: PreFilter still counts every node, Filter and PreScore see
  // only the nodes the walk examined (30% of 400 nodes: 120 feasible nodes per decision).
  for (std::uint64_t seed = 41; seed <= 44; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 400, .pending_pods = 200, .bound_pods = 150});
    reference::ReferenceOptions ref;
    ref.percentage_of_nodes_to_score = 30;
    auto spec = spec_with({});
    spec.percentage_of_nodes_to_score = 30;
    EXPECT_EQ(engine_nodes(objects, seed, GetParam(), spec, true), reference_nodes(objects, seed, ref)) << "seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, SpreadParity, ::testing::Values(1, 2, 4),
                         [](const auto& test) { return "Threads" + std::to_string(test.param); });

TEST(SpreadParityCoverage, ThePluginChangesPlacementsOnTheseClusters) {
  // Parity would be hollow if spreading never mattered: without its filter and score the
  // reference places the pods differently, under both defaulting types.
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(seed);
    reference::ReferenceOptions off;
    off.pod_topology_spread_filter = false;
    off.pod_topology_spread_weight = 0;
    EXPECT_NE(reference_nodes(objects, seed, {}), reference_nodes(objects, seed, off)) << "seed " << seed;
    reference::ReferenceOptions filter_only = off;
    filter_only.pod_topology_spread_filter = true;
    EXPECT_NE(reference_nodes(objects, seed, {}), reference_nodes(objects, seed, filter_only)) << "seed " << seed;
  }
}

TEST(SpreadParityCoverage, RandomClustersMakeTheSpreadFilterRejectBothWays) {
  // The comparisons above mean little unless spreading rejects nodes for both reasons and
  // places pods: count the reasons in the FitErrors and in the explanations.
  std::size_t skew = 0, label = 0, placed = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    auto cluster = state::build_cluster_state(podium::testing::random_spread_cluster_objects(seed));
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    for (const auto& p : scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 1}).placements) {
      placed += p.node != state::kNoNode ? 1 : 0;
      skew += p.reason.find("didn't match pod topology spread constraints.") != std::string::npos ||
                      p.reason.find("didn't match pod topology spread constraints,") != std::string::npos
                  ? 1
                  : 0;
      label += p.reason.find("(missing required label)") != std::string::npos ? 1 : 0;
    }
  }
  EXPECT_GT(skew, 0U);
  EXPECT_GT(label, 0U);
  EXPECT_GT(placed, 100U);
}

}  // namespace
