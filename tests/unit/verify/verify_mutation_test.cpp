// Mutation test: verify against the engine's own filters. Random clusters with every kind
// of hard constraint are scheduled by the engine; verify must accept the placements. Then
// one entry at a time is moved to a random other node (an unplaced pod to any node), and
// at that pod's turn verify's verdict is compared with Framework::explain's over the
// default profile — the same cluster, the earlier placements bound. They must agree on
// every mutation: feasible or not, and on the first rule broken (the first rejecting
// filter plugin). Two independent implementations of the rules, so a bug in one shows.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "../../support/random_cluster.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"
#include "podium/framework/profile.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/verify/verify.hpp"

namespace podium {
namespace {

struct Tally {
  int mutations = 0;
  int verify_flagged = 0;
  int oracle_flagged = 0;
  int agreed = 0;
};

// The engine's verdict for pod `entry` of `placements` on `node`: the first rejecting
// filter's plugin, or "" when the node is feasible.
std::string engine_verdict(const io::ClusterObjects& objects, const scheduler::ScheduleResult& result,
                           std::size_t entry, state::NodeIndex node) {
  auto cluster = state::build_cluster_state(objects);
  for (std::size_t i = 0; i < entry; ++i)
    if (result.placements[i].node != state::kNoNode) cluster.bind(result.placements[i].pod, result.placements[i].node);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1), 1);
  const state::PodIndex pod = result.placements[entry].pod;
  const auto explanation = fw.explain({cluster.pods[pod], pod}, cluster, entry);
  if (!explanation.pre_filter_status.ok()) return explanation.pre_filter_status.plugin();
  const auto& status = explanation.nodes[node].status;
  return status.ok() ? std::string() : status.plugin();
}

void mutate_and_compare(const io::ClusterObjects& objects, std::uint64_t seed, int mutations, Tally& tally) {
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 1});
  ASSERT_TRUE(testing::placements_verify(objects, cluster, result)) << "seed " << seed;
  const auto placements = testing::placements_of(cluster, result);
  if (placements.entries.empty()) return;

  std::uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 7;
  auto next = [&](std::uint32_t bound) {
    s = framework::splitmix64(s);
    return framework::bounded(s, bound);
  };
  const auto node_count = static_cast<std::uint32_t>(cluster.nodes.size);
  for (int m = 0; m < mutations; ++m) {
    const std::size_t entry = next(static_cast<std::uint32_t>(placements.entries.size()));
    const state::NodeIndex placed = result.placements[entry].node;
    state::NodeIndex moved = next(node_count);
    if (moved == placed) moved = (moved + 1) % node_count;

    // The list up to the mutated entry: later entries do not change its verdict.
    verify::Placements mutated = placements;
    mutated.entries.resize(entry + 1);
    mutated.entries[entry].node = cluster.nodes.names[moved];
    const auto report = verify::verify_placements(objects, mutated);
    ASSERT_TRUE(report.errors.empty()) << report.errors.front();
    std::string verify_rule;
    for (const auto& v : report.violations)
      if (v.entry == entry) {
        verify_rule = v.rule;
        break;
      }
    const std::string oracle_rule = engine_verdict(objects, result, entry, moved);

    ++tally.mutations;
    tally.verify_flagged += !verify_rule.empty();
    tally.oracle_flagged += !oracle_rule.empty();
    tally.agreed += verify_rule == oracle_rule;
    EXPECT_EQ(verify_rule, oracle_rule) << "seed " << seed << ": " << mutated.entries[entry].pod << " moved to "
                                        << cluster.nodes.names[moved] << " (entry " << entry << ")";
  }
}

void print(const char* name, const Tally& t) {
  std::printf("[ mutation ] %s: %d mutations, verify flagged %d, engine filters flagged %d, agreed on %d\n", name,
              t.mutations, t.verify_flagged, t.oracle_flagged, t.agreed);
}

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnNodeLocalConstraints) {
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed)
    mutate_and_compare(testing::random_cluster_objects(seed, {30, 150, 20}), seed, 60, tally);
  print("node-local", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
  EXPECT_GT(tally.verify_flagged, 0);
}

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnTopologySpread) {
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed)
    mutate_and_compare(testing::random_spread_cluster_objects(seed, {30, 150, 20}), seed, 60, tally);
  print("topology spread", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
}

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnPodAffinity) {
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    auto objects = testing::random_cluster_objects(seed, {30, 150, 20});
    testing::add_random_pod_affinity(objects, seed);
    mutate_and_compare(objects, seed, 60, tally);
  }
  print("pod affinity", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
}

}  // namespace
}  // namespace podium
