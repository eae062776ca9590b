// The strict check for fields the Kubernetes API does not define (kubectl --validate=strict):
// the field table, the walk at every level (objects, arrays, maps of objects, free-form
// maps), JSON and YAML alike, the error text (file, path from the file, kubectl's path from
// the object, YAML line), the lenient log, and every shipped fixture loading without one.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/field_schema.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/io/unknown_fields.hpp"

namespace podium::io {
namespace {

using detail::FieldSchema;

// A List holding one Pod whose spec is `spec` (a JSON object body).
std::string pod_list(const std::string& spec) {
  return R"({"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": ""}, "items": [
    {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "4", "pods": "10"}}},
    {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "namespace": "default"}, "spec": {)" +
         spec + "}}]}";
}

// The locations (from the file) of every unknown field in `text`, loaded leniently.
std::vector<std::string> unknown(const std::string& text, const std::string& file = "c.json") {
  UnknownFieldLog log;
  ClusterObjects out;
  load_objects_text(text, file, out, {.lenient = &log});
  std::vector<std::string> found;
  for (const auto& f : log.kept()) found.push_back(f.location());
  EXPECT_EQ(log.count(), found.size());
  return found;
}

using Paths = std::vector<std::string>;

TEST(FieldSchema, HoldsTheApiTypesWithTheirShapes) {
  const FieldSchema& s = detail::kubernetes_field_schema();
  const auto* spec = s.type_named("PodSpec");
  ASSERT_NE(spec, nullptr);
  const auto* containers = s.field(*spec, "containers");
  ASSERT_NE(containers, nullptr);
  EXPECT_EQ(containers->shape, FieldSchema::Shape::kArray);
  EXPECT_EQ(s.type_name(containers->type), "Container");
  EXPECT_EQ(s.field(*spec, "nodeSelector")->shape, FieldSchema::Shape::kLeaf);  // free-form map
  EXPECT_EQ(s.field(*spec, "affinity")->shape, FieldSchema::Shape::kObject);
  EXPECT_EQ(s.field(*spec, "nodeSelecter"), nullptr);
  EXPECT_NE(s.field(containers->type, "resources"), nullptr);
  EXPECT_EQ(s.field(containers->type, "resorces"), nullptr);
  // Inlined Go structs contribute their fields: Volume embeds VolumeSource, Probe ProbeHandler.
  EXPECT_NE(s.field(*s.type_named("Volume"), "configMap"), nullptr);
  EXPECT_NE(s.field(*s.type_named("Probe"), "httpGet"), nullptr);
  for (const char* kind : {"Node", "Pod", "Namespace", "PriorityClass", "Service", "ReplicationController", "ReplicaSet",
                           "StatefulSet", "PodDisruptionBudget", "PodGroup", "List"}) {
    SCOPED_TRACE(kind);
    ASSERT_NE(s.type_named(kind), nullptr);
    EXPECT_NE(s.field(*s.type_named(kind), "metadata"), nullptr);
  }
}

TEST(FieldSchema, FindsEveryFieldOfEveryTypeByItsLengthIndex) {
  const FieldSchema& s = detail::kubernetes_field_schema();
  ASSERT_GT(s.type_count(), 150u);
  for (std::size_t id = 0; id < s.type_count(); ++id) {
    const auto t = static_cast<FieldSchema::TypeId>(id);
    SCOPED_TRACE(std::string(s.type_name(t)));
    for (const auto& f : s.type(t).fields) EXPECT_EQ(s.field(t, f.name), &f);
    EXPECT_EQ(s.field(t, ""), nullptr);
    EXPECT_EQ(s.field(t, std::string(200, 'x')), nullptr);
  }
}

TEST(FieldSchema, RefusesAMalformedTable) {
  EXPECT_THROW(FieldSchema("A: b=Missing\n"), std::logic_error);
  EXPECT_THROW(FieldSchema("A b\n"), std::logic_error);
  EXPECT_THROW(FieldSchema("A: x\nA: y\n"), std::logic_error);
  const FieldSchema ok("B: y\nA: x=B z=[B] m={B}\n");
  EXPECT_EQ(ok.field(*ok.type_named("A"), "m")->shape, FieldSchema::Shape::kMap);
}

TEST(UnknownFields, TyposInFieldsPodiumReadsAreFoundAtEveryLevel) {
  EXPECT_EQ(unknown(pod_list(R"("containers": [{"name": "c", "resorces": {"requests": {"cpu": "1"}}}])")),
            Paths{"items[1].spec.containers[0].resorces"});
  EXPECT_EQ(unknown(pod_list(R"("containers": [{"name": "c"}, {"name": "d", "resources": {"requets": {}}}])")),
            Paths{"items[1].spec.containers[1].resources.requets"});
  EXPECT_EQ(unknown(pod_list(R"("nodeSelecter": {"zone": "a"})")), Paths{"items[1].spec.nodeSelecter"});
  EXPECT_EQ(unknown(pod_list(R"("tolerations": [{"key": "k", "efect": "NoSchedule"}])")),
            Paths{"items[1].spec.tolerations[0].efect"});
  EXPECT_EQ(unknown(pod_list(R"("affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
              {"nodeSelectorTerms": [{"matchExpresions": []}]}}})")),
            Paths{"items[1].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                  ".nodeSelectorTerms[0].matchExpresions"});
  EXPECT_EQ(unknown(R"({"kind": "Pod", "metadata": {"name": "p", "lables": {"a": "b"}}, "spek": {}})"),
            (Paths{"metadata.lables", "spek"}));
  EXPECT_EQ(unknown(R"({"kind": "Node", "metadata": {"name": "n"}, "spec": {"taint": []},
                       "status": {"allocatble": {"cpu": "1"}}})"),
            (Paths{"spec.taint", "status.allocatble"}));
  // The List wrapper has its own fields.
  EXPECT_EQ(unknown(R"({"kind": "List", "itemz": 1, "items": [{"kind": "Namespace", "metadata": {"name": "x"}}]})"),
            Paths{"itemz"});
}

TEST(UnknownFields, FieldsTheApiDefinesButPodiumIgnoresAreKnown) {
  // Status, managedFields (fieldsV1 is free-form JSON), probes, volumes, env, securityContext.
  EXPECT_EQ(unknown(R"({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "uid": "u",
      "resourceVersion": "1", "generation": 2, "finalizers": ["x"], "annotations": {"any/key": "v"},
      "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1",
                         "fieldsV1": {"f:spec": {"f:containers": {"k:{\"name\":\"c\"}": {".": {}}}}}}]},
    "spec": {"volumes": [{"name": "v", "configMap": {"name": "cm", "items": [{"key": "a", "path": "b"}]}},
                         {"name": "w", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}}],
      "containers": [{"name": "c", "image": "i", "env": [{"name": "E", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}],
        "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 3},
        "securityContext": {"capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true},
        "resources": {"requests": {"cpu": "1", "nvidia.com/gpu": "1"}, "limits": {"memory": "1Gi"}}}],
      "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "dnsPolicy": "ClusterFirst"},
    "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
      "containerStatuses": [{"name": "c", "state": {"running": {"startedAt": "2024-01-01T00:00:00Z"}}}]}})"),
            Paths{});
}

TEST(UnknownFields, FreeFormMapsTakeAnyKeyButTheirObjectsAreChecked) {
  EXPECT_EQ(unknown(pod_list(R"("nodeSelector": {"resorces": "x", "kubernetes.io/os": "linux"},
      "overhead": {"example.com/thing": "1"}, "containers": [{"name": "c"}])")),
            Paths{});
  // A map of objects is walked into (a Node's status.config is NodeConfigStatus; no map of
  // objects sits on a Pod, so the test uses the PodGroup CRD's free-form minResources).
  EXPECT_EQ(unknown(R"({"kind": "PodGroup", "metadata": {"name": "g"}, "spec": {"minMember": 1,
      "minResources": {"cpu": "2"}, "minMembr": 2}})"),
            Paths{"spec.minMembr"});
}

TEST(UnknownFields, ListsOfEveryShapeAreWalked) {
  // Typed lists: items inherit the kind, as the API server omits it there.
  EXPECT_EQ(unknown(R"({"kind": "PodList", "items": [{"metadata": {"name": "p"}, "spec": {"priorityy": 1}}]})"),
            Paths{"items[0].spec.priorityy"});
  // A bare array.
  EXPECT_EQ(unknown(R"([{"kind": "Namespace", "metadata": {"name": "a"}}, {"kind": "PriorityClass",
      "metadata": {"name": "hi"}, "value": 10, "globalDefalt": true}])"),
            Paths{"[1].globalDefalt"});
  // Kinds Podium skips are not checked (it does not know their schema).
  EXPECT_EQ(unknown(R"({"kind": "List", "items": [{"kind": "Deployment", "metadata": {"name": "d"}, "whatever": 1},
      {"kind": "Namespace", "metadata": {"name": "a"}}]})"),
            Paths{});
  // Owners and budgets, whose pod templates are full PodSpecs.
  EXPECT_EQ(unknown(R"({"kind": "List", "items": [
      {"kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
        "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "imag": "x"}]}}}},
      {"kind": "PodDisruptionBudget", "metadata": {"name": "b"}, "spec": {"minAvailable": 1, "selecter": {}}},
      {"kind": "Service", "metadata": {"name": "s"}, "spec": {"selector": {"a": "b"}, "ports": [{"port": 80, "prot": 1}]}}]})"),
            (Paths{"items[0].spec.template.spec.containers[0].imag", "items[1].spec.selecter", "items[2].spec.ports[0].prot"}));
  // Null is valid anywhere (absent), and values of the wrong shape are not looked into.
  EXPECT_EQ(unknown(pod_list(R"("affinity": null, "securityContext": "odd", "containers": [null, {"name": "c"}])")),
            Paths{});
}

TEST(UnknownFields, YamlIsCheckedLikeJsonWithLines) {
  const std::string yaml = "kind: Node\nmetadata:\n  name: n\n---\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                           "  containers:\n  - name: c\n    resorces:\n      requests: {cpu: 1}\n";
  UnknownFieldLog log;
  ClusterObjects out;
  load_objects_text(yaml, "c.yaml", out, {.lenient = &log});
  ASSERT_EQ(log.count(), 1u);
  const UnknownField& f = log.kept().front();
  EXPECT_EQ(f.file, "c.yaml");
  EXPECT_EQ(f.object_path, "doc[1]");
  EXPECT_EQ(f.field_path, "spec.containers[0].resorces");
  EXPECT_EQ(f.line, 11);  // the key's line, not its block value's
  EXPECT_EQ(f.describe(), "unknown field \"spec.containers[0].resorces\" (line 11)");
}

TEST(UnknownFields, StrictModeRefusesTheFileNamingFilePathAndLine) {
  ClusterObjects out;
  try {
    load_objects_text("kind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelecter: {a: b}\n", "pod.yaml", out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "pod.yaml");
    EXPECT_EQ(e.location(), "spec.nodeSelecter");
    EXPECT_NE(e.message().find("strict decoding error: unknown field \"spec.nodeSelecter\" (line 5)"), std::string::npos)
        << e.message();
    EXPECT_NE(e.message().find("--lenient"), std::string::npos);
  }
  EXPECT_TRUE(out.pods.empty());  // nothing half-loaded
  // Several: the first in kubectl's words, the others by their place in the file.
  try {
    load_objects_text(pod_list(R"("nodeSelecter": {}, "containers": [{"name": "c", "resorces": {}}])"), "c.json", out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location(), "items[1].spec.nodeSelecter");
    EXPECT_NE(e.message().find("unknown field \"spec.nodeSelecter\", and 1 more: items[1].spec.containers[0].resorces"),
              std::string::npos)
        << e.message();
  }
  EXPECT_TRUE(out.pods.empty());
}

TEST(UnknownFields, LenientLoadsTheSameObjectsAsWithoutTheField) {
  UnknownFieldLog log;
  ClusterObjects with, without;
  load_objects_text(pod_list(R"("nodeSelecter": {"zone": "a"}, "containers": [{"name": "c"}])"), "c.json", with,
                    {.lenient = &log});
  load_objects_text(pod_list(R"("containers": [{"name": "c"}])"), "c.json", without);
  EXPECT_EQ(log.count(), 1u);
  ASSERT_EQ(with.pods.size(), 1u);
  EXPECT_TRUE(with.pods[0].node_selector.empty());
  EXPECT_EQ(with.pods[0].containers.size(), without.pods[0].containers.size());
}

TEST(UnknownFields, TheLenientLogIsBounded) {
  std::string items;
  for (int i = 0; i < 30; ++i)
    items += std::string(i ? "," : "") + R"({"kind": "Namespace", "metadata": {"name": "n)" + std::to_string(i) +
             R"(", "lables": {}}})";
  UnknownFieldLog log;
  ClusterObjects out;
  load_objects_text(R"({"kind": "List", "items": [)" + items + "]}", "c.json", out, {.lenient = &log});
  EXPECT_EQ(log.count(), 30u);
  EXPECT_EQ(log.kept().size(), UnknownFieldLog::kKept);
  const auto lines = log.warning_lines();
  ASSERT_EQ(lines.size(), UnknownFieldLog::kKept + 1);
  EXPECT_EQ(lines.front(), "c.json: items[0].metadata.lables: unknown field \"metadata.lables\"");
  EXPECT_EQ(lines.back(), "... and 10 more unknown fields");
}

TEST(UnknownFields, BenchTemplatesAreCheckedAsTheirKind) {
  const YAML::Node node = YAML::Load("metadata: {name: t}\nspec:\n  containers:\n  - name: c\n    resorces: {}\n");
  ClusterObjects out;
  try {
    load_template_object(node, "Pod", "w.yaml", "[0].workloadTemplate[1].podTemplate", out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplate.spec.containers[0].resorces");
    EXPECT_NE(e.message().find("(line 5)"), std::string::npos) << e.message();
  }
}

// Every shipped object file loads without an unknown field: the hand-written fixtures, the
// kubectl snapshot (status, managedFields, probes...) and the io fixtures. Files that are
// not object files (configs, workloads) or are bad on purpose fail before the check.
TEST(UnknownFields, EveryShippedFixtureHasNone) {
  std::size_t loaded = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(PODIUM_SOURCE_DIR "/tests/data")) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".yaml")) continue;
    SCOPED_TRACE(entry.path().string());
    UnknownFieldLog log;
    ClusterObjects out;
    try {
      load_objects_file(entry.path().string(), out, {.lenient = &log});
      ++loaded;
    } catch (const InputError&) {
      continue;
    }
    for (const auto& line : log.warning_lines()) ADD_FAILURE() << line;
  }
  EXPECT_GE(loaded, 15u);  // the object fixtures, so that the loop cannot pass vacuously
}

}  // namespace
}  // namespace podium::io
