// `podium plan`: capacity planning on the engine (planning/capacity_plan.hpp).
//
//   --node-template NODE.json: how many nodes shaped like NODE must be added to --cluster
//       (default: an empty cluster) so that every pod of --pods is placed?
//   no template: do the pods of --pods fit in --cluster as it is, and where?
//
// The files are parsed once; every probe builds its ClusterState from the parsed objects.
// Exit status: 0 answered (every pod placed), 1 no answer / some pod does not fit (the JSON
// is still written, saying why), 2 bad input.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "cluster_input.hpp"
#include "commands.hpp"
#include "json_writer.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/planning/capacity_plan.hpp"

namespace podium::cli {
namespace {

struct PlanOptions {
  std::vector<std::string> pods;
  std::string node_template;
  std::string cluster;
  std::string algorithm = "default";
  std::string config;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string output;
  std::size_t max_nodes = 1'000'000;
  bool lenient = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void require_file(const std::string& path, const char* option) {
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path, "", std::string("no such file (") + option + ")");
}

// The node template: exactly one Node, nothing else.
io::NodeObject load_template(const std::string& path, FieldCheck& field_check) {
  io::ClusterObjects t;
  io::load_objects_file(path, t, field_check.options());
  if (t.nodes.size() != 1)
    throw InputError(path, "", "a node template holds exactly one Node; found " + std::to_string(t.nodes.size()));
  if (!t.pods.empty())
    throw InputError(path, t.pods.front().source.path, "a node template holds exactly one Node; found a Pod too");
  return std::move(t.nodes.front());
}

// The snapshot, then the pods to plan for (Pods and what they refer to: Namespaces,
// PriorityClasses, Services, ...; never Nodes).
planning::PlanInput load_input(const PlanOptions& opt, FieldCheck& field_check) {
  planning::PlanInput in;
  if (!opt.cluster.empty()) io::load_objects_file(opt.cluster, in.objects, field_check.options());
  in.first_plan_pod = in.objects.pods.size();
  for (const auto& path : opt.pods) {
    io::ClusterObjects extra;
    io::load_objects_file(path, extra, field_check.options());
    if (!extra.nodes.empty())
      throw InputError(path, extra.nodes.front().source.path,
                       "--pods holds Node objects (\"" + extra.nodes.front().name +
                           "\"): nodes belong in --cluster (the snapshot) or --node-template");
    auto append = [](auto& to, auto& from) { std::move(from.begin(), from.end(), std::back_inserter(to)); };
    append(in.objects.pods, extra.pods);
    append(in.objects.namespaces, extra.namespaces);
    append(in.objects.priority_classes, extra.priority_classes);
    append(in.objects.selector_owners, extra.selector_owners);
  }
  return in;
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void write_unplaced(JsonWriter& w, const std::vector<planning::Unplaceable>& pods) {
  w.key("unplaced").begin_array();
  for (const auto& u : pods) w.begin_object().key("pod").value(u.pod).key("reason").value(u.reason).end_object();
  w.end_array();
}

// The reasons, a few of them, for the readable summary.
void print_unplaced(std::ostream& out, const std::vector<planning::Unplaceable>& pods) {
  constexpr std::size_t kShown = 10;
  for (std::size_t i = 0; i < pods.size() && i < kShown; ++i) out << "  " << pods[i].pod << ": " << pods[i].reason << "\n";
  if (pods.size() > kShown) out << "  ... and " << pods.size() - kShown << " more (all in the JSON)\n";
}

// Writes the JSON to --output (then the summary to stdout) or to stdout (then the summary
// to stderr, so stdout stays one JSON document).
void emit(const PlanOptions& opt, const std::function<void(std::ostream&)>& json, const std::string& summary) {
  if (opt.output.empty()) {
    json(std::cout);
    std::cerr << summary;
  } else {
    write_file_atomically(opt.output, json);
    std::cout << summary;
  }
}

void run_fit(const PlanOptions& opt, planning::Planner& planner, double load_seconds) {
  planning::ProbeRun run = planner.probe(0);
  std::vector<planning::Unplaceable> unplaced;
  for (const auto& p : run.result.placements)
    if (p.node == state::kNoNode && planner.is_plan_pod(p.pod)) unplaced.push_back({run.cluster->pods[p.pod].key, p.reason});
  const bool fits = unplaced.empty();
  auto json = [&](std::ostream& out) {
    JsonWriter w(out);
    w.begin_object().key("fits").value(fits).key("algorithm").value(opt.algorithm);
    w.key("pods").value(static_cast<std::uint64_t>(run.plan_pods));
    w.key("placed").value(static_cast<std::uint64_t>(run.placed));
    w.key("snapshot_nodes").value(static_cast<std::uint64_t>(planner.snapshot_nodes()));
    w.key("snapshot_pending").value(static_cast<std::uint64_t>(run.snapshot_pending));
    w.key("snapshot_pending_placed").value(static_cast<std::uint64_t>(run.snapshot_pending_placed));
    write_unplaced(w, unplaced);
    w.key("placements").begin_array();
    for (const auto& p : run.result.placements) {
      w.begin_object().key("pod").value(run.cluster->pods[p.pod].key).key("node");
      if (p.node == state::kNoNode) w.null().key("reason").value(p.reason);
      else w.value(run.cluster->nodes.names[p.node]);
      if (!planner.is_plan_pod(p.pod)) w.key("snapshot").value(true);
      w.end_object();
      out.put('\n');
    }
    w.end_array();
    w.key("load_seconds").value(load_seconds).key("seconds").value(run.seconds);
    w.end_object();
    out << "\n";
  };
  std::ostringstream summary;
  summary << (fits ? "fits: " : "does not fit: ") << run.placed << " of " << count_text(run.plan_pods, "pod", "pods")
          << " placed on the " << count_text(planner.snapshot_nodes(), "node", "nodes") << " of " << opt.cluster << " ("
          << opt.algorithm << ")";
  if (run.snapshot_pending > 0)
    summary << "; " << run.snapshot_pending_placed << " of the snapshot's " << run.snapshot_pending
            << " pending pods placed too";
  summary << "\n";
  print_unplaced(summary, unplaced);
  emit(opt, json, summary.str());
  if (!fits) throw CommandExit{1};
}

const char* outcome_name(planning::PlanOutcome o) {
  switch (o) {
    case planning::PlanOutcome::kFound: return "found";
    case planning::PlanOutcome::kNeverFits: return "never-fits";
    case planning::PlanOutcome::kCapReached: return "cap-reached";
    case planning::PlanOutcome::kStalled: return "stalled";
  }
  return "";
}

void run_search(const PlanOptions& opt, planning::Planner& planner, const std::string& template_name,
                double load_seconds) {
  const auto start = std::chrono::steady_clock::now();
  const planning::PlanResult r = planning::plan(planner, {.max_nodes = opt.max_nodes});
  const double seconds = seconds_since(start);
  const bool found = r.outcome == planning::PlanOutcome::kFound;
  const char* basis = planner.snapshot_nodes() > 0 ? "template and snapshot free room" : "template";
  auto json = [&](std::ostream& out) {
    JsonWriter w(out);
    w.begin_object().key("nodes_added");
    if (found) w.value(static_cast<std::uint64_t>(r.nodes_added));
    else w.null();
    w.key("outcome").value(outcome_name(r.outcome));
    w.key("algorithm").value(opt.algorithm).key("template").value(template_name);
    w.key("pods").value(static_cast<std::uint64_t>(r.pods)).key("placed").value(static_cast<std::uint64_t>(r.placed));
    w.key("snapshot_nodes").value(static_cast<std::uint64_t>(planner.snapshot_nodes()));
    w.key("snapshot_pending").value(static_cast<std::uint64_t>(r.snapshot_pending));
    w.key("snapshot_pending_placed").value(static_cast<std::uint64_t>(r.snapshot_pending_placed));
    w.key("lower_bound").value(static_cast<std::uint64_t>(r.lower_bound.nodes));
    w.key("lower_bound_resource").value(r.lower_bound.resource);
    w.key("lower_bound_basis").value(basis);
    w.key("probes").begin_array();
    for (const auto& p : r.probes) {
      w.begin_object().key("nodes_added").value(static_cast<std::uint64_t>(p.nodes_added));
      w.key("placed").value(static_cast<std::uint64_t>(p.placed)).key("seconds").value(p.seconds).end_object();
    }
    w.end_array();
    if (!found) write_unplaced(w, r.unplaced);
    w.key("max_nodes").value(static_cast<std::uint64_t>(opt.max_nodes));
    w.key("load_seconds").value(load_seconds).key("seconds").value(seconds);
    w.end_object();
    out << "\n";
  };

  std::ostringstream s;
  const std::string shaped = "nodes shaped like " + template_name + " (" + opt.node_template + ")";
  switch (r.outcome) {
    case planning::PlanOutcome::kFound:
      s << "add " << r.nodes_added << " " << shaped << ": all " << count_text(r.pods, "pod", "pods") << " placed by "
        << opt.algorithm;
      break;
    case planning::PlanOutcome::kNeverFits:
      s << "no answer: " << count_text(r.unplaced.size(), "pod fits", "pods fit") << " no empty node shaped like "
        << template_name << " (" << opt.node_template << "), and there is no snapshot to take them";
      break;
    case planning::PlanOutcome::kCapReached:
      s << "no answer: with " << r.nodes_added << " (--max-nodes) " << shaped << ", " << r.pods - r.placed << " of "
        << count_text(r.pods, "pod", "pods") << " are still unplaced";
      if (r.lower_bound.nodes > opt.max_nodes)
        s << " (the lower bound, " << r.lower_bound.nodes << ", is above --max-nodes)";
      break;
    case planning::PlanOutcome::kStalled:
      s << "no answer: adding nodes stopped placing more pods; with " << r.nodes_added << " " << shaped << ", "
        << r.pods - r.placed << " of " << count_text(r.pods, "pod", "pods")
        << " are unplaced (the template cannot take them, or a constraint such as topology spread or pod "
           "affinity keeps them off its nodes)";
      break;
  }
  s << "\n";
  if (r.outcome != planning::PlanOutcome::kNeverFits) {
    s << "lower bound " << r.lower_bound.nodes;
    if (!r.lower_bound.resource.empty()) s << " (" << r.lower_bound.resource << ")";
    s << " from resource sums over the " << basis << "; " << count_text(r.probes.size(), "probe", "probes") << ":";
    for (const auto& p : r.probes) s << " " << p.nodes_added << (p.placed == r.pods ? "+" : "-");
    s << " (+ all placed, - not); " << seconds << " s, loading " << load_seconds << " s\n";
    if (r.snapshot_pending > 0)
      s << r.snapshot_pending_placed << " of the snapshot's " << r.snapshot_pending << " pending pods placed as well\n";
  }
  if (!found) print_unplaced(s, r.unplaced);
  emit(opt, json, s.str());
  if (!found) throw CommandExit{1};
}

void run_plan(const PlanOptions& opt) {
  const auto load_start = std::chrono::steady_clock::now();
  if (opt.node_template.empty() && opt.cluster.empty())
    throw InputError("<command line>", "--cluster",
                     "without --node-template, `podium plan` asks whether --pods fit in --cluster: give one");
  for (const auto& p : opt.pods) require_file(p, "--pods");
  if (!opt.cluster.empty()) require_file(opt.cluster, "--cluster");
  if (!opt.node_template.empty()) require_file(opt.node_template, "--node-template");
  if (!opt.config.empty()) require_file(opt.config, "--config");

  FieldCheck field_check(opt.lenient, opt.threads);
  planning::PlanInput in = load_input(opt, field_check);
  if (!opt.node_template.empty()) in.node_template = load_template(opt.node_template, field_check);
  field_check.print_warnings();
  in.config = load_config(opt.config);
  in.options.algorithm = resolve_algorithm(opt.algorithm, 0, in.config);
  in.options.seed = opt.seed;
  in.options.preemption = scheduler::preemption_options(in.config.default_preemption);
  in.options.threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const std::string config_path = opt.config;
  in.make_profiles = [config_path](const config::SchedulerConfiguration& config, const state::ClusterState& cluster) {
    return build_profiles(config, cluster, config_path);
  };
  const std::string template_name = in.node_template ? in.node_template->name : "";
  planning::Planner planner(std::move(in));
  const double load_seconds = seconds_since(load_start);
  if (opt.node_template.empty()) run_fit(opt, planner, load_seconds);
  else run_search(opt, planner, template_name, load_seconds);
}

}  // namespace

void add_plan_command(CLI::App& app) {
  auto opt = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan",
      "Capacity planning: how many nodes shaped like --node-template must be added to --cluster (default: empty) "
      "so that every pod of --pods is placed? Without a template: do the pods fit in --cluster, and where?");
  cmd->footer(
      "Each probe is a full schedule on the engine (the files are parsed once). The search probes the "
      "resource-sum lower bound first, grows until every pod is placed, then bisects. More nodes does not "
      "place more pods for every algorithm (first-fit need not be monotone), so the answer is the smallest "
      "count the search found: it was probed and placed every pod, and every count below the lower bound "
      "provably fails. Pods of --pods must be pending (spec.nodeName is an error: such pods bypass the "
      "scheduler); pending pods of --cluster are scheduled too and compete for room, but need not all be "
      "placed. Added nodes are named <template>-plan-<i>. Exit 0: answered; 1: no answer or the pods do not "
      "fit (the JSON says why); 2: bad input.");
  cmd->add_option("--pods", opt->pods, "Pods to place (pending), one or more files")->required();
  cmd->add_option("--node-template", opt->node_template, "One Node: the shape of the nodes to add");
  cmd->add_option("--cluster", opt->cluster, "The cluster as it is (nodes, bound and pending pods); default: empty");
  cmd->add_option("--algorithm", opt->algorithm,
                  "How a node is chosen among the feasible ones: NAME or NAME:knob=value (`podium algorithms`)")
      ->capture_default_str();
  cmd->add_option("--config", opt->config, "KubeSchedulerConfiguration (YAML or JSON)");
  cmd->add_option("--seed", opt->seed, "Seed of the tie-break among equal best totals")->capture_default_str();
  add_lenient_option(*cmd, opt->lenient);
  cmd->add_option("--threads", opt->threads, "Worker threads per probe (0: every core)")->capture_default_str();
  cmd->add_option("--output", opt->output, "Write the JSON here (atomically); the summary then goes to stdout");
  cmd->add_option("--max-nodes", opt->max_nodes, "Give up when this many added nodes still leave pods unplaced")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([opt] { run_plan(*opt); });
}

}  // namespace podium::cli
