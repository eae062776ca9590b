// `podium verify`: replays a placement list on a cluster and checks every placed pod with
// the hard rules of the profile's filters (engine/include/podium/verify/verify.hpp,
// docs/VERIFY.md). Exit 0: every rule holds; 1: violations, one line each; 2: bad input,
// including faults of the list itself (unknown pod or node, a pod listed twice or
// already bound).

#include <algorithm>
#include <iostream>
#include <memory>

#include "cluster_input.hpp"
#include "commands.hpp"
#include "json_writer.hpp"
#include "podium/common/input_file.hpp"
#include "podium/verify/verify.hpp"

namespace podium::cli {
namespace {

struct VerifyCommandOptions {
  std::string cluster;
  std::vector<std::string> pods;
  std::string placements;
  std::string config;
  std::string format = "text";
  bool lenient = false;
};

void print_json(const verify::VerifyReport& report) {
  std::cout << "{\"ok\":" << (report.ok() ? "true" : "false") << ",\"checked\":" << report.checked
            << ",\"unplaced\":" << report.unplaced;
  if (report.evicted > 0) std::cout << ",\"evicted\":" << report.evicted;
  if (report.deleted > 0) std::cout << ",\"deleted\":" << report.deleted;
  if (report.created > 0) std::cout << ",\"created\":" << report.created;
  std::cout << ",\"violations\":[";
  for (std::size_t i = 0; i < report.violations.size(); ++i) {
    const auto& v = report.violations[i];
    if (i) std::cout << ',';
    std::cout << "{\"pod\":";
    write_json_string(std::cout, v.pod);
    std::cout << ",\"node\":";
    write_json_string(std::cout, v.node);
    std::cout << ",\"rule\":";
    write_json_string(std::cout, v.rule);
    std::cout << ",\"detail\":";
    write_json_string(std::cout, v.detail);
    std::cout << '}';
  }
  std::cout << "]}\n";
}

void run_verify(const VerifyCommandOptions& opt) {
  // Standard input can be read once: at most one of the inputs may be `-`.
  auto stdin_inputs = std::count(opt.pods.begin(), opt.pods.end(), "-");
  for (const std::string* path : {&opt.cluster, &opt.placements, &opt.config}) stdin_inputs += (*path == "-");
  if (stdin_inputs > 1) throw InputError(kStdinName, "", "standard input can be given to one option only");
  const auto objects = load_objects(opt.cluster, opt.pods, opt.lenient);
  const auto config = load_config(opt.config);
  const auto placements = verify::load_placements_file(opt.placements);
  const auto report = verify::verify_placements(objects, placements, verify::options_from_config(config));
  if (!report.errors.empty()) {
    for (const auto& e : report.errors) std::cerr << "podium: error: " << e << "\n";
    throw CommandExit{2};
  }
  if (opt.format == "json") {
    print_json(report);
  } else if (report.ok()) {
    std::cout << "ok: " << report.checked << " placements checked, " << report.unplaced << " unplaced";
    if (report.evicted > 0) std::cout << ", " << report.evicted << " evicted";
    if (report.deleted > 0) std::cout << ", " << report.deleted << " deleted";
    if (report.created > 0) std::cout << ", " << report.created << " nodes created";
    std::cout << "\n";
  } else {
    for (const auto& v : report.violations) std::cout << verify::format_violation(v) << "\n";
    std::cout << report.violations.size() << " violation(s) in " << report.checked << " placements checked, "
              << report.unplaced << " unplaced\n";
  }
  if (!report.ok()) throw CommandExit{1};
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto opt = std::make_shared<VerifyCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check a placement list against the cluster: every placed pod, at its turn, obeys the filters' rules");
  cmd->add_option("--cluster", opt->cluster, "Cluster objects: kubectl JSON List / array / object, or YAML")
      ->required()
      ->check(input_file());
  cmd->add_option("--pods", opt->pods, "Extra files of pending pods (as given to podium schedule)")
      ->check(input_file());
  cmd->add_option("--placements", opt->placements,
                  "podium schedule's output, or a bare array of its entries (- reads standard input)")
      ->required()
      ->check(input_file());
  cmd->add_option("--config", opt->config, "KubeSchedulerConfiguration: which filters are enforced, and their args")
      ->check(input_file());
  cmd->add_option("--format", opt->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  add_lenient_option(*cmd, opt->lenient);
  cmd->callback([opt] { run_verify(*opt); });
}

}  // namespace podium::cli
