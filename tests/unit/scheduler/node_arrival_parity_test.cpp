// Nodes that arrive after pods (issue 12 item 4): the engine grows its state when nodes
// join (state::grow_cluster, profiles built again) and the reference oracle simply appends
// them to its node list (ReferenceScheduler::add_nodes); both must place every pod alike,
// at 1 and 2 threads, and podium verify must accept the placements with the nodes'
// creation entries where they happened — and reject them when the creations come later.
//
// The timeline: the pending pods in queue order, cut in three; nodes [0, 160) exist at the
// start, [160, 200) join after the first third, [200, 240) after the second. Each later
// step retries the pods the steps before left unplaced (in the order they failed), then
// takes its own third. Late nodes carry `arrival: late` (every sixth pending pod asks for
// it, so it fits nowhere until they come), and half of them open a new zone. Spread
// constraints and pod (anti-)affinity (domains, minDomains, counts), images, priorities
// (preemption candidates) and, in one case, node sampling all see the node set change.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/profile.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/state/cluster_growth.hpp"
#include "podium/verify/verify.hpp"

namespace {

using namespace podium;
using state::NodeIndex;
using state::PodIndex;

constexpr std::size_t kInitialNodes = 160;
constexpr std::size_t kArrivals[] = {40, 40};  // nodes joining after step 1 and after step 2

// One entry of a run, in order: a decision (node kNoNode: unplaced), an eviction
// (evicted_by set), or a node joining (pod kNoPod).
struct Step {
  PodIndex pod = scheduler::kNoPod;
  NodeIndex node = state::kNoNode;
  PodIndex evicted_by = scheduler::kNoPod;
  bool operator==(const Step&) const = default;
};

io::ClusterObjects arrival_cluster(std::uint64_t seed) {
  auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 240, .pending_pods = 600, .bound_pods = 120});
  podium::testing::add_random_pod_affinity(objects, seed);
  // Both generators label nodes (hostname) and pods (app, tier): keep each key's first value,
  // as the API server would hold one.
  auto first_of_each_key = [](io::StringMap& labels) {
    std::set<std::string> keys;
    std::erase_if(labels, [&](const auto& kv) { return !keys.insert(kv.first).second; });
  };
  for (auto& n : objects.nodes) first_of_each_key(n.labels);
  for (auto& p : objects.pods) first_of_each_key(p.labels);
  for (std::size_t n = kInitialNodes; n < objects.nodes.size(); ++n) {
    auto& node = objects.nodes[n];
    node.labels.emplace_back("arrival", "late");
    if (n % 2 == 0)
      for (auto& [key, value] : node.labels)
        if (key == "topology.kubernetes.io/zone") value = "z-new";
  }
  // Pods run only on nodes that exist: drop those bound to late nodes.
  std::erase_if(objects.pods, [](const io::PodObject& p) {
    return !p.node_name.empty() && std::stoul(p.node_name.substr(5)) >= kInitialNodes;
  });
  std::size_t pending = 0;
  for (auto& p : objects.pods)
    if (p.node_name.empty() && pending++ % 6 == 0) p.node_selector.emplace_back("arrival", "late");
  return objects;
}

// The pending pods in queue order, cut in three.
std::vector<std::vector<PodIndex>> steps_of(const io::ClusterObjects& objects) {
  const auto order = state::build_cluster_state(objects).pending_in_queue_order();
  std::vector<std::vector<PodIndex>> steps(3);
  for (std::size_t i = 0; i < order.size(); ++i) steps[i * 3 / order.size()].push_back(order[i]);
  return steps;
}

io::ClusterObjects first_nodes(const io::ClusterObjects& objects, std::size_t count) {
  io::ClusterObjects out = objects;
  out.nodes.resize(count);
  return out;
}

// The engine: schedule_queue per step, its state grown between steps.
std::vector<Step> engine_run(const io::ClusterObjects& objects, std::uint64_t seed, int threads,
                             const framework::ProfileSpec& spec) {
  const auto steps = steps_of(objects);
  std::size_t present = kInitialNodes;
  io::ClusterObjects now = first_nodes(objects, present);
  auto cluster = state::build_cluster_state(now);
  auto profile = framework::build_profile(spec, cluster);
  std::vector<Step> out;
  std::vector<PodIndex> waiting;  // unplaced so far, in the order they failed
  std::uint64_t decisions = 0;
  std::size_t next_start = 0;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    std::vector<PodIndex> queue = std::move(waiting);
    queue.insert(queue.end(), steps[s].begin(), steps[s].end());
    waiting.clear();
    scheduler::SchedulerOptions options{seed, threads};
    options.first_decision = decisions;
    options.first_start_node_index = next_start;
    const auto result = scheduler::schedule_queue(cluster, {&profile, 1}, queue, options);
    decisions += queue.size();
    next_start = result.next_start_node_index;
    for (const auto& p : result.placements) {
      out.push_back({p.pod, p.node, p.evicted_by});
      if (p.evicted_by == scheduler::kNoPod && p.node == state::kNoNode) waiting.push_back(p.pod);
    }
    if (s < std::size(kArrivals)) {
      for (std::size_t n = present; n < present + kArrivals[s]; ++n) {
        now.nodes.push_back(objects.nodes[n]);
        out.push_back({scheduler::kNoPod, static_cast<NodeIndex>(n), scheduler::kNoPod});
      }
      present += kArrivals[s];
      cluster = state::grow_cluster(cluster, now);
      cluster.index_node_names();
      profile = framework::build_profile(spec, cluster);
    }
  }
  return out;
}

// The reference: one ReferenceScheduler over the whole cluster, its nodes joining by
// add_nodes; decide, preempt when nothing fits, bind.
std::vector<Step> reference_run(const io::ClusterObjects& objects, std::uint64_t seed,
                                reference::ReferenceOptions options) {
  const auto steps = steps_of(objects);
  const auto cluster = state::build_cluster_state(objects);
  options.seed = seed;
  options.initial_nodes = kInitialNodes;
  reference::ReferenceScheduler ref(cluster, options);
  std::vector<Step> out;
  std::vector<PodIndex> waiting;
  std::uint64_t decision = 0;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    std::vector<PodIndex> queue = std::move(waiting);
    queue.insert(queue.end(), steps[s].begin(), steps[s].end());
    waiting.clear();
    for (const PodIndex p : queue) {
      const std::uint64_t i = decision++;
      const state::PodRecord& pod = cluster.pods[p];
      NodeIndex node = ref.decide(pod, i);
      std::vector<PodIndex> victims;
      if (node == state::kNoNode) node = ref.preempt(pod, i, victims);
      for (const PodIndex v : victims) out.push_back({v, state::kNoNode, p});
      out.push_back({p, node, scheduler::kNoPod});
      if (node != state::kNoNode) {
        ref.bind(pod, node);
      } else {
        waiting.push_back(p);
      }
    }
    if (s < std::size(kArrivals)) {
      for (std::size_t n = ref.node_count(); n < ref.node_count() + kArrivals[s]; ++n)
        out.push_back({scheduler::kNoPod, static_cast<NodeIndex>(n), scheduler::kNoPod});
      ref.add_nodes(kArrivals[s]);
    }
  }
  return out;
}

// The run as a podium verify list; creations_last moves every node creation to the end.
verify::Placements placements_of(const io::ClusterObjects& objects, const std::vector<Step>& run,
                                 bool creations_last = false) {
  const auto cluster = state::build_cluster_state(objects);
  verify::Placements out;
  out.file = "<node arrival run>";
  std::vector<verify::PlacementEntry> creations;
  // A list names a pod once (or again after its eviction): an unplaced pod is listed at its
  // last attempt only.
  std::map<PodIndex, std::size_t> last_attempt;
  for (std::size_t i = 0; i < run.size(); ++i)
    if (run[i].pod != scheduler::kNoPod && run[i].evicted_by == scheduler::kNoPod) last_attempt[run[i].pod] = i;
  for (std::size_t i = 0; i < run.size(); ++i) {
    const Step& s = run[i];
    if (s.pod != scheduler::kNoPod && s.evicted_by == scheduler::kNoPod && s.node == state::kNoNode &&
        last_attempt[s.pod] != i)
      continue;
    verify::PlacementEntry e;
    e.path = "steps[" + std::to_string(i) + "]";
    if (s.pod == scheduler::kNoPod) {
      e.node = cluster.nodes.names[s.node];
      e.created = true;
      (creations_last ? creations : out.entries).push_back(std::move(e));
      continue;
    }
    e.pod = cluster.pods[s.pod].key;
    if (s.node != state::kNoNode) e.node = cluster.nodes.names[s.node];
    if (s.evicted_by != scheduler::kNoPod) e.evicted_by = cluster.pods[s.evicted_by].key;
    out.entries.push_back(std::move(e));
  }
  out.entries.insert(out.entries.end(), creations.begin(), creations.end());
  return out;
}

::testing::AssertionResult verifies(const io::ClusterObjects& objects, const std::vector<Step>& run) {
  const auto report = verify::verify_placements(objects, placements_of(objects, run));
  if (report.ok() && report.created == 80) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << report.created << " nodes created, " << report.errors.size()
                                               << " list error(s), " << report.violations.size() << " violation(s)";
  for (std::size_t k = 0; k < report.errors.size() && k < 10; ++k) failure << "\n  " << report.errors[k];
  for (std::size_t k = 0; k < report.violations.size() && k < 10; ++k)
    failure << "\n  " << verify::format_violation(report.violations[k]);
  return failure;
}

struct ArrivalCase {
  const char* name;
  std::uint64_t seed;
  std::optional<std::int32_t> percentage;  // percentageOfNodesToScore
};

class NodeArrivalParity : public ::testing::TestWithParam<ArrivalCase> {};

TEST_P(NodeArrivalParity, EngineMatchesTheReferenceAtOneAndTwoThreadsAndVerifies) {
  const ArrivalCase& c = GetParam();
  const auto objects = arrival_cluster(c.seed);
  auto spec = framework::default_profile_spec();
  spec.percentage_of_nodes_to_score = c.percentage;
  reference::ReferenceOptions ref;
  ref.percentage_of_nodes_to_score = c.percentage;
  const auto expected = reference_run(objects, c.seed, ref);
  for (const int threads : {1, 2}) {
    const auto got = engine_run(objects, c.seed, threads, spec);
    ASSERT_EQ(got.size(), expected.size()) << threads << " thread(s)";
    for (std::size_t i = 0; i < got.size(); ++i)
      ASSERT_EQ(got[i], expected[i]) << "step " << i << " at " << threads << " thread(s): pod " << got[i].pod
                                     << " -> node " << got[i].node << ", reference pod " << expected[i].pod << " -> node "
                                     << expected[i].node;
    EXPECT_TRUE(verifies(objects, got)) << threads << " thread(s)";
  }

  // Teeth. Pods that failed before the nodes came were placed on the retry, some on the
  // new nodes; no pod went to a node before it existed; and the arrivals changed the
  // answer (with every node there from the start, the reference places pods otherwise).
  std::set<PodIndex> failed;
  std::size_t placed_on_retry = 0, placed_on_late = 0;
  std::size_t present = kInitialNodes;
  for (const Step& s : expected) {
    if (s.pod == scheduler::kNoPod) {
      present = std::max<std::size_t>(present, s.node + 1);
      continue;
    }
    if (s.evicted_by != scheduler::kNoPod) continue;
    if (s.node == state::kNoNode) {
      failed.insert(s.pod);
      continue;
    }
    EXPECT_LT(s.node, present) << "pod " << s.pod;
    placed_on_retry += failed.count(s.pod);
    placed_on_late += s.node >= kInitialNodes ? 1 : 0;
  }
  EXPECT_GT(placed_on_retry, 20u);
  EXPECT_GT(placed_on_late, 40u);
  reference::ReferenceOptions all_there = ref;
  all_there.seed = c.seed;
  std::vector<NodeIndex> at_once;
  for (const auto& p : reference::reference_schedule(state::build_cluster_state(objects), all_there))
    if (p.evicted_by == reference::kNoPreemptor) at_once.push_back(p.node);
  std::vector<NodeIndex> first_attempts;
  std::set<PodIndex> seen;
  for (const Step& s : expected)
    if (s.pod != scheduler::kNoPod && s.evicted_by == scheduler::kNoPod && seen.insert(s.pod).second)
      first_attempts.push_back(s.node);
  EXPECT_NE(first_attempts, at_once);
}

TEST_P(NodeArrivalParity, VerifyRejectsPlacementsOnNodesBeforeTheirCreation) {
  const ArrivalCase& c = GetParam();
  const auto objects = arrival_cluster(c.seed);
  auto spec = framework::default_profile_spec();
  spec.percentage_of_nodes_to_score = c.percentage;
  const auto run = engine_run(objects, c.seed, 1, spec);
  const auto report = verify::verify_placements(objects, placements_of(objects, run, /*creations_last=*/true));
  ASSERT_FALSE(report.errors.empty());
  EXPECT_NE(report.errors.front().find("does not exist yet at this point of the list (created at steps["),
            std::string::npos)
      << report.errors.front();
}

INSTANTIATE_TEST_SUITE_P(RandomClusters, NodeArrivalParity,
                         ::testing::Values(ArrivalCase{"EveryNodeScored", 3, std::nullopt},
                                           ArrivalCase{"EveryNodeScoredOtherSeed", 8, std::nullopt},
                                           ArrivalCase{"FortyPercentScored", 5, 40}),
                         [](const ::testing::TestParamInfo<ArrivalCase>& c) { return std::string(c.param.name); });

}  // namespace
