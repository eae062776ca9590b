#pragma once
// Engine and reference runs reduced to their placement lists (node per pod, in queue
// order), for the parity tests that compare the two.

#include <cstdint>
#include <vector>

#include "podium/framework/profile.hpp"
#include "podium/io/objects.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::testing {

inline std::vector<state::NodeIndex> engine_nodes(const io::ClusterObjects& objects, std::uint64_t seed, int threads,
                                                  const framework::ProfileSpec& spec = framework::default_profile_spec(),
                                                  bool cache = true) {
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(spec, cluster);
  const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {seed, threads, cache});
  std::vector<state::NodeIndex> nodes;
  for (const auto& p : result.placements) nodes.push_back(p.node);
  return nodes;
}

inline std::vector<state::NodeIndex> reference_nodes(const io::ClusterObjects& objects, std::uint64_t seed,
                                                     reference::ReferenceOptions options = {}) {
  const auto cluster = state::build_cluster_state(objects);
  options.seed = seed;
  std::vector<state::NodeIndex> nodes;
  for (const auto& p : reference::reference_schedule(cluster, options)) nodes.push_back(p.node);
  return nodes;
}

}  // namespace podium::testing
