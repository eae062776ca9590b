// `podium score`: explains one scheduling decision node by node, in kube-scheduler's
// numbers: which filter rejected each node and why, each score plugin's normalized score
// (0-100, before its weight) and the weighted total. Under percentageOfNodesToScore it also
// says which feasible nodes the sampling walk scored (docs/FORMATS.md).

#include <fstream>
#include <iostream>

#include "cluster_input.hpp"
#include "commands.hpp"
#include "json_writer.hpp"
#include "podium/common/input_error.hpp"
#include "podium/framework/framework.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::cli {
namespace {

struct ScoreOptions {
  std::string cluster;
  std::string pod;
  std::string config;
  std::uint64_t seed = 1;
  bool lenient = false;
};

void write_explanation(std::ostream& out, const state::ClusterState& cluster, const state::PodRecord& pod,
                       const framework::Explanation& ex) {
  JsonWriter w(out);
  w.begin_object().key("pod").value(pod.key).key("nodes").begin_array();
  for (const auto& node : ex.nodes) {
    w.begin_object().key("name").value(cluster.nodes.names[node.node]);
    const bool feasible = node.status.ok();
    w.key("feasible").value(feasible);
    // Under node sampling only the sampled feasible nodes are scored.
    if (feasible && ex.nodes_to_find != 0) w.key("sampled").value(node.sampled);
    if (feasible && node.sampled) {
      w.key("scores").begin_object();
      for (std::size_t s = 0; s < ex.score_plugins.size(); ++s) w.key(ex.score_plugins[s]).value(node.scores[s]);
      w.end_object().key("total").value(node.total);
    } else if (!feasible) {
      w.key("plugin").value(node.status.plugin()).key("reason").value(node.status.message());
    }
    w.end_object();
  }
  w.end_array();
  if (ex.nodes_to_find != 0) {
    // percentageOfNodesToScore: the walk a fresh kube-scheduler makes for this pod.
    w.key("sampling").begin_object();
    w.key("nodesToFind").value(static_cast<std::int64_t>(ex.nodes_to_find));
    w.key("nodesExamined").value(static_cast<std::int64_t>(ex.decision.nodes_examined));
    w.key("nodesScored").value(static_cast<std::int64_t>(ex.decision.feasible_nodes));
    w.end_object();
  }
  w.key("selected");
  if (ex.decision.node == state::kNoNode) {
    w.null().key("reason").value(ex.decision.reason);
  } else {
    w.value(cluster.nodes.names[ex.decision.node]);
  }
  w.end_object();
  out << "\n";
}

void run_score(const ScoreOptions& opt) {
  FieldCheck field_check(opt.lenient);
  io::ClusterObjects pod_file;
  io::load_objects_file(opt.pod, pod_file, field_check.options());
  if (pod_file.pods.size() != 1)
    throw InputError(opt.pod, "", "expected exactly one Pod, found " + std::to_string(pod_file.pods.size()));
  io::PodObject target = pod_file.pods.front();
  // The pod is explained as a pending pod even if it names a node: that name then only
  // feeds the NodeName filter, as it would in a scheduling cycle.
  const std::string requested_node = target.node_name;
  target.node_name.clear();

  io::ClusterObjects objects;
  io::load_objects_file(opt.cluster, objects, field_check.options());
  field_check.print_warnings();
  objects.pods.push_back(std::move(target));
  io::validate_objects(objects);
  state::ClusterState cluster = state::build_cluster_state(objects);
  const state::PodIndex p = static_cast<state::PodIndex>(cluster.pods.size() - 1);
  cluster.pods[p].requested_node_name = requested_node;

  const auto profiles = build_profiles(load_config(opt.config), cluster, opt.config);
  const framework::Profile* profile = nullptr;
  for (const auto& candidate : profiles)
    if (candidate.scheduler_name == cluster.pods[p].scheduler_name) profile = &candidate;
  if (!profile)
    throw InputError(opt.pod, "spec.schedulerName",
                     "no profile for schedulerName \"" + cluster.pods[p].scheduler_name + "\"");

  framework::Framework fw(*profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, opt.seed));
  const auto explanation = fw.explain({cluster.pods[p], p}, cluster, 0);
  write_explanation(std::cout, cluster, cluster.pods[p], explanation);
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto opt = std::make_shared<ScoreOptions>();
  CLI::App* cmd = app.add_subcommand("score", "Explain one decision: every node's filter verdict and scores (JSON)");
  cmd->add_option("--cluster", opt->cluster, "Cluster objects: kubectl JSON List / array / object, or YAML")
      ->required()
      ->check(input_file());
  cmd->add_option("--pod", opt->pod, "File with the one Pod to score")->required()->check(input_file());
  cmd->add_option("--config", opt->config, "KubeSchedulerConfiguration (YAML or JSON)")->check(input_file());
  cmd->add_option("--seed", opt->seed, "Seed of the tie-break among equal best totals")->capture_default_str();
  add_lenient_option(*cmd, opt->lenient);
  cmd->callback([opt] { run_score(*opt); });
}

}  // namespace podium::cli
