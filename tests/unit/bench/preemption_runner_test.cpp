// Preemption in `podium bench` (issue 12 item 5): the shipped PreemptionBasic workload
// (bench/workloads/preemption.yaml) gives its stated answer — every high-priority pod
// placed, one preemption each, three victims each — the run checks it, preemption attempts
// have their own latency histograms, and requeueVictims brings the victims back. (The
// determinism matrix runs the workload's short entries with every algorithm and verifies
// them with `podium verify`.)

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "harness/runner.hpp"
#include "podium/common/input_error.hpp"

namespace podium::bench {
namespace {

Workload preemption_basic(const std::string& name) {
  for (auto& w : load_workload_file(PODIUM_SOURCE_DIR "/bench/workloads/preemption.yaml"))
    if (w.name == name) return w;
  throw std::logic_error("PreemptionBasic/" + name + " is missing");
}

RunResult run(const Workload& w, RunOptions options = {}) {
  options.timing_samples = 0;
  options.record_events = true;
  return run_workload(w, resolve_algorithm("default"), options);
}

TEST(PreemptionBasic, EveryMeasuredPodPreemptsThreeLowPriorityPods) {
  const auto w = preemption_basic("5Nodes");
  ASSERT_EQ(w.expected_preemptions, 5);
  ASSERT_EQ(w.expected_victims, 15);
  const auto r = run(w);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.measured_pods, 5u);
  EXPECT_EQ(r.scheduled, 5u);
  EXPECT_EQ(r.preemption_attempts, 5u);
  EXPECT_EQ(r.preemptions, 5u);
  EXPECT_EQ(r.victims, 15u);
  EXPECT_EQ(r.deleted, 0u);  // evictions are not workload deletions
  // Preemption attempts are kept out of the ordinary latency histograms.
  EXPECT_EQ(r.latency_preemption.count(), 5u);
  EXPECT_EQ(r.preemption_evaluation.count(), 5u);
  EXPECT_EQ(r.latency_scheduled.count(), 0u);
  EXPECT_EQ(r.latency_unschedulable.count(), 0u);
  // Each preemptor took its own node, and every eviction is a deletion event.
  std::set<std::int32_t> preemptor_nodes;
  std::size_t deletions = 0;
  for (const auto& e : r.events) {
    if (e.kind == RunEvent::Kind::kDelete) ++deletions;
    if (e.kind == RunEvent::Kind::kAttempt && e.pod >= 20) preemptor_nodes.insert(e.node);
  }
  EXPECT_EQ(deletions, 15u);
  EXPECT_EQ(preemptor_nodes.size(), 5u);
  EXPECT_EQ(preemptor_nodes.count(-1), 0u);
}

TEST(PreemptionBasic, AWrongExpectationFailsTheRun) {
  auto w = preemption_basic("5Nodes");
  w.expected_victims = 10;
  const auto r = run(w);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("expected 10 victims"), std::string::npos) << r.failures[0];
  w = preemption_basic("5Nodes");
  w.expected_preemptions = 4;
  EXPECT_FALSE(run(w).passed());
}

TEST(PreemptionBasic, RequeuedVictimsComeBackAndFitNowhere) {
  const auto w = preemption_basic("5Nodes_RequeueVictims");
  ASSERT_TRUE(w.requeue_victims);
  const auto r = run(w);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.requeued, 15u);
  EXPECT_EQ(r.requeued_placed, 0u);
  // Each victim: placed, evicted, then one failed attempt as a fresh pod (then it waits in
  // the pool; no later event wakes it).
  std::size_t attempts_after_eviction = 0;
  std::set<std::uint32_t> evicted;
  for (const auto& e : r.events) {
    if (e.kind == RunEvent::Kind::kDelete) evicted.insert(e.pod);
    else if (evicted.count(e.pod) != 0) {
      ++attempts_after_eviction;
      EXPECT_EQ(e.node, -1);
    }
  }
  EXPECT_GE(attempts_after_eviction, 15u);
  // The same run without requeueing: no attempt after an eviction.
  RunOptions plain;
  auto no_requeue = w;
  no_requeue.requeue_victims = false;
  EXPECT_EQ(run(no_requeue, plain).requeued, 0u);
}

TEST(PreemptionBasic, ExpectPreemptionsAndVictimsMustBeNonNegativeIntegers) {
  for (const char* bad : {"preemptions: -1", "victims: x"})
    EXPECT_THROW(parse_workload_text(std::string(R"(
- name: T
  workloadTemplate: [{opcode: createNodes, count: 1}, {opcode: createPods, count: 1, collectMetrics: true}]
  workloads: [{name: W, expect: {unschedulable: 0, )") + bad + "}}]\n",
                                     "w.yaml", "."),
                 InputError)
        << bad;
  EXPECT_THROW(parse_workload_text(R"(
- name: T
  workloadTemplate: [{opcode: createNodes, count: 1}, {opcode: createPods, count: 1, collectMetrics: true}]
  workloads: [{name: W, requeueVictims: perhaps, expect: {unschedulable: 0}}]
)",
                                   "w.yaml", "."),
               InputError);
}

}  // namespace
}  // namespace podium::bench
