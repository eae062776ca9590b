#pragma once
// Pod groups (gang scheduling with the semantics of scheduler-plugins' coscheduling plugin,
// kubernetes-sigs/scheduler-plugins pkg/coscheduling): the pods labelled
// scheduling.x-k8s.io/pod-group=NAME are placed all-or-nothing, at least the PodGroup's
// minMember of them together.
//
// Queue order (coscheduling's QueueSort keeps a group's pods back to back): a group is
// attempted where its first member stands in PrioritySort order, and all its members in
// the queue are pulled forward to that point, in their own queue order. The queue is then
// cut into segments:
//
//   queue (PrioritySort):   a  b  g1 c  g2 d  g3
//   reordered:              a  b  g1 g2 g3 c  d
//   segments:              [a b] [g1 g2 g3] [c d]
//                          ordinary  gang    ordinary
//   decision index:         0 1   2  3  4    5 6      (position in the reordered queue)
//
// Ordinary segments go through the caller's path (any algorithm, any parallel mode); a
// gang segment is a barrier: its members are placed one at a time through the session,
// inside a transaction (PlacementSession::begin_transaction). When fewer than minMember
// members are bound at the end (counting members already bound before the call, as
// coscheduling's Permit counts assigned pods), the transaction is rolled back — cluster
// columns, plugins' counters, class caches and nextStartNodeIndex as before the attempt —
// and every member is reported unplaced with the group's reason. Otherwise the members
// that fit stay bound (Permit releases the gang once minMember are assumed) and the rest
// keep their own FitError.
//
// Not thread-safe: runs on the scheduling loop's thread, between ordinary segments.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

class PlacementSession;

// The queue reordered so that each pod group is contiguous, cut into segments.
struct GangQueuePlan {
  struct Segment {
    std::size_t begin = 0;  // positions in `order`
    std::size_t end = 0;
    state::PodGroupIndex group = state::kNoPodGroup;  // kNoPodGroup: ordinary pods
  };
  std::vector<state::PodIndex> order;
  std::vector<Segment> segments;
  // Per group: members already bound when the plan was made (they count toward minMember).
  std::vector<std::uint32_t> bound_members;
};

// Whether any pod of `queue` belongs to a pod group.
bool queue_has_pod_groups(const state::ClusterState& cluster, std::span<const state::PodIndex> queue);

GangQueuePlan plan_gang_queue(const state::ClusterState& cluster, std::span<const state::PodIndex> queue);

// Places the members of `group` (one gang segment, in order) with decision indices
// first_decision, first_decision + 1, ...; appends one Placement per member to `result`
// and counts the gang in result.gangs_placed or result.gangs_rejected.
void place_gang(PlacementSession& session, state::PodGroupIndex group, std::span<const state::PodIndex> members,
                std::uint32_t bound_members, std::uint64_t first_decision, ScheduleResult& result);

}  // namespace podium::scheduler
