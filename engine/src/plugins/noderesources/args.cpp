#include "podium/plugins/noderesources/args.hpp"

#include <set>
#include <stdexcept>

namespace podium::plugins::noderesources {
namespace {

// validateResources: weights in [1, 100], no duplicate names.
void validate_resources(const std::vector<ResourceSpec>& resources, const std::string& where) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& r = resources[i];
    const std::string at = where + ".resources[" + std::to_string(i) + "]";
    if (r.weight <= 0 || r.weight > 100)
      throw std::invalid_argument(at + ".weight: resource weight of " + r.name + " should be in the range [1, 100]");
    if (!seen.insert(r.name).second) throw std::invalid_argument(at + ".name: duplicate resource name " + r.name);
  }
}

}  // namespace

void validate(const FitArgs& args) {
  validate_resources(args.resources, "scoringStrategy");
  if (args.strategy == ScoringStrategyType::kRequestedToCapacityRatio) {
    // validateFunctionShape: non-empty, utilization strictly increasing in [0, 100],
    // score in [0, 10].
    if (args.shape.empty())
      throw std::invalid_argument("scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point");
    for (std::size_t i = 0; i < args.shape.size(); ++i) {
      const auto& p = args.shape[i];
      const std::string at = "scoringStrategy.requestedToCapacityRatio.shape[" + std::to_string(i) + "]";
      if (p.utilization < 0 || p.utilization > 100)
        throw std::invalid_argument(at + ".utilization: must be in the range [0, 100]");
      if (i > 0 && p.utilization <= args.shape[i - 1].utilization)
        throw std::invalid_argument(at + ".utilization: utilization values must be sorted in increasing order");
      if (p.score < 0 || p.score > 10) throw std::invalid_argument(at + ".score: must be in the range [0, 10]");
    }
  }
}

// ValidateNodeResourcesBalancedAllocationArgs: no duplicate names, and every weight exactly 1
// (the balance is unweighted; the config reader refuses other weights the same way).
void validate(const BalancedAllocationArgs& args) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < args.resources.size(); ++i) {
    const auto& r = args.resources[i];
    const std::string at = "resources[" + std::to_string(i) + "]";
    if (!seen.insert(r.name).second) throw std::invalid_argument(at + ".name: duplicate resource name " + r.name);
    if (r.weight != 1) throw std::invalid_argument(at + ".weight: must be 1");
  }
}

}  // namespace podium::plugins::noderesources
