// `podium sweep run SPEC --local`: every task on this machine, N at a time, resumable.
// `podium sweep task SPEC --index I`: one task, as a Slurm array task or an Indexed Job pod
// runs it.
//
// Exit status: 0 every task finished; 1 some task failed (its record and log say why);
// 2 bad spec or options; 128 + signal when interrupted.

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "podium/common/input_error.hpp"
#include "podium/common/yaml_reader.hpp"
#include "sweep/commands.hpp"
#include "sweep/executor.hpp"
#include "sweep/log_transport.hpp"

namespace podium::cli {
namespace {

struct RunOptions {
  std::string spec;
  std::string results;
  bool local = false;
  int jobs = 1;
  bool force = false;
};

void run_sweep(const RunOptions& opt) {
  if (!opt.local)
    throw InputError("<command line>", "--local",
                     "run needs an executor: --local (this machine); for Slurm or Kubernetes use `podium sweep emit`");
  const auto spec = sweep::load_spec(opt.spec);
  sweep::LocalRunOptions lo;
  lo.results = results_dir(spec, opt.results);
  lo.jobs = opt.jobs;
  lo.force = opt.force;
  lo.progress_bar = isatty(STDERR_FILENO) != 0;
  if (const int code = sweep::run_local(spec, lo); code != 0) throw CommandExit{code};
}

struct TaskOptions {
  std::string spec;
  std::string results;
  long long index = -1;
  std::string index_from;
  bool force = false;
  bool print_results = false;
};

// The task index from --index, or from the environment variable --index-from names
// (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX): a decimal integer, nothing else.
std::size_t task_index(const TaskOptions& opt) {
  if ((opt.index >= 0) == !opt.index_from.empty())
    throw InputError("<command line>", "--index", "give exactly one of --index N and --index-from VARIABLE");
  if (opt.index >= 0) return static_cast<std::size_t>(opt.index);
  const char* text = std::getenv(opt.index_from.c_str());
  std::int64_t value = -1;
  if (text == nullptr || yaml::parse_int64(text, value) != yaml::IntParse::kOk || value < 0)
    throw InputError("<environment>", opt.index_from,
                     text == nullptr ? "not set" : std::string("not a task index: \"") + text + "\"");
  return static_cast<std::size_t>(value);
}

void run_one(const TaskOptions& opt) {
  const auto spec = sweep::load_spec(opt.spec);
  const std::size_t index = task_index(opt);
  if (index >= sweep::task_count(spec))
    throw InputError("<command line>", "--index",
                     "task " + std::to_string(index) + " is out of range: " + opt.spec + " has tasks 0.." +
                         std::to_string(sweep::task_count(spec) - 1));
  const std::string results = results_dir(spec, opt.results);
  const int code = sweep::run_task(spec, index, results, opt.force);
  if (opt.print_results) sweep::print_task_files(std::cout, results, sweep::task_at(spec, index));
  if (code != 0) throw CommandExit{code};
}

}  // namespace

void add_sweep_run_command(CLI::App& sweep) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = sweep.add_subcommand(
      "run", "Run every unfinished task of a sweep on this machine (a process per task); rerun to resume");
  cmd->add_option("spec", opt->spec, "Sweep spec (YAML)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--local", opt->local, "Run on this machine (the only executor `run` has)");
  cmd->add_option("--jobs,-j", opt->jobs, "Tasks at a time")->check(CLI::Range(1, 1024))->capture_default_str();
  cmd->add_option("--results", opt->results, "Results directory (default: the spec's results)");
  cmd->add_flag("--force", opt->force, "Run finished tasks again too");
  cmd->callback([opt] { run_sweep(*opt); });
}

void add_sweep_task_command(CLI::App& sweep) {
  auto opt = std::make_shared<TaskOptions>();
  CLI::App* cmd = sweep.add_subcommand(
      "task", "Run one task of a sweep (what a Slurm array task or a Kubernetes Indexed Job pod runs)");
  cmd->add_option("spec", opt->spec, "Sweep spec (YAML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--index", opt->index, "Task index (0-based)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--index-from", opt->index_from,
                  "Read the index from this environment variable (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)");
  cmd->add_option("--results", opt->results, "Results directory (default: the spec's results)");
  cmd->add_flag("--force", opt->force, "Run the task even if it is finished");
  cmd->add_flag("--print-results", opt->print_results,
                "Afterwards, print the task's files on stdout in frames `podium sweep collect` unpacks (storage that "
                "dies with the pod)");
  cmd->callback([opt] { run_one(*opt); });
}

}  // namespace podium::cli
