#pragma once
// pluginConfig args of DefaultPreemption (DefaultPreemptionArgs, kubescheduler.config.k8s.io/v1).

#include "config/yaml_value.hpp"
#include "podium/config/scheduler_config.hpp"

namespace podium::config::detail {

// The fields of an args object whose keys (TypeMeta + minCandidateNodesPercentage,
// minCandidateNodesAbsolute) the caller has checked, with v1 defaulting
// (SetDefaults_DefaultPreemptionArgs: 10 and 100, each when absent; an explicit 0 stays)
// and validation (ValidateDefaultPreemptionArgs: percentage in [0, 100], absolute >= 0,
// not both 0). Wrong types and invalid values throw InputError at the field's path.
DefaultPreemptionArgs read_default_preemption_args(const Object& args);

}  // namespace podium::config::detail
