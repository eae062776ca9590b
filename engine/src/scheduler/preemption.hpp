#pragma once
// DefaultPreemption: the PostFilter that runs when no node accepts a pod
// (upstream pkg/scheduler/framework/preemption/preemption.go Evaluator.Preempt and
// plugins/defaultpreemption/default_preemption.go; read at kubernetes/kubernetes master
// after v1.35, whose default path is v1.35's — docs/SEMANTICS.md "Preemption").
//
//   Preempt ─► PodEligibleToPreemptOthers (preemptionPolicy Never: no)
//           ─► findCandidates: potential nodes = those whose first rejecting filter said
//              Unschedulable (UnschedulableAndUnresolvable ones are skipped), in the
//              snapshot's (zone-interleaved) order; an offset and a candidate count
//           ─► DryRunPreemption: from the offset, wrapping, SelectVictimsOnNode per node
//              until some candidate violates no PDB and numCandidates are found
//           ─► SelectCandidate / pickOneNodeForPreemption: the ordered criteria
//           ─► prepareCandidate: evict the victims
//
// SelectVictimsOnNode runs on the real cluster, not a copy: the node's lower-priority pods
// are unbound through the session (every plugin hears on_unbind, so PodTopologySpread's
// and InterPodAffinity's counters see the node without them), every filter is re-run with
// a fresh PreFilter, pods are re-bound one by one to reprieve them, and the node is
// restored exactly before the next one is tried. Upstream's RemovePod/AddPod
// PreFilterExtensions reach the same state incrementally.
//
// Deterministic where upstream is not: the offset is a hash of (seed, decision index)
// instead of math/rand; the dry run walks the nodes in order (upstream's parallel walk
// stops at whichever candidates its workers found first); candidates with equal scores
// keep dry-run order (upstream iterates a Go map); victims of equal importance are
// ordered by input position (upstream's sort.Slice leaves them in any order).
//
// Not thread-safe: runs on the scheduling thread, between decisions.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

class PlacementSession;

// One node's dry-run outcome (upstream's candidate: extenderv1.Victims and the node).
struct PreemptionCandidate {
  state::NodeIndex node = state::kNoNode;
  std::vector<state::PodIndex> victims;  // most important first
  std::int64_t pdb_violations = 0;
};

struct PreemptionOutcome {
  state::NodeIndex node = state::kNoNode;  // the nominated node; kNoNode: preemption does not help
  std::vector<state::PodIndex> victims;    // evicted already, most important first
  std::string reason;                      // why not, when node == kNoNode
};

// util.GetPodStartTime as a number: status.startTime, or "now" (later than every given
// time) for a pod that has not started.
inline constexpr std::int64_t kNotStarted = INT64_MAX;
std::int64_t pod_start_time(const state::PodRecord& pod);

// util.MoreImportantPod: higher priority, then earlier start time; ties (which upstream's
// sort.Slice leaves in any order) go to the pod earlier in the input.
bool more_important(const state::ClusterState& cluster, state::PodIndex a, state::PodIndex b);

// num_preemption_candidates and preemption_offset: podium/scheduler/scheduler.hpp.

// filterPodsWithPDBViolation: `pods` (in order) split into those whose eviction would take
// some matching PDB below zero allowed disruptions (counting the earlier pods of the list)
// and the others, each keeping the input order.
void split_by_pdb_violation(const state::ClusterState& cluster, std::span<const state::PodIndex> pods,
                            std::vector<state::PodIndex>& violating, std::vector<state::PodIndex>& non_violating);

// pickOneNodeForPreemption over `candidates` (dry-run order, victims most important
// first): the index of the chosen one. Criteria in order, each keeping the best-scoring
// candidates: fewest PDB violations, lowest highest-victim priority, smallest sum of
// (priority + 2^31) over victims, fewest victims, latest earliest start time among the
// highest-priority victims; then the first left.
std::size_t pick_one_node_for_preemption(const state::ClusterState& cluster,
                                         std::span<const PreemptionCandidate> candidates);

class Preemptor {
 public:
  Preemptor(PlacementSession& session, const PreemptionOptions& options, std::uint64_t seed);

  // Evaluator.Preempt for pod `p`, which profile `f` just found unschedulable (decision
  // `decision_index`). On success the victims are already evicted (unbound, every plugin
  // and class cache told) and `p` fits the nominated node; the caller binds it.
  PreemptionOutcome preempt(std::size_t f, state::PodIndex p, std::uint64_t decision_index);

  // The session's binds and unbinds, to keep the pods-per-node lists current.
  void on_bind(state::PodIndex p, state::NodeIndex node);
  void on_unbind(state::PodIndex p, state::NodeIndex node);

 private:
  // SelectVictimsOnNode. False when the node is no candidate (no lower-priority pod, or
  // the pod does not fit even with all of them gone). The node is left as it was.
  bool select_victims_on_node(std::size_t f, state::PodIndex p, state::NodeIndex node, PreemptionCandidate& out);
  bool fits(std::size_t f, state::PodIndex p, state::NodeIndex node);
  void take_off(state::PodIndex victim, state::NodeIndex node);
  void put_back(state::PodIndex victim, state::NodeIndex node);

  PlacementSession& session_;
  PreemptionOptions options_;
  std::uint64_t seed_;
  std::vector<std::vector<state::PodIndex>> pods_on_node_;  // bound pods per node
  std::vector<state::NodeIndex> node_order_;               // the snapshot's node list
  std::map<std::int32_t, std::uint32_t> bound_priorities_;  // bound pods by priority: a quick "no victim anywhere"
  bool dry_run_ = false;  // on_bind/on_unbind ignore the dry run's own moves
};

// Whether some pod of `queue` could preempt: preemption is on, the pod's preemptionPolicy
// is not Never, and a pod of lower priority is bound or queued.
bool preemption_possible(const state::ClusterState& cluster, std::span<const state::PodIndex> queue,
                         const PreemptionOptions& options);

}  // namespace podium::scheduler
