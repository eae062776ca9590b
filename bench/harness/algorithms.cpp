#include "harness/algorithms.hpp"

#include <filesystem>
#include <stdexcept>
#include <utility>

namespace podium::bench {
namespace {

// NodeResourcesFit's scoring strategies (the configs people bin-pack with); BalancedAllocation
// and the other default plugins stay as in the default profile.
constexpr std::pair<const char*, const char*> kBuiltins[] = {
    {"MostAllocated", R"(apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]
)"},
    {"RequestedToCapacityRatio", R"(apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]
        requestedToCapacityRatio:
          shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
)"},
};

}  // namespace

std::vector<std::string> builtin_algorithm_names() {
  std::vector<std::string> names = algorithms::AlgorithmRegistry::global().names();
  for (const auto& [name, text] : kBuiltins) names.emplace_back(name);
  return names;
}

Algorithm resolve_algorithm(const std::string& spec) {
  const algorithms::AlgorithmSpec parsed = algorithms::parse_algorithm_spec(spec);
  if (const auto* d = algorithms::AlgorithmRegistry::global().find(parsed.name)) {
    Algorithm a{spec, "builtin", config::default_scheduler_config(), algorithms::make_algorithm(parsed)};
    if (d->adjust_profile)
      for (auto& profile : a.config.profiles) d->adjust_profile(profile);
    return a;
  }
  for (const auto& [name, text] : kBuiltins)
    if (spec == name)
      return {name, "builtin", config::parse_scheduler_config(text, std::string("<builtin ") + name + ">"), {}};
  if (std::filesystem::is_regular_file(spec))
    return {std::filesystem::path(spec).stem().string(), spec, config::load_scheduler_config(spec), {}};
  std::string names;
  for (const auto& n : builtin_algorithm_names()) names += (names.empty() ? "" : ", ") + n;
  throw std::invalid_argument("--algorithm \"" + spec + "\" is neither a built-in (" + names +
                              ") nor an existing KubeSchedulerConfiguration file");
}

}  // namespace podium::bench
