// `podium generate`: a synthetic cluster as a kubectl-style JSON List, optionally with
// scheduler_perf-like scheduling constraints on chosen shares of nodes, pods or app groups
// (datasets/generator/constraints.hpp; flags in docs/FORMATS.md).

#include <iostream>

#include "commands.hpp"
#include "generator/synthetic_cluster.hpp"
#include "podium/common/atomic_file.hpp"

namespace podium::cli {
namespace {

// Shares are exact: round(share x count) nodes, pods or app groups (100 groups: pod i has
// label app=app-<i % 100>).
void add_constraint_options(CLI::App& cmd, datasets::ConstraintOptions& c) {
  const auto share = CLI::Range(0.0, 1.0);
  const char* group = "Scheduling constraints (scheduler_perf shapes)";
  auto add = [&](const char* flag, auto& field, const char* help) {
    return cmd.add_option(flag, field, help)->capture_default_str()->group(group);
  };
  add("--taint-nodes", c.taint_nodes, "Share of nodes tainted dedicated=special")->check(share);
  add("--taint-effect", c.taint_effect, "Effect of that taint")->check(CLI::IsMember({"NoSchedule", "PreferNoSchedule"}));
  add("--tolerate-pods", c.tolerate_pods, "Share of pods tolerating dedicated=special (same effect)")->check(share);
  add("--label-nodes", c.label_nodes, "Share of nodes labeled podium.io/pool=special")->check(share);
  add("--node-affinity-pods", c.node_affinity_pods, "Share of pods asking for podium.io/pool=special")->check(share);
  add("--node-affinity", c.node_affinity,
      "How they ask: required / preferred (weight 50) node affinity, or a nodeSelector")
      ->check(CLI::IsMember({"required", "preferred", "selector"}));
  add("--spread-groups", c.spread_groups, "Share of app groups with a topologySpreadConstraint on their group")
      ->check(share);
  add("--spread-topology", c.spread_topology, "Its topologyKey: topology.kubernetes.io/zone or kubernetes.io/hostname")
      ->check(CLI::IsMember({"zone", "hostname"}));
  add("--spread-when", c.spread_when, "Its whenUnsatisfiable")->check(CLI::IsMember({"DoNotSchedule", "ScheduleAnyway"}));
  add("--spread-max-skew", c.spread_max_skew, "Its maxSkew")->check(CLI::PositiveNumber);
  add("--anti-affinity-groups", c.anti_affinity_groups,
      "Share of app groups with required pod anti-affinity (kubernetes.io/hostname) to their group")
      ->check(share);
  add("--pod-affinity-groups", c.pod_affinity_groups,
      "Share of app groups with preferred pod affinity (topology.kubernetes.io/zone, weight 1) to their group")
      ->check(share);
}

}  // namespace

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
  add_constraint_options(*cmd, opt->constraints);
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
