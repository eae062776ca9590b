#include "podium/plugins/noderesources/balanced_allocation.hpp"

#include <algorithm>
#include <array>

#include "plugins/noderesources/resource_allocation.hpp"
#include "plugins/noderesources/resource_kernels.hpp"
#include "podium/plugins/noderesources/scorers.hpp"

namespace podium::plugins::noderesources {

using framework::ClusterState;
using framework::CycleState;
using framework::NodeIndex;
using framework::PodContext;
using framework::Status;

struct BalancedAllocation::State : framework::StateData {
  std::vector<ScoredResource> scored;
  std::vector<ScoredColumn> columns;
};

bool BalancedAllocation::sign(const state::PodRecord& pod, std::string& sig) const {
  for (auto r : pod.requests) sig.append(reinterpret_cast<const char*>(&r), sizeof r);
  return true;
}

BalancedAllocation::BalancedAllocation(BalancedAllocationArgs args, const ClusterState& cluster)
    : args_(std::move(args)) {
  validate(args_);
  for (const auto& spec : args_.resources) ids_.push_back(cluster.resources.find(spec.name));
}

Status BalancedAllocation::pre_score(CycleState& cycle, const PodContext& ctx, const ClusterState& cluster,
                                     std::span<const NodeIndex>) {
  auto& st = cycle.get_or_create<State>(slot());
  st.scored.clear();
  bool best_effort = true;
  for (std::size_t i = 0; i < args_.resources.size(); ++i) {
    // useRequested: the pod's plain requests, no defaults for request-less containers.
    const std::int64_t request = ids_[i] ? ctx.pod.requests[*ids_[i]] : 0;
    best_effort = best_effort && request == 0;
    st.scored.push_back({ids_[i], args_.resources[i].weight, request});
  }
  if (best_effort) return Status(framework::Code::kSkip);
  resolve_columns(cluster.nodes, st.scored, true, st.columns);
  return {};
}

void BalancedAllocation::score(const CycleState& cycle, const PodContext&, const ClusterState& cluster,
                               std::span<const NodeIndex> ids, std::int64_t* scores) const {
  const auto& st = cycle.get<State>(slot());
  (void)cluster;
  if (st.columns.size() == 2 && st.columns[0].allocatable_f64 != nullptr && st.columns[1].allocatable_f64 != nullptr)
    return balanced_two_resources_kernel(st.columns[0], st.columns[1], ids, scores);
  // Fractions live on the stack for the common case; configs listing more resources than
  // this fall back to a heap buffer sized once per batch.
  constexpr std::size_t kInline = 16;
  std::array<double, kInline> inline_fractions{};
  std::vector<double> heap_fractions(st.scored.size() > kInline ? st.scored.size() : 0);
  double* fractions = st.scored.size() > kInline ? heap_fractions.data() : inline_fractions.data();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::size_t count = 0;
    for (const ScoredColumn& r : st.columns) {
      const std::int64_t allocatable = r.allocatable[ids[i]];
      if (allocatable == 0) continue;
      const std::int64_t requested = r.requested[ids[i]] + r.pod_request;
      fractions[count++] = std::min(1.0, static_cast<double>(requested) / static_cast<double>(allocatable));
    }
    scores[i] = balanced_resource_score({fractions, count});
  }
}

std::span<const ScoredColumn> BalancedAllocation::scored_columns(const CycleState& cycle) const {
  return cycle.get<State>(slot()).columns;
}

bool BalancedAllocation::score_range(const CycleState& cycle, const PodContext&, const ClusterState&,
                                     NodeIndex first, std::size_t count, std::int64_t weight,
                                     std::int64_t* totals) const {
  const auto& columns = cycle.get<State>(slot()).columns;
  // The dense kernel covers upstream's two-resource case (the default args) only.
  if (weight < 0 || weight > kMaxRangeWeight || columns.size() != 2 || columns[0].allocatable_f64 == nullptr ||
      columns[1].allocatable_f64 == nullptr)
    return false;
  balanced_two_resources_range_kernel(columns[0], columns[1], first, count, static_cast<std::int32_t>(weight), totals);
  return true;
}

}  // namespace podium::plugins::noderesources
