#pragma once
// The framework runner: executes a Profile's plugins for one pod over all nodes
// (upstream frameworkImpl + schedulePod/findNodesThatFitPod/prioritizeNodes/selectHost).
//
// Hot path (select_node): nodes are cut into fixed batches; each batch runs every Filter
// over a selection vector of node ids (DuckDB-style: a filter compacts the ids in place and
// returns the survivor count), then every Score over the survivors, accumulates weighted
// totals and keeps the batch's best node. Batches run in parallel under oneTBB; batch
// winners merge by (total desc, ring distance asc), a total order, so the result is the
// same for any thread count and any batch split. When a Score plugin normalizes, scoring
// waits for the complete feasible list instead (normalization needs every node's score).
//
// Slow path (explain): node by node, plugin by plugin, keeping every status and score —
// what `podium score` prints and what an unschedulable pod's reason summary counts.
//
// Thread-safety: a Framework is used by one scheduling thread at a time (it owns scratch
// buffers); the parallelism is inside select_node.

#include <cstdint>
#include <climits>
#include <span>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "podium/framework/node_sampling.hpp"
#include "podium/framework/profile.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::framework {

// The live path's two-thread split (Framework::decide_with_live) runs only on clusters of at
// least this many nodes (below, the hand-offs cost more than half a pass saves). Read by each
// Framework when it is built; tests lower it to split small clusters.
std::size_t live_split_min_nodes();
void set_live_split_min_nodes(std::size_t nodes);
// How many decisions the split has taken in this process (every Framework): for tests that
// must know it ran.
std::size_t live_split_decisions();

struct Decision {
  NodeIndex node = state::kNoNode;  // kNoNode: unschedulable (see reason) or error
  std::size_t feasible_nodes = 0;
  std::string reason;  // kube-style FitError text when unschedulable
  // Nodes the filters examined (upstream's processedNodes): every node, except when a
  // sampled decision stopped early; 0 when PreFilter rejected the pod.
  std::size_t nodes_examined = 0;
};
// (feasible_nodes is 0 for a decision that did not count them: a class tree's answer under
// live filters, scheduler/class_totals.hpp best_accepted. Only `podium score` reports it.)

struct NodeExplanation {
  NodeIndex node = 0;
  Status status;                     // Success, or the first rejecting filter's status (plugin set)
  std::vector<std::int64_t> scores;  // per active score plugin, normalized, before weight
  std::int64_t total = 0;
  bool sampled = true;  // among the nodes a sampled decision scores (always, unsampled)
};

struct Explanation {
  Status pre_filter_status;               // non-ok: the pod was rejected before Filter
  std::vector<std::string> score_plugins;  // score plugins that ran (Skip ones are absent)
  std::vector<std::int64_t> score_weights;
  std::vector<NodeExplanation> nodes;      // cluster order
  Decision decision;
  // Node sampling (percentageOfNodesToScore): 0 when every node is scored; else how many
  // feasible nodes the walk looked for, from the first node of the zone-interleaved order.
  std::size_t nodes_to_find = 0;
};

class Framework {
 public:
  // `threads` == 1 runs everything on the calling thread; otherwise batches are spread
  // over the current oneTBB arena.
  Framework(const Profile& profile, std::size_t node_count, TieBreaker tie_breaker, int threads = 1);

  Decision select_node(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index);

  // --- Node sampling (framework/node_sampling.hpp). True when the profile's
  // percentageOfNodesToScore makes decisions look at fewer than every node; the scheduler
  // must then call select_sampled (and skip its equivalence-class cache).
  bool samples() const { return to_find_ < node_count_; }
  std::size_t nodes_to_find() const { return to_find_; }
  // findNodesThatFitPod with sampling: filters nodes in `walk` order from position
  // `start_position`, wrapping, until nodes_to_find() are feasible; scores and normalizes
  // only those. Decision::nodes_examined is what the start position advances by.
  Decision select_sampled(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index,
                          const NodeWalk& walk, std::size_t start_position);

  // --- Building blocks for schedulers that cache per-node results (scheduler/class_cache).
  static constexpr std::int64_t kInfeasible = INT64_MIN;

  // True when every plugin that is not live (below) signs the pods it sees: the sum of
  // those plugins' weighted scores on a node then depends only on the pod's signature and
  // that node, so it can be cached per class and recomputed node by node.
  bool node_results_cacheable() const { return cacheable_; }

  // Live plugins: those whose verdict or score for a node can change when *another* node
  // changes — plugins that look across nodes (topology spread, inter-pod affinity) and
  // scorers that normalize over the feasible set. A class cache keeps only the other
  // plugins' totals (evaluate/evaluate_all leave live plugins out) and runs the live ones
  // at every decision with decide_with_live.
  bool has_live_plugins() const { return has_live_; }
  // After prepare(): whether a live plugin acts on this pod (a live filter's PreFilter
  // did not Skip, or a live scorer's PreScore may not Skip). If none does, the cached
  // totals alone decide.
  bool live_plugins_act(const PodContext& pod, const ClusterState& cluster) const;
  // Whether a live scorer may act on this pod (its PreScore does not always skip it). When
  // none may, the cached totals are the pod's totals, and only live filters act.
  bool live_scorers_act(const PodContext& pod, const ClusterState& cluster) const;
  // After prepare(): whether every live filter accepts `node` (the cached filters are the
  // caller's to check). Any thread-safety of filter(); one node, so cheap per call.
  bool passes_live_filters(const PodContext& pod, const ClusterState& cluster, NodeIndex node) const;
  // Before prepare(): true when no live plugin can act on this pod (every live filter's
  // PreFilter and every live scorer's PreScore always skips it). Then the pod's total on
  // a node depends only on that node: evaluate/evaluate_all give its whole decision, a
  // bind elsewhere changes none of its totals, and prepare() writes nothing but this
  // Framework's own CycleState — so pods like this may be decided concurrently on
  // separate Frameworks of one profile (scheduler/speculative_batches, optimistic mode).
  bool decides_locally(const PodContext& pod, const ClusterState& cluster) const;
  // The decision from a class's cached totals (kInfeasible where a cached filter rejects
  // the node): live filters over the cached-feasible nodes, then live PreScore with that
  // feasible list, live scores (normalized) added to the cached totals, best by the tie
  // rule. Identical to select_node's answer.
  Decision decide_with_live(const PodContext& pod, const ClusterState& cluster, const std::int64_t* cached_totals,
                            std::uint64_t decision_index);
  // After prepare(), for a pod no live plugin acts on (!has_live_plugins() or
  // !live_plugins_act()): its decision from one dense pass over every node with a running
  // best, keeping no totals — what a class seen once costs (scheduler/class_cache's
  // admission). Identical to select_node's answer; an unschedulable decision's reason is
  // left empty (unschedulable_reason gives it).
  Decision decide_prepared(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index);
  // The pod's equivalence-class key: the signature fragments of the plugins with a
  // non-live role, in profile order. Only meaningful when node_results_cacheable().
  std::string signature(const state::PodRecord& pod) const;

  // Runs PreFilter, and PreScore of the non-live scorers, for `pod`. False (with the
  // rejection) if a PreFilter rejected the pod outright. evaluate*() and
  // decide_with_live() then reuse this pod's CycleState.
  bool prepare(const PodContext& pod, const ClusterState& cluster, Status& rejection);
  // totals_by_node[n] = weighted total of node n, or kInfeasible, for each n in `nodes`.
  void evaluate(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                std::int64_t* totals_by_node);
  // evaluate() for this pod's class as an object a thread without this CycleState can run
  // over the nodes bound since (scheduler/partner_refresh.hpp), or null. Only when the
  // fused refresh applies and every other cached filter acting on the pod ignores bound
  // pods (FilterPlugin::verdict_ignores_bound_pods): then, while pods are only bound
  // (never unbound), a node the class's totals hold infeasible stays infeasible, and a
  // feasible one is decided by NodeResourcesFit and scored by the fused pair alone. After
  // prepare(); the pod's class (signature) determines the result.
  std::unique_ptr<DetachedRefresh> detach_refresh(const PodContext& pod, const ClusterState& cluster);
  // The same for every node, batches spread over the threads.
  void evaluate_all(const PodContext& pod, const ClusterState& cluster, std::int64_t* totals_by_node);
  // --- Primitives for algorithms that choose among the feasible nodes themselves
  // (algorithms/). Each filter and score goes through the same two passes as select_node.
  //
  // PreFilter, then every filter over every node (batches spread over the threads). The
  // feasible nodes in ascending node order, valid until the next call on this Framework;
  // empty with `rejection` set when a PreFilter rejected the pod.
  std::span<const NodeIndex> feasible_nodes(const PodContext& pod, const ClusterState& cluster, Status& rejection);
  // After prepare() and a class's cached totals (see decide_with_live): the nodes every
  // cached filter accepts that the live filters accept too, ascending; same validity.
  std::span<const NodeIndex> feasible_from_cached(const PodContext& pod, const ClusterState& cluster,
                                                  const std::int64_t* cached_totals);
  // The profile's weighted total for each of `nodes`, as if they were the whole feasible
  // list: PreScore with them, Score, NormalizeScore over them (what a sampled decision
  // scores). Needs PreFilter to have run for this pod (feasible_nodes or prepare).
  void score_nodes(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                   std::int64_t* totals);
  // Whether every filter accepts `node` for `pod` now (PreFilter runs first). The slow
  // per-node path: for checking a placement proposed on an older state.
  bool passes_filters(const PodContext& pod, const ClusterState& cluster, NodeIndex node);
  // --- Primitives for PostFilter (scheduler/preemption.hpp), the per-node slow path.
  // Runs every PreFilter for `pod` on `cluster` as it stands; false with the rejection if
  // one rejected the pod outright. node_status() then reads this pod's CycleState.
  bool pre_filter(const PodContext& pod, const ClusterState& cluster, Status& rejection) {
    return run_pre_filter(pod, cluster, rejection);
  }
  // After pre_filter(): the first rejecting filter's status on `node` (its code says
  // whether preemption might help: Unschedulable) or Success.
  Status node_status(const PodContext& pod, const ClusterState& cluster, NodeIndex node) const {
    return first_rejection(pod, cluster, node);
  }

  // The node with the best total among `nodes` by the tie rule of decision `decision_index`.
  NodeIndex best_by_tie_rule(std::span<const NodeIndex> nodes, const std::int64_t* totals,
                             std::uint64_t decision_index) const;

  // The FitError text for a pod no node accepts (re-runs the filters node by node).
  std::string unschedulable_reason(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter);
  Explanation explain(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index);

  // "0/N nodes are available: 3 Insufficient cpu, 2 node(s) were unschedulable." from the
  // per-node statuses (FitError.Error: reason counts, sorted as strings).
  static std::string fit_error_message(std::size_t node_count, const Status& pre_filter,
                                       const std::vector<NodeExplanation>& nodes);
  // The same from reason counts (reason text, nodes giving it), in any order.
  static std::string fit_error_message(std::size_t node_count, const Status& pre_filter, const ReasonCounts& counts);

  const TieBreaker& tie_breaker() const { return tie_breaker_; }

  // Tells every plugin of the profile that `pod` is now bound to `node` (Plugin::on_bind).
  // Every profile must hear of every bind, whichever profile decided it.
  void notify_bind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node);
  // Plugin::on_unbind for every plugin: call after ClusterState::unbind.
  void notify_unbind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node);

 private:
  struct Candidate {
    std::int64_t total = 0;
    std::uint32_t distance = ~0U;
    NodeIndex node = state::kNoNode;
    bool better_than(const Candidate& o) const {
      return total > o.total || (total == o.total && distance < o.distance);
    }
  };
  struct BatchResult {
    std::size_t feasible = 0;
    Candidate best;
  };

  // Which plugins a pass runs: every one, only those a class may cache (node-local, no
  // normalization), or only the live ones (see has_live_plugins).
  enum class Subset : std::uint8_t { kAll, kCachedOnly, kLiveOnly };
  bool in_subset(bool live, Subset subset) const {
    return subset == Subset::kAll || (subset == Subset::kLiveOnly) == live;
  }
  // The one filter pass: runs the subset's filters (not skipped by PreFilter) over the
  // `count` ids in place; survivors stay in order. Returns how many survived.
  // `except` names one filter index the pass leaves out (the fused refresh runs it itself).
  std::size_t filter_pass(const PodContext& pod, const ClusterState& cluster, NodeIndex* ids, std::size_t count,
                          Subset subset, std::size_t except = SIZE_MAX) const;
  // The one weighted-score pass: totals[i] += weight x score of ids[i] for each scorer of
  // the subset not skipped by PreScore, normalized over the ids when the plugin
  // normalizes (callers pass the whole feasible list then). `scores` is scratch.
  // With `base`, totals start as base[0, ids.size()) instead of their contents (the first
  // weighted add reads it: no separate copy pass). A scorer with a fused form
  // (score_normalized_into) writes its share in place of the three steps; when such a
  // scorer wrote the totals last, returns their max (the tie rule's first pass).
  std::optional<std::int64_t> score_pass(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> ids,
                  std::int64_t* totals, std::int64_t* scores, Subset subset,
                  const std::int64_t* base = nullptr) const;
  // The fusing pair that starts at scorer s (fused_lead_), when both ran PreScore without
  // Skip and neither is marked in `done` yet: its entries and their bits; lead null if none.
  struct FusingPair {
    const ScoreEntry* lead = nullptr;
    const ScoreEntry* partner = nullptr;
    std::uint64_t bits = 0;
  };
  FusingPair fusing_pair(std::size_t s, std::uint64_t done) const;
  // The cached subset's scorers over scattered nodes (the class cache's refresh):
  // totals[i] = the weighted sum of their scores of ids[i], as score_pass would add them
  // from 0, with dense_pass's uniform scores and fused pairs.
  void score_cached_ids(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> ids,
                        std::int64_t* totals);
  // The subset's scorers not yet marked in `done` that score every node alike this pod
  // (ScorePlugin::uniform_score): their weighted sum, and bit s of `done` set for each
  // (scorers past 64 never are).
  std::int64_t uniform_scores(const PodContext& pod, const ClusterState& cluster, Subset subset,
                              std::uint64_t& done) const;
  // The class cache's refresh in one pass (evaluate): when, for this pod, the only cached
  // scorers that are not uniform are the fusing pair whose lead is also the cached filter
  // refresh_filter_, that filter and the pair run as one kernel (filter_score_ids_fused).
  // Returns whether the pass applies, and the uniform scores' sum in `base`.
  bool fused_refresh_applies(const PodContext& pod, const ClusterState& cluster, std::int64_t& base);
  // The one per-node filter chain (the slow path): the first rejecting filter's status,
  // plugin named, or Success.
  Status first_rejection(const PodContext& pod, const ClusterState& cluster, NodeIndex node) const;
  // Filters every node (batches over the threads) and compacts the survivors to the
  // front of candidates_, in node order; returns how many.
  std::size_t filter_all_nodes(const PodContext& pod, const ClusterState& cluster);

  // Runs PreFilter/PreScore bookkeeping; false if a PreFilter rejected the pod.
  bool run_pre_filter(const PodContext& pod, const ClusterState& cluster, Status& rejection);
  // Filters and scores one batch of nodes [begin, end) with the subset's plugins; with
  // pick_best, also its winner by the tie rule.
  // A batch whose best total is below `to_beat` reports no winner (it could not win).
  BatchResult run_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin, std::size_t end,
                        std::uint32_t start, Subset subset, bool pick_best, std::int64_t to_beat = kInfeasible);
  // The dense form of one batch: every filter and scorer of the subset over the nodes
  // [first, first + count) with no selection vector where the plugins have a dense form
  // (filter_range / score_range), over the survivors' ids where not. Leaves totals_ by
  // node (kInfeasible where a filter rejects) and returns how many nodes are feasible.
  // With `best`, also writes the batch's highest total there (kInfeasible included).
  std::size_t dense_pass(const PodContext& pod, const ClusterState& cluster, NodeIndex first, std::size_t count,
                         Subset subset, std::int64_t* best = nullptr);
  std::size_t filter_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin, std::size_t end);
  // Every batch through run_batch with the subset's plugins (spread over the threads),
  // winners merged by the tie rule; PreFilter and the subset's PreScore have run.
  Decision best_of_batches(const PodContext& pod, const ClusterState& cluster, std::uint32_t start, Subset subset);
  Decision select_with_normalization(const PodContext& pod, const ClusterState& cluster, std::uint32_t start);
  // PreScore, Score and NormalizeScore over the `feasible` nodes in candidates_[0..], then
  // the best by (total, ring distance from `start`).
  Decision score_feasible(const PodContext& pod, const ClusterState& cluster, std::size_t feasible,
                          std::uint32_t start);
  Decision unschedulable(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter);
  // decide_with_live's scoring of the `feasible` nodes (ascending, at least two), split in
  // two halves between this thread and the partner (ScorePlugin::score_part /
  // add_normalized_part): the winner by the tie rule, or false (nothing decided) when a
  // live scorer has no split form.
  bool decide_split(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> feasible,
                    const std::int64_t* cached_totals, std::uint32_t start, NodeIndex& winner);
  void run_pre_score(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> feasible);

  const Profile& profile_;
  std::size_t node_count_;
  TieBreaker tie_breaker_;
  int threads_;
  CycleState cycle_state_;

  // Per-pod scratch, sized once. Batches own disjoint [begin, end) slices.
  std::vector<NodeIndex> candidates_;
  std::vector<NodeIndex> all_nodes_;  // 0, 1, ..., node_count - 1 (never written after construction)
  std::vector<std::int64_t> totals_;
  std::vector<std::int64_t> plugin_scores_;
  std::vector<std::uint8_t> feasible_mask_;  // dense_pass: 1 where every filter so far accepts
  std::vector<std::uint8_t> filter_skipped_;  // per filter: PreFilter returned Skip
  std::vector<std::uint8_t> score_skipped_;   // per score plugin: PreScore returned Skip
  bool any_normalize_ = false;
  bool any_needs_feasible_ = false;
  bool cacheable_ = false;
  // Per filter / score plugin: 1 if live (see has_live_plugins).
  std::vector<std::uint8_t> filter_live_;
  std::vector<std::uint8_t> score_live_;
  // Fused dense scoring (ScorePlugin::fuses_with): at the earlier index s of a fusing
  // pair, fused_lead_[s] and fused_partner_[s] name the plugin that runs the pass and the
  // one it takes along (indices into profile_.scores); -1 where s starts no pair.
  std::vector<std::int32_t> fused_lead_;
  std::vector<std::int32_t> fused_partner_;
  // The cached filter that is the same object as a fusing pair's lead (NodeResourcesFit as
  // Filter and as LeastAllocated), with that pair's lead and partner score indices; -1: none.
  std::int32_t refresh_filter_ = -1;
  std::int32_t refresh_lead_ = -1;
  std::int32_t refresh_partner_ = -1;
  // A fusing pair whose lead is also a filter of the profile (NodeResourcesFit):
  // folded_pair_ is the pair's index s above, folded_filter_ the lead's index in
  // profile_.filters; dense_pass then asks the lead for its Filter and both scores in one
  // pass (filter_score_range_fused). -1: no such pair.
  std::int32_t folded_pair_ = -1;
  std::int32_t folded_filter_ = -1;
  bool has_live_ = false;
  std::vector<const Plugin*> signed_plugins_;  // the plugins with a non-live role, profile order
  std::size_t to_find_ = 0;                  // nodes_to_find(profile, node_count)
  std::vector<std::size_t> batch_survivors_;  // select_sampled: survivors per chunk
  // The live path's split (decide_split): whether it may run (threads >= 2, two CPUs, a
  // cluster of live_split_min_nodes() or more; a decision needs that many feasible nodes)
  // (the partner thread, started on first use, is the calling thread's: framework.cpp),
  // and each live scorer's scratch (node_count_ slots each).
  bool split_live_ = false;
  std::size_t split_min_nodes_ = 0;  // feasible nodes a split decision needs (>= 2)
  std::vector<std::int64_t> split_scratch_;
};

}  // namespace podium::framework
