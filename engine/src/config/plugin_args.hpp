#pragma once
// pluginConfig[].args: upstream's typed plugin args (types_pluginargs.go), with their
// defaulting (v1/defaults.go) and validation (validation/validation_pluginargs.go).
//
// Podium keeps the args of the plugins it implements with args: NodeResourcesFit ->
// noderesources::FitArgs, NodeResourcesBalancedAllocation -> BalancedAllocationArgs,
// NodeAffinity -> nodeaffinity::NodeAffinityArgs, InterPodAffinity ->
// interpodaffinity::InterPodAffinityArgs (inter_pod_affinity_args.hpp), PodTopologySpread ->
// podtopologyspread::PodTopologySpreadArgs (pod_topology_spread_args.hpp), DefaultPreemption
// -> config::DefaultPreemptionArgs (default_preemption_args.hpp). The args of every other plugin
// upstream knows are checked for their kind and top-level fields, then dropped.

#include <any>

#include "config/plugin_catalog.hpp"
#include "config/yaml_value.hpp"

namespace podium::config::detail {

// The typed args for `plugin` read from `args` (present or not), or an empty std::any
// when Podium does not use this plugin's args. Throws InputError with the path of the
// offending field under `args`.
std::any read_plugin_args(const PluginInfo& plugin, const Value& args);

}  // namespace podium::config::detail
