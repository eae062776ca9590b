// `podium sweep plan SPEC`: the tasks a spec expands to, with the exact argv of each.

#include <iostream>

#include "sweep/commands.hpp"
#include "sweep/emit.hpp"
#include "sweep/results_dir.hpp"

namespace podium::cli {
namespace {

struct PlanOptions {
  std::string spec;
  std::string results;
  bool count_only = false;
};

void run_plan(const PlanOptions& opt) {
  const auto spec = sweep::load_spec(opt.spec);
  const std::size_t n = sweep::task_count(spec);
  if (opt.count_only) {
    std::cout << n << "\n";
    return;
  }
  const std::string results = results_dir(spec, opt.results);
  std::cout << spec.name << ": " << n << " task(s) of `podium " << spec.command << "` =";
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    std::cout << (a ? " x " : " ") << spec.axes[a].values.size() << " " << spec.axes[a].name;
  if (spec.repetitions > 1) std::cout << " x " << spec.repetitions << " repetitions";
  std::cout << "; results in " << results << "\n";
  for (std::size_t i = 0; i < n; ++i) {
    const auto task = sweep::task_at(spec, i);
    std::cout << task.stem << ": podium";
    for (const auto& arg : sweep::task_argv(spec, task, sweep::output_path(results, task)))
      std::cout << " " << sweep::shell_quote(arg);
    std::cout << "\n";
  }
}

}  // namespace

void add_sweep_plan_command(CLI::App& sweep) {
  auto opt = std::make_shared<PlanOptions>();
  CLI::App* cmd = sweep.add_subcommand("plan", "Expand a sweep spec into numbered tasks and print them (or --count)");
  cmd->add_option("spec", opt->spec, "Sweep spec (YAML), e.g. bench/sweeps/algorithms.yaml")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--results", opt->results, "Results directory (default: the spec's results)");
  cmd->add_flag("--count", opt->count_only, "Print only the number of tasks");
  cmd->callback([opt] { run_plan(*opt); });
}

}  // namespace podium::cli
