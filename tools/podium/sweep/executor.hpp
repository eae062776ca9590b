#pragma once
// The executors that run tasks on this machine: `podium sweep run --local` (many tasks, N
// at a time) and `podium sweep task` (one task, as a Slurm array task or a Kubernetes
// Indexed Job pod runs it). Both run a task the same way: the podium executable as a child
// with the task's argv, its output and log in the results directory, then the record.

#include <cstddef>
#include <string>

#include "spec.hpp"

namespace podium::sweep {

struct LocalRunOptions {
  std::string results;
  int jobs = 1;
  bool force = false;  // rerun finished tasks too
  bool progress_bar = false;  // redraw one line (a terminal) instead of a line per task
};

// Runs every unfinished task; returns the exit status for the sweep: 0 all finished, 1 some
// failed, 128 + signal when interrupted (running children killed, their files removed).
int run_local(const Spec& spec, const LocalRunOptions& options);

// Runs task `index` unless it is finished (or `force`); returns its exit status.
int run_task(const Spec& spec, std::size_t index, const std::string& results, bool force);

}  // namespace podium::sweep
