#include "podium/scheduler/scheduler.hpp"

#include <tbb/task_arena.h>

#include <chrono>

#include "scheduler/optimistic_placement.hpp"
#include "scheduler/placement_session.hpp"
#include "scheduler/speculative_batches.hpp"

namespace podium::scheduler {

ScheduleResult schedule_pending(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                const SchedulerOptions& options) {
  const auto queue = cluster.pending_in_queue_order();
  return schedule_queue(cluster, profiles, queue, options);
}

ScheduleResult schedule_queue(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                              std::span<const state::PodIndex> queue, const SchedulerOptions& options) {
  using Clock = std::chrono::steady_clock;
  ScheduleResult result;
  result.placements.reserve(queue.size());
  PlacementSession session(cluster, profiles, options);

  auto loop = [&] {
    const auto phase_start = Clock::now();
    if (options.threads > 1 && options.mode == ParallelMode::kSequentialEquivalent) {
      SpeculativeBatches(session, options.threads).run(queue, options.first_decision, result);
    } else if (options.threads > 1 && options.mode == ParallelMode::kOptimistic) {
      OptimisticPlacement(session, options.threads, queue.size()).run(queue, options.first_decision, result);
    } else {
      // One thread: kube-scheduler's loop, one pod at a time.
      for (std::uint64_t q = 0; q < queue.size(); ++q) {
        const auto start = Clock::now();
        Placement placement = session.place(queue[q], options.first_decision + q);
        placement.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
        result.placements.push_back(std::move(placement));
      }
    }
    result.schedule_seconds = std::chrono::duration<double>(Clock::now() - phase_start).count();
    session.finish(result);
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
