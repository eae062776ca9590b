// Rule names, and which rules a KubeSchedulerConfiguration's profiles enforce.
#include <any>
#include <algorithm>

#include "podium/verify/verify.hpp"

namespace podium::verify {

const char* rule_name(Rule rule) {
  switch (rule) {
    case Rule::kNodeUnschedulable: return "NodeUnschedulable";
    case Rule::kNodeName: return "NodeName";
    case Rule::kTaintToleration: return "TaintToleration";
    case Rule::kNodeAffinity: return "NodeAffinity";
    case Rule::kNodePorts: return "NodePorts";
    case Rule::kNodeResourcesFit: return "NodeResourcesFit";
    case Rule::kPodTopologySpread: return "PodTopologySpread";
    case Rule::kInterPodAffinity: return "InterPodAffinity";
    case Rule::kGpuShare: return "GpuShare";
  }
  return "?";
}

namespace {

// A disabled filter plugin's rule is not checked; args that change a filter's rule are
// taken from the profile (NodeResourcesFit's ignored resources, NodeAffinity's addedAffinity).
ProfileRules rules_of(const framework::ProfileSpec& spec) {
  ProfileRules rules;
  for (std::size_t r = 0; r < kRuleCount; ++r) {
    const char* name = rule_name(static_cast<Rule>(r));
    rules.enabled[r] = std::find(spec.filters.begin(), spec.filters.end(), name) != spec.filters.end();
  }
  rules.enabled[static_cast<std::size_t>(Rule::kGpuShare)] = true;  // every profile runs it (framework/profile.cpp)
  if (const auto it = spec.args.find("NodeResourcesFit"); it != spec.args.end() && it->second.has_value())
    rules.fit = std::any_cast<plugins::noderesources::FitArgs>(it->second);
  if (const auto it = spec.args.find("NodeAffinity"); it != spec.args.end() && it->second.has_value())
    rules.node_affinity = std::any_cast<plugins::nodeaffinity::NodeAffinityArgs>(it->second);
  if (const auto it = spec.args.find("PodTopologySpread"); it != spec.args.end() && it->second.has_value())
    rules.spread_defaults = plugins::podtopologyspread::effective_default_constraints(
        std::any_cast<plugins::podtopologyspread::PodTopologySpreadArgs>(it->second));
  return rules;
}

}  // namespace

VerifyOptions options_from_config(const config::SchedulerConfiguration& config) {
  VerifyOptions options;
  for (const auto& spec : config.profiles) options.profiles[spec.scheduler_name] = rules_of(spec);
  return options;
}

}  // namespace podium::verify
