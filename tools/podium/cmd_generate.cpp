// `podium generate`: a synthetic cluster as a kubectl-style JSON List.

#include <iostream>

#include "commands.hpp"
#include "generator/synthetic_cluster.hpp"
#include "podium/common/atomic_file.hpp"

namespace podium::cli {

void add_generate_command(CLI::App& app) {
  auto opt = std::make_shared<datasets::GeneratorOptions>();
  auto output = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("generate", "Write a synthetic cluster (nodes + pending pods) as a JSON List");
  cmd->add_option("--nodes", opt->nodes, "Number of nodes")->capture_default_str();
  cmd->add_option("--pods", opt->pods, "Number of pending pods")->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  cmd->add_option("--pod-shapes", opt->pod_shapes, "Distinct pod request shapes (1-64)")->capture_default_str();
  cmd->add_flag("--distinct-requests", opt->distinct_requests, "Give every pod its own cpu/memory request");
  cmd->add_option("--gpu-fraction", opt->gpu_fraction, "Share of nodes with 8 nvidia.com/gpu")->capture_default_str();
  cmd->add_option("--output", *output, "Write here (atomically) instead of stdout");
  cmd->callback([opt, output] {
    const auto objects = datasets::generate_cluster(*opt);
    if (output->empty()) {
      datasets::write_kube_list_json(objects, std::cout);
    } else {
      write_file_atomically(*output, [&](std::ostream& out) { datasets::write_kube_list_json(objects, out); });
    }
  });
}

}  // namespace podium::cli
