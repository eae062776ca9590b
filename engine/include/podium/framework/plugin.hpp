#pragma once
// Plugin contracts, in kube-scheduler's names (pkg/scheduler/framework/interface.go) but
// batch-shaped: the framework calls a plugin once per batch of nodes, never once per node,
// so a plugin's loop over the SoA columns is a tight, inlinable, vectorisable loop.
//
//   PreFilter ─► Filter (batches) ─► PreScore ─► Score (batches) ─► NormalizeScore
//
// Every method except Pre* is const and may run concurrently on disjoint batches from
// oneTBB workers: it must not allocate, throw, lock or write shared state.

#include <climits>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "podium/framework/cycle_state.hpp"
#include "podium/framework/reason_counts.hpp"
#include "podium/framework/status.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::framework {

using state::ClusterState;
using state::NodeIndex;

inline constexpr std::int64_t kMaxNodeScore = 100;  // framework.MaxNodeScore
inline constexpr std::int64_t kMinNodeScore = 0;

// The pod being scheduled and where it stands in the queue.
struct PodContext {
  const state::PodRecord& pod;
  state::PodIndex index;
};

// The node columns ClusterState::bind and unbind write (the pods bound on each node),
// by resource as NodeTable holds them. A refresh kernel reads them through this view, so
// the same kernel runs over the live cluster or over the replica that a second thread
// keeps from the bind log (scheduler/partner_refresh.hpp).
struct BoundNodeColumns {
  std::span<const std::int64_t* const> requested;  // [resource] -> by node
  const std::int64_t* nonzero_cpu;
  const std::int64_t* nonzero_memory;
  const std::int32_t* pod_count;
};

// A cached class's refresh of the nodes bound since its last pod, detached from the
// decision that made it (ScorePlugin::detach_refresh): what the fused filter + score
// kernel needs to know about the class's pods, captured once, so that a thread without
// the pod's CycleState can bring the class's totals forward. Immutable once made; run()
// may be called from any thread.
class DetachedRefresh {
 public:
  virtual ~DetachedRefresh() = default;
  // totals_by_node[ids[i]] = the class's total on node ids[i] (or `infeasible`), reading
  // the bound-pod columns from `bound` and everything else (allocatable, limits) from
  // the cluster the refresh was detached from.
  virtual void run(const BoundNodeColumns& bound, std::span<const NodeIndex> ids,
                   std::int64_t* totals_by_node) const = 0;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view name() const = 0;
  // The CycleState slot this plugin owns; assigned by the profile builder.
  std::size_t slot() const { return slot_; }

  // True if the plugin's verdict and score for node n depend only on the pod and on node
  // n's own state (its columns), never on other nodes. Only then may a scheduler cache a
  // node's result across decisions and recompute just the nodes that changed. Plugins
  // that look across nodes (topology spread, inter-pod affinity) keep the safe default.
  virtual bool depends_only_on_its_node() const { return false; }

  // Appends to `signature` every pod field this plugin reads (upstream SignPlugin,
  // KEP-5598): two pods with equal signatures from every plugin are interchangeable for
  // the profile. Returns false if the plugin cannot sign (then nothing is cached).
  virtual bool sign(const state::PodRecord& pod, std::string& signature) const {
    (void)pod;
    (void)signature;
    return false;
  }
  // The committer has bound pod `pod` to `node` (already accounted in `cluster`). Plugins
  // that keep incremental state about bound pods (per-node counts of pods matching a
  // selector, existing pods' affinity terms) update it here, so a decision costs O(nodes)
  // instead of a walk over every bound pod. Called on the scheduling thread between
  // decisions, never concurrently with Filter or Score. Pods bound at load time are in
  // `cluster` before the plugin is built.
  virtual void on_bind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node) {
    (void)cluster;
    (void)pod;
    (void)node;
  }
  // The reverse: pod `pod` was on `node` and has left it (deleted or evicted; `cluster`
  // already reflects it). Same calling rules as on_bind.
  virtual void on_unbind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node) {
    (void)cluster;
    (void)pod;
    (void)node;
  }
  void set_slot(std::size_t slot) { slot_ = slot; }

 private:
  std::size_t slot_ = 0;
};

class FilterPlugin : public virtual Plugin {
 public:
  // Once per pod, before any Filter. Codes: Success; Skip (Filter is not called for this
  // pod); Unschedulable / UnschedulableAndUnresolvable (the pod fits no node; the reasons
  // become the pod's summary); Error.
  virtual Status pre_filter(CycleState&, const PodContext&, const ClusterState&) { return {}; }

  // True if PreFilter would return Skip for this pod whatever the cluster holds, and does
  // so without writing plugin state (the pod decides it alone). Lets the scheduler
  // decide such pods concurrently. Must never answer true when PreFilter would not skip;
  // false is always safe.
  virtual bool pre_filter_always_skips(const PodContext& pod, const ClusterState& cluster) const {
    (void)pod;
    (void)cluster;
    return false;
  }

  // Keeps the candidates that pass, in order, writing them to `survivors` (which may be
  // candidates.data() itself) and returns how many passed.
  // True when the verdict on a node reads only what never changes during a scheduling run
  // (node labels, taints, spec fields; the pod), never the pods bound on it: a node this
  // filter accepted or refused for a pod stays so until the nodes themselves change.
  // False is always safe.
  virtual bool verdict_ignores_bound_pods() const { return false; }

  virtual std::size_t filter(const CycleState&, const PodContext&, const ClusterState&,
                             std::span<const NodeIndex> candidates, NodeIndex* survivors) const = 0;

  // The dense form of filter() over the consecutive nodes [first, first + count): clears
  // ok[i] where node first + i fails (never sets one), with no selection vector, so the
  // loop reads the columns in order and vectorises. Returns false, writing nothing, when
  // the plugin has no dense form for this pod; the framework then runs filter() over the
  // survivors instead. Same calling rules as filter(); must agree with it node for node.
  virtual bool filter_range(const CycleState&, const PodContext&, const ClusterState&, NodeIndex first,
                            std::size_t count, std::uint8_t* ok) const {
    (void)first;
    (void)count;
    (void)ok;
    return false;
  }
  // One node with its reasons: Success, Unschedulable or UnschedulableAndUnresolvable.
  // The slow path used to explain a rejection; must agree with filter() node for node.
  virtual Status filter_node(const CycleState&, const PodContext&, const ClusterState&, NodeIndex node) const = 0;

  // Adds to `counts` every reason filter_node() gives each of `nodes` (nothing for a node
  // it accepts): the FitError of an unschedulable pod counts, per node, the reasons of the
  // first filter that rejects it, over every node. The default calls filter_node() node by
  // node, a Status with heap-allocated reason strings each; a plugin that rejects many
  // nodes overrides it to count its verdicts in integers and add each reason once. Must
  // agree with filter_node() exactly (same reasons, as many times). Runs after PreFilter,
  // like filter_node() on the thread that owns the cycle state; may allocate, must not
  // write shared state.
  virtual void count_rejections(const CycleState& cycle, const PodContext& pod, const ClusterState& cluster,
                                std::span<const NodeIndex> nodes, ReasonCounts& counts) const {
    for (const NodeIndex n : nodes) counts.add(filter_node(cycle, pod, cluster, n));
  }

  // True if this plugin's PreFilterResult (upstream: the node names PreFilter returns)
  // leaves `node` out for this pod. Upstream's findNodesThatFitPod then runs no filter on
  // the node and reports it as "node(s) didn't satisfy plugin(s) [Name]", whatever the
  // other filters would say; Framework::first_rejection does the same. Explanations only:
  // filter() and filter_node() must still reject such a node, so false never changes a
  // placement (only the FitError text).
  virtual bool outside_pre_filter_result(const CycleState&, const PodContext&, const ClusterState&,
                                         NodeIndex node) const {
    (void)node;
    return false;
  }
  // True if this pod's PreFilter returned a PreFilterResult, i.e. outside_pre_filter_result
  // may answer true for some node; false lets the framework skip asking node by node (the
  // FitError of an unschedulable pod asks about every node). Must be true whenever
  // outside_pre_filter_result can be.
  virtual bool has_pre_filter_result(const CycleState&, const PodContext&, const ClusterState&) const {
    return false;
  }
};

class ScorePlugin : public virtual Plugin {
 public:
  // Once per pod after filtering. `feasible` is the full feasible list when
  // needs_feasible_nodes() is true, else empty. Skip: Score is not called for this pod
  // and the plugin adds nothing to any node's total.
  virtual Status pre_score(CycleState&, const PodContext&, const ClusterState&, std::span<const NodeIndex> feasible) {
    (void)feasible;
    return {};
  }
  virtual bool needs_feasible_nodes() const { return false; }

  // True if PreScore would return Skip for this pod whatever the feasible nodes are (e.g.
  // a pod without spread constraints). Lets the class cache skip building the feasible
  // list for plugins that must otherwise run every decision. Must never answer true when
  // PreScore would not skip; false is always safe.
  virtual bool pre_score_always_skips(const PodContext& pod, const ClusterState& cluster) const {
    (void)pod;
    (void)cluster;
    return false;
  }

  // scores[i] = the plugin's score of nodes[i].
  virtual void score(const CycleState&, const PodContext&, const ClusterState&, std::span<const NodeIndex> nodes,
                     std::int64_t* scores) const = 0;

  // The dense form of score() for a plugin without NormalizeScore: totals[i] += weight x
  // the score of node first + i, for the consecutive nodes [first, first + count). Nodes a
  // filter rejects may be scored too (the framework discards their totals), so it must not
  // trap on any node. Returns false, writing nothing, when it has no dense form for this
  // pod or weight; the framework then calls score() on the feasible nodes. Same calling
  // rules as score(); must agree with it bit for bit.
  virtual bool score_range(const CycleState&, const PodContext&, const ClusterState&, NodeIndex first,
                           std::size_t count, std::int64_t weight, std::int64_t* totals) const {
    (void)first;
    (void)count;
    (void)weight;
    (void)totals;
    return false;
  }
  // A score that is the same on every node for this pod (after PreScore): the dense pass
  // then starts every total at weight x score instead of calling score_range. false, the
  // default: not known to be uniform. Must agree with score() on every node.
  virtual bool uniform_score(const CycleState&, const PodContext&, const ClusterState&, std::int64_t& score) const {
    (void)score;
    return false;
  }
  // Fusion: one dense pass adding this plugin's and `partner`'s weighted scores together,
  // for plugins that read the same node columns (NodeResourcesFit's LeastAllocated with
  // BalancedAllocation). fuses_with answers once per profile whether a fused form may
  // exist; score_range_fused is score_range for both at once (same rules, bit for bit) and
  // may still decline for a pod, returning false and writing nothing.
  virtual bool fuses_with(const ScorePlugin& partner) const {
    (void)partner;
    return false;
  }
  virtual bool score_range_fused(const CycleState&, const PodContext&, const ClusterState&, const ScorePlugin& partner,
                                 std::int64_t weight, std::int64_t partner_weight, NodeIndex first, std::size_t count,
                                 std::int64_t* totals) const {
    (void)partner;
    (void)weight;
    (void)partner_weight;
    (void)first;
    (void)count;
    (void)totals;
    return false;
  }
  // score_range_fused folded with this plugin's own Filter, for a plugin that is also a
  // FilterPlugin reading the same columns (NodeResourcesFit's fitsRequest): ok[i] &= the
  // Filter's verdict on node first + i and totals[i] = both weighted scores (assigned: the
  // pass starts the totals), in one pass over the columns. The framework calls it in the
  // Filter's place, after this plugin's PreFilter and both plugins' PreScore; returning
  // false, writing nothing, is always safe (the Filter and the scores then run apart).
  virtual bool filter_score_range_fused(const CycleState&, const PodContext&, const ClusterState&,
                                        const ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                                        NodeIndex first, std::size_t count, std::uint8_t* ok,
                                        std::int64_t* totals) const {
    (void)partner;
    (void)weight;
    (void)partner_weight;
    (void)first;
    (void)count;
    (void)ok;
    (void)totals;
    return false;
  }
  // score_range_fused for the scattered nodes ids[i]: totals[i] += both weighted scores of
  // node ids[i] (the class cache's refresh). Same rules; may decline, writing nothing.
  virtual bool score_ids_fused(const CycleState&, const PodContext&, const ClusterState&, const ScorePlugin& partner,
                               std::int64_t weight, std::int64_t partner_weight, std::span<const NodeIndex> ids,
                               std::int64_t* totals) const {
    (void)partner;
    (void)weight;
    (void)partner_weight;
    (void)ids;
    (void)totals;
    return false;
  }
  // The class cache's refresh in one pass, for a plugin that is also a node-local Filter of
  // the profile (NodeResourcesFit): for each ids[i], totals_by_node[ids[i]] = base + both
  // weighted scores (as score_ids_fused adds them) when this plugin's Filter accepts the
  // node, else `infeasible`. The caller guarantees PreFilter ran and did not skip, and that
  // PreScore ran for both; may decline for a pod, returning false and writing nothing.
  virtual bool filter_score_ids_fused(const CycleState&, const PodContext&, const ClusterState&,
                                      const ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                                      std::int64_t base, std::int64_t infeasible, std::span<const NodeIndex> ids,
                                      std::int64_t* totals_by_node) const {
    (void)partner;
    (void)weight;
    (void)partner_weight;
    (void)base;
    (void)infeasible;
    (void)ids;
    (void)totals_by_node;
    return false;
  }
  // filter_score_ids_fused for this pod as a DetachedRefresh (same arguments, same
  // totals), or null when it declines. The cluster's node columns other than the bound-pod
  // ones (BoundNodeColumns) must outlive it.
  virtual std::unique_ptr<DetachedRefresh> detach_refresh(const CycleState&, const PodContext&, const ClusterState&,
                                                          const ScorePlugin& partner, std::int64_t weight,
                                                          std::int64_t partner_weight, std::int64_t base,
                                                          std::int64_t infeasible) const {
    (void)partner;
    (void)weight;
    (void)partner_weight;
    (void)base;
    (void)infeasible;
    return nullptr;
  }
  // NormalizeScore (ScoreExtensions) over every feasible node's score at once.
  virtual bool has_normalize() const { return false; }
  virtual void normalize(const CycleState&, const PodContext&, std::span<std::int64_t> scores) const { (void)scores; }

  // Score, NormalizeScore and the framework's weighted add in fewer passes, for a plugin
  // that normalizes: totals[i] = base[i] + weight x the normalized score of nodes[i] (base
  // may equal totals), and max_total = the greatest totals[i] written (nodes is not
  // empty). Returns false, writing nothing, when it has no fused form for this pod, nodes
  // or weight; the framework then runs score(), normalize() and the add. Same calling
  // rules as score(); must agree with that sequence bit for bit.
  virtual bool score_normalized_into(const CycleState&, const PodContext&, const ClusterState&,
                                     std::span<const NodeIndex> nodes, std::int64_t weight, const std::int64_t* base,
                                     std::int64_t* totals, std::int64_t& max_total) const {
    (void)nodes;
    (void)weight;
    (void)base;
    (void)totals;
    (void)max_total;
    return false;
  }

  // Split scoring: the live path on two threads (Framework::decide_with_live) runs Score,
  // NormalizeScore and the weighted add over two halves of the feasible list at once, in two
  // steps joined in between (NormalizeScore needs every node's bounds).
  //
  // Step 1, score_part: Score of `nodes` (one part of the feasible list) into `scratch`
  // (nodes.size() slots, the plugin's own until step 2 on the same part) and the part's
  // bounds as NormalizeScore reduces them (the least and greatest score it takes; a
  // plugin without NormalizeScore may leave them). false, writing nothing else: no split
  // form for this pod (the framework then scores on one thread).
  // Step 2, add_normalized_part, with the bounds of every part merged (least min, greatest
  // max): totals[i] = base[i] + weight x the normalized score of nodes[i] (base may equal
  // totals); returns the greatest total written. Called only after step 1 returned true
  // for every part.
  // Both may run concurrently with each other on disjoint parts: they must not write
  // anything but scratch and totals (no plugin or CycleState member, however mutable).
  struct Bounds {
    std::int64_t min = INT64_MAX;
    std::int64_t max = INT64_MIN;
    void merge(const Bounds& o) {
      min = o.min < min ? o.min : min;
      max = o.max > max ? o.max : max;
    }
  };
  virtual bool score_part(const CycleState&, const PodContext&, const ClusterState&, std::span<const NodeIndex> nodes,
                          std::int64_t* scratch, Bounds& bounds) const {
    (void)nodes;
    (void)scratch;
    (void)bounds;
    return false;
  }
  virtual std::int64_t add_normalized_part(const CycleState&, const PodContext&, Bounds merged,
                                           std::span<const NodeIndex> nodes, std::int64_t* scratch, std::int64_t weight,
                                           const std::int64_t* base, std::int64_t* totals) const {
    (void)merged;
    (void)nodes;
    (void)scratch;
    (void)weight;
    (void)base;
    (void)totals;
    return INT64_MIN;
  }
};

}  // namespace podium::framework
