#include "plugins/noderesources/detached_refresh.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace podium::plugins::noderesources {

namespace {

// Which bound-pod column a pointer is: a resource's Requested (>= 0) or NonZeroRequested.
constexpr int kNonzeroCpu = -1;
constexpr int kNonzeroMemory = -2;

std::optional<int> bound_column_of(const state::NodeTable& nodes, const std::int64_t* column) {
  if (column == nodes.nonzero_cpu.data()) return kNonzeroCpu;
  if (column == nodes.nonzero_memory.data()) return kNonzeroMemory;
  for (std::size_t r = 0; r < nodes.requested.size(); ++r)
    if (column == nodes.requested[r].data()) return static_cast<int>(r);
  return std::nullopt;
}

const std::int64_t* resolve(const framework::BoundNodeColumns& bound, int column) {
  if (column == kNonzeroCpu) return bound.nonzero_cpu;
  if (column == kNonzeroMemory) return bound.nonzero_memory;
  return bound.requested[static_cast<std::size_t>(column)];
}

class FitLeastBalancedRefresh final : public framework::DetachedRefresh {
 public:
  FitLeastBalancedRefresh(const FusedResourceColumns& columns, std::span<const CheckedColumn> checked,
                          const std::array<int, 4>& scored_refs, const std::array<int, 2>& checked_refs,
                          const std::int32_t* allowed_pods, std::int64_t base, std::int64_t infeasible)
      : columns_(columns),
        checked_count_(checked.size()),
        scored_refs_(scored_refs),
        checked_refs_(checked_refs),
        allowed_pods_(allowed_pods),
        base_(base),
        infeasible_(infeasible) {
    for (std::size_t k = 0; k < checked.size(); ++k) checked_[k] = checked[k];
  }

  void run(const framework::BoundNodeColumns& bound, std::span<const state::NodeIndex> ids,
           std::int64_t* totals_by_node) const override {
    FusedResourceColumns columns = columns_;
    columns.least[0].requested = resolve(bound, scored_refs_[0]);
    columns.least[1].requested = resolve(bound, scored_refs_[1]);
    columns.balanced[0].requested = resolve(bound, scored_refs_[2]);
    columns.balanced[1].requested = resolve(bound, scored_refs_[3]);
    std::array<CheckedColumn, 2> checked = checked_;
    for (std::size_t k = 0; k < checked_count_; ++k) checked[k].requested = resolve(bound, checked_refs_[k]);
    fit_least_balanced_ids_kernel(columns, bound.pod_count, allowed_pods_, {checked.data(), checked_count_}, base_,
                                  infeasible_, ids, totals_by_node);
  }

 private:
  FusedResourceColumns columns_;  // static columns as captured; bound-pod ones replaced per run
  std::array<CheckedColumn, 2> checked_{};
  std::size_t checked_count_;
  std::array<int, 4> scored_refs_;  // least[0], least[1], balanced[0], balanced[1]
  std::array<int, 2> checked_refs_;
  const std::int32_t* allowed_pods_;
  std::int64_t base_;
  std::int64_t infeasible_;
};

}  // namespace

std::unique_ptr<framework::DetachedRefresh> detach_fit_least_balanced(const FusedResourceColumns& columns,
                                                                      std::span<const CheckedColumn> checked,
                                                                      const state::NodeTable& nodes,
                                                                      std::int64_t base, std::int64_t infeasible) {
  if (!fit_least_balanced_ids_applies(checked)) return nullptr;
  std::array<int, 4> scored{};
  const std::int64_t* scored_columns[4] = {columns.least[0].requested, columns.least[1].requested,
                                           columns.balanced[0].requested, columns.balanced[1].requested};
  for (int k = 0; k < 4; ++k) {
    const auto ref = bound_column_of(nodes, scored_columns[k]);
    if (!ref) return nullptr;
    scored[static_cast<std::size_t>(k)] = *ref;
  }
  std::array<int, 2> checked_refs{};
  for (std::size_t k = 0; k < checked.size(); ++k) {
    const auto ref = bound_column_of(nodes, checked[k].requested);
    if (!ref) return nullptr;
    checked_refs[k] = *ref;
  }
  return std::make_unique<FitLeastBalancedRefresh>(columns, checked, scored, checked_refs, nodes.allowed_pods.data(),
                                                   base, infeasible);
}

}  // namespace podium::plugins::noderesources
