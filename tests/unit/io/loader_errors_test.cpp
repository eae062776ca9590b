// Every way the loader rejects input: each case checks the file name, the JSON path of
// the offending field and the message, both as InputError fields and in what().

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

struct ErrorCase {
  const char* name;
  const char* file;
  std::string text;
  std::string location;
  std::string message;  // a substring of InputError::message()
};

// A pod with one container whose requests are `requests` (a JSON object body).
std::string pod_with_requests(const std::string& requests) {
  return R"({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
    {"name": "c", "resources": {"requests": {)" +
         requests + "}}}]}}]}";
}

std::string pod_with_spec(const std::string& spec) {
  return R"({"kind": "Pod", "metadata": {"name": "p"}, "spec": {)" + spec + "}}";
}

void expect_errors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& tc : cases) {
    SCOPED_TRACE(tc.name);
    ClusterObjects out;
    try {
      load_objects_text(tc.text, tc.file, out);
      ADD_FAILURE() << "no error for: " << tc.text;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), tc.file);
      EXPECT_EQ(e.location(), tc.location);
      EXPECT_NE(e.message().find(tc.message), std::string::npos) << "message: " << e.message();
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(std::string(tc.file) + ": " + (tc.location.empty() ? "" : tc.location + ": "), 0), 0u)
          << "what(): " << what;
    }
  }
}

TEST(LoaderErrors, ReportMalformedDocuments) {
  expect_errors({
      {"truncated JSON", "bad.json", R"({"kind": "Node",)", "", "invalid JSON: "},
      {"a trailing comma in JSON", "bad.json", R"([{"kind": "Node"},])", "", "invalid JSON: "},
      {"unbalanced YAML flow", "bad.yaml", "kind: Node\nmetadata: {name: [a, b\n", "line 3", "invalid YAML: "},
      {"bad YAML indentation in a later document", "bad.yaml", "kind: Node\n---\nkind: Pod\n  metadata: x\n", "line 4",
       "invalid YAML: "},
      {"a YAML document that is a scalar", "bad.yaml", "just text\n", "", "expected an object or an array, got a scalar"},
  });
}

TEST(LoaderErrors, RequireAName) {
  expect_errors({
      {"no metadata", "n.json", R"({"kind": "Node"})", "metadata.name", "missing metadata.name"},
      {"no name in a list item", "n.json",
       R"({"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "a"}}, {"kind": "Node", "metadata": {"labels": {}}}]})",
       "items[1].metadata.name", "metadata.name must not be empty"},
      {"an empty pod name", "p.json", R"([{"kind": "Pod", "metadata": {"name": ""}}])", "[0].metadata.name",
       "metadata.name must not be empty"},
      {"a namespace without a name", "ns.yaml", "kind: Namespace\nmetadata:\n  labels: {a: b}\n", "metadata.name",
       "metadata.name must not be empty (line 3)"},
      {"a priority class without a name", "pc.json", R"({"kind": "PriorityClass", "value": 5})", "metadata.name",
       "missing metadata.name"},
      {"a service without a name", "svc.json", R"({"kind": "Service", "metadata": {"namespace": "x"}})", "metadata.name",
       "metadata.name must not be empty"},
  });
}

TEST(LoaderErrors, RejectQuantitiesThatDoNotParse) {
  expect_errors({
      {"an upper-case K", "p.json", pod_with_requests(R"("cpu": "1K")"), "items[0].spec.containers[0].resources.requests.cpu",
       R"(cannot parse quantity "1K": unknown suffix "K")"},
      {"kb", "p.json", pod_with_requests(R"("memory": "1kb")"), "items[0].spec.containers[0].resources.requests.memory",
       R"(cannot parse quantity "1kb": unknown suffix "kb")"},
      {"garbage", "p.json", pod_with_requests(R"("cpu": "lots")"), "items[0].spec.containers[0].resources.requests.cpu",
       R"(cannot parse quantity "lots": not a quantity)"},
      {"an empty string", "p.json", pod_with_requests(R"("cpu": "")"), "items[0].spec.containers[0].resources.requests.cpu",
       R"(cannot parse quantity "": empty quantity)"},
      {"an extended resource name is quoted in the path", "p.json", pod_with_requests(R"("nvidia.com/gpu": "1ki")"),
       R"(items[0].spec.containers[0].resources.requests["nvidia.com/gpu"])", R"(cannot parse quantity "1ki")"},
      {"beyond 128-bit nanos", "p.json", pod_with_requests(R"("memory": "1e40")"),
       "items[0].spec.containers[0].resources.requests.memory", R"(cannot parse quantity "1e40": too large)"},
      {"a boolean", "p.json", pod_with_requests(R"("cpu": true)"), "items[0].spec.containers[0].resources.requests.cpu",
       "expected a quantity (a string or a number), got a boolean"},
      {"in YAML, with its line", "p.yaml",
       "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources:\n      requests:\n        cpu: 2 cores\n",
       "spec.containers[0].resources.requests.cpu", R"(cannot parse quantity "2 cores": unknown suffix " cores" (line 8))"},
  });
}

TEST(LoaderErrors, RejectNegativeRequestsOverheadAndAllocatable) {
  expect_errors({
      {"a container request", "p.json", pod_with_requests(R"("memory": "-1Gi")"),
       "items[0].spec.containers[0].resources.requests.memory", R"(quantity "-1Gi" must not be negative)"},
      {"an init container request", "p.json", pod_with_spec(R"("initContainers": [{"resources": {"requests": {"cpu": "-1m"}}}])"),
       "spec.initContainers[0].resources.requests.cpu", "must not be negative"},
      {"overhead", "p.json", pod_with_spec(R"("overhead": {"cpu": "-10m"})"), "spec.overhead.cpu",
       R"(quantity "-10m" must not be negative)"},
      {"a pod-level request", "p.json", pod_with_spec(R"("resources": {"requests": {"memory": "-5"}})"),
       "spec.resources.requests.memory", "must not be negative"},
      {"allocatable", "n.json", R"({"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"pods": "-1"}}})",
       "status.allocatable.pods", R"(quantity "-1" must not be negative)"},
      {"capacity used as allocatable", "n.json",
       R"({"kind": "Node", "metadata": {"name": "n"}, "status": {"capacity": {"cpu": "-2"}}})", "status.capacity.cpu",
       "must not be negative"},
  });
}

TEST(LoaderErrors, RejectQuantitiesTooLargeForTheEngineUnits) {
  expect_errors({
      {"cpu whose milli-value overflows", "p.json", pod_with_requests(R"("cpu": "9223372036854775807")"),
       "items[0].spec.containers[0].resources.requests.cpu",
       R"(quantity "9223372036854775807" is too large (milli-value overflows int64))"},
      {"cpu as a huge JSON number", "p.json", pod_with_requests(R"("cpu": 1e300)"),
       "items[0].spec.containers[0].resources.requests.cpu", R"(cannot parse quantity "1e+300": too large)"},
      {"memory whose value overflows", "p.json", pod_with_requests(R"("memory": "1e19")"),
       "items[0].spec.containers[0].resources.requests.memory", R"(quantity "1e19" is too large (value overflows int64))"},
  });
}

TEST(LoaderErrors, RejectFieldsOfTheWrongType) {
  expect_errors({
      {"a string priority", "p.json", pod_with_spec(R"("priority": "high")"), "spec.priority",
       "expected an integer, got a string"},
      {"a fractional priority", "p.json", pod_with_spec(R"("priority": 1.5)"), "spec.priority",
       "expected an integer, got a number"},
      {"a priority beyond int32", "p.json", pod_with_spec(R"("priority": 3000000000)"), "spec.priority",
       "integer 3000000000 does not fit int32"},
      {"a numeric label value", "p.json", R"({"kind": "Pod", "metadata": {"name": "p", "labels": {"app": 5}}})",
       "metadata.labels.app", "expected a string, got a number"},
      {"a label key with dots is quoted in the path", "p.json",
       R"({"kind": "Pod", "metadata": {"name": "p", "labels": {"app.kubernetes.io/name": []}}})",
       R"(metadata.labels["app.kubernetes.io/name"])", "expected a string, got an array"},
      {"containers as an object", "p.json", pod_with_spec(R"("containers": {"name": "c"})"), "spec.containers",
       "expected an array, got an object"},
      {"spec as an array", "p.json", R"({"kind": "Pod", "metadata": {"name": "p"}, "spec": []})", "spec",
       "expected an object, got an array"},
      {"a string boolean in JSON", "n.json", R"({"kind": "Node", "metadata": {"name": "n"}, "spec": {"unschedulable": "true"}})",
       "spec.unschedulable", "expected a boolean, got a string"},
      {"a word that is not a YAML boolean", "n.yaml", "kind: Node\nmetadata: {name: n}\nspec: {unschedulable: maybe}\n",
       "spec.unschedulable", "expected a boolean, got a scalar (line 3)"},
      {"tolerationSeconds as a string", "p.json", pod_with_spec(R"("tolerations": [{"key": "k", "tolerationSeconds": "60"}])"),
       "spec.tolerations[0].tolerationSeconds", "expected an integer, got a string"},
      {"a port number as text", "p.json", pod_with_spec(R"("containers": [{"ports": [{"containerPort": "80"}]}])"),
       "spec.containers[0].ports[0].containerPort", "expected an integer, got a string"},
      {"affinity weight beyond int32", "p.json",
       pod_with_spec(R"("affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1e10}]}})"),
       "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
       "expected an integer, got a number"},
      {"a selector expression value that is not a string", "rs.json",
       R"({"kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "In", "values": ["x", 1]}]}}})",
       "spec.selector.matchExpressions[0].values[1]", "expected a string, got a number"},
      {"a numeric kind", "k.json", R"({"kind": 5})", "kind", "expected a string, got a number"},
      {"items that are not an array", "l.json", R"({"kind": "List", "items": {}})", "items", "expected an array, got an object"},
      {"a list item that is not an object", "l.json", R"({"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "a"}}, 7]})",
       "items[1]", "expected an object, got a number"},
      {"a YAML priority that is not an integer, in the second document", "p.yaml",
       "kind: Node\nmetadata: {name: n}\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n  priority: 1.5\n", "doc[1].spec.priority",
       "expected an integer, got a scalar (line 7)"},
      {"a YAML map where a string belongs", "p.yaml", "kind: Pod\nmetadata:\n  name: {a: b}\n", "metadata.name",
       "expected a string, got an object (line 3)"},
  });
}

TEST(LoaderErrors, RejectTimestampsThatAreNotRfc3339) {
  auto pod = [](const std::string& ts) {
    return R"({"kind": "Pod", "metadata": {"name": "p", "creationTimestamp": ")" + ts + "\"}}";
  };
  expect_errors({
      {"a date without a time", "p.json", pod("2024-01-02"), "metadata.creationTimestamp",
       R"(invalid RFC 3339 time "2024-01-02": want YYYY-MM-DDTHH:MM:SS)"},
      {"no zone", "p.json", pod("2024-01-02T03:04:05"), "metadata.creationTimestamp", "want a zone Z or +hh:mm"},
      {"February 30th", "p.json", pod("2024-02-30T00:00:00Z"), "metadata.creationTimestamp", "day out of range"},
      {"hour 24", "p.json", pod("2024-01-02T24:00:00Z"), "metadata.creationTimestamp", "hour out of range"},
      {"a leap second", "p.json", pod("2016-12-31T23:59:60Z"), "metadata.creationTimestamp", "second out of range"},
      {"text after the zone", "p.json", pod("2024-01-02T03:04:05Zjunk"), "metadata.creationTimestamp", "extra text"},
      {"a lower-case t", "p.json", pod("2024-01-02t03:04:05Z"), "metadata.creationTimestamp", "want YYYY-MM-DDTHH:MM:SS"},
      {"a year past int64 nanoseconds", "p.json", pod("2263-01-01T00:00:00Z"), "metadata.creationTimestamp",
       "outside the range of int64 nanoseconds"},
      {"a deletionTimestamp too", "p.json", R"({"kind": "Pod", "metadata": {"name": "p", "deletionTimestamp": "soon"}})",
       "metadata.deletionTimestamp", R"(invalid RFC 3339 time "soon")"},
  });
}

TEST(LoaderErrors, NameAFileThatCannotBeRead) {
  ClusterObjects out;
  const std::string path = PODIUM_SOURCE_DIR "/tests/data/io/no-such-file.json";
  try {
    load_objects_file(path, out);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.location(), "");
    EXPECT_NE(e.message().find("cannot read file"), std::string::npos) << e.message();
  }
}

// Issue 14: input that used to load as an empty cluster or with a silently wrong value.
TEST(LoaderErrors, RefusesInputWithoutKubernetesObjects) {
  expect_errors({
      {"an empty file", "e.yaml", "", "", "empty input"},
      {"only whitespace", "e.json", " \n\t\n", "", "empty input"},
      {"only empty documents", "e.yaml", "---\n---\n# nothing\n", "", "no Kubernetes objects"},
      {"an object without kind", "c.json", "{}", "", "missing kind"},
      {"a misspelled List", "c.yaml", "kind: Lisst\nitems: []\n", "", "found kind \"Lisst\""},
      {"an item without kind", "c.json", R"({"kind": "List", "items": [{}]})", "items[0]", "missing kind"},
      {"a null item", "c.yaml", "kind: List\nitems: [null]\n", "items[0]", "expected an object, got null"},
      {"a scalar document", "c.yaml", "hello\n", "", "expected an object or an array"},
  });
}

TEST(LoaderErrors, RefusesValuesTheApiServerRejects) {
  const std::string node = R"({"kind": "Node", "metadata": {"name": "n"}, "spec": {"taints": [{"key": "k", "effect": "NoScheduleX"}]}})";
  const auto weight = [](const char* w) {
    return pod_with_spec(R"("affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": )" +
                         std::string(w) + R"(, "preference": {}}]}})");
  };
  const auto port = [](const char* field, const char* v) {
    return pod_with_spec(R"("containers": [{"name": "c", "ports": [{")" + std::string(field) + "\": " + v + "}]}]");
  };
  const std::string weight_path = "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight";
  expect_errors({
      {"a taint effect", "n.json", node, "spec.taints[0].effect", "unsupported effect \"NoScheduleX\""},
      {"a toleration effect", "p.json", pod_with_spec(R"("tolerations": [{"key": "k", "effect": "Never"}])"),
       "spec.tolerations[0].effect", "unsupported effect \"Never\""},
      {"Gi", "p.json", pod_with_requests(R"("memory": "Gi")"), "items[0].spec.containers[0].resources.requests.memory",
       "no number in quantity"},
      {"m", "p.json", pod_with_requests(R"("cpu": "m")"), "items[0].spec.containers[0].resources.requests.cpu",
       "no number in quantity"},
      {"Ki", "p.json", pod_with_requests(R"("memory": "Ki")"), "items[0].spec.containers[0].resources.requests.memory",
       "no number in quantity"},
      {"weight 0", "p.json", weight("0"), weight_path, "0 is out of range (1..100)"},
      {"weight 101", "p.json", weight("101"), weight_path, "101 is out of range (1..100)"},
      {"weight -1", "p.json", weight("-1"), weight_path, "-1 is out of range (1..100)"},
      {"hostPort 70000", "p.json", port("hostPort", "70000"), "spec.containers[0].ports[0].hostPort", "out of range (0..65535)"},
      {"hostPort 65536", "p.json", port("hostPort", "65536"), "spec.containers[0].ports[0].hostPort", "out of range"},
      {"hostPort -1", "p.json", port("hostPort", "-1"), "spec.containers[0].ports[0].hostPort", "out of range"},
      {"containerPort 0", "p.json", port("containerPort", "0"), "spec.containers[0].ports[0].containerPort",
       "out of range (1..65535)"},
  });
}

TEST(LoaderErrors, RefusesInvalidUtf8AndAliasBombs) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int k = 0; k < 10; ++k) bomb += std::string(k ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  expect_errors({
      {"invalid UTF-8 in a name", "p.yaml", "kind: Pod\nmetadata:\n  name: \"a\xff\"\n", "line 3", "invalid UTF-8"},
      {"a truncated sequence", "p.yaml", "kind: Pod\nmetadata:\n  name: a\xc3\n", "line 3", "invalid UTF-8"},
      {"billion laughs", "b.yaml", bomb, "", "YAML aliases expand to more than"},
  });
}

// yaml-cpp 0.7's LoadAll loops forever (allocating) on a `,` where a document should start;
// found by tests/fuzz (fuzz_cluster), refused before LoadAll runs (yaml::load_all).
TEST(LoaderErrors, RefusesAStrayCommaAfterADocumentInsteadOfLooping) {
  expect_errors({
      {"after ---", "c.yaml", "kind: List\nitems: []\n---\n,\n", "line 4", "invalid YAML: unexpected character"},
      {"after a flow mapping", "c.yaml", "# a\n{kind: List, items: []},\n", "line 2", "invalid YAML"},
  });
}

}  // namespace
}  // namespace podium::io
