// `podium sweep`: experiment grids (docs/SWEEPS.md). A YAML spec names a podium command and
// the axes of a grid; each grid point is a task with one fixed argv and its own output
// file. Executors: this machine (`run --local`), Slurm job arrays and Kubernetes Indexed
// Jobs (`emit`); `merge` makes one DataItems table of whatever they wrote.

#include "commands.hpp"
#include "sweep/commands.hpp"

namespace podium::cli {

void add_sweep_command(CLI::App& app) {
  CLI::App* sweep = app.add_subcommand(
      "sweep", "Experiment grids (algorithms x workloads x seeds ...) on this machine, Slurm or Kubernetes");
  sweep->require_subcommand(1);
  add_sweep_plan_command(*sweep);
  add_sweep_run_command(*sweep);
  add_sweep_task_command(*sweep);
  add_sweep_emit_command(*sweep);
  add_sweep_merge_command(*sweep);
  add_sweep_collect_command(*sweep);
}

}  // namespace podium::cli
