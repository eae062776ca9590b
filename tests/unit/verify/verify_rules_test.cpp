// One valid and one violating placement per rule, on small hand-built clusters: three
// nodes n1, n2 (zone z1) and n3 (zone z2), 4 cpu / 8Gi / 110 pods each, labelled with
// kubernetes.io/hostname and topology.kubernetes.io/zone; pods in namespace d.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "../../support/cluster_fixture.hpp"
#include "podium/verify/verify.hpp"

namespace podium::verify {
namespace {

using testing::node;
using testing::pod;

io::ClusterObjects base() {
  io::ClusterObjects o;
  for (const char* name : {"n1", "n2", "n3"}) {
    auto n = node(name, "4", "8Gi");
    n.labels = {{"kubernetes.io/hostname", name}, {"topology.kubernetes.io/zone", std::string(name) == "n3" ? "z2" : "z1"}};
    o.nodes.push_back(std::move(n));
  }
  return o;
}

io::PodObject& add(io::ClusterObjects& o, const std::string& name, const std::string& cpu = "100m",
                   io::StringMap labels = {}) {
  auto p = pod(name, cpu, "128Mi");
  p.namespace_ = "d";
  p.labels = std::move(labels);
  o.pods.push_back(std::move(p));
  return o.pods.back();
}

io::NodeObject& node_named(io::ClusterObjects& o, const std::string& name) {
  for (auto& n : o.nodes)
    if (n.name == name) return n;
  throw std::logic_error("no node " + name);
}

io::LabelSelector app(const std::string& value) { return io::LabelSelector{{{"app", value}}, {}}; }

io::PodAffinityTerm term(const std::string& app_value, const std::string& key) {
  io::PodAffinityTerm t;
  t.label_selector = app(app_value);
  t.topology_key = key;
  return t;
}

void anti(io::PodObject& p, io::PodAffinityTerm t) {
  if (!p.affinity) p.affinity.emplace();
  if (!p.affinity->pod_anti_affinity) p.affinity->pod_anti_affinity.emplace();
  p.affinity->pod_anti_affinity->required.push_back(std::move(t));
}

void affinity(io::PodObject& p, io::PodAffinityTerm t) {
  if (!p.affinity) p.affinity.emplace();
  if (!p.affinity->pod_affinity) p.affinity->pod_affinity.emplace();
  p.affinity->pod_affinity->required.push_back(std::move(t));
}

void required_node_affinity(io::PodObject& p, std::vector<io::NodeSelectorTerm> terms) {
  if (!p.affinity) p.affinity.emplace();
  p.affinity->node_affinity.emplace();
  p.affinity->node_affinity->required = std::move(terms);
}

io::NodeSelectorTerm expr(const std::string& key, const std::string& op, std::vector<std::string> values) {
  io::NodeSelectorTerm t;
  t.match_expressions.push_back({key, op, std::move(values)});
  return t;
}

io::ContainerPort host_port(std::int32_t port, const std::string& ip = "", const std::string& protocol = "TCP") {
  io::ContainerPort p;
  p.container_port = port;
  p.host_port = port;
  p.host_ip = ip;
  p.protocol = protocol;
  return p;
}

io::TopologySpreadConstraint spread(std::int32_t max_skew, const std::string& key, const std::string& app_value) {
  io::TopologySpreadConstraint c;
  c.max_skew = max_skew;
  c.topology_key = key;
  c.when_unsatisfiable = "DoNotSchedule";
  c.label_selector = app(app_value);
  return c;
}

const char* kZone = "topology.kubernetes.io/zone";
const char* kHost = "kubernetes.io/hostname";

struct Case {
  const char* name;
  std::function<void(io::ClusterObjects&)> build;
  std::vector<std::pair<std::string, std::string>> placements;  // pod key, node ("" = unplaced)
  const char* rule;    // "" when every rule holds
  const char* detail;  // expected in the first violation's detail
};

Placements list(const std::vector<std::pair<std::string, std::string>>& entries) {
  Placements p;
  p.file = "placements.json";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    PlacementEntry e;
    e.pod = entries[i].first;
    if (!entries[i].second.empty()) e.node = entries[i].second;
    e.path = "placements[" + std::to_string(i) + "]";
    p.entries.push_back(std::move(e));
  }
  return p;
}

const Case kCases[] = {
    // NodeResourcesFit
    {"pods that fit together are fine", [](auto& o) { add(o, "a", "2"); add(o, "b", "2"); },
     {{"d/a", "n1"}, {"d/b", "n1"}}, "", ""},
    {"a pod needing more cpu than is left is insufficient cpu", [](auto& o) { add(o, "a", "2"); add(o, "b", "2500m"); },
     {{"d/a", "n1"}, {"d/b", "n1"}}, "NodeResourcesFit", "insufficient cpu: requests 2500, free 2000 of 4000"},
    {"a pod bound in the cluster counts from the start",
     [](auto& o) { o.pods.push_back(testing::bound(pod("old", "3", "1Gi"), "n1")); add(o, "b", "2"); },
     {{"d/b", "n1"}}, "NodeResourcesFit", "insufficient cpu"},
    {"an extended resource the node lacks is insufficient",
     [](auto& o) { add(o, "g").containers[0].requests.emplace_back("nvidia.com/gpu", testing::q("1")); },
     {{"d/g", "n1"}}, "NodeResourcesFit", "insufficient nvidia.com/gpu: requests 1, free 0 of 0"},
    {"a node at its pod limit takes no more pods",
     [](auto& o) { node_named(o, "n1") = node("n1", "4", "8Gi", 1); add(o, "a"); add(o, "b"); },
     {{"d/a", "n1"}, {"d/b", "n1"}}, "NodeResourcesFit", "too many pods: 1 bound, 1 allowed"},
    // NodeUnschedulable
    {"a pod tolerating the unschedulable taint may use a cordoned node",
     [](auto& o) {
       node_named(o, "n1").unschedulable = true;
       add(o, "a").tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule", {}});
     },
     {{"d/a", "n1"}}, "", ""},
    {"a cordoned node rejects other pods", [](auto& o) { node_named(o, "n1").unschedulable = true; add(o, "a"); },
     {{"d/a", "n1"}}, "NodeUnschedulable", "cordoned"},
    // TaintToleration
    {"a tolerated NoSchedule taint and an untolerated PreferNoSchedule taint are fine",
     [](auto& o) {
       node_named(o, "n1").taints = {{"dedicated", "gpu", "NoSchedule"}, {"noisy", "", "PreferNoSchedule"}};
       add(o, "a").tolerations.push_back({"dedicated", "Equal", "gpu", "", {}});
     },
     {{"d/a", "n1"}}, "", ""},
    {"an untolerated NoExecute taint is a violation",
     [](auto& o) {
       node_named(o, "n1").taints = {{"maintenance", "", "NoExecute"}};
       add(o, "a").tolerations.push_back({"maintenance", "Exists", "", "NoSchedule", {}});
     },
     {{"d/a", "n1"}}, "TaintToleration", "untolerated taint maintenance:NoExecute"},
    // NodeAffinity
    {"nodeSelector and required node affinity that match are fine",
     [](auto& o) {
       node_named(o, "n3").labels.emplace_back("gen", "7");
       auto& p = add(o, "a");
       p.node_selector = {{kZone, "z2"}};
       required_node_affinity(p, {expr("gen", "Gt", {"5"}), expr("gen", "In", {"1"})});
     },
     {{"d/a", "n3"}}, "", ""},
    {"a nodeSelector the node does not match is a violation", [](auto& o) { add(o, "a").node_selector = {{kZone, "z2"}}; },
     {{"d/a", "n1"}}, "NodeAffinity", "nodeSelector topology.kubernetes.io/zone=z2 not matched"},
    {"required node affinity terms none of which matches is a violation",
     [](auto& o) {
       io::NodeSelectorTerm by_name;
       by_name.match_fields.push_back({"metadata.name", "In", {"n2"}});
       required_node_affinity(add(o, "a"), {by_name, expr(kZone, "NotIn", {"z1"}), expr("gen", "Lt", {"-1"})});
     },
     {{"d/a", "n1"}}, "NodeAffinity", "required node affinity not matched"},
    // NodePorts
    {"the same host port on different IPs or protocols is fine",
     [](auto& o) {
       add(o, "a").containers[0].ports = {host_port(80, "10.0.0.1")};
       add(o, "b").containers[0].ports = {host_port(80, "10.0.0.2"), host_port(53, "", "UDP")};
       add(o, "c").containers[0].ports = {host_port(53, "", "TCP")};
     },
     {{"d/a", "n1"}, {"d/b", "n1"}, {"d/c", "n1"}}, "", ""},
    {"a specific IP conflicts with 0.0.0.0 on the same port",
     [](auto& o) {
       add(o, "a").containers[0].ports = {host_port(80)};
       add(o, "b").containers[0].ports = {host_port(80, "10.0.0.2")};
     },
     {{"d/a", "n1"}, {"d/b", "n1"}}, "NodePorts", "host port TCP/10.0.0.2:80 conflicts with d/a (TCP/0.0.0.0:80)"},
    // PodTopologySpread
    {"spreading across zones within maxSkew is fine",
     [](auto& o) {
       for (const char* n : {"a1", "a2", "a3"}) add(o, n, "100m", {{"app", "a"}}).topology_spread_constraints = {spread(1, kZone, "a")};
     },
     {{"d/a1", "n1"}, {"d/a2", "n3"}, {"d/a3", "n2"}}, "", ""},
    {"two in one zone and none in the other exceeds maxSkew 1",
     [](auto& o) {
       for (const char* n : {"a1", "a2"}) add(o, n, "100m", {{"app", "a"}}).topology_spread_constraints = {spread(1, kZone, "a")};
     },
     {{"d/a1", "n1"}, {"d/a2", "n2"}}, "PodTopologySpread", "skew 2 > maxSkew 1 (1 matching + 1 self - global minimum 0)"},
    {"minDomains above the domain count makes the global minimum 0",
     [](auto& o) {
       for (const char* n : {"a1", "a2", "a3"}) {
         auto c = spread(1, kZone, "a");
         c.min_domains = 3;
         add(o, n, "100m", {{"app", "a"}}).topology_spread_constraints = {c};
       }
     },
     {{"d/a1", "n1"}, {"d/a2", "n3"}, {"d/a3", "n1"}}, "PodTopologySpread", "global minimum 0"},
    {"nodeAffinityPolicy Honor counts only the domains the pod may use",
     [](auto& o) {
       for (const char* n : {"a1", "a2"}) {
         auto& p = add(o, n, "100m", {{"app", "a"}});
         p.node_selector = {{kZone, "z1"}};
         p.topology_spread_constraints = {spread(1, kZone, "a")};
       }
     },
     {{"d/a1", "n1"}, {"d/a2", "n2"}}, "", ""},
    {"nodeAffinityPolicy Ignore counts the empty zone the pod may not use",
     [](auto& o) {
       for (const char* n : {"a1", "a2"}) {
         auto& p = add(o, n, "100m", {{"app", "a"}});
         p.node_selector = {{kZone, "z1"}};
         auto c = spread(1, kZone, "a");
         c.node_affinity_policy = "Ignore";
         p.topology_spread_constraints = {c};
       }
     },
     {{"d/a1", "n1"}, {"d/a2", "n2"}}, "PodTopologySpread", "skew 2 > maxSkew 1"},
    {"matchLabelKeys keeps other versions out of the count",
     [](auto& o) {
       add(o, "old", "100m", {{"app", "a"}, {"v", "1"}});
       auto c = spread(1, kZone, "a");
       c.match_label_keys = {"v"};
       add(o, "new", "100m", {{"app", "a"}, {"v", "2"}}).topology_spread_constraints = {c};
     },
     {{"d/old", "n1"}, {"d/new", "n2"}}, "", ""},
    {"a node without the topology key fails a hard constraint",
     [](auto& o) {
       node_named(o, "n1").labels = {{kHost, "n1"}};
       add(o, "a1", "100m", {{"app", "a"}}).topology_spread_constraints = {spread(1, kZone, "a")};
     },
     {{"d/a1", "n1"}}, "PodTopologySpread", "node has no label topology.kubernetes.io/zone"},
    // InterPodAffinity
    {"anti-affinity pods on different hosts are fine",
     [](auto& o) {
       for (const char* n : {"w1", "w2"}) anti(add(o, n, "100m", {{"app", "w"}}), term("w", kHost));
     },
     {{"d/w1", "n1"}, {"d/w2", "n2"}}, "", ""},
    {"required pod anti-affinity names the pod it collides with",
     [](auto& o) {
       for (const char* n : {"w1", "w2"}) anti(add(o, n, "100m", {{"app", "w"}}), term("w", kHost));
     },
     {{"d/w1", "n3"}, {"d/w2", "n3"}}, "InterPodAffinity", "required pod anti-affinity with d/w1 (kubernetes.io/hostname)"},
    {"an existing pod's anti-affinity rejects a pod it matches (symmetry)",
     [](auto& o) {
       anti(add(o, "guard", "100m", {{"app", "g"}}), term("x", kZone));
       add(o, "x1", "100m", {{"app", "x"}});
     },
     {{"d/guard", "n1"}, {"d/x1", "n2"}}, "InterPodAffinity",
     "existing pod d/guard's required anti-affinity (topology.kubernetes.io/zone)"},
    {"the first pod of an affinity group may go anywhere, the next joins its zone",
     [](auto& o) {
       for (const char* n : {"c1", "c2"}) affinity(add(o, n, "100m", {{"app", "c"}}), term("c", kZone));
     },
     {{"d/c1", "n3"}, {"d/c2", "n3"}}, "", ""},
    {"required pod affinity outside the group's zone is a violation",
     [](auto& o) {
       for (const char* n : {"c1", "c2"}) affinity(add(o, n, "100m", {{"app", "c"}}), term("c", kZone));
     },
     {{"d/c1", "n3"}, {"d/c2", "n1"}}, "InterPodAffinity", "required pod affinity: no pod matching every term in topology.kubernetes.io/zone=z1"},
    {"required pod affinity to a group the pod is not in needs a member first",
     [](auto& o) { affinity(add(o, "lonely", "100m", {{"app", "l"}}), term("db", kZone)); },
     {{"d/lonely", "n1"}}, "InterPodAffinity", "required pod affinity"},
    // Unplaced pods are not checked
    {"an unplaced pod is counted, not checked", [](auto& o) { add(o, "huge", "64"); }, {{"d/huge", ""}}, "", ""},
};

class VerifyRules : public ::testing::TestWithParam<Case> {};

TEST_P(VerifyRules, ReportsExactlyTheBrokenRule) {
  const Case& c = GetParam();
  auto objects = base();
  c.build(objects);
  const auto report = verify_placements(objects, list(c.placements));
  ASSERT_TRUE(report.errors.empty()) << report.errors.front();
  if (std::string(c.rule).empty()) {
    EXPECT_TRUE(report.violations.empty()) << format_violation(report.violations.front());
    return;
  }
  ASSERT_FALSE(report.violations.empty());
  EXPECT_EQ(report.violations.front().rule, c.rule);
  EXPECT_NE(report.violations.front().detail.find(c.detail), std::string::npos) << report.violations.front().detail;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string out;
  bool upper = true;
  for (const char* p = info.param.name; *p; ++p) {
    if (std::isalnum(static_cast<unsigned char>(*p))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*p))) : *p;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Rules, VerifyRules, ::testing::ValuesIn(kCases), case_name);

TEST(VerifyReport, CountsCheckedAndUnplacedEntries) {
  auto objects = base();
  add(objects, "a");
  add(objects, "b");
  const auto report = verify_placements(objects, list({{"d/a", "n1"}, {"d/b", ""}}));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checked, 1U);
  EXPECT_EQ(report.unplaced, 1U);
}

TEST(VerifyReport, FaultsOfTheListAreErrorsWithTheirJsonPath) {
  auto objects = base();
  add(objects, "a");
  objects.pods.push_back(testing::bound(pod("old", "1", "1Gi"), "n1"));
  const auto report =
      verify_placements(objects, list({{"d/a", "n1"}, {"d/a", "n2"}, {"d/ghost", "n1"}, {"default/old", "n2"}}));
  const auto more = verify_placements(objects, list({{"d/a", "n9"}}));
  ASSERT_EQ(report.errors.size(), 3U);
  EXPECT_EQ(report.errors[0], "placements.json: placements[1].pod: pod d/a is listed twice (first at placements[0])");
  EXPECT_EQ(report.errors[1], "placements.json: placements[2].pod: no pod d/ghost in the cluster");
  EXPECT_EQ(report.errors[2], "placements.json: placements[3].pod: pod default/old is already bound to n1 in the cluster");
  ASSERT_EQ(more.errors.size(), 1U);
  EXPECT_EQ(more.errors[0], "placements.json: placements[0].node: no node n9 in the cluster");
}

// Pods kube-scheduler never schedules cannot be placements; a bound pod being deleted
// still holds its room (n1 has 4 cpu: the 3-cpu pod being deleted leaves 1 for d/a).
TEST(VerifyReport, FinishedAndDeletedPendingPodsAreFaultsAndBoundDeletedPodsCount) {
  auto objects = base();
  add(objects, "done").phase = "Succeeded";
  add(objects, "going").deletion_timestamp_ns = 1;
  auto& leaving = add(objects, "leaving", "3");
  leaving.node_name = "n1";
  leaving.deletion_timestamp_ns = 1;
  add(objects, "a", "1500m");
  const auto report = verify_placements(objects, list({{"d/done", "n2"}, {"d/going", "n2"}, {"d/a", "n1"}}));
  ASSERT_EQ(report.errors.size(), 2U);
  EXPECT_EQ(report.errors[0], "placements.json: placements[0].pod: pod d/done has terminated (phase Succeeded)");
  EXPECT_EQ(report.errors[1],
            "placements.json: placements[1].pod: pod d/going is being deleted (metadata.deletionTimestamp), so it is "
            "not scheduled");
  ASSERT_EQ(report.violations.size(), 1U);
  EXPECT_EQ(report.violations[0].rule, "NodeResourcesFit");
}

TEST(VerifyOptions, AFilterTheProfileDisablesIsNotChecked) {
  auto objects = base();
  node_named(objects, "n1").taints = {{"dedicated", "gpu", "NoSchedule"}};
  add(objects, "a");
  auto spec = framework::default_profile_spec();
  std::erase(spec.filters, std::string("TaintToleration"));
  config::SchedulerConfiguration config{{spec}};
  EXPECT_FALSE(verify_placements(objects, list({{"d/a", "n1"}})).ok());
  EXPECT_TRUE(verify_placements(objects, list({{"d/a", "n1"}}), options_from_config(config)).ok());
}

TEST(VerifyOptions, AddedAffinityOfTheProfileIsEnforced) {
  auto objects = base();
  add(objects, "a");
  auto spec = framework::default_profile_spec();
  plugins::nodeaffinity::NodeAffinityArgs args;
  args.added_affinity.emplace();
  args.added_affinity->required = std::vector<io::NodeSelectorTerm>{expr(kZone, "In", {"z2"})};
  spec.args["NodeAffinity"] = args;
  const auto report = verify_placements(objects, list({{"d/a", "n1"}}), options_from_config({{spec}}));
  ASSERT_EQ(report.violations.size(), 1U);
  EXPECT_EQ(report.violations[0].detail, "scheduler-enforced node affinity (addedAffinity) not matched");
}

}  // namespace
}  // namespace podium::verify
