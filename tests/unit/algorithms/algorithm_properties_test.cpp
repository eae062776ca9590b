// Properties every algorithm must keep, on seeded random clusters with every kind of
// constraint (taints, node affinity, host ports, topology spread, pod (anti-)affinity):
//   * each placement passes the profile's filters given the placements before it — checked
//     twice: by `podium verify`'s independent checker (podium/verify, written from the rules,
//     apart from the engine's plugins), and by replaying the list through the engine's
//     filters on a fresh copy of the cluster, apart from the scheduler's own bookkeeping;
//   * no node is over-committed;
//   * the same seed gives the same placements at 1 and 2 threads, in both parallel modes.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../../support/random_cluster.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "generator/synthetic_cluster.hpp"
#include "podium/framework/framework.hpp"
#include "support.hpp"

namespace {

using namespace podium;
using podium::testing::run_algorithm;

// Cluster sets that exercise every filter: node-local constraints, spread, pod affinity.
std::vector<io::ClusterObjects> constrained_clusters() {
  std::vector<io::ClusterObjects> out;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    out.push_back(podium::testing::random_cluster_objects(seed, {.nodes = 80, .pending_pods = 300, .bound_pods = 40}));
    out.push_back(podium::testing::random_spread_cluster_objects(seed + 10));
    auto affinity = podium::testing::random_cluster_objects(seed + 20, {.nodes = 60, .pending_pods = 250});
    podium::testing::add_random_pod_affinity(affinity, seed + 20);
    out.push_back(std::move(affinity));
  }
  return out;
}

// Replays `run`'s placements in order on a fresh copy of the cluster: each placed pod must
// pass every filter of the default profile on the state of its turn. Returns the failures.
std::vector<std::string> replay_failures(const io::ClusterObjects& objects, const podium::testing::AlgorithmRun& run) {
  auto cluster = state::build_cluster_state(objects);
  // Random clusters may bind pods past a node's capacity at load (input, not a decision):
  // such nodes are left out of the over-commit check below (the filters refuse them anyway).
  auto over_committed = [&](state::NodeIndex n) {
    for (std::size_t r = 0; r < cluster.resources.size(); ++r)
      if (cluster.nodes.requested[r][n] > 0 && cluster.nodes.requested[r][n] > cluster.nodes.allocatable[r][n])
        return true;
    return cluster.nodes.pod_count[n] > cluster.nodes.allowed_pods[n];
  };
  std::vector<bool> over_at_load(cluster.nodes.size);
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) over_at_load[n] = over_committed(n);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  std::vector<std::string> failures;
  for (std::size_t i = 0; i < run.result.placements.size(); ++i) {
    const auto& placement = run.result.placements[i];
    if (placement.evicted_by != scheduler::kNoPod) {  // a preemption victim leaves its node
      const state::NodeIndex was = cluster.pods[placement.pod].bound_node;
      cluster.unbind(placement.pod);
      fw.notify_unbind(cluster, placement.pod, was);
      continue;
    }
    if (placement.node == state::kNoNode) continue;
    const state::PodIndex p = placement.pod;
    if (!fw.passes_filters({cluster.pods[p], p}, cluster, placement.node)) {
      failures.push_back(cluster.pods[p].key + " on " + cluster.nodes.names[placement.node]);
      continue;
    }
    cluster.bind(p, placement.node);
    fw.notify_bind(cluster, p, placement.node);
  }
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n)
    if (!over_at_load[n] && over_committed(n)) failures.push_back("over-committed " + cluster.nodes.names[n]);
  return failures;
}

TEST(EveryAlgorithm, PlacesOnlyWhereTheFiltersAllowGivenThePlacementsBefore) {
  const auto clusters = constrained_clusters();
  for (const auto& name : algorithms::AlgorithmRegistry::global().names()) {
    std::size_t placed = 0, unplaced = 0;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
      const auto run = run_algorithm(clusters[c], name, 5 + c);
      for (const auto& n : run.nodes) (n.empty() ? unplaced : placed) += 1;
      EXPECT_TRUE(podium::testing::placements_verify(clusters[c], state::build_cluster_state(clusters[c]), run.result))
          << name << " cluster " << c;
      const auto failures = replay_failures(clusters[c], run);
      EXPECT_TRUE(failures.empty()) << name << " cluster " << c << ": " << failures.size() << " failures, first "
                                    << (failures.empty() ? "" : failures.front());
    }
    // The clusters must exercise both outcomes, or the check above means little.
    EXPECT_GT(placed, 1000U) << name;
    EXPECT_GT(unplaced, 10U) << name;
  }
}

TEST(EveryAlgorithm, PlacesTheSameAtOneAndTwoThreadsInEitherMode) {
  const auto clusters = constrained_clusters();
  for (const auto& name : algorithms::AlgorithmRegistry::global().names()) {
    for (std::size_t c = 0; c < clusters.size(); c += 2) {
      const auto one = run_algorithm(clusters[c], name, 3, 1).nodes;
      EXPECT_EQ(run_algorithm(clusters[c], name, 3, 2).nodes, one) << name << " cluster " << c;
      EXPECT_EQ(run_algorithm(clusters[c], name, 3, 1).nodes, one) << name << " cluster " << c << " (rerun)";
      // Optimistic mode is kube's default choice only; other algorithms decide in order.
      if (name != "default" && name != "kube-sampled")
        EXPECT_EQ(run_algorithm(clusters[c], name, 3, 2, scheduler::ParallelMode::kOptimistic).nodes, one) << name;
    }
  }
}

std::size_t nodes_used(const podium::testing::AlgorithmRun& run) {
  std::set<std::string> used;
  for (const auto& n : run.nodes)
    if (!n.empty()) used.insert(n);
  return used.size();
}

TEST(BestFit, UsesFewerNodesThanWorstFitOnAMixedCluster) {
  // 1,000 nodes of the generator's ten shapes, 6,000 pods of 32 request shapes (about a
  // fifth of the cluster's cpu): best-fit packs, worst-fit spreads.
  datasets::GeneratorOptions options;
  options.nodes = 1000;
  options.pods = 6000;
  options.seed = 11;
  const auto objects = datasets::generate_cluster(options);
  const auto best = run_algorithm(objects, "best-fit");
  const auto worst = run_algorithm(objects, "worst-fit");
  const auto first = run_algorithm(objects, "first-fit");
  std::cout << "nodes used: best-fit " << nodes_used(best) << ", first-fit " << nodes_used(first) << ", worst-fit "
            << nodes_used(worst) << " (of 1000)\n";
  EXPECT_LT(nodes_used(best), nodes_used(worst));
  EXPECT_EQ(best.result.placements.size(), 6000U);
  for (const auto* run : {&best, &worst, &first})
    for (const auto& p : run->result.placements) ASSERT_NE(p.node, state::kNoNode);
}

}  // namespace
