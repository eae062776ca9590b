// NodeUnschedulable and NodeName.

#include <gtest/gtest.h>

#include "../../support/cluster_fixture.hpp"
#include "podium/framework/framework.hpp"

namespace {

using namespace podium;
using podium::testing::cluster;
using podium::testing::node;
using podium::testing::pod;

framework::Explanation explain_last(state::ClusterState& c) {
  const auto profile = framework::build_profile(framework::default_profile_spec(), c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  const auto p = static_cast<state::PodIndex>(c.pods.size() - 1);
  return fw.explain({c.pods[p], p}, c, 0);
}

io::NodeObject cordoned(io::NodeObject n) {
  n.unschedulable = true;
  return n;
}

TEST(NodeUnschedulable, RejectsCordonedNodesAsUnresolvable) {
  auto c = cluster({cordoned(node("n1", "4", "8Gi")), node("n2", "4", "8Gi")}, {pod("p", "1", "1Gi")});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.plugin(), "NodeUnschedulable");
  EXPECT_EQ(ex.nodes[0].status.message(), "node(s) were unschedulable");
  EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulableAndUnresolvable);
  EXPECT_TRUE(ex.nodes[1].status.ok());
}

TEST(NodeUnschedulable, LetsPodsThatTolerateTheUnschedulableTaintThrough) {
  auto p = pod("p", "1", "1Gi");
  p.tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule", std::nullopt});
  auto c = cluster({cordoned(node("n1", "4", "8Gi"))}, {p});
  EXPECT_TRUE(explain_last(c).nodes[0].status.ok());
}

TEST(NodeUnschedulable, TreatsAnEmptyKeyExistsTolerationAsTolerateEverything) {
  auto p = pod("p", "1", "1Gi");
  p.tolerations.push_back({"", "Exists", "", "", std::nullopt});
  auto c = cluster({cordoned(node("n1", "4", "8Gi"))}, {p});
  EXPECT_TRUE(explain_last(c).nodes[0].status.ok());
}

TEST(NodeUnschedulable, DoesNotAcceptATolerationForAnotherEffect) {
  auto p = pod("p", "1", "1Gi");
  p.tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoExecute", std::nullopt});
  auto c = cluster({cordoned(node("n1", "4", "8Gi"))}, {p});
  EXPECT_FALSE(explain_last(c).nodes[0].status.ok());
}

TEST(NodeName, KeepsOnlyTheNamedNode) {
  auto c = cluster({node("n1", "4", "8Gi"), node("n2", "4", "8Gi")}, {pod("p", "1", "1Gi")});
  c.pods.back().requested_node_name = "n2";
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.message(), "node(s) didn't match the requested node name");
  EXPECT_TRUE(ex.nodes[1].status.ok());
  EXPECT_EQ(ex.decision.node, 1U);
}

}  // namespace
