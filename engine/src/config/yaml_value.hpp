#pragma once
// config reads KubeSchedulerConfiguration with the shared strict reader
// (podium/common/yaml_reader.hpp); these names keep config's code as it was.

#include "podium/common/yaml_reader.hpp"

namespace podium::config::detail {

using Value = yaml::Value;
using Object = yaml::Object;
using yaml::child_path;
using yaml::closest_match;
using yaml::with_suggestion;

}  // namespace podium::config::detail
