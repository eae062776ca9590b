// Pod groups (coscheduling): a group is placed all-or-nothing at its first member's queue
// position. A rejected group leaves the cluster, the plugins' counters and the rest of the
// queue exactly as if it had never been tried; a group of which minMember fit keeps those.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../../support/cluster_fixture.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "podium/algorithms/algorithm.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;
using podium::testing::q;

constexpr const char* kGpu = "example.com/gpu";

// Every column a bind or unbind writes, and where every pod is.
struct Snapshot {
  std::vector<std::vector<std::int64_t>> requested;
  std::vector<std::int64_t> nonzero_cpu, nonzero_memory;
  std::vector<std::int32_t> pod_count;
  std::vector<std::vector<std::string>> used_ports;  // "ip/protocol/port" (string ids differ across builds)
  std::map<std::string, std::string> bound;  // pod key -> node name ("" pending)
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const state::ClusterState& c, const std::set<std::string>& skip_pods = {}) {
  Snapshot s;
  for (const auto& col : c.nodes.requested) s.requested.emplace_back(col.begin(), col.end());
  s.nonzero_cpu.assign(c.nodes.nonzero_cpu.begin(), c.nodes.nonzero_cpu.end());
  s.nonzero_memory.assign(c.nodes.nonzero_memory.begin(), c.nodes.nonzero_memory.end());
  s.pod_count.assign(c.nodes.pod_count.begin(), c.nodes.pod_count.end());
  for (const auto& ports : c.nodes.used_ports) {
    auto& out = s.used_ports.emplace_back();
    for (const auto& port : ports)
      out.push_back(c.strings.text(port.ip) + "/" + c.strings.text(port.protocol) + "/" + std::to_string(port.port));
  }
  for (const auto& pod : c.pods) {
    if (skip_pods.contains(pod.key)) continue;
    s.bound[pod.key] = pod.bound_node == state::kNoNode ? "" : c.nodes.names[pod.bound_node];
  }
  return s;
}

// A random cluster whose `gpu_nodes` first nodes have one example.com/gpu each, and a
// group "default/train" of `members` pending pods (spread through the queue) that each
// need one, with the given minMember.
struct GangCase {
  io::ClusterObjects with_group;
  io::ClusterObjects without_group;
  std::set<std::string> members;
};

GangCase gang_case(io::ClusterObjects objects, int gpu_nodes, int members, int min_member, bool host_port = false) {
  // GPU nodes roomy and open to every pod, so that exactly one member fits on each (the
  // members' node-level constraints are cleared below).
  for (int n = 0; n < gpu_nodes; ++n) {
    io::NodeObject& node = objects.nodes[static_cast<std::size_t>(n)];
    node.allocatable = podium::testing::resources({{"cpu", "1000"}, {"memory", "4Ti"}, {"pods", "500"}, {kGpu, "1"}});
    node.taints.clear();
    node.unschedulable = false;
  }
  GangCase out;
  out.without_group = objects;
  // Every 9th pending pod, from the 20th on: members interleaved with other pods.
  std::vector<std::size_t> chosen;
  for (std::size_t i = 20; i < objects.pods.size() && static_cast<int>(chosen.size()) < members; i += 9)
    if (objects.pods[i].node_name.empty() && objects.pods[i].namespace_ == "default") chosen.push_back(i);
  EXPECT_EQ(static_cast<int>(chosen.size()), members);
  for (const std::size_t i : chosen) {
    io::PodObject& pod = objects.pods[i];
    pod.labels.emplace_back(io::kPodGroupLabel, "train");
    pod.containers.resize(1);
    pod.containers.front().requests = podium::testing::resources({{"cpu", "100m"}, {"memory", "64Mi"}, {kGpu, "1"}});
    pod.containers.front().ports.clear();
    pod.init_containers.clear();
    pod.node_selector.clear();
    if (pod.affinity) pod.affinity->node_affinity.reset();
    if (host_port && i == chosen.front()) pod.containers.front().ports.push_back({31999, 31999, "TCP", ""});
    out.members.insert(pod.key());
  }
  io::PodGroupObject group;
  group.name = "train";
  group.min_member = min_member;
  objects.pod_groups.push_back(group);
  io::validate_objects(objects);
  out.with_group = std::move(objects);
  std::erase_if(out.without_group.pods, [&](const io::PodObject& p) { return out.members.contains(p.key()); });
  return out;
}

struct Outcome {
  state::ClusterState cluster;
  scheduler::ScheduleResult result;
  std::map<std::string, std::string> node_of;  // pod key -> node ("" unplaced)
};

scheduler::SchedulerOptions options_for(std::uint64_t seed, int threads, const std::string& algorithm,
                                        scheduler::ParallelMode mode) {
  scheduler::SchedulerOptions o;
  o.seed = seed;
  o.threads = threads;
  o.mode = mode;
  if (!algorithm.empty()) o.algorithm = algorithms::make_algorithm({algorithm, {}});
  return o;
}

Outcome run_all(const io::ClusterObjects& objects, const scheduler::SchedulerOptions& options) {
  Outcome r{state::build_cluster_state(objects), {}, {}};
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  r.result = scheduler::schedule_pending(r.cluster, {&profile, 1}, options);
  for (const auto& p : r.result.placements)
    r.node_of[r.cluster.pods[p.pod].key] = p.node == state::kNoNode ? "" : r.cluster.nodes.names[p.node];
  return r;
}

// The cluster without the group, its queue cut where the group stood in `gang` and the
// decision indices after the cut advanced by the group's size: what the pods around a
// rejected group must get.
Outcome run_around_group(const GangCase& c, const Outcome& gang, const scheduler::SchedulerOptions& options) {
  const auto& placements = gang.result.placements;
  std::size_t first = placements.size();
  for (std::size_t i = 0; i < placements.size(); ++i)
    if (c.members.contains(gang.cluster.pods[placements[i].pod].key)) {
      first = std::min(first, i);
    }
  Outcome r{state::build_cluster_state(c.without_group), {}, {}};
  std::map<std::string, state::PodIndex> index;
  for (state::PodIndex p = 0; p < r.cluster.pods.size(); ++p) index[r.cluster.pods[p].key] = p;
  std::vector<state::PodIndex> before, after;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    const std::string& key = gang.cluster.pods[placements[i].pod].key;
    // A victim's eviction entry is no decision: its pod was bound, not queued.
    if (c.members.contains(key) || placements[i].evicted_by != scheduler::kNoPod) continue;
    (i < first ? before : after).push_back(index.at(key));
  }
  const auto profile = framework::build_profile(framework::default_profile_spec(), r.cluster);
  auto o = options;
  auto head = scheduler::schedule_queue(r.cluster, {&profile, 1}, before, o);
  o.first_decision = before.size() + c.members.size();
  o.first_start_node_index = head.next_start_node_index;
  auto tail = scheduler::schedule_queue(r.cluster, {&profile, 1}, after, o);
  for (auto* part : {&head, &tail})
    for (const auto& p : part->placements)
      r.node_of[r.cluster.pods[p.pod].key] = p.node == state::kNoNode ? "" : r.cluster.nodes.names[p.node];
  return r;
}

// Checks a rejected group: every member unplaced with `reason`, contiguous in the
// placements; everything else placed as without the group; the cluster as without it.
void expect_rejected_like_absent(const GangCase& c, const Outcome& gang, const Outcome& absent, const std::string& reason) {
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < gang.result.placements.size(); ++i) {
    const auto& p = gang.result.placements[i];
    const std::string& key = gang.cluster.pods[p.pod].key;
    if (c.members.contains(key)) {
      positions.push_back(i);
      EXPECT_EQ(p.node, state::kNoNode) << key;
      EXPECT_EQ(p.reason, reason) << key;
    } else {
      EXPECT_EQ(gang.node_of.at(key), absent.node_of.at(key)) << key;
    }
  }
  ASSERT_EQ(positions.size(), c.members.size());
  EXPECT_EQ(positions.back() - positions.front() + 1, positions.size()) << "members placed back to back";
  EXPECT_EQ(gang.result.gangs_rejected, 1U);
  EXPECT_EQ(gang.result.gangs_placed, 0U);
  const Snapshot got = snapshot(gang.cluster, c.members), want = snapshot(absent.cluster);
  EXPECT_TRUE(got.requested == want.requested) << "requested columns differ from the run without the group";
  EXPECT_TRUE(got.nonzero_cpu == want.nonzero_cpu && got.nonzero_memory == want.nonzero_memory);
  EXPECT_TRUE(got.pod_count == want.pod_count);
  EXPECT_TRUE(got.used_ports == want.used_ports);
  EXPECT_TRUE(got.bound == want.bound);
}

TEST(Gang, PartialFitLeavesClusterAndRestOfQueueAsIfAbsent) {
  for (std::uint64_t seed = 3; seed < 6; ++seed) {
    SCOPED_TRACE(seed);
    const auto c = gang_case(podium::testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 250}), 3, 8, 8,
                             /*host_port=*/true);
    const auto options = options_for(seed, 1, "", scheduler::ParallelMode::kSequentialEquivalent);
    const Outcome gang = run_all(c.with_group, options);
    const Outcome absent = run_around_group(c, gang, options);
    expect_rejected_like_absent(c, gang, absent, "pod group default/train: 3/8 members fit (minMember 8)");
  }
}

TEST(Gang, RejectedAttemptRestoresEveryColumnExactly) {
  const auto c = gang_case(podium::testing::random_cluster_objects(11, {.nodes = 30, .pending_pods = 200}), 4, 6, 6,
                           /*host_port=*/true);
  auto cluster = state::build_cluster_state(c.with_group);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  // Place the ordinary pods first, so the group's attempt meets a busy cluster.
  std::vector<state::PodIndex> ordinary, members;
  for (const state::PodIndex p : cluster.pending_in_queue_order())
    (cluster.pods[p].group == state::kNoPodGroup ? ordinary : members).push_back(p);
  (void)scheduler::schedule_queue(cluster, {&profile, 1}, ordinary, {});
  const Snapshot before = snapshot(cluster);
  scheduler::SchedulerOptions after_ordinary;
  after_ordinary.first_decision = ordinary.size();
  const auto r = scheduler::schedule_queue(cluster, {&profile, 1}, members, after_ordinary);
  EXPECT_TRUE(snapshot(cluster) == before);
  ASSERT_EQ(r.placements.size(), members.size());
  EXPECT_EQ(r.gangs_rejected, 1U);
  EXPECT_EQ(r.placements[0].reason.rfind("pod group default/train: ", 0), 0U) << r.placements[0].reason;
  // And a second identical attempt decides identically (the caches and counters agree).
  const auto again = scheduler::schedule_queue(cluster, {&profile, 1}, members, after_ordinary);
  for (std::size_t i = 0; i < members.size(); ++i) EXPECT_EQ(again.placements[i].reason, r.placements[i].reason);
  EXPECT_TRUE(snapshot(cluster) == before);
}

TEST(Gang, AGroupThatFitsIsPlacedWhole) {
  const auto c = gang_case(podium::testing::random_cluster_objects(5, {.nodes = 40, .pending_pods = 250}), 12, 8, 8);
  const Outcome gang = run_all(c.with_group, options_for(5, 1, "", scheduler::ParallelMode::kSequentialEquivalent));
  for (const auto& key : c.members) EXPECT_NE(gang.node_of.at(key), "") << key;
  EXPECT_EQ(gang.result.gangs_placed, 1U);
  EXPECT_EQ(gang.result.gangs_rejected, 0U);
}

TEST(Gang, AtLeastMinMemberFitKeepsThoseAndTheRestKeepTheirFitError) {
  const auto c = gang_case(podium::testing::random_cluster_objects(6, {.nodes = 40, .pending_pods = 250}), 5, 8, 3);
  const Outcome gang = run_all(c.with_group, options_for(6, 1, "", scheduler::ParallelMode::kSequentialEquivalent));
  int placed = 0;
  for (const auto& p : gang.result.placements) {
    if (!c.members.contains(gang.cluster.pods[p.pod].key)) continue;
    if (p.node != state::kNoNode) {
      ++placed;
    } else {
      EXPECT_NE(p.reason.find("Insufficient example.com/gpu"), std::string::npos) << p.reason;
    }
  }
  EXPECT_EQ(placed, 5);
  EXPECT_EQ(gang.result.gangs_placed, 1U);
}

TEST(Gang, FewerMembersThanMinMemberAreNotTried) {
  const auto c = gang_case(podium::testing::random_cluster_objects(7, {.nodes = 40, .pending_pods = 250}), 12, 4, 5);
  const auto options = options_for(7, 1, "", scheduler::ParallelMode::kSequentialEquivalent);
  const Outcome gang = run_all(c.with_group, options);
  const Outcome absent = run_around_group(c, gang, options);
  expect_rejected_like_absent(c, gang, absent, "pod group default/train: 4 members, fewer than minMember 5");
}

TEST(Gang, MembersAlreadyBoundCountTowardMinMember) {
  using podium::testing::bound;
  using podium::testing::node;
  using podium::testing::pod;
  io::ClusterObjects objects;
  objects.nodes = {node("a", "4", "8Gi"), node("b", "4", "8Gi")};
  auto member = [](std::string name, const std::string& cpu) {
    auto p = pod(std::move(name), cpu, "1Gi");
    p.labels.emplace_back(io::kPodGroupLabel, "g");
    return p;
  };
  objects.pods = {bound(member("running", "1"), "a"), member("fits", "3"), member("too-big", "5")};
  objects.pod_groups.push_back({{}, "default", "g", 2});
  io::validate_objects(objects);
  Outcome r = run_all(objects, {});
  EXPECT_NE(r.node_of.at("default/fits"), "");
  EXPECT_EQ(r.node_of.at("default/too-big"), "");
  EXPECT_EQ(r.result.gangs_placed, 1U);

  objects.pod_groups.front().min_member = 3;
  r = run_all(objects, {});
  EXPECT_EQ(r.node_of.at("default/fits"), "");
  for (const auto& p : r.result.placements) EXPECT_EQ(p.reason, "pod group default/g: 2/3 members fit (minMember 3)");
}

struct ModeCase {
  const char* algorithm;
  int threads;
  scheduler::ParallelMode mode;
};

class GangModes : public ::testing::TestWithParam<ModeCase> {};

TEST_P(GangModes, RejectedGroupIsInvisibleToTheRestOfTheQueue) {
  const ModeCase& m = GetParam();
  for (std::uint64_t seed = 21; seed < 23; ++seed) {
    SCOPED_TRACE(seed);
    const auto c = gang_case(podium::testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 250}), 3, 8, 8);
    const auto options = options_for(seed, m.threads, m.algorithm, m.mode);
    const Outcome gang = run_all(c.with_group, options);
    if (m.mode == scheduler::ParallelMode::kOptimistic && m.threads > 1) {
      // Not deterministic: only the group's all-or-nothing outcome and a consistent cluster.
      for (const auto& key : c.members) EXPECT_EQ(gang.node_of.at(key), "") << key;
      EXPECT_EQ(gang.result.gangs_rejected, 1U);
      for (std::size_t n = 0; n < gang.cluster.nodes.size; ++n) {
        std::int32_t pods = 0;
        for (const auto& pod : gang.cluster.pods) pods += pod.bound_node == n ? 1 : 0;
        EXPECT_EQ(gang.cluster.nodes.pod_count[n], pods);
      }
      continue;
    }
    const Outcome absent = run_around_group(c, gang, options);
    expect_rejected_like_absent(c, gang, absent, "pod group default/train: 3/8 members fit (minMember 8)");
    if (m.threads > 1) {
      const Outcome one = run_all(c.with_group, options_for(seed, 1, m.algorithm, m.mode));
      EXPECT_EQ(gang.node_of, one.node_of) << "threads=2 differs from threads=1";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    AlgorithmsAndParallelModes, GangModes,
    ::testing::Values(ModeCase{"", 1, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"first-fit", 1, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"best-fit", 1, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"random", 1, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"best-fit", 2, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"", 2, scheduler::ParallelMode::kSequentialEquivalent},
                      ModeCase{"", 2, scheduler::ParallelMode::kOptimistic}),
    [](const ::testing::TestParamInfo<ModeCase>& param_info) {
      const ModeCase& m = param_info.param;
      std::string name = m.algorithm[0] ? m.algorithm : "default";
      std::erase(name, '-');
      name += "_threads" + std::to_string(m.threads);
      name += m.mode == scheduler::ParallelMode::kOptimistic ? "_optimistic" : "_sequential";
      return name;
    });

// Members with topology spread constraints and pod (anti-)affinity, whose tentative binds
// move InterPodAffinity's and PodTopologySpread's incremental counters: after the rollback
// the pods behind the group must decide exactly as if it never tried.
TEST(Gang, PluginCountersAreRestoredAfterARejectedGroup) {
  int tried = 0;
  for (std::uint64_t seed = 31; seed < 35; ++seed) {
    SCOPED_TRACE(seed);
    auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 40, .pending_pods = 250});
    podium::testing::add_random_pod_affinity(objects, seed);
    const auto c = gang_case(std::move(objects), 6, 8, 8);
    const auto options = options_for(seed, 1, "", scheduler::ParallelMode::kSequentialEquivalent);
    const Outcome gang = run_all(c.with_group, options);
    const Outcome absent = run_around_group(c, gang, options);
    std::string reason;
    for (const auto& p : gang.result.placements)
      if (c.members.contains(gang.cluster.pods[p.pod].key)) reason = p.reason;
    ASSERT_EQ(reason.rfind("pod group default/train: ", 0), 0U) << reason;
    tried += reason.rfind("pod group default/train: 0/", 0) == 0 ? 0 : 1;
    expect_rejected_like_absent(c, gang, absent, reason);
  }
  EXPECT_GT(tried, 0) << "no seed bound a member tentatively, so nothing was rolled back";
}

}  // namespace
