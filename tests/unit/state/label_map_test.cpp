// Labels are a map (metav1.ObjectMeta.Labels, map[string]string): the cluster builder
// keeps one value per key, the last one written, as the file loader's upsert and verify's
// to_labels read a repeated key. It used to keep both pairs of a repeated key: the
// selectors' binary search then saw one value, PodTopologySpread's by-label index both and
// verify the last, and the engine placed pods that verify rejected (docs/NOTES.md, "Engine
// vs reference with spread and pod affinity on one cluster"). A StringMap built in code
// can repeat a key (the random test clusters did); a file cannot.

#include <gtest/gtest.h>

#include <string>

#include "../../support/cluster_fixture.hpp"
#include "../../support/placement_runs.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/profile.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;
using podium::testing::bound;
using podium::testing::node;
using podium::testing::pod;

const char* kHost = "kubernetes.io/hostname";

std::string label_value(const state::ClusterState& c, std::span<const state::LabelPair> labels, const char* key) {
  std::string out;
  int seen = 0;
  for (const auto& l : labels)
    if (c.strings.text(l.key) == key) {
      out = c.strings.text(l.value);
      ++seen;
    }
  return seen == 1 ? out : "<" + std::to_string(seen) + " pairs>";
}

io::NodeObject host(const std::string& name, const std::string& cpu) {
  auto n = node(name, cpu, "8Gi");
  n.labels = {{kHost, name}};
  return n;
}

TEST(LabelMap, ARepeatedKeyKeepsItsLastValueOnPodsNodesAndNamespaces) {
  io::ClusterObjects objects;
  objects.nodes.push_back(host("node-0", "4"));
  objects.nodes[0].labels = {{"zone", "z1"}, {kHost, "node-0"}, {"zone", "z2"}};
  auto p = pod("p", "100m", "128Mi");
  p.labels = {{"app", "web"}, {"tier", "x"}, {"app", "a"}, {"tier", "y"}, {"app", "c"}};
  objects.pods.push_back(p);
  objects.namespaces.push_back({{}, "default", {{"team", "blue"}, {"team", "red"}}});
  const auto c = state::build_cluster_state(objects);

  EXPECT_EQ(label_value(c, c.pods[0].labels, "app"), "c");
  EXPECT_EQ(label_value(c, c.pods[0].labels, "tier"), "y");
  EXPECT_EQ(c.pods[0].labels.size(), 2u);
  EXPECT_EQ(label_value(c, c.nodes.labels_of(0), "zone"), "z2");
  EXPECT_EQ(c.nodes.labels_of(0).size(), 2u);
  const auto& ns = c.namespace_labels.at(*c.strings.find("default"));
  EXPECT_EQ(label_value(c, ns, "team"), "red");
}

// The mistake as the random clusters hit it: an existing pod written app=web, then app=a.
// An incoming pod's required anti-affinity to app=a must keep it off that pod's node (verify,
// like the loader, reads app=a); the engine saw app=web, placed the pod there, and verify
// flagged "required pod anti-affinity". A spread constraint over app=web must not count the
// pod (PodTopologySpread's by-label index counted it under both values).
TEST(LabelMap, SelectorsOfEveryPluginSeeTheLastValueOfARepeatedKey) {
  io::ClusterObjects objects;
  objects.nodes = {host("node-0", "8"), host("node-1", "2")};  // node-0 scores higher (LeastAllocated)
  auto existing = bound(pod("existing", "100m", "128Mi"), "node-0");
  existing.labels = {{"app", "web"}, {"app", "a"}};
  objects.pods.push_back(existing);

  auto anti = pod("anti", "100m", "128Mi");
  io::PodAffinityTerm term;
  term.label_selector = io::LabelSelector{{{"app", "a"}}, {}};
  term.topology_key = kHost;
  anti.affinity.emplace().pod_anti_affinity.emplace().required.push_back(term);
  objects.pods.push_back(anti);

  // maxSkew 1 over hostname for app=web: with the existing pod not counted, both nodes hold
  // 0 and node-0 (the better score) fits; counted as web, node-0 would be at skew 2.
  auto spread = pod("spread", "100m", "128Mi");
  spread.labels = {{"app", "web"}};
  io::TopologySpreadConstraint c;
  c.max_skew = 1;
  c.topology_key = kHost;
  c.when_unsatisfiable = "DoNotSchedule";
  c.label_selector = io::LabelSelector{{{"app", "web"}}, {}};
  spread.topology_spread_constraints.push_back(c);
  objects.pods.push_back(spread);

  const auto expected = podium::testing::reference_nodes(objects, 1);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(expected[0], 1u) << "anti-affinity to app=a keeps the pod off node-0";
  EXPECT_EQ(expected[1], 0u) << "the existing pod is not app=web: node-0 fits the spread";
  for (const int threads : {1, 2}) {
    EXPECT_EQ(podium::testing::engine_nodes(objects, 1, threads), expected) << threads << " threads";
    auto cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, threads, true});
    EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result)) << threads << " threads";
  }
}

}  // namespace
