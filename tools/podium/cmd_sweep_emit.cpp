// `podium sweep emit SPEC --slurm | --kubernetes`: a job description that runs the sweep's
// tasks on a cluster engine (docs/SWEEPS.md), to standard output or --output FILE.
//
// --slurm prepares the results directory (Slurm opens its log files there before the first
// task runs) and names it, the spec, the working directory and this podium executable by
// absolute path: the compute nodes must see them at the same paths (a shared file system).
// --kubernetes names the spec relative to the image's source tree (tools/sweep/Containerfile).

#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "sweep/commands.hpp"
#include "sweep/emit.hpp"
#include "sweep/process.hpp"
#include "sweep/results_dir.hpp"

namespace podium::cli {
namespace {

struct EmitOptions {
  std::string spec;
  bool slurm = false;
  bool kubernetes = false;
  std::string output;
  std::string results;
  sweep::SlurmOptions slurm_options;
  sweep::KubernetesOptions kube_options;
};

// The spec as the image sees it: relative to the working directory, which the image's
// source tree mirrors.
std::string spec_in_image(const std::string& spec) {
  namespace fs = std::filesystem;
  const fs::path p = fs::path(spec).lexically_normal();
  const fs::path rel = p.is_relative() ? p : p.lexically_relative(fs::current_path());
  if (rel.empty() || *rel.begin() == "..")
    throw InputError(spec, "", "--kubernetes needs the spec inside the source tree (run from the checkout's root)");
  return rel.string();
}

void run_emit(EmitOptions opt) {
  namespace fs = std::filesystem;
  if (opt.slurm == opt.kubernetes) throw InputError("<command line>", "--slurm", "give exactly one of --slurm and --kubernetes");
  const auto spec = sweep::load_spec(opt.spec);
  auto write = [&](std::ostream& out) {
    try {
      if (opt.slurm) sweep::write_slurm_script(out, spec, opt.slurm_options);
      else sweep::write_kubernetes_job(out, spec, opt.kube_options);
    } catch (const std::invalid_argument& e) {
      throw InputError("<command line>", "--slurm", e.what());
    }
  };
  if (opt.slurm) {
    auto& s = opt.slurm_options;
    s.podium = sweep::self_executable();
    s.spec = fs::absolute(opt.spec).lexically_normal().string();
    s.workdir = fs::current_path().string();
    s.results = fs::absolute(results_dir(spec, opt.results)).lexically_normal().string();
    if (!s.results.empty() && s.results.back() == '/') s.results.pop_back();
    sweep::ensure_manifest(spec, s.results);
  } else {
    opt.kube_options.spec = spec_in_image(opt.spec);
  }
  if (opt.output.empty()) write(std::cout);
  else write_file_atomically(opt.output, write);
}

}  // namespace

void add_sweep_emit_command(CLI::App& sweep) {
  auto opt = std::make_shared<EmitOptions>();
  CLI::App* cmd = sweep.add_subcommand(
      "emit", "Write a Slurm job array script (--slurm) or a Kubernetes Indexed Job (--kubernetes) for a sweep");
  cmd->add_option("spec", opt->spec, "Sweep spec (YAML)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--slurm", opt->slurm, "An sbatch script: #SBATCH --array=0-(N-1), index from SLURM_ARRAY_TASK_ID");
  cmd->add_flag("--kubernetes", opt->kubernetes,
                "A batch/v1 Job: completionMode Indexed, index from JOB_COMPLETION_INDEX");
  cmd->add_option("--output,-o", opt->output, "Write here (atomically) instead of stdout");
  cmd->add_option("--results", opt->results, "Slurm: results directory (default: the spec's results)");
  cmd->add_option("--array-limit", opt->slurm_options.array_limit, "Slurm: most array tasks at once (%LIMIT; 0: no limit)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--cpus-per-task", opt->slurm_options.cpus_per_task, "Slurm: CPUs per array task")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--time", opt->slurm_options.time_limit, "Slurm: time limit per array task (e.g. 00:30:00)");
  cmd->add_option("--partition", opt->slurm_options.partition, "Slurm: partition");
  cmd->add_option("--image", opt->kube_options.image, "Kubernetes: container image (tools/sweep/Containerfile)")
      ->capture_default_str();
  cmd->add_option("--parallelism", opt->kube_options.parallelism, "Kubernetes: pods at once")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--claim", opt->kube_options.claim,
                  "Kubernetes: PersistentVolumeClaim for the results (default: emptyDir, results through the logs)");
  cmd->add_option("--cpu", opt->kube_options.cpu, "Kubernetes: CPU request and limit per pod")->capture_default_str();
  cmd->add_option("--memory", opt->kube_options.memory, "Kubernetes: memory request and limit per pod")
      ->capture_default_str();
  cmd->add_option("--workdir", opt->kube_options.workdir, "Kubernetes: the source tree in the image")
      ->capture_default_str();
  cmd->callback([opt] { run_emit(*opt); });
}

}  // namespace podium::cli
