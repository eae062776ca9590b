// Node creation entries (a bench createNodes after pod steps): the node exists from its
// entry on; a placement there before it, a second creation, or a creation entry that
// also names a pod is a fault of the list; PodTopologySpread counts no domain of a node
// before its creation.
#include <gtest/gtest.h>

#include "../../support/cluster_fixture.hpp"
#include "podium/common/input_error.hpp"
#include "podium/verify/verify.hpp"

namespace podium::verify {
namespace {

using podium::testing::node;
using podium::testing::pod;

io::ClusterObjects objects() {
  io::ClusterObjects o;
  o.nodes = {node("n1", "2", "4Gi"), node("n2", "2", "4Gi")};
  o.nodes[0].labels = {{"zone", "a"}};
  o.nodes[1].labels = {{"zone", "b"}};
  for (const char* name : {"x", "y"}) {
    auto p = pod(name, "1", "1Gi");
    p.namespace_ = "d";
    p.labels = {{"app", "w"}};
    io::TopologySpreadConstraint c;
    c.max_skew = 1;
    c.topology_key = "zone";
    c.when_unsatisfiable = "DoNotSchedule";
    c.label_selector.emplace().match_labels = {{"app", "w"}};
    p.topology_spread_constraints.push_back(c);
    o.pods.push_back(p);
  }
  return o;
}

TEST(VerifyNodeCreation, APodMayUseANodeFromItsCreationOn) {
  // Both pods in zone a: a skew of 2 once n2 (zone b) exists, but before its creation zone a
  // is the only domain, so the second placement is within maxSkew.
  const auto list = parse_placements(R"([{"pod":"d/x","node":"n1"},{"pod":"d/y","node":"n1"},
                                         {"node":"n2","created":true}])",
                                     "p.json");
  ASSERT_TRUE(list.entries[2].created);
  const auto report = verify_placements(objects(), list);
  EXPECT_TRUE(report.ok()) << (report.errors.empty() ? "" : report.errors[0]);
  EXPECT_EQ(report.created, 1U);
  // Without the creation entry n2 exists from the start: zone b counts, the skew is 2.
  const auto from_start = verify_placements(objects(), parse_placements(R"([{"pod":"d/x","node":"n1"},
                                                                              {"pod":"d/y","node":"n1"}])",
                                                                         "p.json"));
  ASSERT_EQ(from_start.violations.size(), 1U);
  EXPECT_EQ(from_start.violations[0].rule, "PodTopologySpread");
}

TEST(VerifyNodeCreation, APlacementBeforeTheCreationOrASecondCreationIsAListFault) {
  const auto early = verify_placements(objects(), parse_placements(R"([{"pod":"d/x","node":"n2"},
                                                                         {"node":"n2","created":true}])",
                                                                    "p.json"));
  ASSERT_EQ(early.errors.size(), 1U);
  EXPECT_NE(early.errors[0].find("node n2 does not exist yet at this point of the list (created at [1])"),
            std::string::npos)
      << early.errors[0];
  const auto twice = verify_placements(objects(), parse_placements(R"([{"node":"n2","created":true},
                                                                         {"node":"n2","created":true}])",
                                                                    "p.json"));
  ASSERT_EQ(twice.errors.size(), 1U);
  EXPECT_NE(twice.errors[0].find("created twice"), std::string::npos) << twice.errors[0];
}

TEST(VerifyNodeCreation, ACreationEntryNamesANodeAndNothingElse) {
  EXPECT_THROW(parse_placements(R"([{"pod":"d/x","node":"n2","created":true}])", "p.json"), InputError);
  EXPECT_THROW(parse_placements(R"([{"node":null,"created":true}])", "p.json"), InputError);
  EXPECT_THROW(parse_placements(R"([{"node":"n2","created":"yes"}])", "p.json"), InputError);
}

}  // namespace
}  // namespace podium::verify
