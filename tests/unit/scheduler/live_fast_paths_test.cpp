// The live path's fast paths (issue 13) against what they replace:
//   * ClassTotals::best_accepted (a class tree's best node among those the live filters
//     accept, refused nodes taken out and put back) against a scan by the tie rule;
//   * PodTopologySpread's per-domain sums (read from the counters instead of a pass over
//     the nodes) on clusters where every node has every topology key, which is when the
//     scoring fast path applies, and with only hard constraints (the class tree answers);
//   * NodeAffinity's memoised raw scores (RandomClusterShape::preferences);
//   * PodTopologySpread's fused scoring of hostname-plus-one-key pairs;
//   * spread and pod (anti-)affinity together;
// each engine == reference oracle at 1 and 2 threads, placements through podium verify.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "../../support/placement_runs.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/spread_cluster_variants.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "scheduler/class_totals.hpp"

namespace {

using namespace podium;
using podium::testing::engine_nodes;
using podium::testing::reference_nodes;

// The tie rule by brute force: highest total among accepted nodes, then the first on the
// ring from `start`.
state::NodeIndex scan_best(const scheduler::ClassTotals& t, const framework::TieBreaker& ties, std::uint32_t start,
                           const std::set<state::NodeIndex>& refused) {
  state::NodeIndex best = state::kNoNode;
  for (state::NodeIndex n = 0; n < t.totals.size(); ++n) {
    if (t.totals[n] == scheduler::ClassTotals::kInfeasible || refused.contains(n)) continue;
    if (best == state::kNoNode || t.totals[n] > t.totals[best] ||
        (t.totals[n] == t.totals[best] && ties.distance(n, start) < ties.distance(best, start)))
      best = n;
  }
  return best;
}

TEST(ClassTotalsBestAccepted, IsTheTieRuleWinnerAmongAcceptedNodesAndLeavesTheTreeAsItWas) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::uint64_t u = seed;
    auto draw = [&](std::uint32_t bound) {
      u = framework::splitmix64(u);
      return framework::bounded(u, bound);
    };
    const std::size_t nodes = 1 + draw(300);
    const framework::TieBreaker ties(nodes, seed);
    const scheduler::RingOrder ring(ties);
    scheduler::ClassTotals t;
    t.resize(nodes);
    for (auto& total : t.totals)  // few distinct values: many ties; some infeasible
      total = draw(6) == 0 ? scheduler::ClassTotals::kInfeasible : static_cast<std::int64_t>(draw(8));
    t.rebuild(ring);
    for (int round = 0; round < 20; ++round) {
      std::set<state::NodeIndex> refused;
      const std::uint32_t share = draw(4);  // none, a quarter, half, three quarters refused
      for (state::NodeIndex n = 0; n < nodes; ++n)
        if (draw(4) < share) refused.insert(n);
      const std::uint32_t start = ties.start_for(draw(1000));
      const auto accept = [&](state::NodeIndex n) { return !refused.contains(n); };
      const auto search = t.best_accepted(start, ring, accept, nodes);
      ASSERT_TRUE(search.searched);
      EXPECT_EQ(search.node, scan_best(t, ties, start, refused)) << "seed " << seed << " round " << round;
      // A small budget gives up (searched == false) or finds the same node.
      const auto bounded_search = t.best_accepted(start, ring, accept, 2);
      if (bounded_search.searched) {
        EXPECT_EQ(bounded_search.node, search.node);
      }
      // The tree is back as it was: its unfiltered answer is the scan's.
      EXPECT_EQ(t.best(start, ring), scan_best(t, ties, start, {})) << "seed " << seed;
    }
  }
}

// Only DoNotSchedule constraints: no live scorer acts, so the class tree answers.
io::ClusterObjects hard_only(io::ClusterObjects objects) {
  for (auto& p : objects.pods)
    for (auto& c : p.topology_spread_constraints) c.when_unsatisfiable = "DoNotSchedule";
  return objects;
}

void expect_engine_matches_reference(const io::ClusterObjects& objects, std::uint64_t seed, const char* what) {
  const auto expected = reference_nodes(objects, seed, {});
  for (const int threads : {1, 2}) {
    EXPECT_EQ(engine_nodes(objects, seed, threads), expected) << what << " seed " << seed << " threads " << threads;
    auto cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, threads, true});
    EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result)) << what << " seed " << seed;
  }
}

TEST(LiveFastPaths, SpreadWithEveryKeyOnEveryNodeMatchesTheReference) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed)
    expect_engine_matches_reference(
        podium::testing::with_every_topology_key(podium::testing::random_spread_cluster_objects(
            seed, {.nodes = 40, .pending_pods = 250, .bound_pods = 60})),
        seed, "every key");
}

// Pods with a soft hostname constraint plus one over zone or rack, on nodes that all fit
// (no node-local hard constraints, pending pods request nothing): their live decisions score every node through
// PodTopologySpread's fused form (score_normalized_into) and take the tie rule from its
// max. With every key, and with nodes lacking some (those pods then refuse the fused
// form, system-defaulted ones keep it).
io::ClusterObjects without_pending_requests(io::ClusterObjects objects) {
  for (auto& p : objects.pods) {
    if (!p.node_name.empty()) continue;
    for (auto& c : p.containers) c.requests.clear();
    for (auto& c : p.init_containers) c.requests.clear();
  }
  return objects;
}

TEST(LiveFastPaths, SpreadPairsScoredFusedMatchTheReference) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto objects = podium::testing::with_spread_pair_pods(
        without_pending_requests(podium::testing::random_spread_cluster_objects(
            seed, {.nodes = 40, .pending_pods = 250, .bound_pods = 60, .constraints = false})),
        seed);
    expect_engine_matches_reference(podium::testing::with_every_topology_key(objects), seed, "pairs, every key");
    expect_engine_matches_reference(objects, seed, "pairs, some keys missing");
  }
}

TEST(LiveFastPaths, HardSpreadAloneIsAnsweredLikeTheReference) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(
        seed, {.nodes = 40, .pending_pods = 250, .bound_pods = 60, .preferences = false});
    expect_engine_matches_reference(hard_only(objects), seed, "hard only");
    expect_engine_matches_reference(hard_only(podium::testing::with_every_topology_key(objects)), seed, "hard only, every key");
  }
}

TEST(LiveFastPaths, RequiredPodAntiAffinityOnTheClassTreeMatchesTheReference) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 30, .pending_pods = 200, .bound_pods = 40,
                                                                  .preferences = false});
    podium::testing::add_random_pod_affinity(objects, seed);
    expect_engine_matches_reference(objects, seed, "pod affinity");
  }
}

// Spread and pod (anti-)affinity on one cluster. The two generators both write pod "app" and
// "tier" labels and node hostname labels, so many pods carry a key twice (app=web, then
// app=a); the cluster builder keeps the last value of a repeated key, as verify and the file
// loader read it. It used to keep both, and the engine disagreed with the reference and
// verify from pod 8 of seed 1 (tests/unit/state/label_map_test.cpp pins that mistake).
TEST(LiveFastPaths, SpreadAndPodAffinityOnOneClusterMatchTheReference) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 24, .pending_pods = 160, .bound_pods = 50});
    podium::testing::add_random_pod_affinity(objects, seed);
    expect_engine_matches_reference(objects, seed, "spread and pod affinity");
  }
}

}  // namespace
