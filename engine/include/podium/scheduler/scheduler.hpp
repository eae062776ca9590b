#pragma once
// The scheduling loop: pops pending pods in queue order (PrioritySort), asks the framework
// for a node, and binds the pod before the next decision, so every decision sees all the
// earlier ones — kube-scheduler's one-pod-at-a-time semantics.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

// How several threads share the scheduling work (SchedulerOptions::threads > 1).
enum class ParallelMode {
  // Placements byte-identical to one thread, at any thread count. Pods whose decision is
  // node-local (Framework::decides_locally) and needs a full scan are decided speculatively
  // in parallel batches against the cluster as it stands, then committed in queue order;
  // a speculated decision is revalidated on the nodes the batch's earlier commits changed
  // (only those totals can differ) and corrected there. Other decisions run one at a
  // time with their node batches spread over the threads.
  kSequentialEquivalent,
  // Omega-style shared-state scheduling: each worker takes pods from the queue, decides
  // against its own replica of the node usage columns, and commits by compare-and-swap
  // reservations on the shared columns (every resource the pod requests, and the pod
  // count), retrying on its refreshed replica when another worker took the room first. (A
  // pod that needs more of a resource NodeResourcesFit is told to ignore than a node has
  // never reserves; after its attempts it is placed alone, as one thread would.) It
  // never over-commits a node, but placements depend on timing: NOT deterministic and not
  // kube-scheduler's sequential answer. Pods that are not node-local (spread or pod
  // affinity acting, normalizing scorers, host ports, node sampling) are placed one at a
  // time between concurrent runs.
  kOptimistic,
};

// DefaultPreemption (PostFilter; scheduler/preemption.hpp, docs/SEMANTICS.md "Preemption"):
// a pod no node accepts may evict lower-priority pods. The args are upstream's
// DefaultPreemptionArgs (defaults 10% and 100).
struct PreemptionOptions {
  bool enabled = true;
  std::int32_t min_candidate_nodes_percentage = 10;
  std::int32_t min_candidate_nodes_absolute = 100;
};

// The options a configuration's pluginConfig gives (config::DefaultPreemptionArgs).
inline PreemptionOptions preemption_options(const config::DefaultPreemptionArgs& args, bool enabled = true) {
  return {enabled, args.min_candidate_nodes_percentage, args.min_candidate_nodes_absolute};
}

// DefaultPreemption.calculateNumCandidates: potential * percentage / 100, at least the
// absolute minimum, at most potential.
std::int32_t num_preemption_candidates(std::int32_t potential_nodes, const PreemptionOptions& options);
// GetOffsetAndNumCandidates' offset in [0, potential_nodes). Upstream draws rand.Int31n from
// the process's global source; Podium hashes (seed, decision index) with SplitMix64, so a
// run is reproducible and the offset still moves from decision to decision. (Shared with
// the reference oracle, like the tie rule.)
std::uint32_t preemption_offset(std::uint64_t seed, std::uint64_t decision_index, std::uint32_t potential_nodes);

struct SchedulerOptions {
  std::uint64_t seed = 1;
  int threads = 1;  // oneTBB arena size
  // Reuse per-node totals across pods of one equivalence class (scheduler/class_cache.hpp)
  // when the profile allows it. Placements are identical either way.
  bool equivalence_cache = true;
  // The decision index of queue[0] (it picks the tie-break ring's start). A queue cut into
  // several schedule_queue calls, each given the count of decisions before it, places
  // exactly as one call over the whole queue would (with pod groups: when no cut splits a
  // group, and the queue is already in the grouped order gang_placement.hpp describes).
  std::uint64_t first_decision = 0;
  // Upstream's nextStartNodeIndex when the queue starts (profiles that sample nodes begin
  // their walk there); carry ScheduleResult::next_start_node_index across split queues.
  std::size_t first_start_node_index = 0;
  ParallelMode mode = ParallelMode::kSequentialEquivalent;  // with threads > 1
  // How a node is chosen among the feasible ones (algorithms/algorithm.hpp). The default
  // is kube's choice. Any other algorithm decides one pod at a time (its filter pass
  // spread over the threads), so `mode` does not apply and placements are the same at
  // every thread count.
  algorithms::Algorithm algorithm{};
  // Placements and victims are the same at every thread count. In optimistic mode, a
  // queue where some pod may preempt (a lower-priority pod is bound or queued, and the
  // pod's preemptionPolicy is not Never) is decided one pod at a time instead.
  PreemptionOptions preemption{};
  // Called now and then (about every kProgressEvery attempts, and not from a worker) with
  // the attempts this call has made so far, for a progress display: by the one-at-a-time
  // and sequential-equivalent loops; optimistic mode and batch algorithms do not call it
  // (a caller reports their end itself). Reporting through
  // this instead of cutting the queue into calls keeps one PlacementSession, so classes
  // cached early in the queue serve the whole queue.
  std::function<void(std::size_t attempted)> progress{};
  static constexpr std::size_t kProgressEvery = 4096;
};

inline constexpr state::PodIndex kNoPod = ~state::PodIndex{0};

struct Placement {
  state::PodIndex pod = 0;
  state::NodeIndex node = state::kNoNode;  // kNoNode: not placed, see reason
  std::string reason;
  std::uint64_t latency_ns = 0;  // this pod's whole decision, bind included
  // Preemption. A preemptor's entry: nominated (bound to the node its PostFilter
  // nominated) and the pods evicted for it, most important first. A victim's entry (one
  // per victim, just before its preemptor's): node kNoNode, evicted_by the preemptor.
  bool nominated = false;
  std::vector<state::PodIndex> victims{};
  state::PodIndex evicted_by = kNoPod;
  std::uint64_t preemption_ns = 0;  // of latency_ns, the time PostFilter took (0 if it did not run)
};

struct ScheduleResult {
  // Decision (queue) order; each preemptor's victims' eviction entries just before it.
  std::vector<Placement> placements;
  double schedule_seconds = 0;        // the scheduling phase only
  std::uint64_t cache_hits = 0;       // decisions that reused a class's cached totals
  std::uint64_t cache_misses = 0;     // decisions that computed every node
  std::size_t next_start_node_index = 0;  // nextStartNodeIndex after the last decision
  // Sequential-equivalent mode: decisions made speculatively in parallel batches, and how
  // many of them an earlier commit of the same batch changed (corrected on those nodes).
  std::uint64_t speculated = 0;
  std::uint64_t speculation_corrected = 0;
  // Sequential-equivalent mode at 2+ threads: cached classes the partner thread brought
  // forward before their pods came up (scheduler/partner_refresh.hpp).
  std::uint64_t partner_refreshes = 0;
  // Optimistic mode: commit attempts, and those that lost a compare-and-swap race (the
  // node no longer had room) and were decided again. conflicts / commit_attempts is the
  // conflict rate.
  std::uint64_t commit_attempts = 0;
  std::uint64_t conflicts = 0;
  // Batch algorithms (flow): windows, graph sizes, solve time, fallbacks.
  algorithms::WindowStats window_stats{};
  // Pod groups (coscheduling): groups whose attempt kept at least minMember members bound,
  // and groups rolled back (every member unplaced with the group's reason).
  std::uint64_t gangs_placed = 0;
  std::uint64_t gangs_rejected = 0;
  // Preemption: PostFilter runs (pods no node accepted that were eligible to preempt),
  // those that nominated a node (and were bound there), and the pods they evicted.
  std::uint64_t preemption_attempts = 0;
  std::uint64_t preemptions = 0;
  std::uint64_t victims = 0;
};

// Appends `placement` to result.placements, preceded by one eviction entry per victim.
void append_placement(ScheduleResult& result, Placement placement);

// Places every pending pod of `cluster` (mutated: bound pods are accounted on their nodes)
// with the profile whose scheduler_name matches the pod's schedulerName. Pods naming no
// profile are reported unplaced, as kube-scheduler ignores them. Pods of a pod group
// (ClusterState::pod_groups) are placed all-or-nothing, the group at its first member's
// queue position (scheduler/gang_placement.hpp, docs/SEMANTICS.md "Pod groups"); a
// placement's decision index is then its position in that reordered queue, and
// `placements` follows it.
ScheduleResult schedule_pending(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                const SchedulerOptions& options);

// The same loop over a given queue of pending pods, in the given order (the caller's queue:
// e.g. the pods one benchmark step creates, while later steps' pods stay pending and
// unseen). Every pod in `queue` must be unbound. Plugins' incremental state must already
// reflect every bind and unbind made outside this call (Framework::notify_bind/unbind).
ScheduleResult schedule_queue(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                              std::span<const state::PodIndex> queue, const SchedulerOptions& options);

}  // namespace podium::scheduler
