// The live path split over two threads (Framework::decide_with_live, decide_split): live
// scorers' Score, NormalizeScore and weighted add over two halves of the nodes at once,
// the tie rule's winner per half merged. Placements must be exactly one thread's and the
// reference oracle's, and pass podium verify: soft and hard spread (hostname, zone, rack,
// several constraints, pairs), preferred and required pod (anti-)affinity, preferred node
// affinity, PreferNoSchedule taints, pods that fit nowhere; odd and even node counts (the
// halves' boundary), and clusters on both sides of the split's node count. The split's
// threshold is lowered here so that small clusters (fast under the sanitizers) split.
// Named SequentialEquivalent.* so the TSan stage (tools/setup/run.sh) runs them.

#include <gtest/gtest.h>

#include "../../support/placement_runs.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/spread_cluster_variants.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"

namespace {

using namespace podium;
using podium::testing::engine_nodes;
using podium::testing::reference_nodes;

// Lowers (or raises) the split's node count for one test, restoring it after.
class SplitFrom {
 public:
  explicit SplitFrom(std::size_t nodes) : saved_(framework::live_split_min_nodes()) {
    framework::set_live_split_min_nodes(nodes);
  }
  ~SplitFrom() { framework::set_live_split_min_nodes(saved_); }
  SplitFrom(const SplitFrom&) = delete;
  SplitFrom& operator=(const SplitFrom&) = delete;

 private:
  std::size_t saved_;
};

// Pending pods that request nothing: every node fits them, so pods whose only live plugins
// are scorers score every node (the case the split takes).
io::ClusterObjects requesting_nothing(io::ClusterObjects objects) {
  for (auto& p : objects.pods) {
    if (!p.node_name.empty()) continue;
    for (auto& c : p.containers) c.requests.clear();
    for (auto& c : p.init_containers) c.requests.clear();
  }
  return objects;
}

// Engine at 1 and 2 threads == reference, placements verified; returns how many decisions
// the split took.
std::size_t expect_split_matches_reference(const io::ClusterObjects& objects, std::uint64_t seed, const char* what) {
  const auto expected = reference_nodes(objects, seed, {});
  const std::size_t before = framework::live_split_decisions();
  EXPECT_EQ(engine_nodes(objects, seed, 1), expected) << what << " seed " << seed << " threads 1";
  const std::size_t one_thread = framework::live_split_decisions() - before;
  EXPECT_EQ(one_thread, 0U) << what << ": one thread must not split";
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 2, true});
  std::vector<state::NodeIndex> two;
  for (const auto& p : result.placements) two.push_back(p.node);
  EXPECT_EQ(two, expected) << what << " seed " << seed << " threads 2";
  EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result)) << what << " seed " << seed;
  return framework::live_split_decisions() - before;
}

TEST(SequentialEquivalent, LiveSplitSpreadMatchesOneThreadAndTheReference) {
  const SplitFrom split(2);
  std::size_t split_decisions = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    for (const int nodes : {37, 40, 41}) {  // odd and even halves
      // Soft and hard constraints over hostname, zone and rack, one or two per pod, system
      // defaults; preferred node affinity and PreferNoSchedule taints (preferences).
      const auto spread = requesting_nothing(podium::testing::random_spread_cluster_objects(
          seed, {.nodes = nodes, .pending_pods = 120, .bound_pods = 40, .constraints = false}));
      split_decisions += expect_split_matches_reference(spread, seed, "spread");
      split_decisions +=
          expect_split_matches_reference(podium::testing::with_every_topology_key(spread), seed, "spread, every key");
      // Hostname-plus-one pairs (PodTopologySpread's fused kernel in each half).
      split_decisions += expect_split_matches_reference(
          podium::testing::with_every_topology_key(podium::testing::with_spread_pair_pods(spread, seed)), seed, "pairs");
    }
  }
  EXPECT_GT(split_decisions, 500U);
}

TEST(SequentialEquivalent, LiveSplitPodAffinityMatchesOneThreadAndTheReference) {
  const SplitFrom split(2);
  std::size_t split_decisions = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const int nodes : {29, 32}) {
      // Preferred and required pod affinity and anti-affinity, with spread and node
      // preferences on the same pods.
      auto objects = requesting_nothing(podium::testing::random_spread_cluster_objects(
          seed, {.nodes = nodes, .pending_pods = 120, .bound_pods = 40, .constraints = false}));
      podium::testing::add_random_pod_affinity(objects, seed);
      split_decisions += expect_split_matches_reference(objects, seed, "pod affinity");
    }
  }
  EXPECT_GT(split_decisions, 200U);
}

// With requests, node-local hard constraints and pods that fit nowhere: fewer pods score
// every node (the others take the one-thread path), unschedulable ones stay unschedulable.
TEST(SequentialEquivalent, LiveSplitWithUnschedulablePodsMatchesTheReference) {
  const SplitFrom split(2);
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    auto objects =
        podium::testing::random_spread_cluster_objects(seed, {.nodes = 31, .pending_pods = 150, .bound_pods = 40});
    podium::testing::add_random_pod_affinity(objects, seed);
    expect_split_matches_reference(objects, seed, "constrained");
  }
}

// The split runs from its node count up, not below.
TEST(SequentialEquivalent, LiveSplitStartsAtItsNodeCount) {
  const SplitFrom split(40);
  const auto below = requesting_nothing(podium::testing::random_spread_cluster_objects(
      3, {.nodes = 39, .pending_pods = 80, .bound_pods = 20, .constraints = false}));
  EXPECT_EQ(expect_split_matches_reference(below, 3, "39 nodes"), 0U);
  const auto at = requesting_nothing(podium::testing::random_spread_cluster_objects(
      3, {.nodes = 40, .pending_pods = 80, .bound_pods = 20, .constraints = false}));
  EXPECT_GT(expect_split_matches_reference(at, 3, "40 nodes"), 0U);
}

// The default node count, on a cluster past it (a decision needs that many feasible nodes,
// and some nodes here are cordoned; few pods: the reference is O(nodes) per pod).
TEST(SequentialEquivalent, LiveSplitAtTheDefaultNodeCountMatchesTheReference) {
  const auto nodes = static_cast<int>(framework::live_split_min_nodes() * 9 / 8) + 1;
  auto objects = requesting_nothing(podium::testing::random_spread_cluster_objects(
      5, {.nodes = nodes, .pending_pods = 40, .bound_pods = 60, .constraints = false}));
  podium::testing::add_random_pod_affinity(objects, 5);
  EXPECT_GT(expect_split_matches_reference(objects, 5, "default node count"), 0U);
}

}  // namespace
