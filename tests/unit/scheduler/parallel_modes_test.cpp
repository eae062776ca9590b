// The two parallel placement modes (scheduler.hpp ParallelMode):
//  * sequential-equivalent must reproduce one thread's placements and reasons byte for
//    byte at any thread count, with and without the class cache, and must actually have
//    speculated and corrected decisions (or these tests would prove nothing);
//  * optimistic is not deterministic, so it is held to invariants: no node is ever
//    over-committed, the usage columns equal the sum of the pods bound there, every pod
//    is placed or has a reason, a pod left unplaced fits nowhere at the end — and the
//    stress runs must have hit compare-and-swap conflicts.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "../../support/placement_runs.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/sanitizers.hpp"
#include "../../support/verify_placements.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "podium/framework/framework.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"
#include "scheduler/usage_reservations.hpp"

namespace podium {
namespace {

using scheduler::ParallelMode;

struct Outcome {
  scheduler::ScheduleResult result;
  state::ClusterState cluster;
};

Outcome run(const io::ClusterObjects& objects, int threads, bool cache, ParallelMode mode, std::uint64_t seed = 3) {
  Outcome r{{}, state::build_cluster_state(objects)};
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  scheduler::SchedulerOptions options;
  // The random clusters have priorities: without this, preemption would decide one pod at a
  // time and the parallel machinery under test would not run.
  options.preemption.enabled = false;
  options.seed = seed;
  options.threads = threads;
  options.equivalence_cache = cache;
  options.mode = mode;
  r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
  return r;
}

void expect_same_placements(const scheduler::ScheduleResult& one, const scheduler::ScheduleResult& many) {
  ASSERT_EQ(one.placements.size(), many.placements.size());
  for (std::size_t i = 0; i < one.placements.size(); ++i) {
    EXPECT_EQ(one.placements[i].pod, many.placements[i].pod) << "decision " << i;
    EXPECT_EQ(one.placements[i].node, many.placements[i].node) << "decision " << i;
    EXPECT_EQ(one.placements[i].reason, many.placements[i].reason) << "decision " << i;
  }
  EXPECT_EQ(one.next_start_node_index, many.next_start_node_index);
}

TEST(SequentialEquivalent, PlacesExactlyAsOneThreadAtEveryThreadCountWithAndWithoutTheCache) {
  std::uint64_t speculated = 0;
  std::uint64_t corrected = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    for (const bool constraints : {false, true}) {
      // Tight: 40 nodes for 600 pods, so batches keep picking the same nodes and many
      // pods end unschedulable (reasons must match too).
      const auto objects = testing::random_cluster_objects(
          seed, {.nodes = 40, .pending_pods = 600, .bound_pods = 30, .constraints = constraints, .preferences = false});
      for (const bool cache : {true, false}) {
        const Outcome one = run(objects, 1, cache, ParallelMode::kSequentialEquivalent, seed);
        for (const int threads : {2, 3, 8}) {
          SCOPED_TRACE(::testing::Message() << "seed " << seed << " constraints " << constraints << " cache " << cache
                                          << " threads " << threads);
          const Outcome many = run(objects, threads, cache, ParallelMode::kSequentialEquivalent, seed);
          expect_same_placements(one.result, many.result);
          speculated += many.result.speculated;
          corrected += many.result.speculation_corrected;
        }
      }
    }
  }
  EXPECT_GT(speculated, 1000U) << "the speculative path never ran";
  EXPECT_GT(corrected, 10U) << "no speculated decision was ever corrected by an earlier commit";
}

// Many request shapes interleaved in the queue (issue 13's realistic workload in small):
// every class is many binds behind when its next pod comes, so each cached class is
// brought current both by its changed nodes (totals evaluated into the cache's shared
// scratch, folded into the class's tree) and, past an eighth of the nodes, in full.
io::ClusterObjects many_shapes_objects(int nodes, int pods, int shapes) {
  io::ClusterObjects out;
  const char* cpus[] = {"8", "16", "32", "48", "64"};
  const char* mems[] = {"32Gi", "64Gi", "128Gi", "192Gi", "256Gi"};
  for (int n = 0; n < nodes; ++n) {
    auto node = testing::node("node-" + std::to_string(n), cpus[n % 5], mems[(n / 5) % 5], 110);
    node.unschedulable = n % 97 == 3;
    out.nodes.push_back(std::move(node));
  }
  for (int k = 0; k < pods; ++k) {
    const int s = (k * 7 + k / shapes) % shapes;  // interleaved, unevenly
    auto p = testing::pod("pod-" + std::to_string(k), std::to_string(100 + 50 * (s % 13)) + "m",
                          std::to_string(128 * (1 + s % 9)) + "Mi");
    if (s % 4 == 0) {  // a sidecar, as an init container that keeps running
      io::Container sidecar;
      sidecar.name = "proxy";
      sidecar.restart_policy_always = true;
      sidecar.requests = testing::resources({{"cpu", "0.1"}, {"memory", "134217728"}});
      p.init_containers.push_back(std::move(sidecar));
    }
    p.creation_timestamp_ns = k;
    out.pods.push_back(std::move(p));
  }
  return out;
}

TEST(SequentialEquivalent, ManyInterleavedClassesPlaceAsOneThreadAndTheReference) {
  std::uint64_t hits = 0;
  for (const int nodes : {400, 60}) {  // 400: changed nodes only; 60: mostly full refreshes
    SCOPED_TRACE(::testing::Message() << nodes << " nodes");
    const auto objects = many_shapes_objects(nodes, testing::kThreadSanitizer ? 600 : 3000, 48);
    const Outcome one = run(objects, 1, true, ParallelMode::kSequentialEquivalent, 5);
    EXPECT_TRUE(testing::placements_verify(objects, one.cluster, one.result));
    for (const int threads : {2, 3}) {
      const Outcome many = run(objects, threads, true, ParallelMode::kSequentialEquivalent, 5);
      expect_same_placements(one.result, many.result);
    }
    hits += one.result.cache_hits;
    if (testing::kThreadSanitizer) continue;  // the single-threaded oracle adds nothing there
    std::vector<state::NodeIndex> engine;
    for (const auto& p : one.result.placements) engine.push_back(p.node);
    EXPECT_EQ(engine, testing::reference_nodes(objects, 5));
  }
  EXPECT_GT(hits, 1000U) << "the class cache never served these pods";
}

TEST(SequentialEquivalent, InterleavesCrossNodeDecisionsInQueueOrder) {
  // Spread constraints and Services' default constraints make some pods' decisions
  // cross-node (decided alone, in order) between node-local ones (speculated).
  std::uint64_t speculated = 0;
  for (std::uint64_t seed = 11; seed <= 14; ++seed) {
    const auto objects =
        testing::random_spread_cluster_objects(seed, {.nodes = 30, .pending_pods = 300, .bound_pods = 40, .preferences = false});
    const Outcome one = run(objects, 1, true, ParallelMode::kSequentialEquivalent, seed);
    const Outcome many = run(objects, 4, true, ParallelMode::kSequentialEquivalent, seed);
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    expect_same_placements(one.result, many.result);
    speculated += many.result.speculated;
  }
  EXPECT_GT(speculated, 0U);
}

// SpeculativeBatches' cost model: after a batch with nothing to speculate it places pods one
// at a time for a stretch that doubles up to 512 pods. A queue that starts with 1,000 cross-node
// pods (a hard spread constraint each) and goes on with node-local ones must speculate again
// once they come, and place exactly as one thread.
TEST(SequentialEquivalent, SpeculatesAgainAfterALongRunOfCrossNodePods) {
  auto objects = testing::random_spread_cluster_objects(
      21, {.nodes = 40, .pending_pods = 1600, .bound_pods = 40, .preferences = false});
  objects.selector_owners.clear();  // no Services: pods without constraints of their own are node-local
  const auto built = state::build_cluster_state(objects);
  const auto queue = built.pending_in_queue_order();
  ASSERT_EQ(queue.size(), 1600U);
  io::TopologySpreadConstraint spread;
  spread.max_skew = 1000;  // never binding: the pod is cross-node all the same
  spread.topology_key = "kubernetes.io/hostname";
  spread.when_unsatisfiable = "DoNotSchedule";
  spread.label_selector = io::LabelSelector{{{"app", "web"}}, {}};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    ASSERT_EQ(built.pods[queue[q]].key, objects.pods[queue[q]].key());  // pods keep their input index
    auto& constraints = objects.pods[queue[q]].topology_spread_constraints;
    constraints.clear();
    if (q < 1000) constraints.push_back(spread);
  }
  const Outcome one = run(objects, 1, true, ParallelMode::kSequentialEquivalent, 21);
  const Outcome many = run(objects, 2, true, ParallelMode::kSequentialEquivalent, 21);
  expect_same_placements(one.result, many.result);
  EXPECT_TRUE(testing::placements_verify(objects, many.cluster, many.result));
  EXPECT_GT(many.result.speculated, 0U) << "speculation never came back after the cross-node stretch";
}

// The invariants an optimistic run must keep, whatever the interleaving.
void expect_consistent_and_within_capacity(const Outcome& r) {
  const state::ClusterState& c = r.cluster;
  const std::size_t resources = c.nodes.requested.size();
  std::vector<std::vector<std::int64_t>> sum(resources, std::vector<std::int64_t>(c.nodes.size, 0));
  std::vector<std::int32_t> count(c.nodes.size, 0);
  for (const auto& pod : c.pods) {
    if (pod.bound_node == state::kNoNode) continue;
    for (std::size_t k = 0; k < resources; ++k) sum[k][pod.bound_node] += pod.requests[k];
    ++count[pod.bound_node];
  }
  for (state::NodeIndex n = 0; n < c.nodes.size; ++n) {
    ASSERT_EQ(c.nodes.pod_count[n], count[n]) << "node " << n;
    ASSERT_LE(c.nodes.pod_count[n], c.nodes.allowed_pods[n]) << "node " << n;
    for (std::size_t k = 0; k < resources; ++k) {
      ASSERT_EQ(c.nodes.requested[k][n], sum[k][n]) << "node " << n << " resource " << k;
      ASSERT_LE(c.nodes.requested[k][n], c.nodes.allocatable[k][n]) << "over-committed: node " << n << " resource " << k;
    }
  }
  for (const auto& p : r.result.placements) {
    if (p.node != state::kNoNode) {
      ASSERT_EQ(c.pods[p.pod].bound_node, p.node);
    } else {
      ASSERT_EQ(c.pods[p.pod].bound_node, state::kNoNode);
      ASSERT_FALSE(p.reason.empty()) << c.pods[p.pod].key;
    }
  }
}

TEST(Optimistic, StressNeverOverCommitsAndKeepsUsageConsistent) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    // 16 nodes for 1,200 pods: every node fills up while 8 workers race for it.
    const auto objects = testing::random_cluster_objects(
        seed, {.nodes = 16, .pending_pods = 1200, .bound_pods = 0, .constraints = true, .preferences = false});
    for (const bool cache : {true, false}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " cache " << cache);
      const Outcome r = run(objects, 8, cache, ParallelMode::kOptimistic, seed);
      ASSERT_EQ(r.result.placements.size(), 1200U);
      expect_consistent_and_within_capacity(r);
      // A pod left unplaced fits no node now (usage only grew since it was decided alone).
      state::ClusterState final_state = r.cluster;
      const auto profile = framework::build_profile(framework::default_profile_spec(), final_state);
      framework::Framework fw(profile, final_state.nodes.size, framework::TieBreaker(final_state.nodes.size, 1));
      for (const auto& p : r.result.placements) {
        if (p.node != state::kNoNode) continue;
        ASSERT_EQ(fw.select_node({final_state.pods[p.pod], p.pod}, final_state, 0).node, state::kNoNode)
            << final_state.pods[p.pod].key << " fits somewhere but was reported: " << p.reason;
      }
      EXPECT_LE(r.result.conflicts, r.result.commit_attempts);
      EXPECT_GT(r.result.commit_attempts, 0U);
    }
  }
}

// A pass-through filter whose PreFilter holds the first two pods until both have arrived
// (or 30 seconds passed): two workers then decide on the same replica, before either
// commits, so they pick the same node and one of them must lose the compare-and-swap.
// Node-local, so the optimistic mode runs it concurrently.
class Rendezvous final : public framework::FilterPlugin {
 public:
  std::string_view name() const override { return "Rendezvous"; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord&, std::string&) const override { return true; }
  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override {
    if (arrived_.fetch_add(1) < 2) {
      // Generous: on a loaded CI machine the second worker may start seconds late (a 2 s
      // limit failed once at load 10). Only a run that never races waits this long.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (arrived_.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    }
    return framework::Status(framework::Code::kSkip);
  }
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates, framework::NodeIndex* survivors) const override {
    std::copy(candidates.begin(), candidates.end(), survivors);
    return candidates.size();
  }
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex) const override {
    return {};
  }

 private:
  std::atomic<int> arrived_{0};
};

TEST(Optimistic, RacingWorkersConflictRetryAndStillNeverOverCommit) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs two hardware threads to race";
  // Nodes that each take exactly one pod (max pods 1), of distinct sizes, so the best node
  // is the biggest free one for every pod.
  io::ClusterObjects objects;
  for (int i = 0; i < 50; ++i)
    objects.nodes.push_back(testing::node("n" + std::to_string(i), std::to_string(1 + i), "64Gi", 1));
  for (int i = 0; i < 40; ++i) objects.pods.push_back(testing::pod("p" + std::to_string(i), "500m", "1Gi"));
  framework::Registry registry = framework::Registry::builtin();
  registry.add("Rendezvous", [](const std::any&, const state::ClusterState&) { return std::make_unique<Rendezvous>(); });
  auto spec = framework::default_profile_spec();
  spec.filters.insert(spec.filters.begin(), "Rendezvous");
  for (const bool cache : {true, false}) {
    Outcome r{{}, state::build_cluster_state(objects)};
    const auto profile = framework::build_profile(spec, r.cluster, registry);
    scheduler::SchedulerOptions options;
    // The random clusters have priorities: without this, preemption would decide one pod at a
    // time and the parallel machinery under test would not run.
    options.preemption.enabled = false;
    options.threads = 2;
    options.equivalence_cache = cache;
    options.mode = ParallelMode::kOptimistic;
    r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
    SCOPED_TRACE(::testing::Message() << "cache " << cache);
    expect_consistent_and_within_capacity(r);
    for (const auto& p : r.result.placements) ASSERT_NE(p.node, state::kNoNode);  // room for all
    EXPECT_GE(r.result.conflicts, 1U) << "the two held workers did not collide";
    // Every attempt either committed (at most once per pod) or conflicted.
    EXPECT_GT(r.result.commit_attempts, r.result.conflicts);
    EXPECT_LE(r.result.commit_attempts, 40U + r.result.conflicts);
  }
}

TEST(SequentialEquivalent, ReportsNextStartNodeIndexAsOneThreadDoes) {
  // A start index beyond the node count, as a caller carrying it across queues may pass.
  const auto objects = testing::random_cluster_objects(
      21, {.nodes = 40, .pending_pods = 120, .bound_pods = 0, .constraints = false, .preferences = false});
  std::vector<scheduler::ScheduleResult> results;
  for (const int threads : {1, 3}) {
    state::ClusterState cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    scheduler::SchedulerOptions options;
    // The random clusters have priorities: without this, preemption would decide one pod at a
    // time and the parallel machinery under test would not run.
    options.preemption.enabled = false;
    options.threads = threads;
    options.first_start_node_index = 40 * 3 + 7;
    results.push_back(scheduler::schedule_pending(cluster, {&profile, 1}, options));
  }
  expect_same_placements(results[0], results[1]);
  EXPECT_GT(results[1].speculated, 0U);
}

TEST(Optimistic, ScorerOnlyPodAffinityIsNeverRunConcurrently) {
  // InterPodAffinity as a scorer only: its PreScore writes plugin state even when it then
  // skips, so workers must not run it (TSan watches this test); pods it skips decide
  // node-locally, the others are placed alone.
  auto spec = framework::default_profile_spec();
  std::erase(spec.filters, std::string("InterPodAffinity"));
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    auto objects = testing::random_cluster_objects(
        seed, {.nodes = 30, .pending_pods = 300, .bound_pods = 0, .constraints = false, .preferences = false});
    testing::add_random_pod_affinity(objects, seed);
    for (const bool cache : {true, false}) {
      Outcome r{{}, state::build_cluster_state(objects)};
      const auto profile = framework::build_profile(spec, r.cluster);
      scheduler::SchedulerOptions options;
      // The random clusters have priorities: without this, preemption would decide one pod at a
      // time and the parallel machinery under test would not run.
      options.preemption.enabled = false;
      options.threads = 4;
      options.equivalence_cache = cache;
      options.mode = ParallelMode::kOptimistic;
      r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " cache " << cache);
      expect_consistent_and_within_capacity(r);
      EXPECT_GT(r.result.commit_attempts, 0U) << "no pod was placed concurrently";
    }
  }
}

TEST(Optimistic, CrossNodePodsArePlacedAloneAndInvariantsHold) {
  const auto objects =
      testing::random_spread_cluster_objects(5, {.nodes = 30, .pending_pods = 400, .bound_pods = 0, .preferences = false});
  const Outcome r = run(objects, 4, true, ParallelMode::kOptimistic, 5);
  expect_consistent_and_within_capacity(r);
}

TEST(UsageReservations, ConcurrentReservationsTakeExactlyTheRoomThereIs) {
  // One node with 10 cpu and room for 1,000 pods; 8 threads race to reserve 300m pods.
  io::ClusterObjects objects;
  objects.nodes.push_back(testing::node("only", "10", "64Gi", 1000));
  for (int i = 0; i < 400; ++i) objects.pods.push_back(testing::pod("p" + std::to_string(i), "300m", "1Mi"));
  for (int round = 0; round < 20; ++round) {
    state::ClusterState cluster = state::build_cluster_state(objects);
    scheduler::UsageReservations reservations(cluster);
    std::atomic<state::PodIndex> next{0};
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        for (state::PodIndex p; (p = next.fetch_add(1)) < cluster.pods.size();)
          if (reservations.try_reserve(p, 0)) won.fetch_add(1);
      });
    for (auto& t : threads) t.join();
    const std::size_t cpu = *cluster.resources.find("cpu");
    EXPECT_EQ(won.load(), 33);  // floor(10000m / 300m)
    EXPECT_EQ(cluster.nodes.requested[cpu][0], 33 * 300);
    EXPECT_EQ(cluster.nodes.pod_count[0], 33);
  }
}

}  // namespace
}  // namespace podium
