// load_objects_file / load_objects_text: accepted shapes, every field of objects.hpp,
// defaults, absent-vs-empty, and JSON/YAML parity through the shared walker.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "object_dump.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

using testing::dump;
using testing::nanos_text;

const std::string kDataDir = PODIUM_SOURCE_DIR "/tests/data/io/";

ClusterObjects load_text(const std::string& text, const std::string& file = "test.json") {
  ClusterObjects out;
  load_objects_text(text, file, out);
  return out;
}

const Quantity* find(const ResourceList& list, const std::string& name) {
  for (const auto& [n, q] : list) {
    if (n == name) return &q;
  }
  return nullptr;
}

// "3920m" -> Quantity, for readable expectations.
Quantity q(const char* text) { return *parse_quantity(text); }

TEST(LoadObjects, ReadsEveryNodeFieldFromAKubectlList) {
  ClusterObjects o;
  load_objects_file(kDataDir + "kubectl_list.json", o);
  ASSERT_EQ(o.nodes.size(), 2u);
  const NodeObject& a = o.nodes[0];
  EXPECT_EQ(a.name, "node-a");
  EXPECT_EQ(a.source.file, kDataDir + "kubectl_list.json");
  EXPECT_EQ(a.source.path, "items[0]");
  ASSERT_EQ(a.labels.size(), 3u);
  EXPECT_EQ(a.labels[1], (std::pair<std::string, std::string>("topology.kubernetes.io/zone", "zone-1")));
  ASSERT_EQ(a.taints.size(), 2u);
  EXPECT_EQ(a.taints[0].key, "dedicated");
  EXPECT_EQ(a.taints[0].value, "gpu");
  EXPECT_EQ(a.taints[0].effect, "NoSchedule");
  EXPECT_EQ(a.taints[1].value, "");
  EXPECT_EQ(a.taints[1].effect, "NoExecute");
  EXPECT_FALSE(a.unschedulable);
  ASSERT_EQ(a.allocatable.size(), 6u) << "allocatable wins over capacity, in document order";
  EXPECT_EQ(a.allocatable[0].first, "cpu");
  EXPECT_EQ(a.allocatable[0].second.milli_value(), 3920);
  EXPECT_EQ(find(a.allocatable, "memory")->value(), 15LL * 1024 * 1024 * 1024);
  EXPECT_EQ(find(a.allocatable, "pods")->value(), 110);
  EXPECT_EQ(find(a.allocatable, "nvidia.com/gpu")->value(), 2);
  EXPECT_EQ(find(a.allocatable, "ephemeral-storage")->value(), 95491281146);
  EXPECT_TRUE(find(a.allocatable, "hugepages-2Mi")->is_zero());
  ASSERT_EQ(a.images.size(), 2u);
  EXPECT_EQ(a.images[0].names, (std::vector<std::string>{"registry.k8s.io/pause@sha256:abc", "registry.k8s.io/pause:3.9"}));
  EXPECT_EQ(a.images[0].size_bytes, 321520);

  const NodeObject& b = o.nodes[1];
  EXPECT_EQ(b.source.path, "items[1]");
  EXPECT_TRUE(b.unschedulable);
  ASSERT_EQ(b.allocatable.size(), 3u) << "no allocatable: capacity is used";
  EXPECT_EQ(*find(b.allocatable, "cpu"), q("2"));
  EXPECT_EQ(*find(b.allocatable, "memory"), q("4Gi"));
}

TEST(LoadObjects, ReadsEveryPodFieldFromAKubectlList) {
  ClusterObjects o;
  load_objects_file(kDataDir + "kubectl_list.json", o);
  ASSERT_EQ(o.pods.size(), 2u);
  const PodObject& p = o.pods[0];
  EXPECT_EQ(p.source.path, "items[2]");
  EXPECT_EQ(p.key(), "prod/web-0");
  EXPECT_EQ(p.uid, "7d3e-web-0");
  EXPECT_EQ(p.labels, (StringMap{{"app", "web"}, {"tier", "frontend"}}));
  ASSERT_EQ(p.owner_references.size(), 1u);
  EXPECT_EQ(p.owner_references[0].kind, "StatefulSet");
  EXPECT_EQ(p.owner_references[0].name, "web");
  EXPECT_EQ(p.owner_references[0].uid, "ss-uid");
  EXPECT_TRUE(p.owner_references[0].controller);
  EXPECT_EQ(p.creation_timestamp_ns, 1709633472LL * 1'000'000'000 + 123456789);
  EXPECT_EQ(p.node_name, "node-a");
  EXPECT_EQ(p.scheduler_name, "default-scheduler") << "absent schedulerName defaults";
  EXPECT_EQ(p.priority, 1000);
  EXPECT_EQ(p.priority_class_name, "high");
  EXPECT_EQ(p.phase, "Running");
  EXPECT_FALSE(p.terminated());

  ASSERT_EQ(p.containers.size(), 2u);
  const Container& nginx = p.containers[0];
  EXPECT_EQ(nginx.name, "nginx");
  EXPECT_EQ(nginx.image, "nginx:1.25");
  EXPECT_FALSE(nginx.restart_policy_always);
  ASSERT_EQ(nginx.requests.size(), 3u) << "limits are not requests";
  EXPECT_EQ(*find(nginx.requests, "cpu"), q("250m"));
  EXPECT_EQ(*find(nginx.requests, "nvidia.com/gpu"), q("1"));
  ASSERT_EQ(nginx.ports.size(), 3u);
  EXPECT_EQ(nginx.ports[0].container_port, 80);
  EXPECT_EQ(nginx.ports[0].host_port, 8080);
  EXPECT_EQ(nginx.ports[0].protocol, "TCP");
  EXPECT_EQ(nginx.ports[0].host_ip, "10.0.0.1");
  EXPECT_EQ(nginx.ports[1].protocol, "UDP");
  EXPECT_EQ(nginx.ports[1].host_port, 0);
  EXPECT_EQ(nginx.ports[2].protocol, "TCP") << "absent protocol defaults to TCP";
  EXPECT_TRUE(p.containers[1].requests.empty()) << "resources: {} has no requests";

  ASSERT_EQ(p.init_containers.size(), 2u);
  EXPECT_TRUE(p.init_containers[0].restart_policy_always);
  EXPECT_FALSE(p.init_containers[1].restart_policy_always);
  EXPECT_EQ(*find(p.init_containers[1].requests, "memory"), q("1Gi"));

  EXPECT_EQ(p.overhead, (ResourceList{{"cpu", q("10m")}, {"memory", q("20Mi")}}));
  ASSERT_TRUE(p.pod_level_requests.has_value());
  EXPECT_EQ(*p.pod_level_requests, (ResourceList{{"cpu", q("2")}, {"memory", q("2Gi")}}));
  EXPECT_EQ(p.node_selector, (StringMap{{"kubernetes.io/os", "linux"}, {"disk", "ssd"}}));

  ASSERT_EQ(p.tolerations.size(), 3u);
  EXPECT_EQ(p.tolerations[0].op, "Equal");
  EXPECT_EQ(p.tolerations[0].value, "gpu");
  EXPECT_EQ(p.tolerations[0].toleration_seconds, std::nullopt);
  EXPECT_EQ(p.tolerations[1].toleration_seconds, 300);
  EXPECT_EQ(p.tolerations[2].key, "");
  EXPECT_EQ(p.tolerations[2].op, "Exists");

  ASSERT_TRUE(p.affinity.has_value());
  const NodeAffinity& na = *p.affinity->node_affinity;
  ASSERT_TRUE(na.required.has_value());
  ASSERT_EQ(na.required->size(), 2u);
  EXPECT_EQ((*na.required)[0].match_expressions[0].key, "topology.kubernetes.io/zone");
  EXPECT_EQ((*na.required)[0].match_expressions[0].op, "In");
  EXPECT_EQ((*na.required)[0].match_expressions[0].values, (std::vector<std::string>{"zone-1", "zone-2"}));
  EXPECT_EQ((*na.required)[1].match_fields[0].key, "metadata.name");
  ASSERT_EQ(na.preferred.size(), 1u);
  EXPECT_EQ(na.preferred[0].weight, 20);
  EXPECT_EQ(na.preferred[0].preference.match_expressions[0].op, "Exists");

  const PodAffinity& pa = *p.affinity->pod_affinity;
  ASSERT_EQ(pa.required.size(), 1u);
  EXPECT_EQ(pa.required[0].topology_key, "kubernetes.io/hostname");
  EXPECT_EQ(pa.required[0].namespaces, (std::vector<std::string>{"prod", "shared"}));
  EXPECT_EQ(pa.required[0].match_label_keys, (std::vector<std::string>{"pod-template-hash"}));
  EXPECT_EQ(pa.required[0].label_selector->match_labels, (StringMap{{"app", "cache"}}));
  EXPECT_FALSE(pa.required[0].namespace_selector.has_value()) << "absent namespaceSelector is nil";
  ASSERT_EQ(pa.preferred.size(), 1u);
  EXPECT_EQ(pa.preferred[0].weight, 50);
  ASSERT_TRUE(pa.preferred[0].term.namespace_selector.has_value()) << "{} namespaceSelector is present and empty";
  EXPECT_TRUE(pa.preferred[0].term.namespace_selector->match_labels.empty());
  EXPECT_EQ(pa.preferred[0].term.label_selector->match_expressions[0].values, (std::vector<std::string>{"db"}));
  const PodAffinity& anti = *p.affinity->pod_anti_affinity;
  EXPECT_EQ(anti.required[0].mismatch_label_keys, (std::vector<std::string>{"tenant"}));

  ASSERT_EQ(p.topology_spread_constraints.size(), 2u);
  const TopologySpreadConstraint& c = p.topology_spread_constraints[0];
  EXPECT_EQ(c.max_skew, 1);
  EXPECT_EQ(c.topology_key, "topology.kubernetes.io/zone");
  EXPECT_EQ(c.when_unsatisfiable, "DoNotSchedule");
  EXPECT_EQ(c.min_domains, 2);
  EXPECT_EQ(c.node_affinity_policy, "Honor");
  EXPECT_EQ(c.node_taints_policy, "Ignore");
  EXPECT_EQ(c.match_label_keys, (std::vector<std::string>{"pod-template-hash"}));
  EXPECT_EQ(c.label_selector->match_labels, (StringMap{{"app", "web"}}));
  EXPECT_FALSE(p.topology_spread_constraints[1].label_selector.has_value());
  EXPECT_EQ(p.topology_spread_constraints[1].min_domains, std::nullopt);
}

TEST(LoadObjects, AppliesPodDefaultsAndReadsNumericQuantities) {
  ClusterObjects o;
  load_objects_file(kDataDir + "kubectl_list.json", o);
  const PodObject& p = o.pods[1];
  EXPECT_EQ(p.namespace_, "default");
  EXPECT_EQ(p.scheduler_name, "my-scheduler");
  EXPECT_EQ(p.priority, std::nullopt);
  EXPECT_EQ(p.node_name, "");
  EXPECT_EQ(p.creation_timestamp_ns, 1709632800LL * 1'000'000'000) << "+02:00 is two hours ahead of UTC";
  EXPECT_FALSE(p.affinity.has_value());
  EXPECT_FALSE(p.pod_level_requests.has_value());
  const ResourceList& r = p.containers[0].requests;
  EXPECT_EQ(*find(r, "cpu"), q("2")) << "a JSON integer";
  EXPECT_EQ(*find(r, "memory"), q("1500000000")) << "a JSON double";
  EXPECT_EQ(*find(r, "example.com/foo"), q("500m"));
}

TEST(LoadObjects, ReadsNamespacesPriorityClassesAndSelectorOwners) {
  ClusterObjects o;
  load_objects_file(kDataDir + "kubectl_list.json", o);
  ASSERT_EQ(o.namespaces.size(), 1u);
  EXPECT_EQ(o.namespaces[0].name, "prod");
  EXPECT_EQ(o.namespaces[0].labels, (StringMap{{"team", "web"}}));
  ASSERT_EQ(o.priority_classes.size(), 2u);
  EXPECT_EQ(o.priority_classes[0].name, "high");
  EXPECT_EQ(o.priority_classes[0].value, 1000);
  EXPECT_FALSE(o.priority_classes[0].global_default);
  EXPECT_EQ(o.priority_classes[1].value, -5);
  EXPECT_TRUE(o.priority_classes[1].global_default);

  ASSERT_EQ(o.selector_owners.size(), 5u) << "Deployment and ConfigMap are skipped";
  const SelectorOwnerObject& svc = o.selector_owners[0];
  EXPECT_EQ(svc.kind, "Service");
  EXPECT_EQ(svc.namespace_, "prod");
  EXPECT_EQ(svc.selector->match_labels, (StringMap{{"app", "web"}}));
  EXPECT_EQ(o.selector_owners[1].name, "external");
  EXPECT_EQ(o.selector_owners[1].namespace_, "default");
  EXPECT_FALSE(o.selector_owners[1].selector.has_value()) << "a Service without a selector";
  const SelectorOwnerObject& rs = o.selector_owners[2];
  EXPECT_EQ(rs.kind, "ReplicaSet");
  EXPECT_EQ(rs.selector->match_labels, (StringMap{{"app", "api"}}));
  ASSERT_EQ(rs.selector->match_expressions.size(), 1u);
  EXPECT_EQ(rs.selector->match_expressions[0].op, "NotIn");
  EXPECT_EQ(o.selector_owners[3].kind, "StatefulSet");
  EXPECT_EQ(o.selector_owners[4].kind, "ReplicationController");
  EXPECT_EQ(o.selector_owners[4].selector->match_labels, (StringMap{{"app", "legacy"}}));
}

TEST(LoadObjects, ReadsAMultiDocumentYamlFileLikeTheSameJsonList) {
  ClusterObjects from_json, from_yaml;
  load_objects_file(kDataDir + "kubectl_list.json", from_json);
  load_objects_file(kDataDir + "kubectl_objects.yaml", from_yaml);
  EXPECT_EQ(dump(from_yaml), dump(from_json));
  EXPECT_EQ(from_yaml.nodes[1].source.path, "doc[1]");
  EXPECT_EQ(from_yaml.pods[0].source.path, "doc[2]");
  EXPECT_EQ(from_yaml.selector_owners.size(), 5u);
}

TEST(LoadObjects, AcceptsABareJsonArray) {
  const ClusterObjects o = load_text(R"([
    {"kind": "Node", "metadata": {"name": "n1"}},
    {"kind": "Pod", "metadata": {"name": "p1"}}
  ])");
  ASSERT_EQ(o.nodes.size(), 1u);
  EXPECT_EQ(o.nodes[0].source.path, "[0]");
  ASSERT_EQ(o.pods.size(), 1u);
  EXPECT_EQ(o.pods[0].source.path, "[1]");
}

TEST(LoadObjects, AcceptsASingleObject) {
  const ClusterObjects o = load_text(R"(  {"kind": "Node", "metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "1"}}})");
  ASSERT_EQ(o.nodes.size(), 1u);
  EXPECT_EQ(o.nodes[0].source.path, "");
  EXPECT_EQ(o.nodes[0].source.file, "test.json");
}

TEST(LoadObjects, InfersTheKindOfItemsInATypedList) {
  // The API server writes PodList items without kind and apiVersion.
  const ClusterObjects o = load_text(R"({"kind": "PodList", "apiVersion": "v1", "items": [
    {"metadata": {"name": "a"}}, {"metadata": {"name": "b", "namespace": "x"}}]})");
  ASSERT_EQ(o.pods.size(), 2u);
  EXPECT_EQ(o.pods[1].key(), "x/b");
  EXPECT_EQ(o.pods[1].source.path, "items[1]");
}

TEST(LoadObjects, ReadsListsNestedInArraysAndYamlDocuments) {
  const ClusterObjects o = load_text(
      "kind: Node\nmetadata: {name: n0}\n---\n"
      "kind: List\nitems:\n- kind: Node\n  metadata: {name: n1}\n- kind: NodeList\n  items:\n  - metadata: {name: n2}\n",
      "nodes.yaml");
  ASSERT_EQ(o.nodes.size(), 3u);
  EXPECT_EQ(o.nodes[0].source.path, "doc[0]");
  EXPECT_EQ(o.nodes[1].source.path, "doc[1].items[0]");
  EXPECT_EQ(o.nodes[2].source.path, "doc[1].items[1].items[0]");
}

TEST(LoadObjects, NamesASingleYamlDocumentLikeJson) {
  const ClusterObjects o = load_text("kind: List\nitems:\n- kind: Node\n  metadata:\n    name: n1\n", "one.yaml");
  ASSERT_EQ(o.nodes.size(), 1u);
  EXPECT_EQ(o.nodes[0].source.path, "items[0]");
}

TEST(LoadObjects, SkipsUnknownKindsAndAcceptsEmptyLists) {
  EXPECT_EQ(dump(load_text(R"([{"kind": "Deployment", "metadata": {}}])")), "");
  EXPECT_EQ(dump(load_text("[]")), "");
  EXPECT_EQ(dump(load_text(R"({"kind": "List", "items": []})")), "");
  // An empty YAML document beside a real one is skipped.
  EXPECT_EQ(load_text("kind: Node\nmetadata: {name: n}\n---\n---\n", "two.yaml").nodes.size(), 1u);
}

TEST(LoadObjects, TreatsNullAsAbsentExceptForAQuantity) {
  const ClusterObjects o = load_text(R"({"kind": "Pod", "metadata": {"name": "p", "namespace": null, "labels": null},
    "spec": {"priority": null, "affinity": null, "nodeName": null, "containers": [
      {"name": "c", "resources": {"requests": {"cpu": null, "memory": "1Mi"}}}]}})");
  const PodObject& p = o.pods.at(0);
  EXPECT_EQ(p.namespace_, "default");
  EXPECT_EQ(p.priority, std::nullopt);
  EXPECT_FALSE(p.affinity.has_value());
  // Quantity.UnmarshalJSON("null") stores a zero quantity under the key.
  ASSERT_EQ(p.containers[0].requests.size(), 2u);
  EXPECT_EQ(p.containers[0].requests[0].first, "cpu");
  EXPECT_TRUE(p.containers[0].requests[0].second.is_zero());
}

TEST(LoadObjects, KeepsPresentButEmptyValuesDistinctFromAbsentOnes) {
  const ClusterObjects o = load_text(R"({"kind": "Pod", "metadata": {"name": "p"}, "spec": {
    "resources": {"requests": {}},
    "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {}}},
    "topologySpreadConstraints": [{"labelSelector": {}}]}})");
  const PodObject& p = o.pods.at(0);
  ASSERT_TRUE(p.pod_level_requests.has_value());
  EXPECT_TRUE(p.pod_level_requests->empty());
  ASSERT_TRUE(p.affinity->node_affinity->required.has_value()) << "a nil-term NodeSelector still matches nothing";
  EXPECT_TRUE(p.affinity->node_affinity->required->empty());
  EXPECT_FALSE(p.affinity->pod_affinity.has_value());
  EXPECT_TRUE(p.topology_spread_constraints[0].label_selector.has_value());
}

TEST(LoadObjects, LetsTheLastOfDuplicateKeysWinAsGoDoes) {
  const ClusterObjects o = load_text(R"({"kind": "Node", "metadata": {"name": "n", "labels": {"a": "1", "b": "2", "a": "3"}},
    "status": {"allocatable": {"cpu": "1", "cpu": "2"}}})");
  EXPECT_EQ(o.nodes[0].labels, (StringMap{{"a", "3"}, {"b", "2"}}));
  EXPECT_EQ(o.nodes[0].allocatable, (ResourceList{{"cpu", q("2")}}));
}

TEST(LoadObjects, TrimsWhitespaceAroundQuantitiesLikeUnmarshalJSON) {
  const ClusterObjects o = load_text(R"({"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": " 1500m\t"}}})");
  EXPECT_EQ(o.nodes[0].allocatable[0].second.milli_value(), 1500);
}

TEST(LoadObjects, AcceptsBinaryQuantitiesThatUpstreamCapsAtMaxInt64) {
  // 8Ei is 2^63 bytes; ParseQuantity caps binary values at 2^63-1, which fits the engine.
  const ClusterObjects o = load_text(R"({"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"memory": "8Ei"}}})");
  EXPECT_EQ(o.nodes[0].allocatable[0].second.value(), std::numeric_limits<std::int64_t>::max());
}

TEST(LoadObjects, ReadsYamlScalarsAsTheTypesTheFieldsWant) {
  const ClusterObjects o = load_text(R"(kind: Pod
metadata:
  name: '007'
  labels: {version: 1.10, enabled: true}
spec:
  priority: -3
  containers:
  - name: c
    resources: {requests: {cpu: 1.5, memory: 1e9, pods: '2'}}
  tolerations:
  - {key: k, operator: Exists, tolerationSeconds: 60}
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 5
        preference: {matchExpressions: [{key: a, operator: Gt, values: ['3']}]}
)",
                                     "pod.yaml");
  const PodObject& p = o.pods.at(0);
  EXPECT_EQ(p.name, "007");
  EXPECT_EQ(p.labels, (StringMap{{"version", "1.10"}, {"enabled", "true"}})) << "scalars keep their text";
  EXPECT_EQ(p.priority, -3);
  EXPECT_EQ(p.containers[0].requests, (ResourceList{{"cpu", q("1500m")}, {"memory", q("1G")}, {"pods", q("2")}}));
  EXPECT_EQ(p.tolerations[0].toleration_seconds, 60);
  EXPECT_EQ(p.affinity->node_affinity->preferred[0].weight, 5);
}

TEST(LoadObjects, ReadsRfc3339TimestampsToNanoseconds) {
  struct Case {
    const char* name;
    const char* text;
    std::int64_t ns;
  };
  const Case cases[] = {
      {"the epoch", "1970-01-01T00:00:00Z", 0},
      {"one second before the epoch", "1969-12-31T23:59:59Z", -1'000'000'000},
      {"a leap day", "2000-02-29T00:00:00Z", 951782400LL * 1'000'000'000},
      {"milliseconds", "1970-01-01T00:00:01.5Z", 1'500'000'000},
      {"digits past nanoseconds are truncated", "1970-01-01T00:00:00.1234567899Z", 123'456'789},
      {"a comma before the fraction", "1970-01-01T00:00:00,25Z", 250'000'000},
      {"a negative offset", "1969-12-31T19:00:00-05:00", 0},
      {"a positive offset", "1970-01-01T05:30:00+05:30", 0},
      {"the last representable nanosecond", "2262-04-11T23:47:16.854775807Z", std::numeric_limits<std::int64_t>::max()},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(std::string(tc.name) + ": " + tc.text);
    const ClusterObjects o =
        load_text(std::string(R"({"kind": "Pod", "metadata": {"name": "p", "creationTimestamp": ")") + tc.text + "\"}}");
    EXPECT_EQ(o.pods.at(0).creation_timestamp_ns, tc.ns);
  }
}

TEST(LoadObjects, AppendsToWhatIsAlreadyLoaded) {
  ClusterObjects o;
  load_objects_text(R"({"kind": "Node", "metadata": {"name": "a"}})", "a.json", o);
  load_objects_text(R"([{"kind": "Node", "metadata": {"name": "b"}}, {"kind": "Pod", "metadata": {"name": "p"}}])", "b.json", o);
  ASSERT_EQ(o.nodes.size(), 2u);
  EXPECT_EQ(o.nodes[1].source.file, "b.json");
  EXPECT_EQ(o.pods.size(), 1u);
}

TEST(LoadObjects, AddsNothingFromAFileWithAnError) {
  ClusterObjects o;
  load_objects_text(R"({"kind": "Node", "metadata": {"name": "a"}})", "a.json", o);
  EXPECT_THROW(load_objects_text(R"([{"kind": "Node", "metadata": {"name": "b"}}, {"kind": "Node", "metadata": {}}])",
                                 "b.json", o),
               InputError);
  ASSERT_EQ(o.nodes.size(), 1u);
  EXPECT_EQ(o.nodes[0].name, "a");
}

// load_objects_file parses a memory-mapped file in place when the last page leaves
// simdjson its 64 bytes of padding, and reads it into a padded buffer otherwise; sizes
// around a page boundary exercise both.
TEST(LoadObjects, ReadsFilesOfAnySizeAroundAPageBoundary) {
  const std::string json = R"({"kind": "Node", "metadata": {"name": "n"}})";
  const auto dir = std::filesystem::temp_directory_path();
  for (const std::size_t size : {json.size(), std::size_t{4000}, std::size_t{4090}, std::size_t{4096}, std::size_t{8191}}) {
    SCOPED_TRACE(size);
    const std::string path = (dir / ("podium_io_test_" + std::to_string(size) + ".json")).string();
    {
      std::ofstream f(path, std::ios::binary);
      f << json << std::string(size - json.size(), ' ');
    }
    ClusterObjects o;
    load_objects_file(path, o);
    std::filesystem::remove(path);
    ASSERT_EQ(o.nodes.size(), 1u);
    EXPECT_EQ(o.nodes[0].source.file, path);
  }
  const std::string empty = (dir / "podium_io_test_empty.yaml").string();
  std::ofstream(empty).close();
  ClusterObjects o;
  EXPECT_THROW(load_objects_file(empty, o), InputError) << "an empty file is not an empty cluster";
  std::filesystem::remove(empty);
}

TEST(LoadObjects, SkipsAUtf8ByteOrderMark) {
  const ClusterObjects o = load_text("\xEF\xBB\xBF[{\"kind\": \"Node\", \"metadata\": {\"name\": \"n\"}}]");
  EXPECT_EQ(o.nodes.size(), 1u);
}

}  // namespace
}  // namespace podium::io
