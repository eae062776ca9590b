// Kubernetes' documented scale: 5,000 nodes and 150,000 pods. Every pod is placed, no node
// is ever over-committed on any resource or on its pod count, and two threads give the
// same placements as one.

#include <gtest/gtest.h>

#include "generator/synthetic_cluster.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;

std::vector<state::NodeIndex> schedule(state::ClusterState& cluster, int threads) {
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, threads});
  std::vector<state::NodeIndex> nodes;
  for (const auto& p : result.placements) nodes.push_back(p.node);
  return nodes;
}

TEST(LargeCluster, PlacesAll150000PodsOn5000NodesWithoutOverCommitting) {
  const auto objects = datasets::generate_cluster({.nodes = 5000, .pods = 150000, .seed = 1, .constraints = {}});
  auto cluster = state::build_cluster_state(objects);
  const auto placed = schedule(cluster, 2);
  ASSERT_EQ(placed.size(), 150000U);
  for (auto n : placed) ASSERT_NE(n, state::kNoNode);
  std::size_t pods = 0;
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) {
    pods += static_cast<std::size_t>(cluster.nodes.pod_count[n]);
    ASSERT_LE(cluster.nodes.pod_count[n], cluster.nodes.allowed_pods[n]) << cluster.nodes.names[n];
    for (std::size_t r = 0; r < cluster.resources.size(); ++r)
      ASSERT_LE(cluster.nodes.requested[r][n], cluster.nodes.allocatable[r][n]) << cluster.nodes.names[n];
  }
  EXPECT_EQ(pods, 150000U);

  auto again = state::build_cluster_state(objects);
  EXPECT_EQ(schedule(again, 1), placed);
}

}  // namespace
