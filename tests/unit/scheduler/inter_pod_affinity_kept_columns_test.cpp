// InterPodAffinity's PreFilter / PreScore read the per-domain counts the plugin keeps current
// on bind / unbind (a bound pods' term, a counter of the pod's own term) instead of summing
// them per cycle, as long as a topology key has at most CheckBuilder::kKeptSources sources;
// with more, they are summed (domain_checks.hpp). These random clusters stack many terms on
// one key — a pod's own terms, and distinct bound pods' terms matching one incoming pod —
// so that a key meets one source, a few, and more than kKeptSources; with hostname keys,
// zone keys or both; and with priorities, so preemption takes pods off (unbind) and puts
// them back. Engine == reference oracle at 1 and 2 threads, placements through podium verify.

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "../../support/placement_runs.hpp"
#include "../../support/random_cluster.hpp"
#include "../../support/random_priorities.hpp"
#include "../../support/verify_placements.hpp"
#include "plugins/interpodaffinity/domain_checks.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"
#include "podium/framework/framework.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;
using plugins::interpodaffinity::detail::CheckBuilder;

enum class Keys { kHostname, kZone, kBoth };

// Stacked terms: per pod one key (both: mostly one, sometimes the other), and up to
// kKeptSources + 3 terms of a kind on it; selectors from a small set whose distinct
// signatures (matchLabels, NotIn with varied values, Exists, and the weights) mostly match
// the same pods, so one incoming pod meets many distinct bound pods' terms on one key.
void add_stacked_pod_affinity(io::ClusterObjects& objects, std::uint64_t seed, Keys keys) {
  std::uint64_t u = seed ^ 0x57ac4edULL;
  auto draw = [&](std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  };
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[draw(static_cast<std::uint32_t>(options.size()))]);
  };
  for (auto& n : objects.nodes)
    if (draw(10) != 0) n.labels.emplace_back("kubernetes.io/hostname", n.name);
  auto selector = [&]() {
    io::LabelSelector s;
    switch (draw(4)) {
      case 0: s.match_expressions.push_back({"app", "NotIn", {pick({"p", "q", "r", "s", "t", "a"})}}); break;
      case 1: s.match_expressions.push_back({"app", "Exists", {}}); break;
      default: s.match_labels = {{"app", pick({"a", "b", "c"})}}; break;
    }
    return s;
  };
  const std::uint32_t most = static_cast<std::uint32_t>(CheckBuilder::kKeptSources) + 3;
  for (auto& p : objects.pods) {
    if (draw(8) != 0) p.labels.emplace_back("app", pick({"a", "b", "c"}));
    const bool hostname = keys == Keys::kHostname || (keys == Keys::kBoth && draw(2) == 0);
    auto term = [&]() {
      io::PodAffinityTerm t;
      t.label_selector = selector();
      const bool flip = keys == Keys::kBoth && draw(5) == 0;
      t.topology_key = hostname != flip ? "kubernetes.io/hostname" : "zone";
      return t;
    };
    auto part = [&](bool anti) -> io::PodAffinity& {
      if (!p.affinity) p.affinity.emplace();
      auto& slot = anti ? p.affinity->pod_anti_affinity : p.affinity->pod_affinity;
      if (!slot) slot.emplace();
      return *slot;
    };
    auto weight = [&]() { return static_cast<std::int32_t>(1 + draw(100)); };
    if (draw(6) == 0)
      for (std::uint32_t k = 1 + draw(most); k > 0; --k) part(true).required.push_back(term());
    if (draw(2) == 0)
      for (std::uint32_t k = 1 + draw(most); k > 0; --k) part(true).preferred.push_back({weight(), term()});
    if (draw(3) == 0)
      for (std::uint32_t k = 1 + draw(most); k > 0; --k) part(false).preferred.push_back({weight(), term()});
    if (draw(10) == 0) part(false).required.push_back(term());
  }
}

io::ClusterObjects stacked_cluster(std::uint64_t seed, Keys keys) {
  auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 220, .bound_pods = 60});
  add_stacked_pod_affinity(objects, seed, keys);
  return objects;
}

// Every entry of a run (pod, node, the pod that evicted it) as comparable text.
using Entry = std::tuple<std::string, std::string, std::string>;
template <class Placements, class Cluster>
std::vector<Entry> entries_of(const Placements& placements, const Cluster& cluster, std::size_t no_pod) {
  std::vector<Entry> out;
  for (const auto& p : placements)
    out.emplace_back(cluster.pods[p.pod].key, p.node == state::kNoNode ? "" : cluster.nodes.names[p.node],
                     p.evicted_by == no_pod ? "" : cluster.pods[p.evicted_by].key);
  return out;
}

void expect_engine_matches_reference(const io::ClusterObjects& objects, std::uint64_t seed, const std::string& what) {
  const auto reference_cluster = state::build_cluster_state(objects);
  reference::ReferenceOptions options;
  options.seed = seed;
  const auto expected =
      entries_of(reference::reference_schedule(reference_cluster, options), reference_cluster, reference::kNoPreemptor);
  for (const int threads : {1, 2}) {
    auto cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, threads, true});
    EXPECT_EQ(entries_of(result.placements, cluster, scheduler::kNoPod), expected)
        << what << " seed " << seed << " threads " << threads;
    EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result)) << what << " seed " << seed;
  }
}

TEST(InterPodAffinityKeptColumns, StackedTermsOnHostnameZoneOrBothMatchTheReference) {
  for (const auto& [keys, name] : {std::pair{Keys::kHostname, "hostname"}, {Keys::kZone, "zone"}, {Keys::kBoth, "both"}})
    for (std::uint64_t seed = 1; seed <= 4; ++seed)
      expect_engine_matches_reference(stacked_cluster(seed, keys), seed, name);
}

TEST(InterPodAffinityKeptColumns, PreemptionTakingPodsOffMatchesTheReference) {
  std::size_t evictions = 0;
  for (const Keys keys : {Keys::kHostname, Keys::kBoth})
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      auto objects = stacked_cluster(seed, keys);
      podium::testing::add_random_priorities(objects, seed, false);
      expect_engine_matches_reference(objects, seed, "preemption");
      const auto cluster = state::build_cluster_state(objects);
      reference::ReferenceOptions options;
      options.seed = seed;
      for (const auto& p : reference::reference_schedule(cluster, options))
        evictions += p.evicted_by == reference::kNoPreemptor ? 0 : 1;
    }
  EXPECT_GT(evictions, 10U) << "the clusters should preempt, taking pods off their nodes";
}

// scheduler_perf's PreferredPodAntiAffinity in small: every node has its own hostname (the
// key's domains are the nodes: Score reads the counts by node, score_kernels.hpp) and most
// pods one preferred term on it: app=a pods prefer to avoid each other, app=b pods to meet,
// with one weight per app, so that the bound pods' terms are one entry per app and a pod's
// Score reads one key with at most two sources (its own term's counter, the bound pods'
// same term). Pods without a term read the bound pods' term alone.
io::ClusterObjects one_hostname_term_cluster(std::uint64_t seed) {
  auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 40, .pending_pods = 160, .bound_pods = 40});
  std::uint64_t u = seed ^ 0x05e7b0dULL;
  auto draw = [&](std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  };
  for (auto& n : objects.nodes) n.labels.emplace_back("kubernetes.io/hostname", n.name);
  const std::int32_t weight[] = {static_cast<std::int32_t>(1 + draw(100)), static_cast<std::int32_t>(1 + draw(100))};
  for (auto& p : objects.pods) {
    const bool a = draw(3) != 0;
    p.labels.emplace_back("app", a ? "a" : "b");
    if (draw(5) == 0) continue;
    io::PodAffinityTerm t;
    t.label_selector.emplace().match_labels = {{"app", a ? "a" : "b"}};
    t.topology_key = "kubernetes.io/hostname";
    p.affinity.emplace();
    auto& slot = a ? p.affinity->pod_anti_affinity : p.affinity->pod_affinity;
    slot.emplace();
    slot->preferred.push_back({weight[a ? 0 : 1], t});
  }
  return objects;
}

TEST(InterPodAffinityKeptColumns, OneHostnameTermReadByNodeMatchesTheReference) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto objects = one_hostname_term_cluster(seed);
    const auto cluster = state::build_cluster_state(objects);
    plugins::interpodaffinity::detail::TopologyColumns columns(cluster.nodes);
    const std::uint32_t hostname = columns.index_of(*cluster.strings.find("kubernetes.io/hostname"));
    ASSERT_TRUE(columns.by_node(hostname)) << "the by-node Score path must be the one under test";
    EXPECT_FALSE(columns.by_node(columns.index_of(*cluster.strings.find("zone"))));
    expect_engine_matches_reference(objects, seed, "one hostname term");
  }
}

TEST(InterPodAffinityKeptColumns, TheClustersStackMoreTermsOnOneKeyThanAreReadApart) {
  // The parity above covers the summed path only if some pod has more than kKeptSources
  // terms of one kind on one key, and the kept path with several sources only if some has
  // between 2 and kKeptSources.
  std::map<std::string, std::size_t> seen;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto objects = stacked_cluster(seed, Keys::kBoth);
    for (const auto& p : objects.pods) {
      if (!p.affinity || !p.affinity->pod_anti_affinity) continue;
      std::map<std::string, std::size_t> per_key;
      for (const auto& t : p.affinity->pod_anti_affinity->preferred) ++per_key[t.term.topology_key];
      for (const auto& [key, n] : per_key) {
        if (n > CheckBuilder::kKeptSources) ++seen["summed"];
        if (n > 1 && n <= CheckBuilder::kKeptSources) ++seen["several kept"];
        if (n == 1) ++seen["one kept"];
      }
    }
  }
  EXPECT_GT(seen["summed"], 5U);
  EXPECT_GT(seen["several kept"], 5U);
  EXPECT_GT(seen["one kept"], 5U);
}

}  // namespace
