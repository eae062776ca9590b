#pragma once
// Runs one algorithm over a cluster and returns where each pending pod went (queue order).

#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::testing {

struct AlgorithmRun {
  std::vector<std::string> nodes;  // node name per placement ("" when unplaced), queue order
  scheduler::ScheduleResult result;
};

inline AlgorithmRun run_algorithm(const io::ClusterObjects& objects, const std::string& spec_text,
                                  std::uint64_t seed = 1, int threads = 1,
                                  scheduler::ParallelMode mode = scheduler::ParallelMode::kSequentialEquivalent) {
  auto cluster = state::build_cluster_state(objects);
  const auto spec = algorithms::parse_algorithm_spec(spec_text);
  auto profile_spec = framework::default_profile_spec();
  if (const auto* d = algorithms::AlgorithmRegistry::global().find(spec.name); d && d->adjust_profile)
    d->adjust_profile(profile_spec);
  const auto profile = framework::build_profile(profile_spec, cluster);
  scheduler::SchedulerOptions options;
  options.seed = seed;
  options.threads = threads;
  options.mode = mode;
  options.algorithm = algorithms::make_algorithm(spec);
  AlgorithmRun run;
  run.result = scheduler::schedule_pending(cluster, {&profile, 1}, options);
  for (const auto& p : run.result.placements)
    run.nodes.push_back(p.node == state::kNoNode ? std::string() : cluster.nodes.names[p.node]);
  return run;
}

}  // namespace podium::testing
