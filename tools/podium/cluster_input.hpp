#pragma once
// Loading what `podium score` / `podium schedule` are given: cluster file, extra pod
// files and an optional KubeSchedulerConfiguration, into a ClusterState and profiles.

#include <string>
#include <vector>

#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::cli {

// Parses every file into one object set and validates it (throws InputError).
io::ClusterObjects load_objects(const std::string& cluster_path, const std::vector<std::string>& pod_paths);

// The --config file, or upstream's defaults when `path` is empty.
config::SchedulerConfiguration load_config(const std::string& path);

// Profiles instantiated for a cluster; plugin arg errors become InputError on the config.
std::vector<framework::Profile> build_profiles(const config::SchedulerConfiguration& config,
                                               const state::ClusterState& cluster, const std::string& config_path);

}  // namespace podium::cli
