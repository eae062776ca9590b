#include "podium/scheduler/scheduler.hpp"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "scheduler/gang_placement.hpp"
#include "scheduler/optimistic_placement.hpp"
#include "scheduler/placement_session.hpp"
#include "scheduler/preemption.hpp"
#include "scheduler/progress.hpp"
#include "scheduler/speculative_batches.hpp"

namespace podium::scheduler {
namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t nanoseconds_since(Clock::time_point start) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

// kube-scheduler's loop: one pod at a time, each bound before the next decision (node
// batches of a decision spread over the arena's threads).
void place_one_at_a_time(PlacementSession& session, std::span<const state::PodIndex> queue,
                         std::uint64_t first_decision, ScheduleResult& result) {
  ProgressTicker progress(session.options());
  for (std::uint64_t q = 0; q < queue.size(); ++q) {
    const auto start = Clock::now();
    Placement placement = session.place(queue[q], first_decision + q);
    placement.latency_ns = nanoseconds_since(start);
    append_placement(result, std::move(placement));
    progress.tick(q + 1);
  }
}

// A batch algorithm: the queue cut into windows; each window's proposals are committed in
// queue order, each re-checked against every filter on the state of its turn (a pod whose
// proposal fails, or that got none, is decided by the profile). A pod's latency is its
// share of the window's proposal time plus its own commit.
void place_in_windows(PlacementSession& session, std::span<const state::PodIndex> queue,
                      const SchedulerOptions& options, std::uint64_t first_decision, ScheduleResult& result) {
  algorithms::WindowPlacer& placer = *options.algorithm.placer;
  const std::size_t window_size = std::max<std::size_t>(1, options.algorithm.window);
  algorithms::WindowStats& stats = result.window_stats;
  std::vector<state::NodeIndex> proposal;
  for (std::size_t begin = 0; begin < queue.size(); begin += window_size) {
    const auto window = queue.subspan(begin, std::min(window_size, queue.size() - begin));
    proposal.assign(window.size(), state::kNoNode);
    const algorithms::WindowContext ctx{
        session.cluster(),
        [&session](state::PodIndex p) -> framework::Framework* {
          const std::size_t f = session.profile_of(session.cluster().pods[p]);
          return f < session.profile_count() ? &session.framework(f) : nullptr;
        },
        options.seed, first_decision + begin};
    const auto propose_start = Clock::now();
    placer.propose(ctx, window, proposal, stats);
    const std::uint64_t share = nanoseconds_since(propose_start) / window.size();
    ++stats.windows;
    stats.window_pods += window.size();
    for (std::size_t i = 0; i < window.size(); ++i) {
      const auto start = Clock::now();
      bool taken = false;
      Placement placement =
          session.place_proposed(window[i], first_decision + begin + i, proposal[i], taken);
      if (!taken) {
        ++stats.fell_back;
        if (proposal[i] != state::kNoNode) ++stats.proposal_rejected;
      }
      placement.latency_ns = share + nanoseconds_since(start);
      append_placement(result, std::move(placement));
    }
  }
}

}  // namespace

void append_placement(ScheduleResult& result, Placement placement) {
  for (const state::PodIndex v : placement.victims) {
    Placement eviction;
    eviction.pod = v;
    eviction.evicted_by = placement.pod;
    result.placements.push_back(std::move(eviction));
  }
  result.placements.push_back(std::move(placement));
}

ScheduleResult schedule_pending(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                const SchedulerOptions& options) {
  const auto queue = cluster.pending_in_queue_order();
  return schedule_queue(cluster, profiles, queue, options);
}

ScheduleResult schedule_queue(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                              std::span<const state::PodIndex> queue, const SchedulerOptions& options) {
  ScheduleResult result;
  result.placements.reserve(queue.size());
  // PostFilter only where some pod can preempt. Sequential-equivalent batches send a
  // speculated pod that found no node through the one-thread path (PostFilter included)
  // and count the nominated node as changed; optimistic workers would race with the
  // evictions, so such queues are decided one pod at a time there.
  SchedulerOptions effective = options;
  // (and only when some profile keeps DefaultPreemption at PostFilter).
  effective.preemption.enabled =
      std::any_of(profiles.begin(), profiles.end(), [](const framework::Profile& p) { return p.default_preemption; }) &&
      preemption_possible(cluster, queue, options.preemption);
  const bool one_at_a_time = effective.preemption.enabled && options.mode == ParallelMode::kOptimistic;
  PlacementSession session(cluster, profiles, effective);

  // A run of pods outside any pod group, decided by the algorithm / parallel mode asked for.
  auto place_ordinary = [&](std::span<const state::PodIndex> pods, std::uint64_t first_decision) {
    if (options.algorithm.placer) {
      place_in_windows(session, pods, options, first_decision, result);
    } else if (options.algorithm.chooser || cluster.gpu) {
      // A cluster with GPU sharing is decided one pod at a time whatever the mode: its
      // per-device columns (ClusterState::gpu) are written only by ClusterState::bind, which
      // the speculative and optimistic modes bypass for their replicas and reservations.
      // Threads still split each decision's node batches.
      place_one_at_a_time(session, pods, first_decision, result);
    } else if (one_at_a_time) {
      place_one_at_a_time(session, pods, first_decision, result);
    } else if (options.threads > 1 && options.mode == ParallelMode::kSequentialEquivalent) {
      SpeculativeBatches(session, options.threads).run(pods, first_decision, result);
    } else if (options.threads > 1 && options.mode == ParallelMode::kOptimistic) {
      OptimisticPlacement(session, options.threads, pods.size()).run(pods, first_decision, result);
    } else {
      place_one_at_a_time(session, pods, first_decision, result);
    }
  };

  auto loop = [&] {
    const auto phase_start = Clock::now();
    if (!queue_has_pod_groups(cluster, queue)) {
      place_ordinary(queue, options.first_decision);
    } else {
      // Pod groups (gang_placement.hpp): each group contiguous at its first member's place;
      // a decision index is a position in this reordered queue.
      const GangQueuePlan plan = plan_gang_queue(cluster, queue);
      const std::span<const state::PodIndex> order(plan.order);
      for (const auto& segment : plan.segments) {
        const auto pods = order.subspan(segment.begin, segment.end - segment.begin);
        const std::uint64_t first = options.first_decision + segment.begin;
        if (segment.group == state::kNoPodGroup) {
          place_ordinary(pods, first);
        } else {
          place_gang(session, segment.group, pods, plan.bound_members[static_cast<std::size_t>(segment.group)],
                     first, result);
        }
      }
    }
    result.schedule_seconds = std::chrono::duration<double>(Clock::now() - phase_start).count();
    session.finish(result);
  };
  // An arena wider than the CPUs this process may use (taskset, a cgroup quota) only
  // makes TBB warn that its workers are limited; the extra slots would stay empty anyway.
  const int arena_threads = std::min(options.threads, tbb::info::default_concurrency());
  if (arena_threads <= 1) {
    loop();
  } else {
    tbb::task_arena arena(arena_threads);
    arena.execute(loop);
  }
  return result;
}

}  // namespace podium::scheduler
