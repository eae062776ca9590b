#include "podium/plugins/noderesources/fit.hpp"
#include "podium/plugins/noderesources/balanced_allocation.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plugins/noderesources/detached_refresh.hpp"
#include "plugins/noderesources/fused_resource_kernel.hpp"
#include "plugins/noderesources/resource_allocation.hpp"
#include "plugins/noderesources/resource_kernels.hpp"

namespace podium::plugins::noderesources {

using framework::ClusterState;
using framework::CycleState;
using framework::NodeIndex;
using framework::PodContext;
using framework::Status;
using state::ResourceId;

namespace {
// fit.go's reasons: filter_node gives them node by node, count_rejections tallies them.
constexpr std::string_view kTooManyPods = "Too many pods";
std::string insufficient(const ClusterState& cluster, ResourceId r) {
  return "Insufficient " + cluster.resources.name(r);
}
}  // namespace

struct Fit::State : framework::StateData {
  // PreFilter: the resources this pod requests (> 0) that the filter must check.
  std::vector<std::pair<ResourceId, std::int64_t>> checked;
  // The same as column pointers, for the batch loop.
  std::vector<CheckedColumn> checked_columns;
  // PreScore: the configured resources with the pod's scoring requests.
  std::vector<ScoredResource> scored;
  std::vector<ScoredColumn> columns;
};

bool fit_ignores(const FitArgs& args, const std::string& name) {
  if (!state::is_extended_resource_name(name)) return false;
  if (std::find(args.ignored_resources.begin(), args.ignored_resources.end(), name) != args.ignored_resources.end())
    return true;
  const std::string group = name.substr(0, name.find('/'));
  return std::find(args.ignored_resource_groups.begin(), args.ignored_resource_groups.end(), group) !=
         args.ignored_resource_groups.end();
}

bool Fit::sign(const state::PodRecord& pod, std::string& sig) const {
  // PreFilter reads the plain requests, PreScore the scoring cpu/memory.
  for (auto r : pod.requests) sig.append(reinterpret_cast<const char*>(&r), sizeof r);
  sig.append(reinterpret_cast<const char*>(&pod.score_cpu), sizeof pod.score_cpu);
  sig.append(reinterpret_cast<const char*>(&pod.score_memory), sizeof pod.score_memory);
  return true;
}

Fit::Fit(FitArgs args, const ClusterState& cluster) : args_(std::move(args)) {
  validate(args_);
  ignored_.resize(cluster.resources.size());
  for (ResourceId r = 0; r < cluster.resources.size(); ++r) ignored_[r] = fit_ignores(args_, cluster.resources.name(r));
  for (const auto& spec : args_.resources) score_ids_.push_back(cluster.resources.find(spec.name));
  // requestedToCapacityRatioScorer scales shape scores from 0..10 to 0..100.
  constexpr std::int64_t kScale = framework::kMaxNodeScore / 10;
  for (const auto& p : args_.shape) shape_.push_back({p.utilization, std::int64_t{p.score} * kScale});
}

Status Fit::pre_filter(CycleState& cycle, const PodContext& ctx, const ClusterState& cluster) {
  auto& st = cycle.get_or_create<State>(slot());
  st.checked.clear();
  const auto& req = ctx.pod.requests;
  st.checked_columns.clear();
  for (ResourceId r = 0; r < req.size(); ++r) {
    if (req[r] <= 0 || ignored_[r]) continue;
    st.checked.emplace_back(r, req[r]);
    st.checked_columns.push_back({cluster.nodes.allocatable[r].data(), cluster.nodes.requested[r].data(), req[r]});
  }
  return {};
}

std::size_t Fit::filter(const CycleState& cycle, const PodContext&, const ClusterState& cluster,
                        std::span<const NodeIndex> candidates, NodeIndex* survivors) const {
  const auto& st = cycle.get<State>(slot());
  return fits_kernel(cluster.nodes.pod_count.data(), cluster.nodes.allowed_pods.data(), st.checked_columns, candidates,
                     survivors);
}

bool Fit::filter_range(const CycleState& cycle, const PodContext&, const ClusterState& cluster, NodeIndex first,
                       std::size_t count, std::uint8_t* ok) const {
  fits_range_kernel(cluster.nodes.pod_count.data(), cluster.nodes.allowed_pods.data(),
                    cycle.get<State>(slot()).checked_columns, first, count, ok);
  return true;
}

Status Fit::filter_node(const CycleState& cycle, const PodContext&, const ClusterState& cluster, NodeIndex n) const {
  const auto& st = cycle.get<State>(slot());
  const auto& nodes = cluster.nodes;
  std::vector<std::string> reasons;
  bool unresolvable = false;
  if (nodes.pod_count[n] + 1 > nodes.allowed_pods[n]) reasons.emplace_back(kTooManyPods);
  for (const auto& [r, amount] : st.checked) {
    if (amount > nodes.allocatable[r][n] - nodes.requested[r][n]) {
      reasons.push_back(insufficient(cluster, r));
      // More than the whole node: no preemption can help (InsufficientResource.Unresolvable).
      unresolvable = unresolvable || amount > nodes.allocatable[r][n];
    }
  }
  if (reasons.empty()) return {};
  return Status(unresolvable ? framework::Code::kUnschedulableAndUnresolvable : framework::Code::kUnschedulable,
                std::move(reasons));
}

void Fit::count_rejections(const CycleState& cycle, const PodContext&, const ClusterState& cluster,
                           std::span<const NodeIndex> nodes, framework::ReasonCounts& counts) const {
  // filter_node's reasons tallied: a node may give several (each shortfall once), so
  // every reason has its own count.
  const auto& st = cycle.get<State>(slot());
  const auto& table = cluster.nodes;
  std::size_t too_many_pods = 0;
  for (const auto n : nodes) too_many_pods += table.pod_count[n] + 1 > table.allowed_pods[n] ? 1 : 0;
  counts.add(kTooManyPods, too_many_pods);
  for (const auto& [r, amount] : st.checked) {
    const std::int64_t* allocatable = table.allocatable[r].data();
    const std::int64_t* requested = table.requested[r].data();
    std::size_t short_of = 0;
    for (const auto n : nodes) short_of += amount > allocatable[n] - requested[n] ? 1 : 0;
    if (short_of > 0) counts.add(insufficient(cluster, r), short_of);
  }
}

Status Fit::pre_score(CycleState& cycle, const PodContext& ctx, const ClusterState& cluster,
                      std::span<const NodeIndex>) {
  auto& st = cycle.get_or_create<State>(slot());
  st.scored.clear();
  for (std::size_t i = 0; i < args_.resources.size(); ++i) {
    ScoredResource r{score_ids_[i], args_.resources[i].weight, 0};
    if (r.id == state::kCpu) {
      r.pod_request = ctx.pod.score_cpu;
    } else if (r.id == state::kMemory) {
      r.pod_request = ctx.pod.score_memory;
    } else if (r.id) {
      r.pod_request = ctx.pod.requests[*r.id];
    }
    st.scored.push_back(r);
  }
  resolve_columns(cluster.nodes, st.scored, false, st.columns);
  return {};
}

namespace {

// One strategy's per-node loop, instantiated per strategy so the switch is outside it.
template <ScoringStrategyType kStrategy>
void score_nodes(const std::vector<ScoredColumn>& columns, std::span<const ShapePoint> shape,
                 std::span<const NodeIndex> ids, std::int64_t* scores) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const NodeIndex n = ids[i];
    std::int64_t node_score = 0;
    std::int64_t weight_sum = 0;
    for (const ScoredColumn& r : columns) {
      const std::int64_t allocatable = r.allocatable[n];
      if (allocatable == 0) continue;
      const std::int64_t requested = r.requested[n] + r.pod_request;
      std::int64_t resource_score;
      if constexpr (kStrategy == ScoringStrategyType::kLeastAllocated) {
        resource_score = least_requested_score(requested, allocatable);
      } else if constexpr (kStrategy == ScoringStrategyType::kMostAllocated) {
        resource_score = most_requested_score(requested, allocatable);
      } else {
        resource_score = requested_to_capacity_ratio_score(shape, requested, allocatable);
        // Upstream counts only positive resource scores toward the weight sum.
        if (resource_score <= 0) continue;
      }
      node_score += resource_score * r.weight;
      weight_sum += r.weight;
    }
    if (weight_sum == 0) {
      scores[i] = 0;
    } else if constexpr (kStrategy == ScoringStrategyType::kRequestedToCapacityRatio) {
      // RTCR rounds the weighted mean (math.Round: half away from zero); the others truncate.
      scores[i] = static_cast<std::int64_t>(
          std::round(static_cast<double>(node_score) / static_cast<double>(weight_sum)));
    } else {
      scores[i] = floor_div_nonneg(node_score, weight_sum);  // scores and weights are >= 0
    }
  }
}

}  // namespace

void Fit::score(const CycleState& cycle, const PodContext&, const ClusterState&, std::span<const NodeIndex> ids,
                std::int64_t* scores) const {
  const auto& columns = cycle.get<State>(slot()).columns;
  switch (args_.strategy) {
    case ScoringStrategyType::kLeastAllocated:
      if (kernels_apply(columns)) return allocated_scores_kernel(columns, /*most=*/false, ids, scores);
      return score_nodes<ScoringStrategyType::kLeastAllocated>(columns, shape_, ids, scores);
    case ScoringStrategyType::kMostAllocated:
      if (kernels_apply(columns)) return allocated_scores_kernel(columns, /*most=*/true, ids, scores);
      return score_nodes<ScoringStrategyType::kMostAllocated>(columns, shape_, ids, scores);
    case ScoringStrategyType::kRequestedToCapacityRatio:
      return score_nodes<ScoringStrategyType::kRequestedToCapacityRatio>(columns, shape_, ids, scores);
  }
}

bool Fit::fuses_with(const framework::ScorePlugin& partner) const {
  return args_.strategy == ScoringStrategyType::kLeastAllocated &&
         dynamic_cast<const BalancedAllocation*>(&partner) != nullptr;
}

namespace {

// The fused pass's columns (fused_resource_kernel.hpp) for this pod, or none when it does
// not apply: LeastAllocated's `least` and BalancedAllocation's own over the same two resources.
std::optional<FusedResourceColumns> fused_columns(const CycleState& cycle, std::span<const ScoredColumn> least,
                                                  const framework::ScorePlugin& partner, std::int64_t weight,
                                                  std::int64_t partner_weight) {
  const auto* balanced = dynamic_cast<const BalancedAllocation*>(&partner);
  if (balanced == nullptr) return std::nullopt;
  const std::span<const ScoredColumn> other = balanced->scored_columns(cycle);
  // The fused pass covers the default args only: the same two resources on both sides.
  if (least.size() != 2 || other.size() != 2 || weight < 0 || weight > kMaxRangeWeight || partner_weight < 0 ||
      partner_weight > kMaxRangeWeight)
    return std::nullopt;
  const FusedResourceColumns columns{{least[0], least[1]},
                                     {other[0], other[1]},
                                     static_cast<std::int32_t>(weight),
                                     static_cast<std::int32_t>(partner_weight)};
  if (!fused_columns_apply(columns)) return std::nullopt;
  return columns;
}

}  // namespace

std::span<const ScoredColumn> Fit::scored_columns(const CycleState& cycle) const {
  return cycle.get<State>(slot()).columns;
}

bool Fit::score_range_fused(const CycleState& cycle, const PodContext&, const ClusterState&,
                            const framework::ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                            NodeIndex first, std::size_t count, std::int64_t* totals) const {
  if (args_.strategy != ScoringStrategyType::kLeastAllocated) return false;
  const auto columns = fused_columns(cycle, scored_columns(cycle), partner, weight, partner_weight);
  if (!columns) return false;
  least_balanced_range_kernel(*columns, first, count, totals);
  return true;
}

bool Fit::score_ids_fused(const CycleState& cycle, const PodContext&, const ClusterState&,
                          const framework::ScorePlugin& partner, std::int64_t weight, std::int64_t partner_weight,
                          std::span<const NodeIndex> ids, std::int64_t* totals) const {
  if (args_.strategy != ScoringStrategyType::kLeastAllocated) return false;
  const auto columns = fused_columns(cycle, scored_columns(cycle), partner, weight, partner_weight);
  if (!columns) return false;
  least_balanced_ids_kernel(*columns, ids, totals);
  return true;
}

bool Fit::filter_score_ids_fused(const CycleState& cycle, const PodContext&, const ClusterState& cluster,
                                 const framework::ScorePlugin& partner, std::int64_t weight,
                                 std::int64_t partner_weight, std::int64_t base, std::int64_t infeasible,
                                 std::span<const NodeIndex> ids, std::int64_t* totals_by_node) const {
  if (args_.strategy != ScoringStrategyType::kLeastAllocated) return false;
  const auto& checked = cycle.get<State>(slot()).checked_columns;
  if (!fit_least_balanced_ids_applies(checked)) return false;
  const auto columns = fused_columns(cycle, scored_columns(cycle), partner, weight, partner_weight);
  if (!columns) return false;
  fit_least_balanced_ids_kernel(*columns, cluster.nodes.pod_count.data(), cluster.nodes.allowed_pods.data(), checked,
                                base, infeasible, ids, totals_by_node);
  return true;
}

std::unique_ptr<framework::DetachedRefresh> Fit::detach_refresh(const CycleState& cycle, const PodContext&,
                                                               const ClusterState& cluster,
                                                               const framework::ScorePlugin& partner,
                                                               std::int64_t weight, std::int64_t partner_weight,
                                                               std::int64_t base, std::int64_t infeasible) const {
  if (args_.strategy != ScoringStrategyType::kLeastAllocated) return nullptr;
  const auto columns = fused_columns(cycle, scored_columns(cycle), partner, weight, partner_weight);
  if (!columns) return nullptr;
  return detach_fit_least_balanced(*columns, cycle.get<State>(slot()).checked_columns, cluster.nodes, base,
                                   infeasible);
}

bool Fit::filter_score_range_fused(const CycleState& cycle, const PodContext&, const ClusterState& cluster,
                                   const framework::ScorePlugin& partner, std::int64_t weight,
                                   std::int64_t partner_weight, NodeIndex first, std::size_t count, std::uint8_t* ok,
                                   std::int64_t* totals) const {
  if (args_.strategy != ScoringStrategyType::kLeastAllocated || !fit_fold_pays()) return false;
  const auto columns = fused_columns(cycle, scored_columns(cycle), partner, weight, partner_weight);
  if (!columns) return false;
  // Every resource Fit checks for this pod must be one of BalancedAllocation's two: the
  // same Requested and allocatable columns (a pod asking for anything else, an extended
  // resource or ephemeral storage, takes the separate filter pass).
  FitColumns fit{cluster.nodes.pod_count.data(), cluster.nodes.allowed_pods.data(),
                 {kUncheckedAmount, kUncheckedAmount}};
  for (const CheckedColumn& checked : cycle.get<State>(slot()).checked_columns) {
    int k = 0;
    while (k < 2 && (checked.requested != columns->balanced[k].requested ||
                     checked.allocatable != columns->balanced[k].allocatable))
      ++k;
    if (k == 2 || fit.amount[k] != kUncheckedAmount) return false;
    fit.amount[k] = checked.amount;
  }
  fit_least_balanced_range_kernel(*columns, fit, first, count, ok, totals);
  return true;
}

bool Fit::score_range(const CycleState& cycle, const PodContext&, const ClusterState&, NodeIndex first,
                      std::size_t count, std::int64_t weight, std::int64_t* totals) const {
  const auto& columns = cycle.get<State>(slot()).columns;
  if (weight < 0 || weight > kMaxRangeWeight || !kernels_apply(columns)) return false;
  switch (args_.strategy) {
    case ScoringStrategyType::kLeastAllocated:
    case ScoringStrategyType::kMostAllocated:
      allocated_scores_range_kernel(columns, args_.strategy == ScoringStrategyType::kMostAllocated, first, count,
                                    static_cast<std::int32_t>(weight), totals);
      return true;
    case ScoringStrategyType::kRequestedToCapacityRatio:
      return false;
  }
  return false;
}

}  // namespace podium::plugins::noderesources
