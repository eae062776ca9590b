// `podium bench`: runs scheduler_perf-style workload files (bench/workloads/) and reports
// throughput, attempt latency, per-plugin time and placement quality as a table, JSON
// DataItems or CSV. The work is in bench/harness/; this file is options and plumbing.
//
// Exit status: 0 every selected run gave its expected answer (and met its threshold);
// 1 some run failed its check (the report is still written); 2 bad input (nothing
// written); 77 every selected run was skipped (its profile lacks a required plugin).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "harness/algorithms.hpp"
#include "harness/report.hpp"
#include "harness/runner.hpp"
#include "harness/workload.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"

namespace podium::cli {
namespace {

struct BenchOptions {
  std::string file;
  std::string workload;
  std::string label;
  std::vector<std::string> configs;
  std::vector<std::string> algorithms;
  int threads = 0;
  std::uint64_t seed = 1;
  std::string format = "table";
  std::string out;
  double window_seconds = 0.1;
  std::uint32_t timing_samples = 64;
  int repetitions = 1;
  bool no_progress = false;
  bool no_cache = false;
  bool no_preemption = false;
  std::uint32_t max_attempts = 0;  // 0: unlimited
  std::string parallel_mode = "sequential-equivalent";
  bool list = false;
};

// SIGINT / SIGTERM stop the bench after the run in progress; the finished runs are
// reported (JSON: "interrupted": true). A second signal takes its default course.
volatile sig_atomic_t g_interrupted = 0;

extern "C" void note_interrupt(int sig) { g_interrupted = sig; }

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = note_interrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool selected(const bench::Workload& w, const BenchOptions& opt) {
  if (!opt.workload.empty() && opt.workload != w.full_name() && opt.workload != w.test_case && opt.workload != w.name)
    return false;
  return bench::labels_match(w.labels, opt.label);
}

// A one-line bar on stderr, redrawn in place; only on a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void set_title(std::string title) { title_ = std::move(title); }
  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total == 0) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / total);
    std::fprintf(stderr, "\r[%s%s] %3d%% %s", std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 static_cast<int>(100 * done / total), title_.c_str());
    std::fflush(stderr);
  }
  void clear() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  std::string title_;
};

void write_report(std::ostream& out, const std::string& format, std::span<const bench::RunResult> runs,
                  bool interrupted) {
  if (format == "json") bench::write_json(out, runs, interrupted);
  else if (format == "csv") bench::write_csv(out, runs);
  else bench::write_table(out, runs);
}

void run_bench(const BenchOptions& opt) {
  // Everything that can be wrong with the input is found before the first run.
  const auto workloads = bench::load_workload_file(opt.file);
  std::vector<bench::Algorithm> algorithms;
  try {
    for (const auto& c : opt.configs) algorithms.push_back(bench::resolve_algorithm(c));
    for (const auto& a : opt.algorithms) algorithms.push_back(bench::resolve_algorithm(a));
  } catch (const std::invalid_argument& e) {
    throw InputError("<command line>", "--algorithm", e.what());
  }
  if (algorithms.empty()) algorithms.push_back(bench::resolve_algorithm("default"));
  for (std::size_t i = 0; i < algorithms.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (algorithms[i].name == algorithms[j].name) algorithms[i].name += "#" + std::to_string(i + 1);

  std::vector<const bench::Workload*> chosen;
  for (const auto& w : workloads)
    if (selected(w, opt)) chosen.push_back(&w);
  if (chosen.empty())
    throw InputError(opt.file, "", "no workload matches" + (opt.workload.empty() ? "" : " --workload " + opt.workload) +
                                       (opt.label.empty() ? "" : " --label " + opt.label));
  if (opt.list) {
    for (const auto* w : chosen) {
      std::cout << w->full_name() << "  labels:";
      for (const auto& l : w->labels) std::cout << " " << l;
      std::cout << "\n";
    }
    return;
  }

  bench::RunOptions ro;
  ro.seed = opt.seed;
  ro.threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  ro.window_seconds = opt.window_seconds;
  ro.timing_samples = opt.timing_samples;
  ro.equivalence_cache = !opt.no_cache;
  ro.preemption = !opt.no_preemption;
  ro.max_attempts = opt.max_attempts;
  ro.parallel_mode = opt.parallel_mode == "optimistic" ? scheduler::ParallelMode::kOptimistic
                                                       : scheduler::ParallelMode::kSequentialEquivalent;
  // Every selected workload is laid out once in miniature first, so a bad topologyKey in
  // the last test case is reported before the first one runs.
  for (const auto* w : chosen)
    for (const auto& algorithm : algorithms) bench::check_workload(*w, algorithm, ro);

  const bool show_progress = !opt.no_progress && isatty(STDERR_FILENO);
  ProgressBar bar(show_progress);
  // Only with a bar to draw: a progress callback makes the runner cut each createPods into
  // ~200 scheduling calls, and every call scans all pod records once
  // (scheduler::preemption_possible) — at 1.5 million pods, half of the run's CPU time.
  if (show_progress) ro.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };

  std::vector<bench::RunResult> runs;
  install_interrupt_handlers();
  for (const auto* w : chosen) {
    for (int rep = 0; rep < opt.repetitions && !g_interrupted; ++rep) {
      for (const auto& algorithm : algorithms) {
        if (g_interrupted) break;
        bar.set_title(w->full_name() + " [" + algorithm.name + "]");
        runs.push_back(bench::run_workload(*w, algorithm, ro));
        runs.back().repetition = rep;
        bar.clear();
        const auto& r = runs.back();
        std::cerr << (r.skipped ? "SKIP " : r.passed() ? "PASS " : "FAIL ") << w->full_name() << " [" << algorithm.name
                  << "]";
        if (r.skipped) std::cerr << ": " << r.skip_reason;
        else std::cerr << ": " << static_cast<long long>(r.throughput.average) << " pods/s";
        for (const auto& f : r.failures) std::cerr << "; " << f;
        std::cerr << "\n";
      }
    }
  }

  const int interrupted = g_interrupted;
  if (interrupted)
    std::cerr << "podium: interrupted (" << (interrupted == SIGINT ? "SIGINT" : "SIGTERM") << "): reporting the "
              << runs.size() << " finished run(s)\n";
  if (opt.out.empty()) {
    write_report(std::cout, opt.format, runs, interrupted != 0);
  } else {
    write_file_atomically(opt.out, [&](std::ostream& out) { write_report(out, opt.format, runs, interrupted != 0); });
  }
  if (interrupted) throw CommandExit{128 + interrupted};
  const bool all_skipped = std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r.skipped; });
  const bool any_failed = std::any_of(runs.begin(), runs.end(), [](const auto& r) { return !r.skipped && !r.passed(); });
  if (any_failed) throw CommandExit{1};
  if (all_skipped) throw CommandExit{77};
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto opt = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Run scheduler_perf-style workloads; throughput, latency, plugin time, placement quality");
  cmd->add_option("workload_file", opt->file, "Workload file (YAML), e.g. bench/workloads/scheduling_basic.yaml")
      ->required()
      ->check(input_file());
  cmd->add_option("--workload", opt->workload, "Only this workload: TestCase/Workload, a test case or a workload name");
  cmd->add_option("--label", opt->label,
                  "Label filter as scheduler_perf's: comma-separated labels that must all be present, -L: absent");
  cmd->add_option("--config", opt->configs, "KubeSchedulerConfiguration file; repeat to compare several")
      ->check(input_file());
  cmd->add_option("--algorithm", opt->algorithms,
                  "Comma-separated built-ins (default, MostAllocated, RequestedToCapacityRatio) or config files")
      ->delimiter(',');
  add_threads_option(*cmd, opt->threads);
  cmd->add_option("--seed", opt->seed, "Seed for node shapes and tie-breaks")->capture_default_str();
  cmd->add_option("--format", opt->format, "table, json (scheduler_perf DataItems) or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--out", opt->out, "Write the report here (atomically) instead of stdout");
  cmd->add_option("--throughput-window", opt->window_seconds, "SchedulingThroughput window in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--timing-samples", opt->timing_samples, "Pods replayed per run for time per plugin (0: skip)")
      ->capture_default_str();
  cmd->add_option("--repetitions", opt->repetitions,
                  "Run each workload and algorithm this many times (for tools/compare's U test)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--no-progress", opt->no_progress, "No progress bar (it only shows on a terminal anyway)");
  cmd->add_flag("--no-equivalence-cache", opt->no_cache, "Rescan every node for every pod (same placements)");
  cmd->add_flag("--no-preemption", opt->no_preemption,
                "DefaultPreemption off: pods no node accepts stay unschedulable (a baseline for preemption workloads)");
  cmd->add_option("--max-attempts", opt->max_attempts,
                  "Attempts per pod in the living queue (0: unlimited; retries follow deletions and binds "
                  "that could make a pod fit, docs/SEMANTICS.md)")
      ->capture_default_str();
  cmd->add_option("--parallel-mode", opt->parallel_mode,
                  "With --threads > 1: sequential-equivalent (placements identical to one thread) or optimistic "
                  "(Omega-style concurrent commits: NOT deterministic; reports its conflict rate)")
      ->check(CLI::IsMember({"sequential-equivalent", "optimistic"}))
      ->capture_default_str();
  cmd->add_flag("--list", opt->list, "List the selected workloads and exit");
  cmd->callback([opt] { run_bench(*opt); });
}

}  // namespace podium::cli
