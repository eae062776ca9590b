#include "harness/runner.hpp"

#include <gtest/gtest.h>

#include <set>

#include "harness/scenario.hpp"

namespace podium::bench {
namespace {

TEST(ReasonPhrases, StripsNodeCountsFromAFitError) {
  EXPECT_EQ(reason_phrases("0/5 nodes are available: 3 Insufficient cpu, 2 node(s) were unschedulable."),
            (std::vector<std::string>{"Insufficient cpu", "node(s) were unschedulable"}));
  EXPECT_EQ(reason_phrases("no profile for schedulerName \"x\""),
            (std::vector<std::string>{"no profile for schedulerName \"x\""}));
}

TEST(WindowRates, CountsScheduledPodsPerWindowOfAttemptTime) {
  // Ten attempts of 100 ns, the 4th unschedulable; an attempt counts in the window where
  // it ends (100, 200, ..., 1000 ns).
  std::vector<std::pair<std::uint64_t, bool>> attempts(10, {100, true});
  attempts[3].second = false;
  const auto rates = window_rates(attempts, 250);
  // Attempts end at 100..1000 ns: windows (0,250] (250,500] (500,750] (750,1000].
  ASSERT_EQ(rates.size(), 4u);
  EXPECT_DOUBLE_EQ(rates[0], 2 * 1e9 / 250);
  EXPECT_DOUBLE_EQ(rates[1], 2 * 1e9 / 250);  // 300 (unschedulable), 400, 500
  EXPECT_DOUBLE_EQ(rates[2], 2 * 1e9 / 250);
  EXPECT_DOUBLE_EQ(rates[3], 3 * 1e9 / 250);
}

TEST(WindowRates, AShortRunIsOnePartialWindow) {
  const std::vector<std::pair<std::uint64_t, bool>> attempts(4, {1000, true});
  const auto rates = window_rates(attempts, 1'000'000);
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_DOUBLE_EQ(rates[0], 4 * 1e9 / 4000);
}

Workload churn_workload() {
  return parse_workload_text(R"(
- name: Churn
  workloadTemplate:
  - {opcode: createNodes, count: 4, zones: 2}
  - {opcode: createPods, count: 3}
  - {opcode: churn, mode: recreate, number: 2, intervalPods: 5}
  - {opcode: createPods, count: 12, collectMetrics: true}
  workloads:
  - name: W
    expect: {unschedulable: 0}
)",
                             "w.yaml", ".")[0];
}

TEST(Scenario, LaysOutEveryPodUpFrontWithChurnPools) {
  const Workload w = churn_workload();
  EXPECT_EQ(churn_steps(w, 2), 1 + 12 / 5);
  const Scenario s = build_scenario(w, 1);
  ASSERT_EQ(s.objects.nodes.size(), 4u);
  EXPECT_EQ(s.op_pods[1].size(), 3u);
  EXPECT_EQ(s.op_pods[2].size(), 2u * 3);
  EXPECT_EQ(s.op_pods[3].size(), 12u);
  EXPECT_EQ(s.objects.pods.size(), 3u + 6 + 12);
  for (const auto& pod : s.objects.pods) EXPECT_TRUE(pod.node_name.empty());
  // Zones round-robin; hostname label is the node name.
  bool saw_zone_1 = false;
  for (const auto& [k, v] : s.objects.nodes[1].labels) saw_zone_1 = saw_zone_1 || (k == "topology.kubernetes.io/zone" && v == "zone-1");
  EXPECT_TRUE(saw_zone_1);
}

TEST(Scenario, DistinctShapesGiveEveryPodItsOwnRequest) {
  const Workload w = parse_workload_text(R"(
- name: Distinct
  workloadTemplate:
  - {opcode: createNodes, count: 2}
  - {opcode: createPods, count: 9000, shapes: distinct, collectMetrics: true}
  workloads:
  - name: W
    expect: {unschedulable: 0}
)",
                                         "w.yaml", ".")[0];
  const Scenario s = build_scenario(w, 1);
  std::set<std::pair<io::Quantity, io::Quantity>> shapes;
  for (const auto& pod : s.objects.pods) {
    io::Quantity cpu, memory;
    for (const auto& [name, q] : pod.containers.front().requests) (name == "cpu" ? cpu : memory) = q;
    shapes.emplace(cpu, memory);
  }
  EXPECT_EQ(shapes.size(), 9000u);
  // Pod 4097: the default template's 100m / 500Mi plus 1m and 1Mi.
  for (const auto& [name, q] : s.objects.pods[4097].containers.front().requests)
    EXPECT_EQ(q, name == "cpu" ? io::Quantity::from_milli(101) : io::Quantity::from_units(501LL << 20)) << name;
}

TEST(Scenario, PodTemplatesInterleaveInTheQueue) {
  const Workload w = parse_workload_text(R"(
- name: Mix
  workloadTemplate:
  - {opcode: createNodes, count: 2}
  - opcode: createPods
    count: 8
    collectMetrics: true
    podTemplates:
    - {weight: 3, podTemplate: {spec: {containers: [{name: a, resources: {requests: {cpu: 100m}}}]}}}
    - {podTemplate: {spec: {containers: [{name: b, resources: {requests: {cpu: "0.2"}}}]}}}
  workloads:
  - name: W
    expect: {unschedulable: 0}
)",
                                         "w.yaml", ".")[0];
  const Scenario s = build_scenario(w, 1);
  std::string order;
  for (const auto& pod : s.objects.pods) order += pod.containers[0].name;
  EXPECT_EQ(order, "aabaaaba");
  EXPECT_EQ(s.objects.pods[2].source.path, "[0].workloadTemplate[1].podTemplates[1]");
  const auto r = run_workload(w, resolve_algorithm("default"), RunOptions{});
  EXPECT_EQ(r.scheduled, 8u);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
}

TEST(Runner, ChurnDeletesAndRecreatesAndTheAnswerIsChecked) {
  const Workload w = churn_workload();
  const auto r = run_workload(w, resolve_algorithm("default"), RunOptions{});
  EXPECT_EQ(r.measured_pods, 12u);
  EXPECT_EQ(r.scheduled, 12u);
  // Steps at the churn op and after 5 and 10 measured decisions; recreate deletes the
  // previous step's 2 pods at each later step.
  EXPECT_EQ(r.deleted, 4u);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_GT(r.timing_samples, 0u);
}

TEST(Runner, AWrongExpectedAnswerFailsTheRun) {
  Workload w = churn_workload();
  w.expected_unschedulable = 1;
  const auto r = run_workload(w, resolve_algorithm("default"), RunOptions{});
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("expected 1 unschedulable"), std::string::npos);
}

TEST(Runner, AMissedThresholdFailsTheRun) {
  Workload w = churn_workload();
  w.threshold = 1e18;
  const auto r = run_workload(w, resolve_algorithm("default"), RunOptions{});
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("below the threshold"), std::string::npos);
}

}  // namespace
}  // namespace podium::bench

namespace podium::bench {
namespace {

// Deletions must reach every plugin's incremental state: after 5 of 10 one-per-node pods
// are deleted, exactly 5 nodes are free for the group again.
TEST(Runner, DeletedPodsFreeTheirNodesForInterPodAntiAffinity) {
  const Workload w = parse_workload_text(R"(
- name: AntiAffinityAfterDelete
  requiredPlugins: [InterPodAffinity]
  workloadTemplate:
  - {opcode: createNodes, count: 10}
  - opcode: createPods
    count: 10
    namespace: group
    podTemplate: &pod
      metadata: {labels: {color: green}}
      spec:
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {color: green}}
              namespaces: [group]
              topologyKey: kubernetes.io/hostname
        containers: [{name: c, resources: {requests: {cpu: 100m}}}]
  - {opcode: deletePods, namespace: group, count: 5}
  - {opcode: createPods, count: 7, namespace: group, collectMetrics: true, podTemplate: *pod}
  workloads:
  - name: W
    expect: {unschedulable: 2}
)",
                                         "w.yaml", ".")[0];
  const auto r = run_workload(w, resolve_algorithm("default"), RunOptions{});
  if (r.skipped) GTEST_SKIP() << r.skip_reason;
  EXPECT_EQ(r.deleted, 5u);
  EXPECT_EQ(r.scheduled, 5u);
  EXPECT_EQ(r.unschedulable, 2u);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.unschedulable_reasons.size(), 1u);
}

TEST(Runner, ChecksTheExpectedCountOnlyForTheDefaultAlgorithm) {
  // Every pod fits, but the file claims 3 unschedulable: kube's choice (default, also under
  // MostAllocated) fails the check; first-fit only reports its count beside the claim.
  const Workload w = parse_workload_text(R"(
- name: Claim
  workloadTemplate:
  - {opcode: createNodes, count: 4}
  - {opcode: createPods, count: 6, collectMetrics: true}
  workloads:
  - name: W
    expect: {unschedulable: 3}
)",
                                         "w.yaml", ".")[0];
  RunOptions options;
  options.timing_samples = 0;
  for (const char* kube : {"default", "MostAllocated"}) {
    const auto r = run_workload(w, resolve_algorithm(kube), options);
    EXPECT_EQ(r.unschedulable, 0u) << kube;
    EXPECT_FALSE(r.passed()) << kube;
  }
  const auto other = run_workload(w, resolve_algorithm("first-fit"), options);
  EXPECT_EQ(other.unschedulable, 0u);
  EXPECT_EQ(other.expected_unschedulable, 3);
  EXPECT_TRUE(other.passed());
}

}  // namespace
}  // namespace podium::bench
