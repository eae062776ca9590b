#pragma once
// Variants of random_spread_cluster_objects for the spread scoring fast paths: every node
// labelled with every topology key (no node ignored for a missing key), and pods given
// exactly a soft hostname constraint plus one over another key (the shape
// PodTopologySpread's pair kernels and fused scoring take).

#include <algorithm>
#include <cstdint>
#include <random>

#include "random_spread_cluster.hpp"

namespace podium::testing {

inline io::ClusterObjects with_every_topology_key(io::ClusterObjects objects) {
  std::size_t i = 0;
  for (auto& n : objects.nodes) {
    auto has = [&](const char* key) {
      return std::any_of(n.labels.begin(), n.labels.end(), [&](const auto& l) { return l.first == key; });
    };
    if (!has("kubernetes.io/hostname")) n.labels.emplace_back("kubernetes.io/hostname", n.name);
    if (!has("topology.kubernetes.io/zone")) n.labels.emplace_back("topology.kubernetes.io/zone", i % 2 ? "z1" : "z2");
    if (!has("rack")) n.labels.emplace_back("rack", i % 3 ? "r1" : "r5");
    ++i;
  }
  return objects;
}

// Every third pending pod: a soft hostname constraint and a soft one over zone or rack,
// selecting its own app (its first label).
inline io::ClusterObjects with_spread_pair_pods(io::ClusterObjects objects, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::size_t i = 0;
  for (auto& p : objects.pods) {
    if (!p.node_name.empty() || i++ % 3 != 0) continue;
    p.topology_spread_constraints.clear();
    for (const char* key : {"kubernetes.io/hostname", (rng() % 2) ? "topology.kubernetes.io/zone" : "rack"}) {
      io::TopologySpreadConstraint c;
      c.max_skew = static_cast<std::int32_t>(1 + rng() % 3);
      c.topology_key = key;
      c.when_unsatisfiable = "ScheduleAnyway";
      c.label_selector.emplace().match_labels = {{"app", p.labels.front().second}};
      p.topology_spread_constraints.push_back(std::move(c));
    }
  }
  return objects;
}

}  // namespace podium::testing
