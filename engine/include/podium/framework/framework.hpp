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
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "podium/framework/profile.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::framework {

struct Decision {
  NodeIndex node = state::kNoNode;  // kNoNode: unschedulable (see reason) or error
  std::size_t feasible_nodes = 0;
  std::string reason;  // kube-style FitError text when unschedulable
};

struct NodeExplanation {
  NodeIndex node = 0;
  Status status;                     // Success, or the first rejecting filter's status (plugin set)
  std::vector<std::int64_t> scores;  // per active score plugin, normalized, before weight
  std::int64_t total = 0;
};

struct Explanation {
  Status pre_filter_status;               // non-ok: the pod was rejected before Filter
  std::vector<std::string> score_plugins;  // score plugins that ran (Skip ones are absent)
  std::vector<std::int64_t> score_weights;
  std::vector<NodeExplanation> nodes;      // cluster order
  Decision decision;
};

class Framework {
 public:
  // `threads` == 1 runs everything on the calling thread; otherwise batches are spread
  // over the current oneTBB arena.
  Framework(const Profile& profile, std::size_t node_count, TieBreaker tie_breaker, int threads = 1);

  Decision select_node(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index);

  // --- Building blocks for schedulers that cache per-node results (scheduler/class_cache).
  static constexpr std::int64_t kInfeasible = INT64_MIN;

  // True when every plugin is node-local and none normalizes: a node's total then depends
  // only on the pod and that node, so it can be cached and recomputed node by node.
  bool node_results_cacheable() const { return cacheable_; }
  // The pod's equivalence-class key: every plugin's signature fragment, in profile order.
  // Only meaningful when node_results_cacheable().
  std::string signature(const state::PodRecord& pod) const;

  // Runs PreFilter and PreScore for `pod`. False (with the rejection) if a PreFilter
  // rejected the pod outright. evaluate*() then reuse this pod's CycleState.
  bool prepare(const PodContext& pod, const ClusterState& cluster, Status& rejection);
  // totals_by_node[n] = weighted total of node n, or kInfeasible, for each n in `nodes`.
  void evaluate(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                std::int64_t* totals_by_node);
  // The same for every node, batches spread over the threads.
  void evaluate_all(const PodContext& pod, const ClusterState& cluster, std::int64_t* totals_by_node);
  // The FitError text for a pod no node accepts (re-runs the filters node by node).
  std::string unschedulable_reason(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter);
  Explanation explain(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index);

  // "0/N nodes are available: 3 Insufficient cpu, 2 node(s) were unschedulable." from the
  // per-node statuses (FitError.Error: reason counts, sorted as strings).
  static std::string fit_error_message(std::size_t node_count, const Status& pre_filter,
                                       const std::vector<NodeExplanation>& nodes);

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

  // Runs PreFilter/PreScore bookkeeping; false if a PreFilter rejected the pod.
  bool run_pre_filter(const PodContext& pod, const ClusterState& cluster, Status& rejection);
  BatchResult run_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin, std::size_t end,
                        std::uint32_t start, bool score);
  std::size_t filter_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin, std::size_t end);
  Decision select_with_normalization(const PodContext& pod, const ClusterState& cluster, std::uint32_t start);
  Decision unschedulable(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter);
  void run_pre_score(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> feasible);

  const Profile& profile_;
  std::size_t node_count_;
  TieBreaker tie_breaker_;
  int threads_;
  CycleState cycle_state_;

  // Per-pod scratch, sized once. Batches own disjoint [begin, end) slices.
  std::vector<NodeIndex> candidates_;
  std::vector<std::int64_t> totals_;
  std::vector<std::int64_t> plugin_scores_;
  std::vector<std::uint8_t> filter_skipped_;  // per filter: PreFilter returned Skip
  std::vector<std::uint8_t> score_skipped_;   // per score plugin: PreScore returned Skip
  bool any_normalize_ = false;
  bool any_needs_feasible_ = false;
  bool cacheable_ = false;
};

}  // namespace podium::framework
