#pragma once
// NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): prefers nodes
// whose utilisation fractions (after placing the pod) are close to each other:
// (1 - standard deviation of the fractions) * 100. Uses the real Requested (no defaults)
// for node and pod; PreScore returns Skip for a pod that requests none of the configured
// resources (upstream issue 129138), so such pods are not piled onto one node.

#include "podium/framework/plugin.hpp"
#include "podium/plugins/noderesources/args.hpp"

namespace podium::plugins::noderesources {

struct ScoredColumn;  // plugins/noderesources/resource_allocation.hpp

class BalancedAllocation final : public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "NodeResourcesBalancedAllocation";
  BalancedAllocation(BalancedAllocationArgs args, const framework::ClusterState& cluster);

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;
  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex>) override;
  bool score_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                   framework::NodeIndex first, std::size_t count, std::int64_t weight,
                   std::int64_t* totals) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
  // The columns PreScore resolved for this pod (for NodeResourcesFit's fused pass).
  std::span<const ScoredColumn> scored_columns(const framework::CycleState& cycle) const;

 private:
  struct State;
  BalancedAllocationArgs args_;
  std::vector<std::optional<state::ResourceId>> ids_;
};

}  // namespace podium::plugins::noderesources
