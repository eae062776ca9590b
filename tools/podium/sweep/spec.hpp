#pragma once
// A sweep spec (bench/sweeps/*.yaml, docs/SWEEPS.md) and its expansion into numbered tasks.
//
//   name: algorithms                 # [a-z0-9-], names Slurm and Kubernetes jobs
//   command: bench                   # the podium subcommand every task runs
//   args: [--label, short]           # fixed arguments, after the positional axes
//   axes:                            # the grid: the first axis varies slowest
//     - {name: workload, values: [bench/workloads/gpu.yaml, ...]}     # no option: positional
//     - {name: seed, option: --seed, values: [1, 2, 3]}
//   repetitions: 1                   # each grid point this many times (same argv)
//   outputOption: --out              # how the command is told its output file
//   results: build/sweeps/algorithms # default results directory
//
// Task i is one fixed argv: `podium COMMAND <positional axis values> ARGS <option value>...
// OUTPUT_OPTION FILE`, tokens copied as written (no shell, no interpolation), so a task
// means the same on every executor. Its output file is named by its index and parameters.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace podium::sweep {

struct Axis {
  std::string name;
  std::string option;  // empty: a positional argument
  std::vector<std::string> values;
};

struct Spec {
  std::string file;  // as given on the command line (error messages)
  std::string name;
  std::string command;
  std::vector<std::string> args;
  std::vector<Axis> axes;
  int repetitions = 1;
  std::string output_option;
  std::string results;
};

// One grid point: the value of every axis (in axis order) and the repetition.
struct Task {
  std::size_t index = 0;
  std::vector<std::string> values;
  int repetition = 0;
  std::string stem;  // file name without extension: 0007-workload=gpu-seed=2
};

// Parses and checks the spec; throws InputError naming the file and the key (and line).
Spec load_spec(const std::string& file);

std::size_t task_count(const Spec& spec);
// Throws std::out_of_range naming the valid range when index >= task_count.
Task task_at(const Spec& spec, std::size_t index);

// argv of the task after the executable name: {COMMAND, ..., OUTPUT_OPTION, output}.
std::vector<std::string> task_argv(const Spec& spec, const Task& task, const std::string& output);

// The parameter labels of a task: (axis name, value)..., plus ("repetition", r) when the
// spec repeats.
std::vector<std::pair<std::string, std::string>> task_parameters(const Spec& spec, const Task& task);

}  // namespace podium::sweep
