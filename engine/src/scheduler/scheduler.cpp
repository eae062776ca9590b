#include "podium/scheduler/scheduler.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "podium/framework/framework.hpp"
#include "scheduler/class_cache.hpp"

namespace podium::scheduler {

static_assert(framework::Framework::kInfeasible == RingMaxTree::kEmpty,
              "the class cache's tree treats infeasible totals as empty leaves");

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
  const framework::TieBreaker ties(cluster.nodes.size, options.seed);
  std::vector<framework::Framework> frameworks;
  frameworks.reserve(profiles.size());
  for (const auto& profile : profiles) frameworks.emplace_back(profile, cluster.nodes.size, ties, options.threads);
  // Bound the cached totals to ~64 MiB whatever the cluster size.
  // (per class: totals by node + a tree of about twice as many entries, 8 bytes each)
  const std::size_t max_classes =
      std::clamp<std::size_t>((64u << 20) / (24 * std::max<std::size_t>(1, cluster.nodes.size)), 4, 256);
  std::vector<ClassCache> caches;
  for (std::size_t i = 0; i < profiles.size(); ++i) caches.emplace_back(ties.ranks(), max_classes);
  auto index_for = [&](const std::string& scheduler_name) -> std::size_t {
    for (std::size_t i = 0; i < profiles.size(); ++i)
      if (profiles[i].scheduler_name == scheduler_name) return i;
    return profiles.size();
  };

  // One decision through the class cache: bring the class's totals current, pick the best.
  auto decide_cached = [&](framework::Framework& fw, ClassCache& cache, const state::PodRecord& pod,
                           state::PodIndex p, std::uint64_t i) -> framework::Decision {
    const framework::PodContext ctx{pod, p};
    framework::Status rejection;
    if (!fw.prepare(ctx, cluster, rejection)) return {state::kNoNode, 0, fw.unschedulable_reason(ctx, cluster, rejection)};
    const auto look = cache.lookup(fw.signature(pod));
    if (look.full) {
      fw.evaluate_all(ctx, cluster, look.totals);
    } else {
      fw.evaluate(ctx, cluster, look.dirty, look.totals);
    }
    cache.mark_current();
    // Live plugins (cross-node or normalizing) run on top of the cached totals; when none
    // acts on this pod, the class's tree answers alone.
    if (fw.has_live_plugins() && fw.live_plugins_act(ctx, cluster)) return fw.decide_with_live(ctx, cluster, look.totals, i);
    const auto [node, feasible] = cache.best(ties.start_for(i));
    if (node == state::kNoNode) return {state::kNoNode, 0, fw.unschedulable_reason(ctx, cluster, framework::Status{})};
    return {node, feasible, {}};
  };

  // Node sampling (framework/node_sampling.hpp): the zone-interleaved node list and
  // upstream's Scheduler.nextStartNodeIndex, only when some profile samples.
  std::optional<framework::NodeWalk> walk;
  for (const auto& fw : frameworks)
    if (fw.samples() && !walk) walk = framework::zone_interleaved_walk(cluster);
  std::size_t next_start = options.first_start_node_index;

  auto loop = [&] {
    const auto phase_start = Clock::now();
    for (std::uint64_t q = 0; q < queue.size(); ++q) {
      const auto start = Clock::now();
      const state::PodIndex p = queue[q];
      const std::uint64_t i = options.first_decision + q;
      Placement placement;
      placement.pod = p;
      const state::PodRecord& pod = cluster.pods[p];
      const std::size_t f = index_for(pod.scheduler_name);
      if (f == profiles.size()) {
        placement.reason = "no profile for schedulerName \"" + pod.scheduler_name + "\"";
      } else {
        framework::Framework& fw = frameworks[f];
        framework::Decision decision;
        if (fw.samples()) {
          // Sampled decisions depend on the walk's start, so the class cache cannot serve them.
          decision = fw.select_sampled({pod, p}, cluster, i, *walk, next_start);
        } else if (options.equivalence_cache && fw.node_results_cacheable()) {
          decision = decide_cached(fw, caches[f], pod, p, i);
        } else {
          decision = fw.select_node({pod, p}, cluster, i);
        }
        // nextStartNodeIndex is the scheduler's, shared by its profiles; an unsampled
        // decision examines every node (or none) and leaves it where it was.
        next_start = framework::advance_start(next_start, decision.nodes_examined, cluster.nodes.size);
        placement.node = decision.node;
        placement.reason = decision.reason;
        if (decision.node != state::kNoNode) {
          cluster.bind(p, decision.node);
          for (auto& other : frameworks) other.notify_bind(cluster, p, decision.node);
          for (auto& cache : caches) cache.record_bind(decision.node);
        }
      }
      placement.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
      result.placements.push_back(std::move(placement));
    }
    result.schedule_seconds = std::chrono::duration<double>(Clock::now() - phase_start).count();
    result.next_start_node_index = next_start;
    for (const auto& cache : caches) {
      result.cache_hits += cache.hits();
      result.cache_misses += cache.misses();
    }
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
