// `podium sweep merge DIR --out results.json [--csv results.csv]`: one DataItems table of a
// results directory (sweep/merge.hpp); `podium sweep collect LOG... --results DIR`: task
// files out of collected logs (sweep/log_transport.hpp).
//
// merge exits 0 when every task finished, 1 when some are missing or failed (the table is
// still written, and says which), 2 on bad input.

#include <fstream>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "podium/common/atomic_file.hpp"
#include "sweep/commands.hpp"
#include "sweep/log_transport.hpp"
#include "sweep/merge.hpp"

namespace podium::cli {
namespace {

struct MergeOptions {
  std::string dir;
  std::string out;
  std::string csv;
};

std::string list(const std::vector<std::size_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < 20; ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return v.size() > 20 ? s + ",..." : s;
}

void run_merge(const MergeOptions& opt) {
  std::ostringstream json, csv;
  const auto summary = sweep::merge_results(opt.dir, json, opt.csv.empty() ? nullptr : &csv);
  if (opt.out.empty()) std::cout << json.str();
  else write_file_atomically(opt.out, [&](std::ostream& o) { o << json.str(); });
  if (!opt.csv.empty()) write_file_atomically(opt.csv, [&](std::ostream& o) { o << csv.str(); });
  std::cerr << "podium sweep merge: " << summary.merged << " of " << summary.tasks << " task output(s) merged";
  if (!summary.missing.empty()) std::cerr << "; missing " << summary.missing.size() << ": " << list(summary.missing);
  if (!summary.failed.empty()) std::cerr << "; failed " << summary.failed.size() << ": " << list(summary.failed);
  if (!summary.skipped.empty()) std::cerr << "; skipped " << summary.skipped.size() << ": " << list(summary.skipped);
  std::cerr << "\n";
  if (!summary.missing.empty() || !summary.failed.empty()) throw CommandExit{1};
}

struct CollectOptions {
  std::vector<std::string> logs;
  std::string results;
};

}  // namespace

void add_sweep_merge_command(CLI::App& sweep) {
  auto opt = std::make_shared<MergeOptions>();
  CLI::App* cmd = sweep.add_subcommand(
      "merge", "Merge a sweep's results directory into one table (DataItems JSON, CSV); report missing/failed tasks");
  cmd->add_option("dir", opt->dir, "Results directory (holds sweep.json)")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--out", opt->out, "Write the JSON here (atomically) instead of stdout");
  cmd->add_option("--csv", opt->csv, "Also write the table as CSV here");
  cmd->callback([opt] { run_merge(*opt); });
}

void add_sweep_collect_command(CLI::App& sweep) {
  auto opt = std::make_shared<CollectOptions>();
  CLI::App* cmd = sweep.add_subcommand(
      "collect", "Unpack task files from collected logs (`sweep task --print-results`) into a results directory");
  cmd->add_option("logs", opt->logs, "Log files (e.g. kubectl logs of every pod)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--results", opt->results, "Results directory to fill")->required();
  cmd->callback([opt] {
    const auto n = sweep::collect_logs(opt->logs, opt->results);
    std::cerr << "podium sweep collect: " << n << " file(s) written to " << opt->results << "\n";
  });
}

}  // namespace podium::cli
