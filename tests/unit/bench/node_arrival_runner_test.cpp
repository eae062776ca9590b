// Nodes created after pod steps in `podium bench` (runner.cpp RunContext::add_nodes): the
// shipped NodeArrival workload's pods fail while the new nodes do not exist yet, are placed
// on a retry once they join, its expected counts are checked by the run, and podium verify
// accepts the run's list (with the creations where they happened) at 1 and 2 threads.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "../../support/run_events_verify.hpp"
#include "harness/runner.hpp"

namespace podium::bench {
namespace {

Workload node_arrival_100() {
  for (auto& w : load_workload_file(PODIUM_SOURCE_DIR "/bench/workloads/node_arrival.yaml"))
    if (w.name == "100Nodes") return w;
  throw std::logic_error("NodeArrival/100Nodes is missing");
}

RunResult run(int threads, std::uint32_t max_attempts = 0) {
  RunOptions options;
  options.timing_samples = 0;
  options.record_events = true;
  options.threads = threads;
  if (max_attempts > 0) options.max_attempts = max_attempts;
  return run_workload(node_arrival_100(), resolve_algorithm("default"), options);
}

TEST(NodeArrival, PodsThatFailedBeforeTheNodesCameArePlacedOnThemAfterwards) {
  const auto r = run(1);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.nodes, 130u);
  EXPECT_EQ(r.measured_pods, 160u);
  EXPECT_EQ(r.placed_on_retry, 40u);
  EXPECT_EQ(r.scheduled, 140u);
  EXPECT_EQ(r.unschedulable, 20u);
  EXPECT_EQ(r.unschedulable_reasons.at("Insufficient cpu"), 20u);
  // Before the creations no attempt placed a pod on a new node (indices 100..129), every
  // pod of the first attempts either took an early node or failed, and each pod placed on
  // a retry failed once before the nodes came, then went to a new node.
  std::size_t first_creation = r.events.size(), creations = 0;
  std::map<std::uint32_t, std::vector<std::int32_t>> attempts;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const RunEvent& e = r.events[i];
    if (e.kind == RunEvent::Kind::kCreateNode) {
      EXPECT_EQ(e.node, static_cast<std::int32_t>(100 + creations));
      ++creations;
      first_creation = std::min(first_creation, i);
      continue;
    }
    ASSERT_EQ(e.kind, RunEvent::Kind::kAttempt);
    if (i < first_creation) EXPECT_LT(e.node, 100) << "event " << i;
    attempts[e.pod].push_back(e.node);
    if (attempts[e.pod].size() == 2) EXPECT_GT(i, first_creation);
  }
  EXPECT_EQ(creations, 30u);
  std::size_t failed_then_placed_on_new = 0;
  for (const auto& [pod, nodes] : attempts)
    failed_then_placed_on_new += nodes.size() == 2 && nodes[0] < 0 && nodes[1] >= 100 ? 1 : 0;
  EXPECT_EQ(failed_then_placed_on_new, 40u);
}

TEST(NodeArrival, SameEventsAtOneAndTwoThreadsAndPodiumVerifyAcceptsThem) {
  const auto one = run(1), two = run(2);
  EXPECT_TRUE(one.events == two.events);
  EXPECT_TRUE(verifies(node_arrival_100(), one));
  EXPECT_TRUE(verifies(node_arrival_100(), two));
  // The same list with the creations taken out of it and put last: the retries now place
  // pods on nodes that do not exist yet, which verify refuses.
  auto list = placements_of(build_scenario(node_arrival_100(), one.seed).objects, one);
  std::stable_partition(list.entries.begin(), list.entries.end(), [](const auto& e) { return !e.created; });
  const auto report = verify::verify_placements(build_scenario(node_arrival_100(), one.seed).objects, list, {});
  EXPECT_EQ(report.errors.size(), 40u);
}

TEST(NodeArrival, OneAttemptPerPodLeavesThemUnplacedAndTheExpectationFails) {
  const auto r = run(1, 1);
  EXPECT_EQ(r.placed_on_retry, 0u);
  EXPECT_EQ(r.unschedulable, 60u);
  EXPECT_FALSE(r.passed());
}

TEST(NodeArrival, CreateNodesAfterPodStepsIsAccepted) {
  const auto workloads = parse_workload_text(R"(
- name: T
  workloadTemplate:
  - {opcode: createNodes, count: 1}
  - {opcode: createPods, count: 2, collectMetrics: true}
  - {opcode: createNodes, count: 1}
  - {opcode: createPods, count: 1}
  - {opcode: createNodes, count: 2}
  workloads: [{name: W, expect: {unschedulable: 0}}]
)",
                                             "w.yaml", ".");
  ASSERT_EQ(workloads.size(), 1u);
  const auto scenario = plan_scenario(workloads[0], 1);
  EXPECT_EQ(scenario.initial_nodes, 1u);
  EXPECT_EQ(scenario.op_nodes[2].begin, 1u);
  EXPECT_EQ(scenario.op_nodes[4].end, 4u);
  RunOptions options;
  options.timing_samples = 0;
  const auto r = run_workload(workloads[0], resolve_algorithm("default"), options);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.nodes, 4u);
}

TEST(NodeArrival, PodsCreatedBeforeAnyNodeWaitForTheFirstOnes) {
  const auto workloads = parse_workload_text(R"(
- name: T
  workloadTemplate:
  - {opcode: createPods, count: 3, collectMetrics: true}
  - {opcode: createNodes, count: 1}
  workloads: [{name: W, expect: {unschedulable: 0, placedOnRetry: 3}}]
)",
                                             "w.yaml", ".");
  RunOptions options;
  options.timing_samples = 0;
  options.record_events = true;
  const auto r = run_workload(workloads[0], resolve_algorithm("default"), options);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.scheduled, 3u);
  EXPECT_TRUE(verifies(workloads[0], r));
}

}  // namespace
}  // namespace podium::bench
