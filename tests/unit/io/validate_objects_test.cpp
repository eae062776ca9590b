// validate_objects: checks across files, reported at the later or offending object.

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

ClusterObjects load(std::initializer_list<std::pair<const char*, const char*>> files) {
  ClusterObjects out;
  for (const auto& [name, text] : files) load_objects_text(text, name, out);
  return out;
}

InputError validation_error(const ClusterObjects& objects) {
  try {
    validate_objects(objects);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "validate_objects accepted the objects";
  return InputError("", "", "");
}

TEST(ValidateObjects, AcceptsAConsistentCluster) {
  ClusterObjects o;
  load_objects_file(PODIUM_SOURCE_DIR "/tests/data/io/kubectl_list.json", o);
  EXPECT_NO_THROW(validate_objects(o));
  EXPECT_NO_THROW(validate_objects(ClusterObjects{}));
}

TEST(ValidateObjects, PointsAtTheLaterOfTwoNodesWithTheSameName) {
  const InputError e = validation_error(load({
      {"a.json", R"({"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n1"}}]})"},
      {"b.json", R"([{"kind": "Node", "metadata": {"name": "n2"}}, {"kind": "Node", "metadata": {"name": "n1"}}])"},
  }));
  EXPECT_EQ(e.file(), "b.json");
  EXPECT_EQ(e.location(), "[1].metadata.name");
  EXPECT_EQ(e.message(), R"(duplicate node name "n1" (first defined at a.json: items[0]))");
}

TEST(ValidateObjects, PointsAtTheLaterOfTwoPodsWithTheSameNamespaceAndName) {
  const InputError e = validation_error(load({
      {"pods.yaml",
       "kind: Pod\nmetadata: {name: p, namespace: a}\n---\nkind: Pod\nmetadata: {name: p, namespace: b}\n---\n"
       "kind: Pod\nmetadata: {name: p}\n---\nkind: Pod\nmetadata: {name: p, namespace: a}\n"},
  }));
  EXPECT_EQ(e.file(), "pods.yaml");
  EXPECT_EQ(e.location(), "doc[3].metadata.name");
  EXPECT_EQ(e.message(), R"(duplicate pod "a/p" (first defined at pods.yaml: doc[0]))");
}

TEST(ValidateObjects, TreatsTheDefaultNamespaceLikeAnyOther) {
  const InputError e = validation_error(load({
      {"one.json", R"({"kind": "Pod", "metadata": {"name": "p"}})"},
      {"two.json", R"({"kind": "Pod", "metadata": {"name": "p", "namespace": "default"}})"},
  }));
  EXPECT_EQ(e.file(), "two.json");
  EXPECT_EQ(e.location(), "metadata.name");
  EXPECT_EQ(e.message(), R"(duplicate pod "default/p" (first defined at one.json))");
}

TEST(ValidateObjects, PointsAtTheNodeNameOfAPodBoundToAnUnknownNode) {
  const InputError e = validation_error(load({
      {"nodes.json", R"({"kind": "Node", "metadata": {"name": "n1"}})"},
      {"pods.json", R"({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "ok"}, "spec": {"nodeName": "n1"}},
        {"kind": "Pod", "metadata": {"name": "pending"}},
        {"kind": "Pod", "metadata": {"name": "lost", "namespace": "x"}, "spec": {"nodeName": "n9"}}]})"},
  }));
  EXPECT_EQ(e.file(), "pods.json");
  EXPECT_EQ(e.location(), "items[2].spec.nodeName");
  EXPECT_EQ(e.message(), R"(pod "x/lost" is bound to node "n9", which is not defined)");
}

// A Job's finished pod stays listed after the autoscaler removed its node; the scheduler
// never sees finished pods, so a real `kubectl get` snapshot with one must load.
TEST(ValidateObjects, AcceptsAFinishedPodOnANodeThatIsGone) {
  const ClusterObjects o = load({{"snap.json", R"({"kind": "List", "items": [
      {"kind": "Node", "metadata": {"name": "n1"}},
      {"kind": "Pod", "metadata": {"name": "done"}, "spec": {"nodeName": "gone"}, "status": {"phase": "Succeeded"}},
      {"kind": "Pod", "metadata": {"name": "crashed"}, "spec": {"nodeName": "gone"}, "status": {"phase": "Failed"}}]})"}});
  EXPECT_NO_THROW(validate_objects(o));
}

}  // namespace
}  // namespace podium::io
