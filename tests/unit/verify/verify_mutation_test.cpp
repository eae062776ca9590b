// Mutation test: verify against the engine's own filters. Random clusters with every kind
// of hard constraint are scheduled by the engine; verify must accept the placements. Then
// one entry at a time is moved to a random other node (an unplaced pod to any node), and
// at that pod's turn verify's verdict is compared with Framework::explain's over the
// default profile — the same cluster, the earlier placements bound. They must agree on
// every mutation: feasible or not, and on every rule broken (each filter plugin run
// alone). Two independent implementations of the rules, so a bug in one shows.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
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
  std::map<std::string, int> by_rule;  // mutations each filter (run alone) rejects
};

// The engine's verdict for pod `entry` of `placements` on `node`: the filter plugins that
// reject it, each run alone (a profile with that one filter), in the profile's filter
// order — so every broken rule is compared, not only the first. Empty: feasible.
std::vector<std::string> engine_verdict(const io::ClusterObjects& objects, const framework::ProfileSpec& spec,
                                        const scheduler::ScheduleResult& result, std::size_t entry,
                                        state::NodeIndex node) {
  auto cluster = state::build_cluster_state(objects);
  for (std::size_t i = 0; i < entry; ++i) {
    const auto& p = result.placements[i];
    if (p.evicted_by != scheduler::kNoPod) {
      cluster.unbind(p.pod);  // a preemption victim leaves its node here
    } else if (p.node != state::kNoNode) {
      cluster.bind(p.pod, p.node);
    }
  }
  std::vector<std::string> rejecting;
  for (const std::string& filter : spec.filters) {
    framework::ProfileSpec alone = spec;
    alone.filters = {filter};
    const auto profile = framework::build_profile(alone, cluster);
    framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1), 1);
    const state::PodIndex pod = result.placements[entry].pod;
    const auto explanation = fw.explain({cluster.pods[pod], pod}, cluster, entry);
    if (!explanation.pre_filter_status.ok() || !explanation.nodes[node].status.ok()) rejecting.push_back(filter);
  }
  return rejecting;
}

void mutate_and_compare(const io::ClusterObjects& objects, std::uint64_t seed, int mutations, Tally& tally,
                        const framework::ProfileSpec& spec = framework::default_profile_spec()) {
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(spec, cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, 1});
  const auto options = verify::options_from_config({{spec}});
  ASSERT_TRUE(testing::placements_verify(objects, cluster, result, options)) << "seed " << seed;
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
    if (placements.entries[entry].evicted_by) continue;  // an eviction entry places nothing
    const state::NodeIndex placed = result.placements[entry].node;
    state::NodeIndex moved = next(node_count);
    if (moved == placed) moved = (moved + 1) % node_count;

    // The list up to the mutated entry: later entries do not change its verdict.
    verify::Placements mutated = placements;
    mutated.entries.resize(entry + 1);
    mutated.entries[entry].node = cluster.nodes.names[moved];
    const auto report = verify::verify_placements(objects, mutated, options);
    ASSERT_TRUE(report.errors.empty()) << report.errors.front();
    std::vector<std::string> verify_rules;
    for (const auto& v : report.violations)
      if (v.entry == entry && (verify_rules.empty() || verify_rules.back() != v.rule)) verify_rules.push_back(v.rule);
    const auto oracle_rules = engine_verdict(objects, spec, result, entry, moved);

    ++tally.mutations;
    tally.verify_flagged += !verify_rules.empty();
    tally.oracle_flagged += !oracle_rules.empty();
    tally.agreed += verify_rules == oracle_rules;
    for (const auto& rule : oracle_rules) ++tally.by_rule[rule];
    EXPECT_EQ(verify_rules, oracle_rules) << "seed " << seed << ": " << mutated.entries[entry].pod << " moved to "
                                        << cluster.nodes.names[moved] << " (entry " << entry << ")";
  }
}

void print(const char* name, const Tally& t) {
  std::printf("[ mutation ] %s: %d mutations, verify flagged %d, engine filters flagged %d, agreed on %d\n", name,
              t.mutations, t.verify_flagged, t.oracle_flagged, t.agreed);
  for (const auto& [rule, count] : t.by_rule) std::printf("[ mutation ]   %s: %d\n", rule.c_str(), count);
}

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnNodeLocalConstraints) {
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed)
    mutate_and_compare(testing::random_cluster_objects(seed, {30, 150, 20}), seed, 60, tally);
  print("node-local", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
  EXPECT_GT(tally.verify_flagged, 0);
}

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnHostPorts) {
  // A third of the pods (bound ones included) ask for one of a few host ports, on
  // 0.0.0.0, specific IPs, TCP and UDP, so NodePorts conflicts are common.
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    auto objects = testing::random_cluster_objects(seed, {30, 150, 20});
    std::uint64_t s = seed ^ 0x90075ULL;
    auto draw = [&](std::uint32_t bound) {
      s = framework::splitmix64(s);
      return framework::bounded(s, bound);
    };
    const char* ips[] = {"", "10.0.0.1", "10.0.0.2", "0.0.0.0"};
    const char* protocols[] = {"TCP", "UDP", ""};
    for (auto& pod : objects.pods) {
      if (draw(3) != 0 || pod.containers.empty()) continue;
      io::ContainerPort port;
      port.host_port = port.container_port = draw(2) ? 8080 : 53;
      port.host_ip = ips[draw(4)];
      port.protocol = protocols[draw(3)];
      pod.containers[0].ports = {port};
    }
    mutate_and_compare(objects, seed, 60, tally);
  }
  print("host ports", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
  EXPECT_GT(tally.by_rule["NodePorts"], 50);
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

TEST(VerifyMutation, AgreesWithTheEngineFiltersOnHardDefaultSpreadConstraints) {
  // defaultingType List with a DoNotSchedule default: pods without constraints of their
  // own are spread by their Services' selectors.
  auto spec = framework::default_profile_spec();
  plugins::podtopologyspread::PodTopologySpreadArgs args;
  args.defaulting_type = plugins::podtopologyspread::DefaultingType::kList;
  plugins::podtopologyspread::DefaultConstraint zone;
  zone.max_skew = 1;
  zone.topology_key = "topology.kubernetes.io/zone";
  zone.when_unsatisfiable = "DoNotSchedule";
  args.default_constraints = {zone};
  spec.args["PodTopologySpread"] = args;
  Tally tally;
  for (std::uint64_t seed = 1; seed <= 10; ++seed)
    mutate_and_compare(testing::random_spread_cluster_objects(seed, {30, 150, 20}), seed, 60, tally, spec);
  print("default spread constraints", tally);
  EXPECT_EQ(tally.agreed, tally.mutations);
}

}  // namespace
}  // namespace podium
