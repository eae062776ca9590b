// Sequential-equivalent speculation on two and three threads (SpeculativeBatches) must place
// byte for byte as one thread, on the queues it was built for: every pod its own class (the all-distinct workload in small), and a mix
// where a third of the pods repeat an earlier class. The cluster is tight, so later pods
// either preempt lower-priority pods (PostFilter through the one-thread path) or stay
// unschedulable, and 37 nodes are not a multiple of the 8-pod batch or its 64-node blocks.

#include <gtest/gtest.h>

#include <string>

#include "../../support/cluster_fixture.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium {
namespace {

struct Outcome {
  scheduler::ScheduleResult result;
  state::ClusterState cluster;
};

// 37 nodes of 2-5 cpu (one cordoned), each but every fourth holding a priority-0 pod; `pods`
// pending pods of priority 0 or 100, with (repeat_every > 0) every repeat_every-th pod asking
// for the same as the pod before it, and every 41st asking for more than any node has.
io::ClusterObjects tight_cluster(int pods, int repeat_every) {
  io::ClusterObjects out;
  for (int n = 0; n < 37; ++n) {
    auto node = testing::node("node-" + std::to_string(n), std::to_string(2 + n % 4), std::to_string(4 + n % 5) + "Gi");
    node.unschedulable = n == 11;
    out.nodes.push_back(node);
    if (n % 4 == 3) continue;
    auto low = testing::bound(testing::pod("low-" + std::to_string(n), "700m", "1Gi"), node.name);
    low.priority = 0;
    out.pods.push_back(std::move(low));
  }
  int shape = 0;
  for (int k = 0; k < pods; ++k) {
    if (repeat_every == 0 || k % repeat_every != 0) ++shape;  // a new class, or the previous pod's again
    const bool huge = k % 41 == 40;
    auto p = testing::pod("pod-" + std::to_string(k), huge ? "64" : std::to_string(150 + 7 * shape) + "m",
                          std::to_string(128 + 5 * shape) + "Mi");
    p.priority = k % 3 == 0 ? 0 : 100;
    p.creation_timestamp_ns = k;
    out.pods.push_back(std::move(p));
  }
  return out;
}

Outcome place(const io::ClusterObjects& objects, int threads, bool cache) {
  Outcome r{{}, state::build_cluster_state(objects)};
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  scheduler::SchedulerOptions options;
  options.preemption.enabled = true;
  options.seed = 7;
  options.threads = threads;
  options.equivalence_cache = cache;
  options.mode = scheduler::ParallelMode::kSequentialEquivalent;
  r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
  return r;
}

TEST(SequentialEquivalent, TwoThreadsPlaceAllDistinctAndMixedQueuesAsOneThread) {
  const int pods = 400;  // ~2 s under ThreadSanitizer; fewer would not fill the cluster enough to preempt
  std::uint64_t speculated = 0, corrected = 0, evictions = 0, unschedulable = 0;
  for (const int repeat_every : {0, 3}) {
    const auto objects = tight_cluster(pods, repeat_every);
    for (const bool cache : {true, false}) {
      SCOPED_TRACE(::testing::Message() << "repeat_every " << repeat_every << " cache " << cache);
      const Outcome one = place(objects, 1, cache);
      EXPECT_TRUE(testing::placements_verify(objects, one.cluster, one.result));
      for (const int threads : {2, 3}) {
        SCOPED_TRACE(::testing::Message() << "threads " << threads);
        const Outcome many = place(objects, threads, cache);
        EXPECT_TRUE(testing::placements_verify(objects, many.cluster, many.result));
        ASSERT_EQ(one.result.placements.size(), many.result.placements.size());
        for (std::size_t i = 0; i < one.result.placements.size(); ++i) {
          const auto& a = one.result.placements[i];
          const auto& b = many.result.placements[i];
          EXPECT_EQ(a.pod, b.pod) << "entry " << i;
          EXPECT_EQ(a.node, b.node) << "entry " << i;
          EXPECT_EQ(a.evicted_by, b.evicted_by) << "entry " << i;
          EXPECT_EQ(a.reason, b.reason) << "entry " << i;
        }
        EXPECT_EQ(one.result.next_start_node_index, many.result.next_start_node_index);
        if (threads != 2) continue;
        speculated += many.result.speculated;
        corrected += many.result.speculation_corrected;
        for (const auto& p : many.result.placements) {
          evictions += p.evicted_by != scheduler::kNoPod ? 1 : 0;
          unschedulable += p.evicted_by == scheduler::kNoPod && p.node == state::kNoNode ? 1 : 0;
        }
      }
    }
  }
  // Or the test proves nothing: the speculation ran, earlier commits corrected it, and the
  // queue reached both PostFilter outcomes.
  EXPECT_GT(speculated, 200U) << "the two-thread speculation never ran";
  EXPECT_GT(corrected, 10U) << "no speculated decision was corrected by an earlier commit";
  EXPECT_GT(evictions, 0U) << "no pod preempted";
  EXPECT_GT(unschedulable, 0U) << "every pod found a node";
}

}  // namespace
}  // namespace podium
