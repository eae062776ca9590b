// flow (engine/src/algorithms/flow/): the min-cost flow placer.
//  * on a cluster built so that kube's greedy first pick blocks the second pod, flow
//    places both, exactly where the optimum puts them;
//  * on a generated 1,000-node cluster, one window: flow's summed window-start score is
//    at least default's, every placement passes the profile's filters on a replay, no
//    node is over-committed, and the placements are the same at 1 and 2 threads.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "../../support/random_cluster.hpp"
#include "podium/algorithms/algorithm.hpp"
#include "podium/framework/framework.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium {
namespace {

using testing::node;
using testing::pod;

struct Outcome {
  scheduler::ScheduleResult result;
  state::ClusterState cluster;  // after the run
};

Outcome run(const io::ClusterObjects& objects, const std::string& algorithm, int threads = 1, std::uint64_t seed = 1) {
  Outcome r{{}, state::build_cluster_state(objects)};
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  scheduler::SchedulerOptions options;
  options.seed = seed;
  options.threads = threads;
  options.algorithm = algorithms::make_algorithm(algorithms::parse_algorithm_spec(algorithm));
  r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
  return r;
}

std::vector<std::string> node_names(const Outcome& r) {
  std::vector<std::string> out;
  for (const auto& p : r.result.placements)
    out.push_back(p.node == state::kNoNode ? "-" : r.cluster.nodes.names[p.node]);
  return out;
}

// The profile's weighted total of each placement on the cluster as it stood before the
// run (prepare + evaluate_all per pod): the objective flow maximises, so the yardstick.
std::int64_t window_start_score(const io::ClusterObjects& objects, const scheduler::ScheduleResult& result) {
  const auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  std::map<std::string, std::vector<std::int64_t>> by_signature;
  std::int64_t sum = 0;
  for (const auto& p : result.placements) {
    if (p.node == state::kNoNode) continue;
    const framework::PodContext ctx{cluster.pods[p.pod], p.pod};
    auto [it, inserted] = by_signature.try_emplace(fw.signature(cluster.pods[p.pod]));
    if (inserted) {
      framework::Status rejection;
      it->second.assign(cluster.nodes.size, framework::Framework::kInfeasible);
      if (fw.prepare(ctx, cluster, rejection)) fw.evaluate_all(ctx, cluster, it->second.data());
    }
    EXPECT_NE(it->second[p.node], framework::Framework::kInfeasible) << cluster.pods[p.pod].key;
    sum += it->second[p.node];
  }
  return sum;
}

std::size_t placed(const scheduler::ScheduleResult& result) {
  std::size_t n = 0;
  for (const auto& p : result.placements) n += p.node != state::kNoNode ? 1 : 0;
  return n;
}

// Two nodes, a small pod then a big one. Default gives the small pod the emptier node A
// (LeastAllocated 75 against 50) and then the big pod (3.5 cpu) fits nowhere. The flow
// optimum puts the small pod on B and the big one on A. Totals (default profile, no
// taints or affinity: TaintToleration 3 x 100 = 300 everywhere; BalancedAllocation 100 for
// these even pods; LeastAllocated as above, 12 for the big pod on A): greedy 375 + 100 =
// 475, flow (350 + 100) + (312 + 100) = 862.
TEST(Flow, PlacesTheSecondPodThatGreedyBlocks) {
  io::ClusterObjects objects;
  objects.nodes = {node("a", "4", "4Gi"), node("b", "2", "2Gi")};
  auto small = pod("small", "1", "1Gi");
  small.creation_timestamp_ns = 1;
  auto big = pod("big", "3500m", "3584Mi");
  big.creation_timestamp_ns = 2;
  objects.pods = {small, big};

  const Outcome greedy = run(objects, "default");
  EXPECT_EQ(node_names(greedy), (std::vector<std::string>{"a", "-"}));

  const Outcome flow = run(objects, "flow");
  EXPECT_EQ(node_names(flow), (std::vector<std::string>{"b", "a"}));
  const auto& ws = flow.result.window_stats;
  EXPECT_EQ(ws.windows, 1U);
  EXPECT_EQ(ws.proposed, 2U);
  EXPECT_EQ(ws.fell_back, 0U);
  EXPECT_EQ(window_start_score(objects, greedy.result), 475);
  EXPECT_EQ(window_start_score(objects, flow.result), 862);
}

// Pods that need the whole picture (here a topology spread constraint) are not proposed:
// the scheduler decides them with the profile's own choice.
TEST(Flow, LeavesPodsWithTopologySpreadToTheProfile) {
  io::ClusterObjects objects;
  for (int i = 0; i < 4; ++i) {
    auto n = node("n" + std::to_string(i), "4", "8Gi");
    n.labels = {{"zone", i < 2 ? "a" : "b"}};
    objects.nodes.push_back(n);
  }
  for (int i = 0; i < 6; ++i) {
    auto p = pod("p" + std::to_string(i), "500m", "512Mi");
    p.creation_timestamp_ns = i;
    p.labels = {{"app", "web"}};
    if (i % 2 == 1) {
      io::TopologySpreadConstraint c;
      c.max_skew = 1;
      c.topology_key = "zone";
      c.when_unsatisfiable = "DoNotSchedule";
      c.label_selector = io::LabelSelector{};
      c.label_selector->match_labels = {{"app", "web"}};
      p.topology_spread_constraints.push_back(c);
    }
    objects.pods.push_back(p);
  }
  const Outcome flow = run(objects, "flow");
  EXPECT_EQ(flow.result.window_stats.proposed, 3U);
  EXPECT_EQ(flow.result.window_stats.fell_back, 3U);
  EXPECT_EQ(flow.result.window_stats.proposal_rejected, 0U);
  EXPECT_EQ(placed(flow.result), 6U);
}

io::ClusterObjects generated(std::uint64_t seed, int nodes = 1000) {
  testing::RandomClusterShape shape;
  shape.nodes = nodes;
  shape.pending_pods = 9 * nodes;  // about the cluster's cpu: contention for the good nodes
  shape.bound_pods = nodes / 2;
  shape.constraints = true;   // taints, node affinity, host ports, images
  shape.preferences = false;  // (normalizing scorers would send pods to the fallback)
  return testing::random_cluster_objects(seed, shape);
}

// Flow maximises the summed window-start total over a relaxation that admits default's
// own placements (each default placement fits at its turn, so the per-class "fits alone"
// counts and the pod slots admit them all), so its first solve is >= default. The rounds
// that repair over-packing and the greedy fallbacks can in principle lose some of that;
// the test pins that they do not on these clusters, and prints the margin.
TEST(Flow, SummedScoreAtLeastDefaultsOnAThousandNodes) {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    const auto objects = generated(seed);
    const Outcome greedy = run(objects, "default");
    const Outcome flow = run(objects, "flow");
    const std::int64_t greedy_sum = window_start_score(objects, greedy.result);
    const std::int64_t flow_sum = window_start_score(objects, flow.result);
    const auto& ws = flow.result.window_stats;
    std::printf(
        "seed %llu: summed window-start score flow %lld vs default %lld (+%.2f%%); placed flow %zu vs default %zu; "
        "proposed %llu, fell back %llu, rejected at commit %llu; graph %llu vertices %llu arcs, solve %.4f s\n",
        static_cast<unsigned long long>(seed), static_cast<long long>(flow_sum), static_cast<long long>(greedy_sum),
        100.0 * static_cast<double>(flow_sum - greedy_sum) / static_cast<double>(greedy_sum), placed(flow.result),
        placed(greedy.result), static_cast<unsigned long long>(ws.proposed),
        static_cast<unsigned long long>(ws.fell_back), static_cast<unsigned long long>(ws.proposal_rejected),
        static_cast<unsigned long long>(ws.graph_nodes), static_cast<unsigned long long>(ws.graph_arcs),
        ws.solve_seconds);
    EXPECT_EQ(ws.windows, 1U);
    EXPECT_GE(flow_sum, greedy_sum);
    // About 8% of these pods have host ports and 2% fit nowhere (both fall back), and the
    // pods decided greedily in between take room flow had planned for others: measured
    // ~78% proposed and ~8% of proposals rejected at commit (all of those then placed
    // greedily). Pinned loosely so a regression shows.
    EXPECT_GT(ws.proposed, ws.window_pods * 7 / 10);
    EXPECT_LE(ws.proposal_rejected * 100, ws.proposed * 15);
  }
}

// A replay on a fresh copy: every placement passes every filter of the profile given the
// placements before it, and no node ends with more than it has of anything a placed pod
// asked for.
TEST(Flow, EveryPlacementPassesTheFiltersOnAReplayAndNothingIsOverCommitted) {
  const auto objects = generated(3);
  const Outcome flow = run(objects, "flow");
  auto cluster = state::build_cluster_state(objects);
  const auto initial = cluster.nodes.requested;
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  std::vector<std::uint8_t> touched(cluster.nodes.size, 0);
  std::size_t replayed = 0;
  for (const auto& p : flow.result.placements) {
    if (p.node == state::kNoNode) continue;
    ASSERT_TRUE(fw.passes_filters({cluster.pods[p.pod], p.pod}, cluster, p.node)) << cluster.pods[p.pod].key;
    cluster.bind(p.pod, p.node);
    fw.notify_bind(cluster, p.pod, p.node);
    touched[p.node] = 1;
    ++replayed;
  }
  EXPECT_GT(replayed, 7500U);
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) {
    if (!touched[n]) continue;
    EXPECT_LE(cluster.nodes.pod_count[n], cluster.nodes.allowed_pods[n]) << n;
    for (std::size_t r = 0; r < cluster.resources.size(); ++r) {
      if (cluster.nodes.requested[r][n] == initial[r][n]) continue;  // bound pods may over-commit at load
      EXPECT_LE(cluster.nodes.requested[r][n], cluster.nodes.allocatable[r][n]) << n << " resource " << r;
    }
  }
}

TEST(Flow, SamePlacementsAtOneAndTwoThreads) {
  const auto objects = generated(4, 300);
  for (const char* algorithm : {"flow", "flow:solver=capacity-scaling:window=2500"}) {
    const Outcome one = run(objects, algorithm, 1, 7);
    const Outcome two = run(objects, algorithm, 2, 7);
    EXPECT_EQ(node_names(one), node_names(two)) << algorithm;
    EXPECT_EQ(one.result.window_stats.proposed, two.result.window_stats.proposed) << algorithm;
  }
}

// The solvers may pick different optima of equal cost, and the repair rounds then differ,
// so the final sums need not be equal; each must still beat default.
TEST(Flow, EitherSolverBeatsDefault) {
  const auto objects = generated(5, 300);
  const std::int64_t greedy = window_start_score(objects, run(objects, "default").result);
  EXPECT_GE(window_start_score(objects, run(objects, "flow:solver=network-simplex").result), greedy);
  EXPECT_GE(window_start_score(objects, run(objects, "flow:solver=capacity-scaling").result), greedy);
}

TEST(Flow, RejectsAnUnknownSolver) {
  EXPECT_THROW(algorithms::make_algorithm(algorithms::parse_algorithm_spec("flow:solver=cs2")), std::invalid_argument);
}

}  // namespace
}  // namespace podium
