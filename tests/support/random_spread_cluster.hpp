#pragma once
// random_cluster_objects dressed for PodTopologySpread: node hostname / zone / rack labels
// (some nodes lack some of them), pod app labels and namespaces, spread constraints (hard
// and soft; zone, hostname and rack keys; matchLabels, matchExpressions, empty and nil
// selectors; minDomains; both inclusion policies; matchLabelKeys) and Services that give
// the unconstrained pods default constraints. Drawn from its own stream, so the base
// cluster is the same as random_cluster_objects(seed, shape). Deterministic for a seed.

#include <cstdint>
#include <initializer_list>
#include <string>

#include "random_cluster.hpp"

namespace podium::testing {

inline io::ClusterObjects random_spread_cluster_objects(std::uint64_t seed, RandomClusterShape shape = {}) {
  io::ClusterObjects out = random_cluster_objects(seed, shape);
  std::uint64_t u = seed ^ 0x7091c0de5bead001ULL;
  auto draw = [&](std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  };
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[draw(static_cast<std::uint32_t>(options.size()))]);
  };
  const char* zone_key = "topology.kubernetes.io/zone";
  const char* host_key = "kubernetes.io/hostname";
  for (auto& n : out.nodes) {
    if (draw(20) != 0) n.labels.emplace_back(host_key, n.name);
    if (draw(10) != 0) n.labels.emplace_back(zone_key, pick({"z1", "z2", "z3", "z4"}));
    if (draw(3) != 0) n.labels.emplace_back("rack", pick({"r1", "r2", "r3", "r4", "r5", ""}));
  }
  auto selector = [&](const std::string& app) -> std::optional<io::LabelSelector> {
    io::LabelSelector s;
    switch (draw(12)) {
      case 0: return std::nullopt;  // nil: matches nothing
      case 1: return s;             // empty: counts nothing, matches the pod itself
      case 2: s.match_expressions.push_back({"app", "In", {"web", "db"}}); return s;
      case 3: s.match_expressions.push_back({"tier", "Exists", {}}); return s;
      case 4: s.match_expressions.push_back({"app", "NotIn", {"cache"}}); return s;
      default: s.match_labels = {{"app", app}}; return s;
    }
  };
  for (auto& p : out.pods) {
    const std::string app = pick({"web", "web", "db", "cache"});
    p.labels = {{"app", app}};
    if (draw(3) == 0) p.labels.emplace_back("tier", pick({"front", "back"}));
    if (draw(8) == 0) p.namespace_ = "other";
    if (draw(2) != 0) continue;  // half the pods: no constraints (default ones, via the Services)
    const auto count = 1 + draw(2);
    for (std::uint32_t k = 0; k < count; ++k) {
      io::TopologySpreadConstraint c;
      c.max_skew = static_cast<std::int32_t>(1 + draw(3));
      c.topology_key = pick({zone_key, zone_key, host_key, host_key, "rack"});
      c.when_unsatisfiable = draw(2) == 0 ? "DoNotSchedule" : "ScheduleAnyway";
      c.label_selector = selector(app);
      if (c.when_unsatisfiable == "DoNotSchedule" && draw(5) == 0) c.min_domains = static_cast<std::int32_t>(1 + draw(6));
      if (draw(5) == 0) c.node_affinity_policy = pick({"Honor", "Ignore"});
      if (draw(5) == 0) c.node_taints_policy = pick({"Honor", "Ignore"});
      if (c.label_selector && draw(6) == 0) c.match_label_keys = {"tier"};
      bool repeated = false;  // API validation: a (topologyKey, whenUnsatisfiable) pair at most once
      for (const auto& other : p.topology_spread_constraints)
        repeated = repeated || (other.topology_key == c.topology_key && other.when_unsatisfiable == c.when_unsatisfiable);
      if (!repeated) p.topology_spread_constraints.push_back(std::move(c));
    }
  }
  for (const char* app : {"web", "db"}) {
    io::SelectorOwnerObject service;
    service.kind = "Service";
    service.name = app;
    service.selector.emplace().match_labels = {{"app", app}};
    out.selector_owners.push_back(std::move(service));
  }
  return out;
}

}  // namespace podium::testing
