#pragma once
// PodTopologySpreadArgs (pkg/scheduler/apis/config, v1; types_pluginargs.go): the
// constraints a pod without its own spec.topologySpreadConstraints is spread by.
//
//   defaultingType: System (the default) -> the system constraints below, and `args`
//                   must list none; List -> exactly `defaultConstraints` (possibly none).
//
// Default constraints carry no labelSelector: each pod's comes from the Services and the
// controller that own it (helper.DefaultSelector, PodRecord::default_spread_selector).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace podium::plugins::podtopologyspread {

// One v1.TopologySpreadConstraint of defaultConstraints, as written.
struct DefaultConstraint {
  std::int32_t max_skew = 0;
  std::string topology_key;
  std::string when_unsatisfiable;       // DoNotSchedule or ScheduleAnyway
  bool has_label_selector = false;      // forbidden: the selector is deduced per pod
  std::optional<std::int32_t> min_domains;
  std::optional<std::string> node_affinity_policy;  // nil: Honor
  std::optional<std::string> node_taints_policy;    // nil: Ignore
};

enum class DefaultingType : std::uint8_t { kSystem, kList };

struct PodTopologySpreadArgs {
  std::vector<DefaultConstraint> default_constraints;
  DefaultingType defaulting_type = DefaultingType::kSystem;  // SetDefaults_PodTopologySpreadArgs
};

// validation.ValidatePodTopologySpreadArgs. Throws std::invalid_argument as
// "<field path>: <message>", e.g. "defaultConstraints[1].maxSkew: Invalid value: 0: not in
// valid range" or "defaultingType: Invalid value: \"System\": when .defaultConstraints are
// not empty".
void validate(const PodTopologySpreadArgs& args);

// plugin.go's systemDefaultConstraints: hostname maxSkew 3 and zone maxSkew 5, both
// ScheduleAnyway.
const std::vector<DefaultConstraint>& system_default_constraints();

// The default constraints a plugin built from `args` applies (New: System replaces the
// list with the system constraints).
const std::vector<DefaultConstraint>& effective_default_constraints(const PodTopologySpreadArgs& args);

}  // namespace podium::plugins::podtopologyspread
