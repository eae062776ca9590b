#include "cluster_input.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::cli {

void FieldCheck::print_warnings() const {
  for (const std::string& line : log_.warning_lines()) std::cerr << "podium: warning: " << line << "\n";
}

io::ClusterObjects load_objects(const std::string& cluster_path, const std::vector<std::string>& pod_paths,
                                bool lenient, int threads) {
  FieldCheck check(lenient, threads);
  io::ClusterObjects objects;
  io::load_objects_file(cluster_path, objects, check.options());
  for (const auto& path : pod_paths) io::load_objects_file(path, objects, check.options());
  check.print_warnings();
  io::validate_objects(objects);
  return objects;
}

config::SchedulerConfiguration load_config(const std::string& path) {
  return path.empty() ? config::default_scheduler_config() : config::load_scheduler_config(path);
}

std::vector<framework::Profile> build_profiles(const config::SchedulerConfiguration& config,
                                               const state::ClusterState& cluster, const std::string& config_path) {
  std::vector<framework::Profile> profiles;
  for (std::size_t i = 0; i < config.profiles.size(); ++i) {
    try {
      profiles.push_back(framework::build_profile(config.profiles[i], cluster));
    } catch (const std::invalid_argument& e) {
      throw InputError(config_path.empty() ? "<default configuration>" : config_path,
                       "profiles[" + std::to_string(i) + "]", e.what());
    }
  }
  return profiles;
}

algorithms::Algorithm resolve_algorithm(const std::string& spec_text, std::size_t window,
                                        config::SchedulerConfiguration& config) {
  try {
    algorithms::AlgorithmSpec spec = algorithms::parse_algorithm_spec(spec_text);
    const auto* descriptor = algorithms::AlgorithmRegistry::global().find(spec.name);
    if (window > 0) {
      const bool windowed = descriptor != nullptr && std::any_of(descriptor->knobs.begin(), descriptor->knobs.end(),
                                                                 [](const auto& k) { return k.name == "window"; });
      if (descriptor != nullptr && !windowed)
        throw std::invalid_argument("--window applies to batch algorithms; \"" + spec.name + "\" has no window");
      spec.knobs["window"] = std::to_string(window);
    }
    algorithms::Algorithm algorithm = algorithms::make_algorithm(spec);
    if (descriptor->adjust_profile)
      for (auto& profile : config.profiles) descriptor->adjust_profile(profile);
    return algorithm;
  } catch (const std::invalid_argument& e) {
    throw InputError("<command line>", "--algorithm", e.what());
  }
}

}  // namespace podium::cli
