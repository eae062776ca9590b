#pragma once
// The subcommands of `podium sweep` (cmd_sweep*.cpp), each registered on the `sweep` app.

#include <CLI/CLI.hpp>

#include <string>

#include "spec.hpp"

namespace podium::cli {

void add_sweep_plan_command(CLI::App& sweep);     // cmd_sweep_plan.cpp
void add_sweep_run_command(CLI::App& sweep);      // cmd_sweep_run.cpp: run --local, task
void add_sweep_task_command(CLI::App& sweep);     // cmd_sweep_run.cpp
void add_sweep_emit_command(CLI::App& sweep);     // cmd_sweep_emit.cpp
void add_sweep_merge_command(CLI::App& sweep);    // cmd_sweep_merge.cpp: merge, collect
void add_sweep_collect_command(CLI::App& sweep);  // cmd_sweep_merge.cpp

// --results, or the spec's results directory.
inline std::string results_dir(const sweep::Spec& spec, const std::string& option) {
  return option.empty() ? spec.results : option;
}

}  // namespace podium::cli
