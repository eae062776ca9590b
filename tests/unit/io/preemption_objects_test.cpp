// What preemption reads from the input: PriorityClass (value, globalDefault,
// preemptionPolicy) resolving pods' priorities, PodDisruptionBudget (selector, minAvailable /
// maxUnavailable, status) and status.startTime — and every bad field reported with its file
// and JSON path.

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::io {
namespace {

std::string list(const std::string& items) { return R"({"kind": "List", "items": [)" + items + "]}"; }

const std::string kNode =
    R"({"kind": "Node", "metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "4", "memory": "8Gi"}}})";

std::string pod(const std::string& name, const std::string& spec_extra = "", const std::string& meta_extra = "",
                const std::string& status = "") {
  return R"({"kind": "Pod", "metadata": {"name": ")" + name + R"(", "namespace": "d")" + meta_extra +
         R"(}, "spec": {"containers": [])" + spec_extra + "}" + (status.empty() ? "" : R"(, "status": )" + status) +
         "}";
}

std::string priority_class(const std::string& name, int value, const std::string& extra = "") {
  return R"({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": ")" + name +
         R"("}, "value": )" + std::to_string(value) + extra + "}";
}

std::string budget(const std::string& spec, const std::string& status = "") {
  return R"({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "b", "namespace": "d"},
             "spec": )" + spec + (status.empty() ? "" : R"(, "status": )" + status) + "}";
}

state::ClusterState build(const std::string& text) {
  ClusterObjects objects;
  load_objects_text(text, "c.json", objects);
  validate_objects(objects);
  return state::build_cluster_state(objects);
}

InputError error_of(const std::string& text) {
  try {
    build(text);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << text;
  return InputError("", "", "");
}

const state::PodRecord& pod_named(const state::ClusterState& c, const std::string& key) {
  for (const auto& p : c.pods)
    if (p.key == key) return p;
  throw std::out_of_range(key);
}

TEST(PreemptionObjects, PriorityClassNameResolvesPriorityAndPreemptionPolicy) {
  const auto c = build(list(kNode + "," + priority_class("high", 1000, R"(, "preemptionPolicy": "Never")") + "," +
                            priority_class("low", 5, R"(, "globalDefault": true)") + "," +
                            pod("named", R"(, "priorityClassName": "high")") + "," + pod("plain") + "," +
                            pod("own", R"(, "priorityClassName": "high", "preemptionPolicy": "PreemptLowerPriority")") +
                            "," + pod("given", R"(, "priority": 7, "priorityClassName": "high")") + "," +
                            pod("system", R"(, "priorityClassName": "system-node-critical")")));
  EXPECT_EQ(pod_named(c, "d/named").priority, 1000);
  EXPECT_TRUE(pod_named(c, "d/named").preempt_never);
  EXPECT_EQ(pod_named(c, "d/plain").priority, 5) << "globalDefault applies to a pod with neither";
  EXPECT_FALSE(pod_named(c, "d/plain").preempt_never);
  EXPECT_FALSE(pod_named(c, "d/own").preempt_never) << "the pod's own preemptionPolicy wins";
  EXPECT_EQ(pod_named(c, "d/given").priority, 7) << "spec.priority wins: admission already resolved it";
  EXPECT_EQ(pod_named(c, "d/system").priority, 2000001000);
}

TEST(PreemptionObjects, AnUnknownPriorityClassWithoutSpecPriorityIsAnError) {
  const auto e = error_of(list(kNode + "," + pod("p", R"(, "priorityClassName": "nope")")));
  EXPECT_EQ(e.file(), "c.json");
  EXPECT_EQ(e.location(), "items[1].spec.priorityClassName");
  EXPECT_NE(std::string(e.what()).find("\"nope\""), std::string::npos) << e.what();
  // With spec.priority (a pod read from a live cluster) the class need not be in the input.
  EXPECT_EQ(pod_named(build(list(kNode + "," + pod("p", R"(, "priority": 3, "priorityClassName": "nope")"))), "d/p")
                .priority,
            3);
}

TEST(PreemptionObjects, BadPreemptionPolicyIsAnErrorWithItsPath) {
  const auto e = error_of(list(priority_class("x", 1, R"(, "preemptionPolicy": "Sometimes")")));
  EXPECT_EQ(e.location(), "items[0].preemptionPolicy");
  const auto f = error_of(list(kNode + "," + pod("p", R"(, "preemptionPolicy": "never")")));
  EXPECT_EQ(f.location(), "items[1].spec.preemptionPolicy");
}

TEST(PreemptionObjects, StartTimeIsRead) {
  const auto c = build(list(kNode + "," + pod("p", "", "", R"({"startTime": "2024-01-01T00:00:00Z"})")));
  EXPECT_EQ(pod_named(c, "d/p").start_time_ns, std::int64_t{1704067200} * 1'000'000'000);
  const auto e = error_of(list(kNode + "," + pod("p", "", "", R"({"startTime": "yesterday"})")));
  EXPECT_EQ(e.location(), "items[1].status.startTime");
}

TEST(PreemptionObjects, DisruptionsAllowedComesFromStatusWhenGiven) {
  const auto c = build(list(budget(R"({"selector": {"matchLabels": {"app": "a"}}, "minAvailable": 1})",
                                   R"({"disruptionsAllowed": 4, "disruptedPods": {"x": "2024-01-01T00:00:00Z"}})")));
  ASSERT_EQ(c.disruption_budgets.size(), 1U);
  EXPECT_EQ(c.disruption_budgets[0].key, "d/b");
  EXPECT_EQ(c.disruption_budgets[0].disruptions_allowed, 4);
  EXPECT_EQ(c.disruption_budgets[0].disrupted_pods, std::vector<std::string>{"x"});
}

TEST(PreemptionObjects, DisruptionsAllowedIsComputedFromTheBoundMatchingPods) {
  // Three matching pods, two bound (healthy), one pending; one in another namespace.
  const std::string labels = R"(, "labels": {"app": "a"})";
  const std::string pods = kNode + "," + pod("p1", R"(, "nodeName": "n1")", labels) + "," +
                           pod("p2", R"(, "nodeName": "n1")", labels) + "," + pod("p3", "", labels) + "," +
                           R"({"kind": "Pod", "metadata": {"name": "o", "namespace": "other", "labels": {"app": "a"}},
                               "spec": {"nodeName": "n1", "containers": []}})";
  auto allowed = [&](const std::string& spec) {
    return build(list(pods + "," + budget(spec))).disruption_budgets.at(0).disruptions_allowed;
  };
  const std::string sel = R"("selector": {"matchLabels": {"app": "a"}})";
  EXPECT_EQ(allowed("{" + sel + R"(, "minAvailable": 1})"), 1);      // healthy 2 - 1
  EXPECT_EQ(allowed("{" + sel + R"(, "minAvailable": 3})"), 0);      // never negative
  EXPECT_EQ(allowed("{" + sel + R"(, "minAvailable": "50%"})"), 0);  // ceil(1.5) = 2 desired
  EXPECT_EQ(allowed("{" + sel + R"(, "maxUnavailable": 2})"), 1);    // desired 3 - 2 = 1
  EXPECT_EQ(allowed("{" + sel + R"(, "maxUnavailable": "100%"})"), 2);
}

TEST(PreemptionObjects, BadDisruptionBudgetsAreErrorsWithTheirPaths) {
  EXPECT_EQ(error_of(list(budget(R"({"minAvailable": 1, "maxUnavailable": 1})"))).location(),
            "items[0].spec.maxUnavailable");
  EXPECT_EQ(error_of(list(budget(R"({"minAvailable": "150%"})"))).location(), "items[0].spec.minAvailable");
  EXPECT_EQ(error_of(list(budget(R"({"minAvailable": -1})"))).location(), "items[0].spec.minAvailable");
  EXPECT_EQ(error_of(list(budget(R"({"minAvailable": true})"))).location(), "items[0].spec.minAvailable");
  EXPECT_EQ(error_of(list(budget(R"({"selector": {"matchLabels": {"app": "a"}}})"))).location(), "items[0].spec");
  EXPECT_EQ(error_of(list(budget(R"({"maxUnavailable": 1})", R"({"disruptionsAllowed": -2})"))).location(),
            "items[0].status.disruptionsAllowed");
  EXPECT_EQ(error_of(list(budget(
                R"({"maxUnavailable": 1, "selector": {"matchExpressions": [{"key": "app", "operator": "Near"}]}})")))
                .location(),
            "items[0].spec.selector.matchExpressions[0].operator");
}

}  // namespace
}  // namespace podium::io
