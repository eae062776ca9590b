#pragma once
// Adds inter-pod affinity to a random cluster (random_cluster.hpp), from its own seeded
// stream so the cluster's other draws stay the same: hostname labels on most nodes, app /
// tier labels and a few namespaces on the pods (some without a Namespace object), Namespace
// objects with labels, and required and preferred pod affinity and anti-affinity on bound
// and pending pods — zone, hostname and a key no node has; matchLabels and expressions;
// default namespaces, explicit lists, namespaceSelectors ({} included). Deterministic.
// Labels are appended: on a cluster that already has "app", "tier" or hostname labels (the
// spread clusters) a key then repeats, and the cluster builder keeps its last value.

#include <cstdint>
#include <initializer_list>
#include <string>

#include "podium/framework/tie_breaker.hpp"
#include "podium/io/objects.hpp"

namespace podium::testing {

inline void add_random_pod_affinity(io::ClusterObjects& objects, std::uint64_t seed) {
  std::uint64_t u = seed ^ 0xaff1a1e5a55ULL;
  auto draw = [&](std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  };
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[draw(static_cast<std::uint32_t>(options.size()))]);
  };
  objects.namespaces.push_back({{}, "default", draw(2) == 0 ? io::StringMap{{"team", "blue"}} : io::StringMap{}});
  objects.namespaces.push_back({{}, "team-2", {{"team", "red"}}});
  objects.namespaces.push_back({{}, "team-3", {}});
  for (auto& n : objects.nodes)
    if (draw(10) != 0) n.labels.emplace_back("kubernetes.io/hostname", n.name);

  auto selector = [&]() {
    io::LabelSelector s;
    switch (draw(5)) {
      case 0: s.match_expressions.push_back({"app", "NotIn", {pick({"a", "b", "c"})}}); break;
      case 1: s.match_expressions.push_back({"tier", "Exists", {}}); break;
      default: s.match_labels = {{"app", pick({"a", "b", "c", "d", "e"})}}; break;
    }
    return s;
  };
  auto term = [&]() {
    io::PodAffinityTerm t;
    t.label_selector = selector();
    const auto key = draw(20);
    t.topology_key = key < 10 ? "kubernetes.io/hostname" : key < 19 ? "zone" : "rack";  // no node has "rack"
    switch (draw(20)) {
      case 0: case 1: t.namespaces = {"team-2", "default"}; break;
      case 2: case 3: t.namespace_selector = io::LabelSelector{{{"team", "blue"}}, {}}; break;
      case 4: t.namespace_selector = io::LabelSelector{}; break;
      case 5: t.namespace_selector = io::LabelSelector{{}, {{"team", "DoesNotExist", {}}}}; break;
      default: break;  // the pod's own namespace
    }
    return t;
  };
  for (auto& p : objects.pods) {
    if (draw(10) != 0) p.labels.emplace_back("app", pick({"a", "b", "c", "d", "e"}));
    if (draw(2) == 0) p.labels.emplace_back("tier", pick({"x", "y"}));
    switch (draw(10)) {
      case 0: p.namespace_ = "team-2"; break;
      case 1: p.namespace_ = "team-3"; break;
      case 2: p.namespace_ = "ghost"; break;  // no Namespace object
      default: break;
    }
    auto part = [&](bool anti) -> io::PodAffinity& {
      if (!p.affinity) p.affinity.emplace();
      auto& slot = anti ? p.affinity->pod_anti_affinity : p.affinity->pod_affinity;
      if (!slot) slot.emplace();
      return *slot;
    };
    if (draw(10) == 0) {
      const auto terms = 1 + draw(2);
      for (std::uint32_t k = 0; k < terms; ++k) part(false).required.push_back(term());
    }
    if (draw(6) == 0) part(true).required.push_back(term());
    if (draw(5) == 0) {
      const auto terms = 1 + draw(2);
      for (std::uint32_t k = 0; k < terms; ++k)
        part(false).preferred.push_back({static_cast<std::int32_t>(1 + draw(100)), term()});
    }
    if (draw(6) == 0) part(true).preferred.push_back({static_cast<std::int32_t>(1 + draw(100)), term()});
  }
}

}  // namespace podium::testing
