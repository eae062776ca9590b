#pragma once
// The class cache's fused refresh (NodeResourcesFit's Filter + LeastAllocated +
// BalancedAllocation, fit_least_balanced_ids_kernel) detached from the decision's
// CycleState (framework::DetachedRefresh): the pod's amounts and the static columns are
// captured, the bound-pod columns are named by which NodeTable column they are, so the
// same kernel runs over the live cluster or over a replica of those columns.

#include <memory>
#include <span>

#include "plugins/noderesources/fused_resource_kernel.hpp"
#include "podium/framework/plugin.hpp"

namespace podium::plugins::noderesources {

// Null when some column the kernel would read as a bound-pod column is not one of
// NodeTable's (requested, nonzero_cpu, nonzero_memory): then only the live path is exact.
std::unique_ptr<framework::DetachedRefresh> detach_fit_least_balanced(const FusedResourceColumns& columns,
                                                                      std::span<const CheckedColumn> checked,
                                                                      const state::NodeTable& nodes,
                                                                      std::int64_t base, std::int64_t infeasible);

}  // namespace podium::plugins::noderesources
