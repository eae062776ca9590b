#pragma once
// Adds priorities, start times and PodDisruptionBudgets to a random cluster
// (random_cluster.hpp), from its own seeded stream: bound pods low, a third of the pending
// pods high (some with preemptionPolicy Never), so that the cluster fills and later pods
// preempt. Deterministic. Shared by the preemption and --requeue-victims tests.

#include <cstdint>

#include "podium/framework/tie_breaker.hpp"
#include "podium/io/objects.hpp"

namespace podium::testing {

// 2024-01-01T00:00:00Z plus `d` days, in nanoseconds.
inline std::int64_t day(int d) { return (std::int64_t{1704067200} + std::int64_t{d} * 86400) * 1'000'000'000; }

inline void add_random_priorities(io::ClusterObjects& objects, std::uint64_t seed, bool pdbs) {
  std::uint64_t u = seed ^ 0x9e3779b97f4a7c15ULL;
  auto draw = [&](std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  };
  for (auto& p : objects.pods) {
    p.priority = static_cast<std::int32_t>(draw(4)) * 10;
    if (p.node_name.empty() && draw(3) == 0) p.priority = 1000 + static_cast<std::int32_t>(draw(3));
    if (draw(10) == 0) p.preemption_policy = "Never";
    if (!p.node_name.empty() && draw(2) == 0) p.start_time_ns = day(static_cast<int>(draw(5)));
    if (draw(4) == 0) p.labels.emplace_back("budget", draw(2) == 0 ? "one" : "two");
  }
  if (!pdbs) return;
  for (const char* ns : {"default", "team-2"})
    for (const char* name : {"one", "two"}) {
      io::PodDisruptionBudgetObject b;
      b.namespace_ = ns;
      b.name = name;
      b.selector.emplace();
      b.selector->match_labels = {{"budget", name}};
      b.disruptions_allowed = static_cast<std::int32_t>(draw(3));
      objects.disruption_budgets.push_back(b);
    }
}

}  // namespace podium::testing
