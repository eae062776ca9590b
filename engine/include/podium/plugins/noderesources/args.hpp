#pragma once
// Plugin args of the noderesources plugins, with upstream's defaults
// (pkg/scheduler/apis/config/v1/defaults.go) and validation
// (pkg/scheduler/apis/config/validation/validation_pluginargs.go).

#include <cstdint>
#include <string>
#include <vector>

namespace podium::plugins::noderesources {

struct ResourceSpec {
  std::string name;
  std::int64_t weight = 1;
};

enum class ScoringStrategyType { kLeastAllocated, kMostAllocated, kRequestedToCapacityRatio };

struct UtilizationShapePoint {
  std::int32_t utilization = 0;  // 0..100
  std::int32_t score = 0;        // 0..10 (MaxCustomPriorityScore)
};

// NodeResourcesFitArgs.
struct FitArgs {
  std::vector<std::string> ignored_resources;
  std::vector<std::string> ignored_resource_groups;
  ScoringStrategyType strategy = ScoringStrategyType::kLeastAllocated;
  std::vector<ResourceSpec> resources = {{"cpu", 1}, {"memory", 1}};
  std::vector<UtilizationShapePoint> shape;  // RequestedToCapacityRatio only
};

// NodeResourcesBalancedAllocationArgs.
struct BalancedAllocationArgs {
  std::vector<ResourceSpec> resources = {{"cpu", 1}, {"memory", 1}};
};

// Whether NodeResourcesFit's filter skips resource `name` under `args`: only extended
// resources (v1helper.IsExtendedResourceName) named in ignoredResources, or whose group (the
// part before '/') is in ignoredResourceGroups, are skipped (fit.go fitsRequest).
bool fit_ignores(const FitArgs& args, const std::string& name);

// Throw std::invalid_argument with upstream's message shape ("resources[0].weight: ...").
void validate(const FitArgs& args);
void validate(const BalancedAllocationArgs& args);

}  // namespace podium::plugins::noderesources
