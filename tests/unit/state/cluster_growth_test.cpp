// state::grow_cluster: the grown state holds the new nodes after the old ones, every pod
// where the running state has it (binds made since the load, pods that left since), and
// refuses objects that do not extend the state.

#include <gtest/gtest.h>

#include <stdexcept>

#include "../../support/cluster_fixture.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/state/cluster_growth.hpp"

namespace podium::state {
namespace {

using podium::testing::bound;
using podium::testing::node;
using podium::testing::pod;

io::ClusterObjects two_nodes() {
  io::ClusterObjects objects;
  objects.nodes = {node("n0", "4", "8Gi"), node("n1", "4", "8Gi")};
  objects.pods = {bound(pod("a", "1", "1Gi"), "n0"), pod("b", "2", "1Gi"), pod("c", "500m", "1Gi")};
  return objects;
}

TEST(GrowCluster, NewNodesComeLastAndEveryPodStaysWhereTheRunPutIt) {
  auto objects = two_nodes();
  ClusterState running = build_cluster_state(objects);
  running.unbind(0);  // a left n0 (deleted); it was bound at load
  running.bind(1, 1);  // b went to n1
  objects.nodes.push_back(node("n2", "8", "16Gi"));
  const ClusterState grown = grow_cluster(running, objects);
  ASSERT_EQ(grown.nodes.size, 3u);
  EXPECT_EQ(grown.nodes.names[2], "n2");
  EXPECT_EQ(grown.pods[0].bound_node, kNoNode);
  EXPECT_EQ(grown.pods[1].bound_node, 1u);
  EXPECT_EQ(grown.pods[2].bound_node, kNoNode);
  EXPECT_EQ(grown.nodes.requested[kCpu][0], 0);
  EXPECT_EQ(grown.nodes.requested[kCpu][1], 2000);
  EXPECT_EQ(grown.nodes.requested[kCpu][2], 0);
  EXPECT_EQ(grown.nodes.pod_count[0], 0);
  EXPECT_EQ(grown.nodes.pod_count[1], 1);
  EXPECT_EQ(grown.find_node("n2"), std::optional<NodeIndex>(2));
}

TEST(GrowCluster, RefusesObjectsThatDoNotExtendTheState) {
  auto objects = two_nodes();
  const ClusterState running = build_cluster_state(objects);
  auto renamed = objects;
  renamed.nodes[1].name = "other";
  EXPECT_THROW(grow_cluster(running, renamed), std::logic_error);
  auto fewer = objects;
  fewer.nodes.pop_back();
  EXPECT_THROW(grow_cluster(running, fewer), std::logic_error);
  auto more_pods = objects;
  more_pods.pods.push_back(pod("d", "1", "1Gi"));
  EXPECT_THROW(grow_cluster(running, more_pods), std::logic_error);
}

}  // namespace
}  // namespace podium::state
