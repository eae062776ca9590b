// PodGroup (scheduling.x-k8s.io/v1alpha1, coscheduling): read from the same List as the
// pods, and every inconsistency between groups and pods reported with file and JSON path.

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::io {
namespace {

const std::string kGroup = R"({"apiVersion": "scheduling.x-k8s.io/v1alpha1", "kind": "PodGroup",
  "metadata": {"name": "train", "namespace": "team-a"}, "spec": {"minMember": 2, "scheduleTimeoutSeconds": 10}})";

std::string member(const std::string& name, const std::string& group = "train", const std::string& ns = "team-a") {
  return R"({"kind": "Pod", "metadata": {"name": ")" + name + R"(", "namespace": ")" + ns +
         R"(", "labels": {"scheduling.x-k8s.io/pod-group": ")" + group + R"("}}, "spec": {"containers": []}})";
}

std::string list(const std::string& items) { return R"({"kind": "List", "items": [)" + items + "]}"; }

// The error of loading then validating `text` as file `file`.
InputError error_of(const std::string& text, const std::string& file = "groups.json") {
  try {
    ClusterObjects objects;
    load_objects_text(text, file, objects);
    validate_objects(objects);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << text;
  return InputError("", "", "");
}

TEST(PodGroups, AreReadWithTheirMembersAndBuiltIntoTheClusterState) {
  ClusterObjects objects;
  load_objects_text(list(kGroup + "," + member("a") + "," + member("b") + "," + member("c")), "g.json", objects);
  ASSERT_EQ(objects.pod_groups.size(), 1U);
  EXPECT_EQ(objects.pod_groups[0].key(), "team-a/train");
  EXPECT_EQ(objects.pod_groups[0].min_member, 2);
  EXPECT_EQ(objects.pod_groups[0].source.path, "items[0]");
  validate_objects(objects);
  const auto cluster = state::build_cluster_state(objects);
  ASSERT_EQ(cluster.pod_groups.size(), 1U);
  EXPECT_EQ(cluster.pod_groups[0].key, "team-a/train");
  EXPECT_EQ(cluster.pod_groups[0].min_member, 2);
  EXPECT_EQ(cluster.pod_groups[0].members, 3U);
  for (const auto& pod : cluster.pods) EXPECT_EQ(pod.group, 0);
}

TEST(PodGroups, ReadFromYamlToo) {
  ClusterObjects objects;
  load_objects_text(
      "apiVersion: scheduling.x-k8s.io/v1alpha1\nkind: PodGroup\nmetadata: {name: g}\nspec: {minMember: 1}\n---\n"
      "kind: Pod\nmetadata:\n  name: p\n  labels: {scheduling.x-k8s.io/pod-group: g}\n",
      "g.yaml", objects);
  validate_objects(objects);
  ASSERT_EQ(objects.pod_groups.size(), 1U);
  EXPECT_EQ(objects.pod_groups[0].key(), "default/g");
  EXPECT_EQ(state::build_cluster_state(objects).pods[0].group, 0);
}

TEST(PodGroups, APodWithoutTheLabelOrWithAnEmptyOneIsInNoGroup) {
  ClusterObjects objects;
  load_objects_text(list(kGroup + "," + member("a") + "," + member("b", "", "team-a") +
                         R"(, {"kind": "Pod", "metadata": {"name": "c"}})"),
                    "g.json", objects);
  validate_objects(objects);
  const auto cluster = state::build_cluster_state(objects);
  EXPECT_EQ(cluster.pods[0].group, 0);
  EXPECT_EQ(cluster.pods[1].group, state::kNoPodGroup);
  EXPECT_EQ(cluster.pods[2].group, state::kNoPodGroup);
}

struct BadGroup {
  const char* name;
  std::string text;
  std::string location;
  std::string message;  // a substring
};

TEST(PodGroups, InconsistenciesAreInputErrorsWithFileAndPath) {
  auto with_min = [](const std::string& min) {
    return list(R"({"kind": "PodGroup", "metadata": {"name": "train", "namespace": "team-a"}, "spec": {"minMember": )" +
                min + "}}," + member("a"));
  };
  const BadGroup cases[] = {
      {"minMember 0", with_min("0"), "items[0].spec.minMember", "spec.minMember must be at least 1, got 0"},
      {"negative minMember", with_min("-3"), "items[0].spec.minMember", "spec.minMember must be at least 1, got -3"},
      {"minMember as a string", with_min(R"("3")"), "items[0].spec.minMember", "expected an integer, got a string"},
      {"minMember beyond int32", with_min("4294967296"), "items[0].spec.minMember", "does not fit int32"},
      {"no minMember",
       list(R"({"kind": "PodGroup", "metadata": {"name": "train", "namespace": "team-a"}, "spec": {}},)" + member("a")),
       "items[0].spec.minMember", "PodGroup \"team-a/train\" has no spec.minMember"},
      {"no spec", list(R"({"kind": "PodGroup", "metadata": {"name": "train", "namespace": "team-a"}},)" + member("a")),
       "items[0].spec.minMember", "has no spec.minMember"},
      {"no name", list(R"({"kind": "PodGroup", "spec": {"minMember": 1}})"), "items[0].metadata.name",
       "missing metadata.name"},
      {"pod naming a missing group", list(kGroup + "," + member("a") + "," + member("b", "trian")),
       "items[2].metadata.labels[\"scheduling.x-k8s.io/pod-group\"]",
       "pod \"team-a/b\" names pod group \"trian\", but no PodGroup \"team-a/trian\" is defined"},
      {"group in another namespace", list(kGroup + "," + member("a", "train", "team-b")),
       "items[1].metadata.labels[\"scheduling.x-k8s.io/pod-group\"]", "no PodGroup \"team-b/train\" is defined"},
      {"unreferenced group", list(kGroup + "," + R"({"kind": "Pod", "metadata": {"name": "x", "namespace": "team-a"}})"),
       "items[0].metadata.name",
       "PodGroup \"team-a/train\" has no member: no pod in namespace \"team-a\" has the label "
       "scheduling.x-k8s.io/pod-group=train"},
      {"duplicate group", list(kGroup + "," + member("a") + "," + kGroup), "items[2].metadata.name",
       "duplicate PodGroup \"team-a/train\" (first defined at groups.json: items[0])"},
  };
  for (const BadGroup& tc : cases) {
    SCOPED_TRACE(tc.name);
    const InputError e = error_of(tc.text);
    EXPECT_EQ(e.file(), "groups.json");
    EXPECT_EQ(e.location(), tc.location);
    EXPECT_NE(e.message().find(tc.message), std::string::npos) << e.message();
    EXPECT_EQ(std::string(e.what()).rfind("groups.json: " + tc.location + ": ", 0), 0U) << e.what();
  }
}

}  // namespace
}  // namespace podium::io
