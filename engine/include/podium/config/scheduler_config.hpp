#pragma once
// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), YAML or JSON, turned into
// ProfileSpecs after upstream's defaulting and plugin-set merging.

#include <string>
#include <vector>

#include "podium/framework/profile.hpp"

namespace podium::config {

struct SchedulerConfiguration {
  std::vector<framework::ProfileSpec> profiles;  // at least one
};

// Upstream's defaults: one profile "default-scheduler" with the default plugins.
SchedulerConfiguration default_scheduler_config();

// Throws podium::InputError(file, path-in-document, message) for malformed files, unknown
// fields, unknown or unimplemented plugins, and invalid plugin args.
SchedulerConfiguration load_scheduler_config(const std::string& path);
SchedulerConfiguration parse_scheduler_config(const std::string& text, const std::string& file_name);

}  // namespace podium::config
