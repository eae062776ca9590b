#pragma once
// NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go).
//
// Filter: the node must have room for one more pod (allocatable "pods") and, for every
// resource the pod requests (> 0), request <= allocatable - requested. Extended resources
// named in ignoredResources / ignoredResourceGroups are not checked. Every shortfall is a
// reason ("Too many pods", "Insufficient cpu", ...).
//
// Score: the configured strategy over the configured resources (default LeastAllocated,
// cpu and memory weight 1), using NodeInfo.NonZeroRequested for cpu/memory and the pod's
// requests with defaults for request-less containers (100m, 200Mi).

#include <memory>

#include "podium/framework/plugin.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/plugins/noderesources/scorers.hpp"

namespace podium::plugins::noderesources {

struct ScoredColumn;  // plugins/noderesources/resource_allocation.hpp

class Fit final : public framework::FilterPlugin, public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "NodeResourcesFit";
  Fit(FitArgs args, const framework::ClusterState& cluster);

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;

  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  bool filter_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                    framework::NodeIndex first, std::size_t count, std::uint8_t* ok) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;

  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex>) override;
  // LeastAllocated fuses with BalancedAllocation (fused_resource_kernel.hpp).
  bool fuses_with(const framework::ScorePlugin& partner) const override;
  bool score_range_fused(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                         const framework::ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                         framework::NodeIndex first, std::size_t count, std::int64_t* totals) const override;
  // Fit's Filter folded into the fused pass when it checks only those two resources.
  bool filter_score_range_fused(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, const framework::ScorePlugin& partner,
                                std::int64_t weight, std::int64_t partner_weight, framework::NodeIndex first,
                                std::size_t count, std::uint8_t* ok, std::int64_t* totals) const override;
  bool score_ids_fused(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                       const framework::ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                       std::span<const framework::NodeIndex> ids, std::int64_t* totals) const override;
  // Filter + LeastAllocated + BalancedAllocation per scattered node (fit_least_balanced_ids_kernel).
  bool filter_score_ids_fused(const framework::CycleState&, const framework::PodContext&,
                              const framework::ClusterState&, const framework::ScorePlugin& partner,
                              std::int64_t weight, std::int64_t partner_weight, std::int64_t base,
                              std::int64_t infeasible, std::span<const framework::NodeIndex> ids,
                              std::int64_t* totals_by_node) const override;
  std::unique_ptr<framework::DetachedRefresh> detach_refresh(const framework::CycleState&,
                                                            const framework::PodContext&,
                                                            const framework::ClusterState&,
                                                            const framework::ScorePlugin& partner, std::int64_t weight,
                                                            std::int64_t partner_weight, std::int64_t base,
                                                            std::int64_t infeasible) const override;
  bool score_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                   framework::NodeIndex first, std::size_t count, std::int64_t weight,
                   std::int64_t* totals) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;

 private:
  struct State;
  // This pod's scored columns (its PreScore state).
  std::span<const ScoredColumn> scored_columns(const framework::CycleState& cycle) const;
  FitArgs args_;
  std::vector<bool> ignored_;  // per ResourceId: skipped by the filter
  std::vector<std::optional<state::ResourceId>> score_ids_;  // per args_.resources entry
  std::vector<ShapePoint> shape_;                             // RTCR, scaled to 0..100
};

}  // namespace podium::plugins::noderesources
