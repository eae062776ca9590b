// The living queue in `podium bench` (runner.cpp + scheduler/scheduling_queue.hpp): the
// shipped QueueChurn workload's pods fail first and are placed on a retry after a
// deletion, its expected counts are checked by the run, and --max-attempts bounds it.

#include <gtest/gtest.h>

#include <map>

#include "harness/runner.hpp"
#include "podium/common/input_error.hpp"

namespace podium::bench {
namespace {

Workload queue_churn_100() {
  for (auto& w : load_workload_file(PODIUM_SOURCE_DIR "/bench/workloads/queue_churn.yaml"))
    if (w.name == "100Nodes") return w;
  throw std::logic_error("QueueChurn/100Nodes is missing");
}

TEST(QueueChurn, PodsThatFailedArePlacedOnARetryAfterTheDeletionAndTheCountsAreChecked) {
  RunOptions options;
  options.timing_samples = 0;
  options.record_events = true;
  const auto r = run_workload(queue_churn_100(), resolve_algorithm("default"), options);
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  EXPECT_EQ(r.deleted, 20u);
  EXPECT_EQ(r.measured_pods, 65u);
  EXPECT_EQ(r.placed_on_retry, 40u);
  EXPECT_EQ(r.scheduled, 40u);
  EXPECT_EQ(r.unschedulable, 25u);
  // Only the 60 resource-starved pods are retried (once each); the 5 whose nodeSelector
  // matches no node are not, as no pod deletion can change that.
  EXPECT_EQ(r.retries, 60u);
  EXPECT_EQ(r.unschedulable_reasons.at("Insufficient cpu"), 20u);
  EXPECT_EQ(r.unschedulable_reasons.at("node(s) didn't match Pod's node affinity/selector"), 5u);
  // Every pod placed on a retry failed first, then was placed after the first deletion.
  std::map<std::uint32_t, std::vector<std::int32_t>> attempts;
  std::size_t first_delete = r.events.size();
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    if (r.events[i].kind == RunEvent::Kind::kDelete) {
      first_delete = std::min(first_delete, i);
    } else {
      attempts[r.events[i].pod].push_back(r.events[i].node);
      if (attempts[r.events[i].pod].size() == 2) EXPECT_GT(i, first_delete);
    }
  }
  std::size_t failed_then_placed = 0;
  for (const auto& [pod, nodes] : attempts)
    failed_then_placed += nodes.size() == 2 && nodes[0] < 0 && nodes[1] >= 0 ? 1 : 0;
  EXPECT_EQ(failed_then_placed, 40u);
}

TEST(QueueChurn, OneAttemptPerPodLeavesThemUnplacedAndTheExpectationFails) {
  RunOptions options;
  options.timing_samples = 0;
  options.max_attempts = 1;
  const auto r = run_workload(queue_churn_100(), resolve_algorithm("default"), options);
  EXPECT_EQ(r.retries, 0u);
  EXPECT_EQ(r.placed_on_retry, 0u);
  EXPECT_EQ(r.unschedulable, 65u);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_NE(r.failures[1].find("expected 40 pods placed on a retry, got 0"), std::string::npos) << r.failures[1];
}

TEST(QueueChurn, PlacedOnRetryMustBeANonNegativeInteger) {
  EXPECT_THROW(parse_workload_text(R"(
- name: T
  workloadTemplate: [{opcode: createNodes, count: 1}]
  workloads: [{name: W, expect: {unschedulable: 0, placedOnRetry: -1}}]
)",
                                   "w.yaml", "."),
               InputError);
}

}  // namespace
}  // namespace podium::bench
