#pragma once
// TaintToleration (pkg/scheduler/framework/plugins/tainttoleration, v1.35).
//
// Filter: a node with a NoSchedule or NoExecute taint that no toleration of the pod
// tolerates is UnschedulableAndUnresolvable, reason "node(s) had untolerated taint(s)"
// (since v1.35 — and the v1.34 patch releases — the reason no longer names the taint).
//
// Score: the number of the node's PreferNoSchedule taints not tolerated by the pod's
// tolerations whose effect is PreferNoSchedule or empty; NormalizeScore is
// DefaultNormalizeScore(MaxNodeScore, reverse): the fewer intolerable taints, the higher.
//
// Taints never change after loading, so when no node of the cluster has a
// PreferNoSchedule taint every raw score is 0 and normalizes to 100 on every node,
// whatever the pod and the feasible set. The plugin then reports no NormalizeScore and
// scores 100 directly — the same numbers — which keeps it node-local for the scheduler's
// equivalence-class cache.

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

class TaintToleration final : public framework::FilterPlugin, public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "TaintToleration";
  static constexpr std::string_view kReason = "node(s) had untolerated taint(s)";
  explicit TaintToleration(const framework::ClusterState& cluster);

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  // Its Filter reads the node's spec and labels and the pod, never the node's pods.
  bool verdict_ignores_bound_pods() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;

  // Upstream has no PreFilter; this one only returns Skip when no node of the cluster has a
  // NoSchedule or NoExecute taint (Filter would pass every node), saving the scan.
  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;

  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex>) override;
  // Without PreferNoSchedule taints on any node every node scores kMaxNodeScore.
  bool uniform_score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::int64_t& score) const override;
  bool score_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                   framework::NodeIndex first, std::size_t count, std::int64_t weight,
                   std::int64_t* totals) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
  bool has_normalize() const override { return normalize_; }
  void normalize(const framework::CycleState&, const framework::PodContext&,
                 std::span<std::int64_t> scores) const override;
  bool score_part(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                  std::span<const framework::NodeIndex> nodes, std::int64_t* scratch, Bounds& bounds) const override;
  std::int64_t add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                   std::span<const framework::NodeIndex> nodes, std::int64_t* scratch,
                                   std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const override;

 private:
  struct State;
  bool untolerated_hard_taint(const state::PodRecord& pod, const state::NodeTable& nodes,
                              framework::NodeIndex n) const;
  StringId no_schedule_;
  StringId no_execute_;
  StringId prefer_no_schedule_;
  bool normalize_ = false;   // some node has a PreferNoSchedule taint
  bool hard_taints_ = false;  // some node has a NoSchedule or NoExecute taint
};

}  // namespace podium::plugins
