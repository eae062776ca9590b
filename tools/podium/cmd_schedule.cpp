// `podium schedule`: places every pending pod in queue order, each decision seeing the
// previous ones, and reports placements plus timing metrics as JSON.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <cmath>
#include <sstream>
#include <thread>

#include "cluster_input.hpp"
#include "commands.hpp"
#include "json_writer.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::cli {
namespace {

struct ScheduleOptions {
  std::string cluster;
  std::vector<std::string> pods;
  std::string config;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all cores
  std::string output;
  std::string engine = "engine";
  bool no_cache = false;
  std::string parallel_mode = "sequential-equivalent";
  std::string algorithm = "default";
  std::size_t window = 0;  // 0: the algorithm's default
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Nearest-rank percentile of already sorted samples.
double percentile_us(const std::vector<std::uint64_t>& sorted_ns, double q) {
  if (sorted_ns.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted_ns.size())));
  return static_cast<double>(sorted_ns[std::clamp<std::size_t>(rank, 1, sorted_ns.size()) - 1]) / 1000.0;
}

// The reference loop implements the same plugins as the engine; it takes their args,
// filters and weights from the first profile so `--engine reference` and the engine agree
// on a config.
reference::ReferenceOptions reference_options(const config::SchedulerConfiguration& config, std::uint64_t seed) {
  namespace nr = plugins::noderesources;
  namespace na = plugins::nodeaffinity;
  reference::ReferenceOptions ref;
  ref.seed = seed;
  const auto& spec = config.profiles.front();
  ref.scheduler_name = spec.scheduler_name;
  ref.percentage_of_nodes_to_score = spec.percentage_of_nodes_to_score;
  if (auto it = spec.args.find("NodeResourcesFit"); it != spec.args.end()) ref.fit = std::any_cast<nr::FitArgs>(it->second);
  if (auto it = spec.args.find("NodeResourcesBalancedAllocation"); it != spec.args.end())
    ref.balanced = std::any_cast<nr::BalancedAllocationArgs>(it->second);
  if (auto it = spec.args.find("NodeAffinity"); it != spec.args.end())
    ref.node_affinity = std::any_cast<na::NodeAffinityArgs>(it->second);
  if (auto it = spec.args.find("PodTopologySpread"); it != spec.args.end())
    ref.pod_topology_spread = std::any_cast<plugins::podtopologyspread::PodTopologySpreadArgs>(it->second);
  if (auto it = spec.args.find("InterPodAffinity"); it != spec.args.end())
    ref.inter_pod_affinity = std::any_cast<plugins::interpodaffinity::InterPodAffinityArgs>(it->second);
  auto has_filter = [&](const char* name) {
    return std::find(spec.filters.begin(), spec.filters.end(), name) != spec.filters.end();
  };
  for (const char* always : {"NodeUnschedulable", "NodeName", "NodeResourcesFit"})
    if (!has_filter(always)) throw std::invalid_argument(std::string("--engine reference always runs the ") + always + " filter");
  ref.taint_toleration_filter = has_filter("TaintToleration");
  ref.node_affinity_filter = has_filter("NodeAffinity");
  ref.node_ports_filter = has_filter("NodePorts");
  ref.pod_topology_spread_filter = has_filter("PodTopologySpread");
  ref.inter_pod_affinity_filter = has_filter("InterPodAffinity");
  ref.taint_toleration_weight = ref.node_affinity_weight = ref.fit_weight = ref.balanced_weight =
      ref.image_locality_weight = ref.pod_topology_spread_weight = ref.inter_pod_affinity_weight = 0;
  for (const auto& [name, weight] : spec.scores) {
    if (name == "TaintToleration") ref.taint_toleration_weight = weight;
    else if (name == "NodeAffinity") ref.node_affinity_weight = weight;
    else if (name == "NodeResourcesFit") ref.fit_weight = weight;
    else if (name == "NodeResourcesBalancedAllocation") ref.balanced_weight = weight;
    else if (name == "ImageLocality") ref.image_locality_weight = weight;
    else if (name == "PodTopologySpread") ref.pod_topology_spread_weight = weight;
    else if (name == "InterPodAffinity") ref.inter_pod_affinity_weight = weight;
    else throw std::invalid_argument("--engine reference does not implement the score plugin " + name);
  }
  return ref;
}

void write_result(std::ostream& out, const state::ClusterState& cluster, const scheduler::ScheduleResult& result,
                  double load_seconds, int threads, const std::string& algorithm) {
  std::vector<std::uint64_t> latencies;
  latencies.reserve(result.placements.size());
  std::size_t scheduled = 0;
  for (const auto& p : result.placements) {
    latencies.push_back(p.latency_ns);
    scheduled += p.node != state::kNoNode ? 1 : 0;
  }
  std::sort(latencies.begin(), latencies.end());

  JsonWriter w(out);
  w.begin_object().key("placements").begin_array();
  for (const auto& p : result.placements) {
    w.begin_object().key("pod").value(cluster.pods[p.pod].key).key("node");
    if (p.node == state::kNoNode) {
      w.null().key("reason").value(p.reason);
    } else {
      w.value(cluster.nodes.names[p.node]);
      // GPU sharing: the devices the pod took (docs/FORMATS.md), which `podium verify` checks.
      if (const state::PodRecord& pod = cluster.pods[p.pod]; cluster.gpu && pod.uses_gpu_sharing()) {
        w.key("gpus").begin_array();
        for (int d = 0; d < gpushare::kMaxGpusPerNode; ++d)
          if (((pod.gpu_devices >> d) & 1U) != 0) w.value(d);
        w.end_array();
      }
    }
    w.end_object();
    out.put('\n');
  }
  const double pods = static_cast<double>(result.placements.size());
  w.end_array().key("metrics").begin_object();
  w.key("algorithm").value(algorithm);
  w.key("nodes").value(static_cast<std::uint64_t>(cluster.nodes.size));
  w.key("pods").value(static_cast<std::uint64_t>(result.placements.size()));
  w.key("scheduled").value(static_cast<std::uint64_t>(scheduled));
  w.key("unschedulable").value(static_cast<std::uint64_t>(result.placements.size() - scheduled));
  w.key("threads").value(threads);
  w.key("speculated").value(result.speculated);
  w.key("speculation_corrected").value(result.speculation_corrected);
  w.key("commit_attempts").value(result.commit_attempts);
  w.key("conflicts").value(result.conflicts);
  if (!cluster.pod_groups.empty()) {
    w.key("gangs_placed").value(result.gangs_placed);
    w.key("gangs_rejected").value(result.gangs_rejected);
  }
  if (result.window_stats.windows > 0) {
    const auto& ws = result.window_stats;
    w.key("window").begin_object();
    w.key("windows").value(ws.windows);
    w.key("window_pods").value(ws.window_pods);
    w.key("proposed").value(ws.proposed);
    w.key("graph_nodes").value(ws.graph_nodes);
    w.key("graph_arcs").value(ws.graph_arcs);
    w.key("solve_seconds").value(ws.solve_seconds);
    w.key("fell_back").value(ws.fell_back);
    w.key("proposal_rejected").value(ws.proposal_rejected);
    w.end_object();
  }
  w.key("load_seconds").value(load_seconds);
  w.key("schedule_seconds").value(result.schedule_seconds);
  w.key("pods_per_second").value(result.schedule_seconds > 0 ? pods / result.schedule_seconds : 0.0);
  w.key("latency_us").begin_object();
  w.key("p50").value(percentile_us(latencies, 0.50));
  w.key("p90").value(percentile_us(latencies, 0.90));
  w.key("p99").value(percentile_us(latencies, 0.99));
  w.key("max").value(latencies.empty() ? 0.0 : static_cast<double>(latencies.back()) / 1000.0);
  w.end_object().end_object().end_object();
  out << "\n";
}

void run_schedule(const ScheduleOptions& opt) {
  const auto load_start = std::chrono::steady_clock::now();
  const auto objects = load_objects(opt.cluster, opt.pods);
  state::ClusterState cluster = state::build_cluster_state(objects);
  auto config = load_config(opt.config);
  const algorithms::Algorithm algorithm = resolve_algorithm(opt.algorithm, opt.window, config);
  if (opt.engine == "reference" && !algorithm.is_default() )
    throw InputError("<command line>", "--engine", "the reference engine runs kube's default choice only, not \"" +
                                                      opt.algorithm + "\"");
  if (opt.engine == "reference" && !cluster.pod_groups.empty())
    throw InputError("<command line>", "--engine",
                     "the reference engine does not implement pod groups (PodGroup objects in the input)");
  if (opt.engine == "reference" && cluster.gpu)
    throw InputError("<command line>", "--engine",
                     "the reference engine does not implement GPU sharing (alibabacloud.com/gpu-* in the input)");
  const auto profiles = build_profiles(config, cluster, opt.config);
  const double load_seconds = seconds_since(load_start);

  const int threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  scheduler::ScheduleResult result;
  if (opt.engine == "engine") {
    scheduler::SchedulerOptions so;
    so.seed = opt.seed;
    so.threads = threads;
    so.equivalence_cache = !opt.no_cache;
    so.mode = opt.parallel_mode == "optimistic" ? scheduler::ParallelMode::kOptimistic
                                                : scheduler::ParallelMode::kSequentialEquivalent;
    so.algorithm = algorithm;
    result = scheduler::schedule_pending(cluster, profiles, so);
  } else {
    const auto ref = reference_options(config, opt.seed);
    const auto start = std::chrono::steady_clock::now();
    for (const auto& placed : reference::reference_schedule(cluster, ref)) {
      const std::string& name = cluster.pods[placed.pod].scheduler_name;
      const std::string reason = placed.node != state::kNoNode ? ""
                                 : name != ref.scheduler_name  ? "no profile for schedulerName \"" + name + "\""
                                                               : "unschedulable";
      result.placements.push_back({placed.pod, placed.node, reason, 0});
    }
    result.schedule_seconds = seconds_since(start);
  }
  const int reported_threads = opt.engine == "engine" ? threads : 1;
  if (opt.output.empty()) {
    write_result(std::cout, cluster, result, load_seconds, reported_threads, opt.algorithm);
  } else {
    write_file_atomically(opt.output, [&](std::ostream& out) {
      write_result(out, cluster, result, load_seconds, reported_threads, opt.algorithm);
    });
  }
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto opt = std::make_shared<ScheduleOptions>();
  CLI::App* cmd = app.add_subcommand("schedule", "Place every pending pod in queue order; placements + metrics (JSON)");
  cmd->add_option("--cluster", opt->cluster, "Cluster objects: kubectl JSON List / array / object, or YAML")
      ->required()
      ->check(input_file());
  cmd->add_option("--pods", opt->pods, "Extra files of pending pods")->check(input_file());
  cmd->add_option("--config", opt->config, "KubeSchedulerConfiguration (YAML or JSON)")->check(input_file());
  cmd->add_option("--seed", opt->seed, "Seed of the tie-break among equal best totals")->capture_default_str();
  add_threads_option(*cmd, opt->threads);
  cmd->add_option("--output", opt->output, "Write the JSON here (atomically) instead of stdout");
  cmd->add_option("--engine", opt->engine, "engine (default) or reference (the single-threaded oracle)")
      ->check(CLI::IsMember({"engine", "reference"}))
      ->capture_default_str();
  cmd->add_option("--algorithm", opt->algorithm,
                  "How a node is chosen among the feasible ones: NAME or NAME:knob=value[:knob=value] "
                  "(`podium algorithms` lists them)")
      ->capture_default_str();
  cmd->add_option("--window", opt->window, "Pods per window for batch algorithms (flow); default: the algorithm's");
  cmd->add_flag("--no-equivalence-cache", opt->no_cache,
                "Rescan every node for every pod (same placements, slower; for comparison)");
  cmd->add_option("--parallel-mode", opt->parallel_mode,
                  "With --threads > 1: sequential-equivalent (placements identical to one thread) or optimistic "
                  "(Omega-style concurrent commits: faster, NOT deterministic)")
      ->check(CLI::IsMember({"sequential-equivalent", "optimistic"}))
      ->capture_default_str();
  cmd->callback([opt] { run_schedule(*opt); });
}

}  // namespace podium::cli
