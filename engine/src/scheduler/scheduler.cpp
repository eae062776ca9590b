#include "podium/scheduler/scheduler.hpp"

#include <tbb/task_arena.h>

#include <chrono>

#include "podium/framework/framework.hpp"

namespace podium::scheduler {

ScheduleResult schedule_pending(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                const SchedulerOptions& options) {
  using Clock = std::chrono::steady_clock;
  ScheduleResult result;
  const auto queue = cluster.pending_in_queue_order();
  result.placements.reserve(queue.size());
  const framework::TieBreaker ties(cluster.nodes.size, options.seed);
  std::vector<framework::Framework> frameworks;
  frameworks.reserve(profiles.size());
  for (const auto& profile : profiles) frameworks.emplace_back(profile, cluster.nodes.size, ties, options.threads);
  auto framework_for = [&](const std::string& scheduler_name) -> framework::Framework* {
    for (std::size_t i = 0; i < profiles.size(); ++i)
      if (profiles[i].scheduler_name == scheduler_name) return &frameworks[i];
    return nullptr;
  };

  auto loop = [&] {
    const auto phase_start = Clock::now();
    for (std::uint64_t i = 0; i < queue.size(); ++i) {
      const auto start = Clock::now();
      const state::PodIndex p = queue[i];
      Placement placement;
      placement.pod = p;
      const state::PodRecord& pod = cluster.pods[p];
      framework::Framework* fw = framework_for(pod.scheduler_name);
      if (!fw) {
        placement.reason = "no profile for schedulerName \"" + pod.scheduler_name + "\"";
      } else {
        const auto decision = fw->select_node({pod, p}, cluster, i);
        placement.node = decision.node;
        placement.reason = decision.reason;
        if (decision.node != state::kNoNode) cluster.bind(p, decision.node);
      }
      placement.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
      result.placements.push_back(std::move(placement));
    }
    result.schedule_seconds = std::chrono::duration<double>(Clock::now() - phase_start).count();
  };
  if (options.threads <= 1) {
    loop();
  } else {
    tbb::task_arena arena(options.threads);
    arena.execute(loop);
  }
  return result;
}

}  // namespace podium::scheduler
