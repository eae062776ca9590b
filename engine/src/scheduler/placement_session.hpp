#pragma once
// PlacementSession: what one schedule_queue call shares across its decisions — a Framework
// and an equivalence-class cache per profile, the tie ring, the node-sampling walk and
// upstream's nextStartNodeIndex — and the one-pod-at-a-time decision that every parallel
// mode falls back to. `place` is kube-scheduler's scheduleOne: decide, then bind before
// the next pod, so each decision sees all the earlier ones.
//
// Not thread-safe: the parallel modes call it from their committing thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "podium/framework/framework.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "scheduler/class_cache.hpp"
#include "scheduler/partner_refresh.hpp"
#include "scheduler/preemption.hpp"

namespace podium::scheduler {

// After fw.prepare(ctx): brings the pod's class current on `cluster` — only the nodes
// bound since the class was last used are recomputed — as the cache's current class
// (its best(), and totals_by_node(): kInfeasible where a cached filter rejects the node).
void bring_class_current(framework::Framework& fw, ClassCache& cache, const state::ClusterState& cluster,
                         const framework::PodContext& ctx, const std::string* signature);

// One decision through a class cache: bring the pod's class's totals current on `cluster`
// (only the nodes bound since the class was last used), then answer from its tree, or
// run the live plugins on top of the totals when one acts on this pod. Identical to
// Framework::select_node. `explain` false leaves an unschedulable decision's reason empty
// (the FitError re-runs every filter node by node; a caller that will not report it skips it).
framework::Decision decide_with_class_cache(framework::Framework& fw, ClassCache& cache,
                                            const state::ClusterState& cluster, const framework::PodContext& ctx,
                                            std::uint64_t decision_index, const std::string* signature = nullptr,
                                            bool explain = true);

class PlacementSession {
 public:
  PlacementSession(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                   const SchedulerOptions& options);
  ~PlacementSession();
  PlacementSession(const PlacementSession&) = delete;
  PlacementSession& operator=(const PlacementSession&) = delete;

  // The profile deciding `pod` (its schedulerName), or profile_count() if none does.
  std::size_t profile_of(const state::PodRecord& pod) const;
  std::size_t profile_count() const { return profiles_.size(); }
  const framework::Profile& profile(std::size_t f) const { return profiles_[f]; }
  framework::Framework& framework(std::size_t f) { return frameworks_[f]; }
  const framework::Framework& framework(std::size_t f) const { return frameworks_[f]; }
  ClassCache& cache(std::size_t f) { return caches_[f]; }
  // Whether decisions of profile f go through its class cache.
  bool uses_cache(std::size_t f) const {
    return options_.equivalence_cache && frameworks_[f].node_results_cacheable() && !frameworks_[f].samples();
  }
  const framework::TieBreaker& ties() const { return ties_; }
  const RingOrder& ring() const { return ring_; }
  const SchedulerOptions& options() const { return options_; }
  state::ClusterState& cluster() { return cluster_; }

  // Decides pod `p` (decision number `decision_index`) on this thread — node batches
  // spread over the current arena — and commits it. Everything but latency_ns is set.
  // A pod no node accepts runs PostFilter (DefaultPreemption, scheduler/preemption.hpp)
  // when preemption is on and no transaction is open: if it nominates a node, the victims
  // are evicted, the pod is bound there and the Placement says so (nominated, victims).
  // `signature`, when given, is the pod's class key (Framework::signature), already computed.
  Placement place(state::PodIndex p, std::uint64_t decision_index, const std::string* signature = nullptr);
  // The same with a batch algorithm's proposal: `proposed` is committed if every filter
  // accepts it now, else (or for kNoNode) the pod is decided as place() would. Returns
  // whether the proposal was taken.
  Placement place_proposed(state::PodIndex p, std::uint64_t decision_index, state::NodeIndex proposed,
                           bool& taken);
  // Binds `p` to `node` and tells every profile's plugins and caches. `gpu_devices`, when
  // not 0, are the GPU-sharing devices to bind it to (a preemption dry run restoring a
  // victim); else the chooser's, else ClusterState::bind's rule.
  void commit(state::PodIndex p, state::NodeIndex node, gpushare::DeviceSet gpu_devices = 0);
  // The exact reverse of commit(p, node) (NodeInfo.RemovePod, then every plugin's
  // Unreserve-like on_unbind, then `node` marked changed in every class cache): usage
  // columns, pod_count, bound_node and plugins' counters are as before the commit. Only
  // used_ports[node] can differ, when commit() found one of the pod's ports already there
  // (no NodePorts filter in the profile); a transaction restores that too.
  void rollback(state::PodIndex p, state::NodeIndex node);

  // All-or-nothing placement (pod groups, scheduler/gang_placement.hpp). Between begin and
  // end, every commit() is journalled; end(false) rolls the journal back in reverse and
  // restores nextStartNodeIndex and each touched node's used_ports exactly, so the cluster,
  // the plugins and the session read as if the transaction never ran. end(true) keeps it.
  // Transactions do not nest.
  void begin_transaction();
  void end_transaction(bool keep);
  // The telling alone, for a bind already accounted in the cluster (optimistic mode).
  void notify_bound(state::PodIndex p, state::NodeIndex node);
  // Cache statistics, preemption counts and nextStartNodeIndex into `result`.
  void finish(ScheduleResult& result) const;
  // A thread that brings cached classes forward (partner_refresh.hpp) is told of every bind
  // and unbind from now on, and the caches let it hold their classes; null detaches it.
  // The caller keeps it alive while attached.
  void attach_partner(PartnerRefresh* partner);
  PartnerRefresh* partner() const { return partner_; }

 private:
  // The decision of profile f for pod p, by the session's algorithm.
  framework::Decision decide(std::size_t f, state::PodIndex p, std::uint64_t decision_index,
                             const std::string* signature);
  // A non-default algorithm's decision: the feasible nodes (through the class cache when
  // the profile allows), then the algorithm's chooser.
  framework::Decision decide_by_chooser(std::size_t f, state::PodIndex p, std::uint64_t decision_index);

  state::ClusterState& cluster_;
  std::span<const framework::Profile> profiles_;
  SchedulerOptions options_;
  framework::TieBreaker ties_;
  RingOrder ring_;
  std::vector<framework::Framework> frameworks_;
  std::vector<ClassCache> caches_;
  // Node sampling (framework/node_sampling.hpp): the zone-interleaved node list and
  // upstream's Scheduler.nextStartNodeIndex, only when some profile samples.
  std::optional<framework::NodeWalk> walk_;
  std::size_t next_start_;

  // The open transaction's binds, in commit order. `ports_before` is used_ports[node] as
  // it was before the bind, kept only for pods with host ports (the one column unbind
  // cannot always restore by itself).
  struct JournalEntry {
    state::PodIndex pod;
    state::NodeIndex node;
    std::optional<std::vector<state::HostPortRecord>> ports_before;
  };
  bool in_transaction_ = false;
  std::vector<JournalEntry> journal_;
  std::size_t next_start_at_begin_ = 0;
  std::uint8_t chosen_gpu_devices_ = 0;
  PartnerRefresh* partner_ = nullptr;  // the chooser's devices for the pod about to be committed

  // DefaultPreemption, built at the first PostFilter (it indexes bound pods by node).
  std::unique_ptr<Preemptor> preemptor_;
  std::uint64_t preemption_attempts_ = 0;
  std::uint64_t preemptions_ = 0;
  std::uint64_t victims_ = 0;
  // PostFilter for pod p of profile f, unschedulable at decision `decision_index`.
  void post_filter(std::size_t f, state::PodIndex p, std::uint64_t decision_index, Placement& placement);
};

}  // namespace podium::scheduler
