#include "scheduler/gang_placement.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "scheduler/placement_session.hpp"

namespace podium::scheduler {

bool queue_has_pod_groups(const state::ClusterState& cluster, std::span<const state::PodIndex> queue) {
  if (cluster.pod_groups.empty()) return false;
  return std::any_of(queue.begin(), queue.end(),
                     [&](state::PodIndex p) { return cluster.pods[p].group != state::kNoPodGroup; });
}

GangQueuePlan plan_gang_queue(const state::ClusterState& cluster, std::span<const state::PodIndex> queue) {
  const std::size_t groups = cluster.pod_groups.size();
  GangQueuePlan plan;
  plan.order.reserve(queue.size());
  plan.bound_members.assign(groups, 0);
  for (const state::PodRecord& pod : cluster.pods)
    if (pod.group != state::kNoPodGroup && pod.bound_node != state::kNoNode)
      ++plan.bound_members[static_cast<std::size_t>(pod.group)];

  // Each group's queued members, in queue order.
  std::vector<std::vector<state::PodIndex>> members(groups);
  for (const state::PodIndex p : queue)
    if (const state::PodGroupIndex g = cluster.pods[p].group; g != state::kNoPodGroup)
      members[static_cast<std::size_t>(g)].push_back(p);

  std::vector<bool> emitted(groups, false);
  for (const state::PodIndex p : queue) {
    const state::PodGroupIndex g = cluster.pods[p].group;
    if (g == state::kNoPodGroup) {
      if (plan.segments.empty() || plan.segments.back().group != state::kNoPodGroup)
        plan.segments.push_back({plan.order.size(), plan.order.size(), state::kNoPodGroup});
      plan.order.push_back(p);
      plan.segments.back().end = plan.order.size();
      continue;
    }
    const auto gi = static_cast<std::size_t>(g);
    if (emitted[gi]) continue;  // already placed with its group's first member
    emitted[gi] = true;
    const std::size_t begin = plan.order.size();
    plan.order.insert(plan.order.end(), members[gi].begin(), members[gi].end());
    plan.segments.push_back({begin, plan.order.size(), g});
  }
  return plan;
}

void place_gang(PlacementSession& session, state::PodGroupIndex group, std::span<const state::PodIndex> members,
                std::uint32_t bound_members, std::uint64_t first_decision, ScheduleResult& result) {
  using Clock = std::chrono::steady_clock;
  const state::PodGroupRecord& record = session.cluster().pod_groups[static_cast<std::size_t>(group)];
  const auto min_member = static_cast<std::size_t>(record.min_member);
  const std::size_t base = result.placements.size();
  const std::size_t candidates = bound_members + members.size();

  // Coscheduling's PreFilter: a group with fewer pods than minMember cannot be placed
  // whatever the cluster holds, so no member is tried.
  if (candidates < min_member) {
    const std::string reason = "pod group " + record.key + ": " + std::to_string(candidates) +
                               " members, fewer than minMember " + std::to_string(min_member);
    for (const state::PodIndex p : members) {
      Placement& placement = result.placements.emplace_back();
      placement.pod = p;
      placement.reason = reason;
    }
    ++result.gangs_rejected;
    return;
  }

  session.begin_transaction();
  std::size_t fit = bound_members;
  for (std::size_t k = 0; k < members.size(); ++k) {
    const auto start = Clock::now();
    Placement placement = session.place(members[k], first_decision + k);
    placement.latency_ns =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    if (placement.node != state::kNoNode) ++fit;
    result.placements.push_back(std::move(placement));
  }
  const bool keep = fit >= min_member;
  session.end_transaction(keep);
  if (keep) {
    ++result.gangs_placed;
    return;
  }
  ++result.gangs_rejected;
  const std::string reason = "pod group " + record.key + ": " + std::to_string(fit) + "/" +
                             std::to_string(candidates) + " members fit (minMember " + std::to_string(min_member) +
                             ")";
  for (std::size_t k = base; k < result.placements.size(); ++k) {
    result.placements[k].node = state::kNoNode;
    result.placements[k].reason = reason;
  }
}

}  // namespace podium::scheduler
