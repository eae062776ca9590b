#pragma once
// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), YAML or JSON, turned into
// ProfileSpecs after upstream's defaulting and plugin-set merging.

#include <cstdint>
#include <string>
#include <vector>

#include "podium/framework/profile.hpp"

namespace podium::config {

// DefaultPreemption's pluginConfig args (DefaultPreemptionArgs), defaulted and validated
// as upstream does (v1.35). Upstream keeps them per profile; Podium's scheduler applies one
// set to every profile (scheduler::PreemptionOptions), so profiles that configure
// different values are refused when the file is read.
struct DefaultPreemptionArgs {
  std::int32_t min_candidate_nodes_percentage = 10;
  std::int32_t min_candidate_nodes_absolute = 100;
  bool operator==(const DefaultPreemptionArgs&) const = default;
};

struct SchedulerConfiguration {
  std::vector<framework::ProfileSpec> profiles;  // at least one
  DefaultPreemptionArgs default_preemption;      // every profile's (see above)
};

// Upstream's defaults: one profile "default-scheduler" with the default plugins.
SchedulerConfiguration default_scheduler_config();

// Throws podium::InputError(file, path-in-document, message) for malformed files, unknown
// fields, unknown or unimplemented plugins, and invalid plugin args.
SchedulerConfiguration load_scheduler_config(const std::string& path);
SchedulerConfiguration parse_scheduler_config(const std::string& text, const std::string& file_name);

}  // namespace podium::config
