// The all-distinct fast paths (issue 13): the dense filter/score pass over node ranges
// (Framework::dense_pass, FilterPlugin::filter_range, ScorePlugin::score_range), the class
// cache's admission on a class's second sighting (ClassCache::admit), and the block
// winners that answer a speculated one-off class (scheduler/block_argmax.hpp). Each is
// judged by the reference oracle (which uses none of them) and by podium verify.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "../../support/placement_runs.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "generator/synthetic_cluster.hpp"
#include "podium/framework/profile.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"
#include "scheduler/block_argmax.hpp"
#include "scheduler/class_cache.hpp"

namespace podium {
namespace {

struct Outcome {
  scheduler::ScheduleResult result;
  state::ClusterState cluster;
  std::vector<state::NodeIndex> nodes;
};

Outcome schedule(const io::ClusterObjects& objects, std::uint64_t seed, int threads, bool cache) {
  Outcome r{{}, state::build_cluster_state(objects), {}};
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  scheduler::SchedulerOptions options;
  options.seed = seed;
  options.threads = threads;
  options.equivalence_cache = cache;
  options.preemption.enabled = false;  // the reference oracle below does not preempt either
  r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
  for (const auto& p : r.result.placements) r.nodes.push_back(p.node);
  return r;
}

// `podium generate --distinct-requests` at a small size, with a few cordoned nodes so the
// dense NodeUnschedulable filter rejects some, and tight enough that pods end unschedulable.
io::ClusterObjects distinct_cluster(std::uint64_t seed) {
  datasets::GeneratorOptions g;
  g.nodes = 60;
  g.pods = 2600;
  g.seed = seed;
  g.distinct_requests = true;
  auto objects = datasets::generate_cluster(g);
  for (std::size_t i = 0; i < objects.nodes.size(); i += 7) objects.nodes[i].unschedulable = true;
  return objects;
}

TEST(DensePass, AllDistinctRequestsPlaceAsTheReferenceAtOneAndTwoThreads) {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const auto objects = distinct_cluster(seed);
    const auto reference = testing::reference_nodes(objects, seed);
    const Outcome one = schedule(objects, seed, 1, true);
    EXPECT_EQ(one.nodes, reference);
    EXPECT_TRUE(testing::placements_verify(objects, one.cluster, one.result));
    EXPECT_GT(std::count(one.nodes.begin(), one.nodes.end(), state::kNoNode), 0) << "the cluster was meant to fill up";
    for (const bool cache : {true, false}) {
      const Outcome two = schedule(objects, seed, 2, cache);
      EXPECT_EQ(two.nodes, reference) << "cache " << cache;
      EXPECT_GT(two.result.speculated, 0U) << "the speculative batches never ran";
      EXPECT_TRUE(testing::placements_verify(objects, two.cluster, two.result));
    }
  }
}

// Sets `name` in a resource list (replacing it, or adding it when absent).
void set_quantity(io::ResourceList& list, const std::string& name, const std::string& amount) {
  for (auto& [key, value] : list)
    if (key == name) {
      value = testing::q(amount);
      return;
    }
  list.emplace_back(name, testing::q(amount));
}

void erase_quantity(io::ResourceList& list, const std::string& name) {
  std::erase_if(list, [&](const auto& entry) { return entry.first == name; });
}

TEST(DensePass, FitFoldedIntoTheFusedPassPlacesAsTheReference) {
  // NodeResourcesFit's Filter runs inside the fused LeastAllocated + BalancedAllocation
  // pass (Fit::filter_score_range_fused) when the pod asks only for cpu and memory (on a
  // CPU with AVX-512, where the fold pays; elsewhere the separate passes run). Nodes
  // that fail only the pod count, only one resource, or have a zero or missing capacity;
  // pods asking for one resource or none; and pods with an extended resource or ephemeral
  // storage, which Fit checks apart (the fold declines and the separate passes run).
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    auto objects = distinct_cluster(seed);
    for (std::size_t i = 0; i < objects.nodes.size(); ++i) {
      auto& allocatable = objects.nodes[i].allocatable;
      if (i % 5 == 1) set_quantity(allocatable, "pods", std::to_string(2 + i % 3));  // full after a few pods
      if (i % 11 == 2) set_quantity(allocatable, "cpu", "0");
      if (i % 13 == 3) erase_quantity(allocatable, "memory");
      if (i % 6 == 4) set_quantity(allocatable, "example.com/foo", "3");
      if (i % 4 == 0) set_quantity(allocatable, "ephemeral-storage", "10Gi");
    }
    for (std::size_t k = 0; k < objects.pods.size(); ++k) {
      auto& requests = objects.pods[k].containers.front().requests;
      if (k % 9 == 1) erase_quantity(requests, "memory");
      if (k % 10 == 2) erase_quantity(requests, "cpu");
      if (k % 23 == 3) requests.clear();
      if (k % 17 == 5) set_quantity(requests, "example.com/foo", "1");
      if (k % 19 == 6) set_quantity(requests, "ephemeral-storage", "1Gi");
    }
    const auto reference = testing::reference_nodes(objects, seed);
    EXPECT_GT(std::count(reference.begin(), reference.end(), state::kNoNode), 0) << "the cluster was meant to fill up";
    for (const int threads : {1, 2}) {
      for (const bool cache : {true, false}) {
        const Outcome run = schedule(objects, seed, threads, cache);
        EXPECT_EQ(run.nodes, reference) << "threads " << threads << ", cache " << cache;
        EXPECT_TRUE(testing::placements_verify(objects, run.cluster, run.result));
      }
    }
  }
}

TEST(DensePass, PluginsWithoutADenseFormFallBackOverTheSurvivors) {
  // Hard taints (TaintToleration's sparse filter), node affinity, host ports and images
  // (ImageLocality's sparse score) beside the dense resource plugins, with repeated
  // request shapes so the class cache admits and serves classes too.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const auto objects = testing::random_cluster_objects(
        seed, {.nodes = 30, .pending_pods = 400, .bound_pods = 20, .constraints = true, .preferences = false});
    const auto reference = testing::reference_nodes(objects, seed);
    for (const int threads : {1, 2}) {
      const Outcome run = schedule(objects, seed, threads, true);
      EXPECT_EQ(run.nodes, reference) << "threads " << threads;
      EXPECT_TRUE(testing::placements_verify(objects, run.cluster, run.result));
    }
  }
}

TEST(ClassCacheAdmission, AClassIsKeptOnlyFromItsSecondSighting) {
  const framework::TieBreaker ties(4, 1);
  const scheduler::RingOrder ring(ties);
  scheduler::ClassCache cache(ring, 8);
  EXPECT_FALSE(cache.admit("a")) << "first sighting";
  EXPECT_FALSE(cache.admit("b"));
  EXPECT_TRUE(cache.admit("a")) << "second sighting";
  EXPECT_TRUE(cache.admit("a"));
  EXPECT_FALSE(cache.contains("a")) << "admitting keeps nothing by itself";
}

TEST(ClassCacheAdmission, RepeatedShapesStillHitTheCache) {
  datasets::GeneratorOptions g;
  g.nodes = 50;
  g.pods = 600;
  g.seed = 4;
  const auto objects = datasets::generate_cluster(g);  // 32 request shapes
  const Outcome run = schedule(objects, 4, 1, true);
  EXPECT_EQ(run.nodes, testing::reference_nodes(objects, 4));
  EXPECT_GT(run.result.cache_hits, 500U);
  EXPECT_LE(run.result.cache_misses, 2 * 33U) << "each shape is computed at most twice (admission, then cached)";
}

TEST(ClassCacheRefresh, ManyShapesRefreshTheirBoundNodesAsTheReference) {
  // 64 request shapes in rotation on a small cluster with cordoned nodes: every cached
  // class is brought current over the nodes bound since its last pod (Framework::evaluate:
  // Fit's two-resource filter pass and the fused LeastAllocated + BalancedAllocation pass
  // over scattered ids) until the cluster fills and pods end unschedulable. GPU pods of the
  // random clusters take the general paths (three checked resources).
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    datasets::GeneratorOptions g;
    g.nodes = 70;
    g.pods = 3000;
    g.seed = seed;
    g.pod_shapes = 64;
    auto objects = datasets::generate_cluster(g);
    for (std::size_t i = 0; i < objects.nodes.size(); i += 9) objects.nodes[i].unschedulable = true;
    const auto reference = testing::reference_nodes(objects, seed);
    EXPECT_GT(std::count(reference.begin(), reference.end(), state::kNoNode), 0) << "the cluster was meant to fill up";
    for (const int threads : {1, 2}) {
      const Outcome run = schedule(objects, seed, threads, true);
      EXPECT_EQ(run.nodes, reference) << "threads " << threads;
      EXPECT_GT(run.result.cache_hits, 1000U) << "the refresh was meant to run";
      EXPECT_TRUE(testing::placements_verify(objects, run.cluster, run.result));
    }
    const auto mixed = testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 900, .bound_pods = 30});
    reference::ReferenceOptions no_preemption;
    no_preemption.preemption = false;  // as schedule() (the random clusters have priorities)
    const Outcome run = schedule(mixed, seed, 1, true);
    EXPECT_EQ(run.nodes, testing::reference_nodes(mixed, seed, no_preemption));
    EXPECT_TRUE(testing::placements_verify(mixed, run.cluster, run.result));
  }
}

// The tie rule by brute force: highest total, then smallest ring distance from start.
state::NodeIndex brute_best(const std::vector<std::int64_t>& totals, const framework::TieBreaker& ties,
                            std::uint32_t start) {
  state::NodeIndex best = state::kNoNode;
  for (state::NodeIndex n = 0; n < totals.size(); ++n) {
    if (totals[n] == INT64_MIN) continue;
    if (best == state::kNoNode || totals[n] > totals[best] ||
        (totals[n] == totals[best] && ties.distance(n, start) < ties.distance(best, start)))
      best = n;
  }
  return best;
}

TEST(BlockArgmax, AgreesWithTheTieRuleAfterEveryRefresh) {
  std::uint64_t state = 7;
  auto next = [&](std::uint32_t bound) {
    state = framework::splitmix64(state);
    return framework::bounded(state, bound);
  };
  for (const std::size_t nodes : {1UL, 63UL, 64UL, 200UL, 1000UL}) {
    const framework::TieBreaker ties(nodes, 11 + nodes);
    std::vector<std::int64_t> totals(nodes);
    // Few distinct totals (many ties) and some infeasible nodes.
    for (auto& t : totals) t = next(5) == 0 ? INT64_MIN : next(4);
    const auto start = static_cast<std::uint32_t>(next(static_cast<std::uint32_t>(nodes)));
    scheduler::BlockArgmax blocks;
    blocks.build(ties, totals.data(), nodes, start);
    EXPECT_EQ(blocks.best(), brute_best(totals, ties, start)) << nodes << " nodes";
    for (int round = 0; round < 50; ++round) {
      std::vector<state::NodeIndex> changed;
      for (int k = 0; k < 4; ++k) {
        const auto n = static_cast<state::NodeIndex>(next(static_cast<std::uint32_t>(nodes)));
        totals[n] = next(6) == 0 ? INT64_MIN : next(5);
        changed.push_back(n);
      }
      blocks.refresh(changed, totals.data());
      ASSERT_EQ(blocks.best(), brute_best(totals, ties, start)) << nodes << " nodes, round " << round;
    }
  }
  const framework::TieBreaker ties(3, 1);
  const std::vector<std::int64_t> none(3, INT64_MIN);
  scheduler::BlockArgmax blocks;
  blocks.build(ties, none.data(), 3, 0);
  EXPECT_EQ(blocks.best(), state::kNoNode);
}

}  // namespace
}  // namespace podium
