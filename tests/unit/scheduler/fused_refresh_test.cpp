// The class cache's fused refresh (shapes4): Framework::evaluate runs NodeResourcesFit's
// Filter with its LeastAllocated + BalancedAllocation pair as one kernel over the scattered
// nodes (ScorePlugin::filter_score_ids_fused), after the other cached filters, with the
// uniform scorers (TaintToleration, ImageLocality for a pod whose images no node holds)
// folded into its base. Judged two ways: node by node against the full pass that uses none
// of it (Framework::evaluate_all), and end to end against the reference scheduler at one
// and two threads, with pods that check two, one, none (BestEffort) and three resources.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "../../support/placement_runs.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "generator/synthetic_cluster.hpp"
#include "podium/framework/framework.hpp"
#include "podium/framework/profile.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium {
namespace {

// Many request shapes, some cordoned nodes, and pods whose requests are thinned so the
// filter checks two, one or no resources: every 5th pod asks for nothing (BestEffort),
// every 7th for cpu alone.
io::ClusterObjects many_shapes(std::uint64_t seed, std::size_t pods) {
  datasets::GeneratorOptions g;
  g.nodes = 70;
  g.pods = pods;
  g.seed = seed;
  g.pod_shapes = 64;
  auto objects = datasets::generate_cluster(g);
  for (std::size_t i = 0; i < objects.nodes.size(); i += 9) objects.nodes[i].unschedulable = true;
  for (std::size_t i = 0; i < objects.pods.size(); ++i) {
    auto& pod = objects.pods[i];
    for (auto* list : {&pod.containers, &pod.init_containers}) {
      for (auto& c : *list) {
        if (i % 5 == 0) c.requests.clear();
        if (i % 7 == 0)
          std::erase_if(c.requests, [](const auto& r) { return r.first != "cpu"; });
      }
    }
  }
  return objects;
}

scheduler::ScheduleResult schedule(state::ClusterState& cluster, std::uint64_t seed, int threads) {
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  scheduler::SchedulerOptions options;
  options.seed = seed;
  options.threads = threads;
  options.equivalence_cache = true;
  options.preemption.enabled = false;  // the reference oracle below does not preempt either
  return scheduler::schedule_pending(cluster, {&profile, 1}, options);
}

// Every pod of a filled cluster, evaluated over all nodes in a shuffled order and over a
// random subset, equals the full pass on the nodes listed (and leaves the rest alone).
void expect_evaluate_matches_full_pass(const io::ClusterObjects& objects, std::uint64_t seed) {
  auto cluster = state::build_cluster_state(objects);
  (void)schedule(cluster, seed, 1);  // varied usage: the cluster fills up
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const std::size_t n = cluster.nodes.size;
  framework::Framework fw(profile, n, framework::TieBreaker(n, seed), 1);
  std::mt19937_64 rng(seed);
  std::vector<state::NodeIndex> all(n);
  std::iota(all.begin(), all.end(), state::NodeIndex{0});
  std::vector<std::int64_t> full(n), scattered(n);
  std::size_t feasible = 0, infeasible = 0;
  for (state::PodIndex p = 0; p < cluster.pods.size(); p += 3) {
    SCOPED_TRACE(::testing::Message() << "pod " << p);
    const framework::PodContext ctx{cluster.pods[p], p};
    framework::Status rejection;
    if (!fw.prepare(ctx, cluster, rejection)) continue;
    fw.evaluate_all(ctx, cluster, full.data());
    std::shuffle(all.begin(), all.end(), rng);
    std::fill(scattered.begin(), scattered.end(), 42);
    fw.evaluate(ctx, cluster, all, scattered.data());
    ASSERT_EQ(scattered, full);
    const std::size_t some = rng() % n;
    std::fill(scattered.begin(), scattered.end(), 42);
    fw.evaluate(ctx, cluster, {all.data(), some}, scattered.data());
    for (std::size_t i = 0; i < n; ++i) {
      const bool listed = std::find(all.begin(), all.begin() + some, i) != all.begin() + some;
      ASSERT_EQ(scattered[i], listed ? full[i] : 42) << "node " << i;
    }
    for (const auto t : full) (t == framework::Framework::kInfeasible ? infeasible : feasible) += 1;
  }
  EXPECT_GT(feasible, 0U);
  EXPECT_GT(infeasible, 0U) << "the filter was meant to refuse some nodes";
}

TEST(FusedRefresh, EvaluateOverScatteredNodesEqualsTheFullPass) {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    expect_evaluate_matches_full_pass(many_shapes(seed, 3000), seed);
    // Taints, node affinity, host ports, images on nodes (ImageLocality not uniform: the
    // plugin-by-plugin path) and GPU pods (three checked resources: the kernel declines).
    expect_evaluate_matches_full_pass(
        testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 900, .bound_pods = 30}), seed);
  }
}

TEST(FusedRefresh, ManyShapesWithThinnedRequestsPlaceAsTheReferenceAtOneAndTwoThreads) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const auto objects = many_shapes(seed, 5000);
    const auto reference = testing::reference_nodes(objects, seed);
    EXPECT_GT(std::count(reference.begin(), reference.end(), state::kNoNode), 0) << "the cluster was meant to fill up";
    for (const int threads : {1, 2}) {
      auto cluster = state::build_cluster_state(objects);
      const auto result = schedule(cluster, seed, threads);
      std::vector<state::NodeIndex> nodes;
      for (const auto& p : result.placements) nodes.push_back(p.node);
      EXPECT_EQ(nodes, reference) << "threads " << threads;
      EXPECT_GT(result.cache_hits, 1000U) << "the refresh was meant to run";
      EXPECT_TRUE(testing::placements_verify(objects, cluster, result));
    }
  }
}

}  // namespace
}  // namespace podium
