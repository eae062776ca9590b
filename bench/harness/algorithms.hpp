#pragma once
// What `--algorithm` and `--config` name: a built-in scheduler configuration, or a
// KubeSchedulerConfiguration file. Built-ins are written as the YAML a user would write,
// so they go through the same loader and validation as a file.

#include <string>
#include <vector>

#include "podium/config/scheduler_config.hpp"

namespace podium::bench {

struct Algorithm {
  std::string name;  // as reported: the built-in's name or the config file's stem
  std::string source;  // "builtin" or the file path
  config::SchedulerConfiguration config;
};

// "default" (kube-scheduler's default profile), "MostAllocated", "RequestedToCapacityRatio".
std::vector<std::string> builtin_algorithm_names();

// A built-in name, else a path to an existing config file. Throws InputError (a bad
// config file) or std::invalid_argument (neither a built-in nor a file).
Algorithm resolve_algorithm(const std::string& spec);

}  // namespace podium::bench
