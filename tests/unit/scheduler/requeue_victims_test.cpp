// Issue 12 leftovers: `--requeue-victims` (SchedulingQueue::requeue_victims: a preemption
// victim comes back as a fresh pending pod, its new placement after its eviction entry),
// engine == reference oracle with it on random clusters with priorities, and
// DefaultPreemptionArgs from a KubeSchedulerConfiguration changing which candidates the
// dry run samples.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "../../support/cluster_fixture.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/random_priorities.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/scheduler/scheduling_queue.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;
using podium::testing::bound;
using podium::testing::node;
using podium::testing::pod;

io::PodObject with_priority(io::PodObject p, std::int32_t priority) {
  p.namespace_ = "d";
  p.priority = priority;
  return p;
}

// One queue run (one attempt per pod incarnation), verified with `podium verify`.
scheduler::ScheduleResult run_queue(const io::ClusterObjects& objects, state::ClusterState& cluster, bool requeue,
                                    std::uint64_t seed = 1, int threads = 1,
                                    scheduler::PreemptionOptions preemption = {}) {
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  scheduler::SchedulerOptions options;
  options.seed = seed;
  options.threads = threads;
  options.preemption = preemption;
  scheduler::SchedulingQueue queue(cluster.pods.size(), {.max_attempts = 1, .requeue_victims = requeue});
  auto result = scheduler::schedule_with_queue(cluster, {&profile, 1}, options, queue);
  EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result));
  return result;
}

// n1 (zone a) is full with a low-priority pod; the preemptor must run in zone a; n2 is
// empty. The victim fits on n2 once it comes back.
io::ClusterObjects zone_cluster() {
  io::ClusterObjects o;
  auto n1 = node("n1", "4", "8Gi");
  n1.labels = {{"zone", "a"}};
  o.nodes = {n1, node("n2", "4", "8Gi")};
  auto hi = with_priority(pod("hi", "4", "1Gi"), 1000);
  hi.node_selector = {{"zone", "a"}};
  o.pods = {with_priority(bound(pod("low", "4", "1Gi"), "n1"), 1), hi};
  return o;
}

TEST(RequeueVictims, AVictimIsPlacedAgainAfterItsEvictionEntry) {
  const auto objects = zone_cluster();
  auto cluster = state::build_cluster_state(objects);
  const auto result = run_queue(objects, cluster, true);
  ASSERT_EQ(result.placements.size(), 3U);
  const auto key = [&](const scheduler::Placement& p) { return cluster.pods[p.pod].key; };
  EXPECT_EQ(key(result.placements[0]), "d/low");
  EXPECT_EQ(result.placements[0].evicted_by, 1U);  // the eviction entry, before its preemptor
  EXPECT_EQ(key(result.placements[1]), "d/hi");
  EXPECT_EQ(cluster.nodes.names[result.placements[1].node], "n1");
  EXPECT_TRUE(result.placements[1].nominated);
  EXPECT_EQ(key(result.placements[2]), "d/low");  // the recreated pod, after its eviction
  ASSERT_NE(result.placements[2].node, state::kNoNode);
  EXPECT_EQ(cluster.nodes.names[result.placements[2].node], "n2");
  EXPECT_EQ(result.placements[2].evicted_by, scheduler::kNoPod);
  EXPECT_EQ(cluster.pods[0].bound_node, result.placements[2].node);
  // The recreated pod is its controller's new pod: no spec.nodeName (the snapshot's bound
  // pod had n1 there), not started.
  EXPECT_TRUE(cluster.pods[0].requested_node_name.empty());
  EXPECT_FALSE(cluster.pods[0].start_time_ns.has_value());
}

TEST(RequeueVictims, WithoutTheOptionAVictimStaysEvicted) {
  const auto objects = zone_cluster();
  auto cluster = state::build_cluster_state(objects);
  const auto result = run_queue(objects, cluster, false);
  ASSERT_EQ(result.placements.size(), 2U);
  EXPECT_EQ(result.victims, 1U);
  EXPECT_EQ(cluster.pods[0].bound_node, state::kNoNode);
}

TEST(RequeueVictims, RequeuedPodsComeHigherPriorityFirstThenInEvictionOrder) {
  scheduler::SchedulingQueue queue(4, {.max_attempts = 1, .requeue_victims = true});
  for (state::PodIndex p = 0; p < 4; ++p) queue.add(p, 0, p);
  (void)queue.pop_ready();
  // A hand-made result: pods 3, 1, 2 evicted in that order; 1 has the highest priority.
  io::ClusterObjects objects;
  objects.nodes = {node("n1", "4", "8Gi")};
  for (const char* name : {"a", "b", "c", "d"}) objects.pods.push_back(with_priority(pod(name, "1", "1Gi"), 0));
  objects.pods[1].priority = 5;
  auto cluster = state::build_cluster_state(objects);
  scheduler::ScheduleResult result;
  for (const state::PodIndex v : {3U, 1U, 2U}) {
    scheduler::Placement evicted;
    evicted.pod = v;
    evicted.evicted_by = 0;
    result.placements.push_back(evicted);
  }
  EXPECT_EQ(queue.requeue_victims(result, cluster), 3U);
  EXPECT_EQ(queue.requeued(), 3U);
  EXPECT_EQ(queue.pop_ready(), (std::vector<state::PodIndex>{1, 3, 2}));
}

// Every entry of a run, engine or reference, as comparable text.
using Entry = std::tuple<std::string, std::string, std::string, std::vector<std::string>>;

Entry entry_of(const state::ClusterState& cluster, state::PodIndex pod, state::NodeIndex node, bool evicted,
               state::PodIndex by, const std::vector<state::PodIndex>& victims) {
  std::vector<std::string> names;
  for (const auto v : victims) names.push_back(cluster.pods[v].key);
  return {cluster.pods[pod].key, node == state::kNoNode ? "" : cluster.nodes.names[node],
          evicted ? cluster.pods[by].key : "", names};
}

std::vector<Entry> engine_entries(const io::ClusterObjects& objects, std::uint64_t seed, int threads) {
  auto cluster = state::build_cluster_state(objects);
  const auto result = run_queue(objects, cluster, true, seed, threads);
  std::vector<Entry> out;
  for (const auto& p : result.placements)
    out.push_back(entry_of(cluster, p.pod, p.node, p.evicted_by != scheduler::kNoPod, p.evicted_by, p.victims));
  return out;
}

std::vector<Entry> reference_entries(const io::ClusterObjects& objects, std::uint64_t seed) {
  const auto cluster = state::build_cluster_state(objects);
  reference::ReferenceOptions options;
  options.seed = seed;
  options.requeue_victims = true;
  std::vector<Entry> out;
  for (const auto& p : reference::reference_schedule(cluster, options))
    out.push_back(entry_of(cluster, p.pod, p.node, p.evicted_by != reference::kNoPreemptor, p.evicted_by, p.victims));
  return out;
}

TEST(RequeueVictims, EngineEqualsTheReferenceOnRandomClustersWithPriorities) {
  std::size_t evictions = 0, placed_again = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 30, .pending_pods = 250, .bound_pods = 60});
    podium::testing::add_random_priorities(objects, seed, true);
    const auto expected = reference_entries(objects, seed);
    EXPECT_EQ(engine_entries(objects, seed, 1), expected) << "seed " << seed;
    EXPECT_EQ(engine_entries(objects, seed, 2), expected) << "seed " << seed << ", 2 threads";
    std::set<std::string> evicted;
    for (const auto& [pod, node, by, victims] : expected) {
      if (!by.empty()) {
        ++evictions;
        evicted.insert(pod);
      } else if (!node.empty() && evicted.count(pod) != 0) {
        ++placed_again;
      }
    }
  }
  EXPECT_GT(evictions, 20U) << "the random clusters should preempt";
  EXPECT_GT(placed_again, 0U) << "some requeued victim should be placed again";
}

// Ten nodes, each full with one pod; n9's has the lowest priority, so with every node a
// candidate (the default args: max(10%, 100) >= 10) the preemptor always takes n9. With
// minCandidateNodesPercentage 10 and minCandidateNodesAbsolute 1 the dry run stops at the
// first candidate from the seeded offset (DefaultPreemption.calculateNumCandidates), so the
// node is the one at the offset.
TEST(PreemptionArgs, AConfigChangesWhichCandidatesAreSampled) {
  io::ClusterObjects objects;
  for (int n = 0; n < 10; ++n) {
    const std::string name = "n" + std::to_string(n);
    objects.nodes.push_back(node(name, "2", "8Gi"));
    objects.pods.push_back(with_priority(bound(pod("low" + std::to_string(n), "2", "1Gi"), name), n == 9 ? 1 : 5));
  }
  objects.pods.push_back(with_priority(pod("hi", "2", "1Gi"), 1000));
  const auto config = config::parse_scheduler_config(R"(apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 1}
)",
                                                     "sched.yaml");
  const auto one_candidate = scheduler::preemption_options(config.default_preemption);
  EXPECT_EQ(scheduler::num_preemption_candidates(10, one_candidate), 1);
  std::set<std::string> sampled;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    auto defaults = state::build_cluster_state(objects);
    const auto all = run_queue(objects, defaults, false, seed);
    EXPECT_EQ(defaults.nodes.names[all.placements.back().node], "n9") << "seed " << seed;

    auto sampled_cluster = state::build_cluster_state(objects);
    const auto one = run_queue(objects, sampled_cluster, false, seed, 1, one_candidate);
    const std::string expected = "n" + std::to_string(scheduler::preemption_offset(seed, 0, 10));
    EXPECT_EQ(sampled_cluster.nodes.names[one.placements.back().node], expected) << "seed " << seed;
    sampled.insert(expected);

    // The reference oracle reads the same args the same way.
    reference::ReferenceOptions ref;
    ref.seed = seed;
    ref.min_candidate_nodes_percentage = config.default_preemption.min_candidate_nodes_percentage;
    ref.min_candidate_nodes_absolute = config.default_preemption.min_candidate_nodes_absolute;
    const auto ref_cluster = state::build_cluster_state(objects);
    EXPECT_EQ(ref_cluster.nodes.names[reference::reference_schedule(ref_cluster, ref).back().node], expected);
  }
  EXPECT_GT(sampled.size(), 2U) << "the offset should move with the seed";
}

}  // namespace
