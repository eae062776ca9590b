#pragma once
// Loading what `podium score` / `podium schedule` are given: cluster file, extra pod
// files and an optional KubeSchedulerConfiguration, into a ClusterState and profiles.

#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/objects.hpp"
#include "podium/io/unknown_fields.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::cli {

// How a command's object files are checked for unknown fields: strict, or with --lenient
// logged and printed as warnings once the files are loaded. Lives for one command run.
class FieldCheck {
 public:
  // `threads`: --threads as given (0: the loader's default), which large files are read with.
  explicit FieldCheck(bool lenient, int threads = 0) : lenient_(lenient), threads_(threads) {}
  FieldCheck(const FieldCheck&) = delete;
  FieldCheck& operator=(const FieldCheck&) = delete;

  // For every io::load_objects_* call of the command.
  io::LoadOptions options() { return {.lenient = lenient_ ? &log_ : nullptr, .threads = threads_}; }
  // `podium: warning: FILE: PATH: unknown field "..."` on stderr, one line per field (at
  // most io::UnknownFieldLog::kKept, then a count).
  void print_warnings() const;

 private:
  bool lenient_;
  int threads_;
  io::UnknownFieldLog log_;
};

// Parses every file into one object set and validates it (throws InputError); with
// --lenient, prints the unknown fields found as warnings. `threads` as in FieldCheck.
io::ClusterObjects load_objects(const std::string& cluster_path, const std::vector<std::string>& pod_paths,
                                bool lenient, int threads = 0);

// The --config file, or upstream's defaults when `path` is empty.
config::SchedulerConfiguration load_config(const std::string& path);

// Profiles instantiated for a cluster; plugin arg errors become InputError on the config.
std::vector<framework::Profile> build_profiles(const config::SchedulerConfiguration& config,
                                               const state::ClusterState& cluster, const std::string& config_path);

// --algorithm (and --window, the window knob of batch algorithms; 0: the algorithm's
// default) into a ready algorithm, with the profile adjustments it asks for applied to
// `config`. Throws InputError on the command line.
algorithms::Algorithm resolve_algorithm(const std::string& spec_text, std::size_t window,
                                        config::SchedulerConfiguration& config);

}  // namespace podium::cli
