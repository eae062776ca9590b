#pragma once
// pluginConfig args of PodTopologySpread (PodTopologySpreadArgs, kubescheduler.config.k8s.io/v1).

#include "config/yaml_value.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"

namespace podium::config::detail {

// The fields of an args object whose keys (TypeMeta + defaultConstraints, defaultingType)
// the caller has checked: each default constraint decoded strictly as a
// v1.TopologySpreadConstraint, defaultingType defaulted to System
// (SetDefaults_PodTopologySpreadArgs). Wrong types and unknown keys throw InputError at
// their path; validation is the caller's (plugins::podtopologyspread::validate).
plugins::podtopologyspread::PodTopologySpreadArgs read_pod_topology_spread_args(const Object& args);

}  // namespace podium::config::detail
