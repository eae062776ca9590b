// NodePorts: HostPortInfo.CheckConflict's wildcard rules, which ports a pod uses, and the
// node's ports growing as the scheduler binds pods.

#include <gtest/gtest.h>

#include "plugin_fixture.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;
using namespace podium::testing;

const std::string kReason = "node(s) didn't have free ports for the requested pod ports";

io::PodObject with_ports(io::PodObject p, std::vector<io::ContainerPort> ports) {
  p.containers.front().ports = std::move(ports);
  return p;
}

struct ConflictCase {
  const char* name;
  io::ContainerPort used;
  io::ContainerPort wanted;
  bool conflict;
};

class HostPortConflict : public ::testing::TestWithParam<ConflictCase> {};

TEST_P(HostPortConflict, FollowsHostPortInfoCheckConflict) {
  auto c = cluster({node("n1", "4", "8Gi")}, {bound(with_ports(pod("old", "1", "1Gi"), {GetParam().used}), "n1"),
                                              with_ports(pod("new", "1", "1Gi"), {GetParam().wanted})});
  const auto ex = explain_last(c);
  EXPECT_EQ(!ex.nodes[0].status.ok(), GetParam().conflict);
  if (GetParam().conflict) {
    EXPECT_EQ(ex.nodes[0].status.plugin(), "NodePorts");
    EXPECT_EQ(ex.nodes[0].status.message(), kReason);
    EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulable);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ports, HostPortConflict,
    ::testing::Values(
        ConflictCase{"SamePortProtocolAndIp", host_port(80), host_port(80), true},
        ConflictCase{"AnotherPort", host_port(80), host_port(81), false},
        ConflictCase{"AnotherProtocol", host_port(53, "UDP"), host_port(53, "TCP"), false},
        ConflictCase{"EmptyProtocolIsTcp", host_port(80, ""), host_port(80, "TCP"), true},
        ConflictCase{"EmptyHostIpIsTheWildcard", host_port(80, "TCP", "0.0.0.0"), host_port(80, "TCP", ""), true},
        ConflictCase{"WantedWildcardMeetsASpecificIp", host_port(80, "TCP", "10.0.0.1"), host_port(80, "TCP", ""), true},
        ConflictCase{"WantedSpecificIpMeetsTheWildcard", host_port(80, "TCP", ""), host_port(80, "TCP", "10.0.0.1"), true},
        ConflictCase{"TwoDifferentSpecificIps", host_port(80, "TCP", "10.0.0.1"), host_port(80, "TCP", "10.0.0.2"), false},
        ConflictCase{"TheSameSpecificIp", host_port(80, "TCP", "10.0.0.1"), host_port(80, "TCP", "10.0.0.1"), true},
        ConflictCase{"OnlyTheLiteralIpv4WildcardIsSpecial", host_port(80, "TCP", "::"), host_port(80, "TCP", "10.0.0.1"),
                     false}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(NodePorts, IgnoresContainerPortsWithoutAHostPort) {
  io::ContainerPort plain;
  plain.container_port = 80;
  auto c = cluster({node("n1", "4", "8Gi")},
                   {bound(with_ports(pod("old", "1", "1Gi"), {host_port(80)}), "n1"), with_ports(pod("new", "1", "1Gi"), {plain})});
  EXPECT_TRUE(explain_last(c).nodes[0].status.ok());
  EXPECT_TRUE(c.pods.back().host_ports.empty());
}

TEST(NodePorts, CountsSidecarInitContainersButNotPlainOnes) {
  auto old = pod("old", "1", "1Gi");
  io::Container sidecar;
  sidecar.name = "sidecar";
  sidecar.restart_policy_always = true;
  sidecar.ports = {host_port(9000)};
  io::Container init;
  init.name = "init";
  init.ports = {host_port(9001)};
  old.init_containers = {sidecar, init};
  auto c = cluster({node("n1", "4", "8Gi")}, {bound(old, "n1"), with_ports(pod("a", "1", "1Gi"), {host_port(9000)})});
  EXPECT_FALSE(explain_last(c).nodes[0].status.ok());
  c = cluster({node("n1", "4", "8Gi")}, {bound(old, "n1"), with_ports(pod("b", "1", "1Gi"), {host_port(9001)})});
  EXPECT_TRUE(explain_last(c).nodes[0].status.ok());
}

TEST(NodePorts, DoesNotCompareAPodsPortsWithEachOther) {
  auto p = pod("p", "1", "1Gi");
  io::Container second;
  second.name = "second";
  second.ports = {host_port(80)};
  p.containers.front().ports = {host_port(80)};
  p.containers.push_back(second);
  auto c = cluster({node("n1", "4", "8Gi")}, {p});
  EXPECT_TRUE(explain_last(c).nodes[0].status.ok());
}

TEST(NodePorts, SeesThePortsOfPodsBoundEarlierInTheSameRun) {
  // Two nodes, three pods wanting host port 8080: one per node, the third fits nowhere.
  std::vector<io::PodObject> pods;
  for (int i = 0; i < 3; ++i) {
    auto p = with_ports(pod("p" + std::to_string(i), "100m", "128Mi"), {host_port(8080)});
    p.creation_timestamp_ns = i;
    pods.push_back(p);
  }
  auto c = cluster({node("n1", "4", "8Gi"), node("n2", "4", "8Gi")}, pods);
  const auto profile = framework::build_profile(framework::default_profile_spec(), c);
  const auto result = scheduler::schedule_pending(c, {&profile, 1}, {1, 1});
  ASSERT_EQ(result.placements.size(), 3U);
  EXPECT_NE(result.placements[0].node, state::kNoNode);
  EXPECT_NE(result.placements[1].node, state::kNoNode);
  EXPECT_NE(result.placements[0].node, result.placements[1].node);
  EXPECT_EQ(result.placements[2].node, state::kNoNode);
  EXPECT_EQ(result.placements[2].reason, "0/2 nodes are available: 2 " + kReason + ".");
  EXPECT_EQ(c.nodes.used_ports[0].size(), 1U);
  EXPECT_EQ(c.nodes.used_ports[1].size(), 1U);
}

TEST(NodePorts, KeepsEachUsedPortOnceOnANode) {
  auto a = bound(with_ports(pod("a", "1", "1Gi"), {host_port(80), host_port(80, "TCP", "0.0.0.0")}), "n1");
  auto b = bound(with_ports(pod("b", "1", "1Gi"), {host_port(80, "UDP")}), "n1");
  auto c = cluster({node("n1", "4", "8Gi")}, {a, b});
  EXPECT_EQ(c.nodes.used_ports[0].size(), 2U);  // (0.0.0.0, TCP, 80) and (0.0.0.0, UDP, 80)
}

}  // namespace
