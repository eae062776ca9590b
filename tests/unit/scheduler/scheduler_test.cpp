// The scheduling loop: identical placements to the reference oracle, at any thread count,
// and never an over-committed node.

#include "podium/scheduler/scheduler.hpp"

#include <gtest/gtest.h>

#include <map>

#include "../../support/random_cluster.hpp"
#include "../../support/placement_runs.hpp"
#include "../../support/sanitizers.hpp"
#include "podium/framework/framework.hpp"
#include "podium/reference/reference_scheduler.hpp"

namespace {

using namespace podium;
using podium::testing::engine_nodes;
using podium::testing::reference_nodes;

TEST(Scheduler, PlacesExactlyLikeTheReferenceOnRandomClusters) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed);
    const auto expected = reference_nodes(objects, seed);
    EXPECT_EQ(engine_nodes(objects, seed, 1), expected) << "seed " << seed;
    std::size_t unplaced = 0;
    for (auto n : expected) unplaced += n == state::kNoNode ? 1 : 0;
    EXPECT_GT(unplaced, 0U) << "the random cluster should exercise unschedulable pods";
    EXPECT_LT(unplaced, expected.size()) << "and schedulable ones";
  }
}

TEST(Scheduler, RandomClustersExerciseEveryFilter) {
  // The engine == reference comparisons above mean little unless the random clusters make
  // every filter reject something: look for each plugin's reason in the FitErrors.
  std::map<std::string, std::size_t> seen;
  const char* reasons[] = {"node(s) were unschedulable", "untolerated taint(s)", "Pod's node affinity/selector",
                           "didn't satisfy plugin(s) [NodeAffinity]", "free ports", "Insufficient cpu"};
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    auto cluster = state::build_cluster_state(podium::testing::random_cluster_objects(seed));
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    for (const auto& p : scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 1}).placements)
      for (const char* r : reasons) seen[r] += p.reason.find(r) != std::string::npos ? 1 : 0;
  }
  for (const char* r : reasons) EXPECT_GT(seen[r], 0U) << r;
}

TEST(Scheduler, PlacesTheSameWithAndWithoutTheEquivalenceCache) {
  // Hard constraints only: without PreferNoSchedule taints and preferred node affinity no
  // plugin normalizes, so the cache really runs (checked below).
  // Under ThreadSanitizer: two seeds, and the 2-thread run against the cached 1-thread one
  // (the uncached and reference runs are single-threaded; the other builds do them).
  const std::uint64_t last_seed = podium::testing::kThreadSanitizer ? 32 : 36;
  for (std::uint64_t seed = 30; seed < last_seed; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(
        seed, {.nodes = 700, .pending_pods = podium::testing::kThreadSanitizer ? 300 : 1500, .bound_pods = 100,
               .preferences = false});
    const auto spec = framework::default_profile_spec();
    const auto cached = engine_nodes(objects, seed, 1, spec, true);
    if (podium::testing::kThreadSanitizer) {
      EXPECT_EQ(engine_nodes(objects, seed, 2, spec, true), cached) << seed;
      continue;
    }
    EXPECT_EQ(cached, engine_nodes(objects, seed, 1, spec, false)) << seed;
    EXPECT_EQ(engine_nodes(objects, seed, 2, spec, true), reference_nodes(objects, seed)) << seed;
  }
}

TEST(Scheduler, KeepsTheCacheAndRerunsLivePluginsWhenScoresNormalize) {
  // PreferNoSchedule taints and preferred node affinity make TaintToleration and
  // NodeAffinity normalize over the feasible nodes: they become live plugins, rerun on
  // top of the cached totals of the others at every decision.
  for (std::uint64_t seed = 50; seed < 54; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 300, .pending_pods = 900, .bound_pods = 60});
    auto cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    ASSERT_TRUE(framework::Framework(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1))
                    .has_live_plugins());
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 1, true});
    EXPECT_GT(result.cache_hits, 0U) << seed;
    const auto spec = framework::default_profile_spec();
    const auto cached = engine_nodes(objects, seed, 1, spec, true);
    EXPECT_EQ(cached, engine_nodes(objects, seed, 1, spec, false)) << seed;
    EXPECT_EQ(cached, reference_nodes(objects, seed)) << seed;
    EXPECT_EQ(engine_nodes(objects, seed, 2, spec, true), cached) << seed;
  }
}

TEST(Scheduler, UsesTheEquivalenceCacheWhenNoPluginNormalizes) {
  auto objects = podium::testing::random_cluster_objects(5, {.preferences = false});
  // The cache admits a class on its second pod (ClassCache::admit) and serves it from the
  // third: give every pending pod two twins, queued after the originals.
  const std::size_t original = objects.pods.size();
  for (int copy = 1; copy <= 2; ++copy)
    for (std::size_t i = 0; i < original; ++i) {
      if (!objects.pods[i].node_name.empty()) continue;
      io::PodObject twin = objects.pods[i];
      twin.name += "-twin" + std::to_string(copy);
      twin.uid += "-twin" + std::to_string(copy);
      objects.pods.push_back(std::move(twin));
    }
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {5, 1, true});
  EXPECT_GT(result.cache_hits, 0U);
}

TEST(Scheduler, MatchesTheReferenceOnResourceOnlyClusters) {
  for (std::uint64_t seed = 40; seed < 44; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed, {.constraints = false, .preferences = false});
    EXPECT_EQ(engine_nodes(objects, seed, 1), reference_nodes(objects, seed)) << "seed " << seed;
  }
}

TEST(Scheduler, MatchesTheReferenceWithAddedNodeAffinityAndOtherWeights) {
  namespace na = plugins::nodeaffinity;
  na::NodeAffinityArgs args;
  args.added_affinity.emplace();
  args.added_affinity->required = std::vector<io::NodeSelectorTerm>{{{{"zone", "NotIn", {"c"}}}, {}},
                                                                     {{{"disk", "Exists", {}}}, {}}};
  args.added_affinity->preferred = {{7, {{{"gen", "Gt", {"5"}}}, {}}}};
  auto spec = framework::default_profile_spec();
  spec.args["NodeAffinity"] = args;
  spec.scores = {{"TaintToleration", 1}, {"NodeAffinity", 5}, {"NodeResourcesFit", 2}, {"ImageLocality", 3}};
  reference::ReferenceOptions ref;
  ref.node_affinity = args;
  ref.taint_toleration_weight = 1;
  ref.node_affinity_weight = 5;
  ref.fit_weight = 2;
  ref.balanced_weight = 0;
  ref.image_locality_weight = 3;
  for (std::uint64_t seed = 50; seed < 54; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed);
    EXPECT_EQ(engine_nodes(objects, seed, 2, spec), reference_nodes(objects, seed, ref)) << "seed " << seed;
  }
}

TEST(Scheduler, MatchesTheReferenceWithoutTheNewFilters) {
  auto spec = framework::default_profile_spec();
  spec.filters = {"NodeUnschedulable", "NodeName", "NodeResourcesFit"};
  reference::ReferenceOptions ref;
  ref.taint_toleration_filter = ref.node_affinity_filter = ref.node_ports_filter = false;
  for (std::uint64_t seed = 60; seed < 63; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed);
    EXPECT_EQ(engine_nodes(objects, seed, 1, spec), reference_nodes(objects, seed, ref)) << "seed " << seed;
  }
}

TEST(Scheduler, PlacesIdenticallyAtAnyThreadCount) {
  // Enough nodes for several batches, so batches really run in parallel.
  const auto objects = podium::testing::random_cluster_objects(
      7, {.nodes = 1500, .pending_pods = podium::testing::kThreadSanitizer ? 150 : 600, .bound_pods = 300});
  const auto one = engine_nodes(objects, 7, 1);
  EXPECT_EQ(engine_nodes(objects, 7, 2), one);
  EXPECT_EQ(engine_nodes(objects, 7, 4), one);
  if (!podium::testing::kThreadSanitizer) EXPECT_EQ(reference_nodes(objects, 7), one);  // single-threaded
}

TEST(Scheduler, MatchesTheReferenceUnderMostAllocatedWithWeights) {
  namespace nr = plugins::noderesources;
  auto spec = framework::default_profile_spec();
  nr::FitArgs fit;
  fit.strategy = nr::ScoringStrategyType::kMostAllocated;
  fit.resources = {{"cpu", 2}, {"memory", 1}, {"nvidia.com/gpu", 5}};
  spec.args["NodeResourcesFit"] = fit;
  reference::ReferenceOptions ref;
  ref.fit = fit;
  for (std::uint64_t seed = 20; seed < 24; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed);
    EXPECT_EQ(engine_nodes(objects, seed, 2, spec), reference_nodes(objects, seed, ref)) << "seed " << seed;
  }
}

TEST(Scheduler, DifferentSeedsBreakTiesDifferently) {
  // Identical empty nodes and identical pods: every decision is a tie.
  io::ClusterObjects objects;
  for (int i = 0; i < 50; ++i) objects.nodes.push_back(podium::testing::node("n" + std::to_string(i), "64", "256Gi"));
  for (int i = 0; i < 5; ++i) objects.pods.push_back(podium::testing::pod("p" + std::to_string(i), "1", "1Gi"));
  EXPECT_EQ(engine_nodes(objects, 1, 1), engine_nodes(objects, 1, 2));
  EXPECT_NE(engine_nodes(objects, 1, 1), engine_nodes(objects, 2, 1));
}

TEST(Scheduler, NeverOverCommitsANode) {
  const auto objects = podium::testing::random_cluster_objects(3, {.nodes = 200, .pending_pods = 5000, .bound_pods = 0});
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, 2});
  std::size_t placed = 0;
  for (const auto& p : result.placements) placed += p.node != state::kNoNode ? 1 : 0;
  EXPECT_GT(placed, 500U);
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) {
    EXPECT_LE(cluster.nodes.pod_count[n], cluster.nodes.allowed_pods[n]) << cluster.nodes.names[n];
    for (std::size_t r = 0; r < cluster.resources.size(); ++r)
      EXPECT_LE(cluster.nodes.requested[r][n], cluster.nodes.allocatable[r][n])
          << cluster.nodes.names[n] << " " << cluster.resources.name(static_cast<state::ResourceId>(r));
  }
}

TEST(Scheduler, FollowsPrioritySortOrder) {
  io::ClusterObjects objects;
  objects.nodes.push_back(podium::testing::node("n1", "1", "8Gi"));
  auto low = podium::testing::pod("low", "1", "1Gi");
  low.creation_timestamp_ns = 1;
  auto high = podium::testing::pod("high", "1", "1Gi");
  high.priority = 1000;
  high.creation_timestamp_ns = 2;
  objects.pods = {low, high};
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, 1});
  ASSERT_EQ(result.placements.size(), 2U);
  EXPECT_EQ(cluster.pods[result.placements[0].pod].key, "default/high");
  EXPECT_EQ(result.placements[0].node, 0U);
  EXPECT_EQ(result.placements[1].node, state::kNoNode);
  EXPECT_EQ(result.placements[1].reason, "0/1 nodes are available: 1 Insufficient cpu.");
}

TEST(Scheduler, ReportsPodsForAnUnknownSchedulerUnplaced) {
  io::ClusterObjects objects;
  objects.nodes.push_back(podium::testing::node("n1", "4", "8Gi"));
  auto p = podium::testing::pod("other", "1", "1Gi");
  p.scheduler_name = "my-scheduler";
  objects.pods = {p};
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, 1});
  EXPECT_EQ(result.placements[0].node, state::kNoNode);
  EXPECT_EQ(result.placements[0].reason, "no profile for schedulerName \"my-scheduler\"");
}

}  // namespace
