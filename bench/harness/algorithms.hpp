#pragma once
// What `--algorithm` and `--config` name: an engine algorithm (algorithms/algorithm.hpp:
// default, best-fit, power-of-k:k=3, ...) on the default profile, a built-in scheduler
// configuration (kube's default profile with another NodeResourcesFit strategy), or a
// KubeSchedulerConfiguration file. Built-in configurations are written as the YAML a user
// would write, so they go through the same loader and validation as a file.

#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/config/scheduler_config.hpp"

namespace podium::bench {

struct Algorithm {
  std::string name;  // as reported: the built-in's name or the config file's stem
  std::string source;  // "builtin" or the file path
  config::SchedulerConfiguration config;
  algorithms::Algorithm engine;  // how nodes are chosen (default: kube's choice)
};

// The engine's algorithms, then "MostAllocated" and "RequestedToCapacityRatio".
std::vector<std::string> builtin_algorithm_names();

// An engine algorithm (`NAME[:knob=value...]`), a built-in configuration, else a path to an
// existing config file. Throws InputError (a bad config file) or std::invalid_argument
// (none of these, or a bad knob).
Algorithm resolve_algorithm(const std::string& spec);

}  // namespace podium::bench
