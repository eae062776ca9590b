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
#include "leave_to_exit.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/scheduler/scheduling_queue.hpp"
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
  std::uint32_t max_attempts = 1;  // 0: unlimited retries
  bool no_cache = false;
  std::string parallel_mode = "sequential-equivalent";
  std::string algorithm = "default";
  std::size_t window = 0;  // 0: the algorithm's default
  bool no_preemption = false;
  bool lenient = false;
  bool requeue_victims = false;
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
  ref.preemption = spec.default_preemption;  // postFilter: disabled: [DefaultPreemption] turns it off
  ref.min_candidate_nodes_percentage = config.default_preemption.min_candidate_nodes_percentage;
  ref.min_candidate_nodes_absolute = config.default_preemption.min_candidate_nodes_absolute;
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

void write_latencies(JsonWriter& w, const char* key, std::vector<std::uint64_t>& ns) {
  std::sort(ns.begin(), ns.end());
  w.key(key).begin_object();
  w.key("p50").value(percentile_us(ns, 0.50));
  w.key("p90").value(percentile_us(ns, 0.90));
  w.key("p99").value(percentile_us(ns, 0.99));
  w.key("max").value(ns.empty() ? 0.0 : static_cast<double>(ns.back()) / 1000.0);
  w.end_object();
}

// What the placements list shows: each pod's final attempt, in the order those attempts
// were made (the order of the binds, so `podium verify` can replay the list), how many
// attempts each made, and every eviction entry where it happened. An eviction ends a
// pod's incarnation: a victim placed earlier in the run keeps its placement entry before
// its eviction, and with --requeue-victims the recreated pod's final attempt follows it.
struct FinalPlacements {
  std::vector<const scheduler::Placement*> entries;
  std::vector<std::uint32_t> attempts;  // per entry: the incarnation's attempts (0 for an eviction)
  std::size_t decisions = 0;            // entries that are final attempts, not evictions
};

bool is_eviction(const scheduler::Placement& p) { return p.evicted_by != scheduler::kNoPod; }

FinalPlacements final_placements(const state::ClusterState& cluster, const scheduler::ScheduleResult& result) {
  constexpr std::size_t kNone = ~std::size_t{0};
  const auto& placements = result.placements;
  std::vector<std::size_t> open(cluster.pods.size(), kNone);  // the incarnation's latest attempt
  std::vector<std::uint32_t> count(cluster.pods.size(), 0);   // its attempts so far
  std::vector<std::uint32_t> kept(placements.size(), 0);      // attempts + 1 of a kept entry; 0: dropped
  auto close = [&](state::PodIndex pod) {
    if (open[pod] != kNone) kept[open[pod]] = count[pod] + 1;
    open[pod] = kNone;
    count[pod] = 0;
  };
  for (std::size_t i = 0; i < placements.size(); ++i) {
    const state::PodIndex pod = placements[i].pod;
    if (is_eviction(placements[i])) {
      close(pod);
      kept[i] = 1;
      continue;
    }
    open[pod] = i;
    ++count[pod];
  }
  for (state::PodIndex pod = 0; pod < cluster.pods.size(); ++pod) close(pod);
  FinalPlacements f;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    if (kept[i] == 0) continue;
    f.entries.push_back(&placements[i]);
    f.attempts.push_back(kept[i] - 1);
    f.decisions += is_eviction(placements[i]) ? 0 : 1;
  }
  return f;
}

void write_result(std::ostream& out, const state::ClusterState& cluster, const scheduler::ScheduleResult& result,
                  double load_seconds, int threads, const std::string& algorithm) {
  // Every attempt's latency; attempts that ran PostFilter (preemption) apart from the
  // others. A victim's eviction entry is not an attempt.
  std::vector<std::uint64_t> latencies, preemption_latencies;
  latencies.reserve(result.placements.size());
  std::size_t evicted = 0, attempts = 0;
  for (const auto& p : result.placements) {
    if (is_eviction(p)) {
      ++evicted;
      continue;
    }
    ++attempts;
    (p.preemption_ns > 0 ? preemption_latencies : latencies).push_back(p.latency_ns);
  }
  const FinalPlacements final = final_placements(cluster, result);
  std::size_t scheduled = 0, placed_on_retry = 0;
  for (std::size_t e = 0; e < final.entries.size(); ++e) {
    const auto* p = final.entries[e];
    if (is_eviction(*p)) continue;
    scheduled += p->node != state::kNoNode ? 1 : 0;
    placed_on_retry += p->node != state::kNoNode && final.attempts[e] > 1 ? 1 : 0;
  }

  JsonWriter w(out);
  w.begin_object().key("placements").begin_array();
  for (std::size_t e = 0; e < final.entries.size(); ++e) {
    const auto* p = final.entries[e];
    w.begin_object().key("pod").value(cluster.pods[p->pod].key).key("node");
    if (is_eviction(*p)) {
      w.null().key("evicted_by").value(cluster.pods[p->evicted_by].key).end_object();
      out.put('\n');
      continue;
    }
    if (p->node == state::kNoNode) {
      w.null().key("reason").value(p->reason);
    } else {
      w.value(cluster.nodes.names[p->node]);
      // GPU sharing: the devices the pod took at its bind (docs/FORMATS.md), which `podium
      // verify` checks; a pod evicted later in the run keeps them here (its eviction entry
      // frees them in verify's replay).
      if (const state::PodRecord& pod = cluster.pods[p->pod]; cluster.gpu && pod.uses_gpu_sharing()) {
        w.key("gpus").begin_array();
        for (int d = 0; d < gpushare::kMaxGpusPerNode; ++d)
          if (((pod.last_gpu_devices >> d) & 1U) != 0) w.value(d);
        w.end_array();
      }
      if (p->nominated) {
        w.key("nominated").value(true).key("victims").begin_array();
        for (const state::PodIndex v : p->victims) w.value(cluster.pods[v].key);
        w.end_array();
      }
    }
    w.key("attempts").value(static_cast<std::uint64_t>(final.attempts[e]));
    w.end_object();
    out.put('\n');
  }
  const double pods = static_cast<double>(final.decisions);
  w.end_array().key("metrics").begin_object();
  w.key("algorithm").value(algorithm);
  w.key("nodes").value(static_cast<std::uint64_t>(cluster.nodes.size));
  w.key("pods").value(static_cast<std::uint64_t>(final.decisions));
  w.key("scheduled").value(static_cast<std::uint64_t>(scheduled));
  w.key("unschedulable").value(static_cast<std::uint64_t>(final.decisions - scheduled));
  w.key("retries").value(static_cast<std::uint64_t>(attempts - final.decisions));
  w.key("placed_on_retry").value(static_cast<std::uint64_t>(placed_on_retry));
  w.key("threads").value(threads);
  w.key("speculated").value(result.speculated);
  w.key("speculation_corrected").value(result.speculation_corrected);
  w.key("partner_refreshes").value(result.partner_refreshes);
  w.key("commit_attempts").value(result.commit_attempts);
  w.key("conflicts").value(result.conflicts);
  if (!cluster.pod_groups.empty()) {
    w.key("gangs_placed").value(result.gangs_placed);
    w.key("gangs_rejected").value(result.gangs_rejected);
  }
  w.key("preemption_attempts").value(result.preemption_attempts);
  w.key("preemptions").value(result.preemptions);
  w.key("victims").value(static_cast<std::uint64_t>(evicted));

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
  // Pods decided per second (a retried pod counts once; its every attempt takes time).
  w.key("pods_per_second").value(result.schedule_seconds > 0 ? pods / result.schedule_seconds : 0.0);
  write_latencies(w, "latency_us", latencies);
  write_latencies(w, "preemption_latency_us", preemption_latencies);
  w.end_object().end_object();
  out << "\n";
}

void run_schedule(const ScheduleOptions& opt) {
  const auto load_start = std::chrono::steady_clock::now();
  auto objects = load_objects(opt.cluster, opt.pods, opt.lenient, opt.threads);
  state::ClusterState cluster = state::build_cluster_state(objects, {.threads = opt.threads});
  leave_to_exit(objects);  // not read again; freeing it is left to the exit (leave_to_exit.hpp)
  auto config = load_config(opt.config);
  const algorithms::Algorithm algorithm = resolve_algorithm(opt.algorithm, opt.window, config);
  if (opt.engine == "reference" && !algorithm.is_default() )
    throw InputError("<command line>", "--engine", "the reference engine runs kube's default choice only, not \"" +
                                                      opt.algorithm + "\"");
  if (opt.engine == "reference" && opt.max_attempts != 1)
    throw InputError("<command line>", "--max-attempts",
                     "the reference engine gives every pod one attempt (it has no scheduling queue)");
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
    so.preemption = scheduler::preemption_options(config.default_preemption, !opt.no_preemption);
    scheduler::SchedulingQueue queue(cluster.pods.size(),
                                     {.max_attempts = opt.max_attempts, .requeue_victims = opt.requeue_victims});
    result = scheduler::schedule_with_queue(cluster, profiles, so, queue);
  } else {
    auto ref = reference_options(config, opt.seed);
    ref.preemption = ref.preemption && !opt.no_preemption;
    ref.requeue_victims = opt.requeue_victims;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& placed : reference::reference_schedule(cluster, ref)) {
      const std::string& name = cluster.pods[placed.pod].scheduler_name;
      const std::string reason = placed.node != state::kNoNode ? ""
                                 : name != ref.scheduler_name  ? "no profile for schedulerName \"" + name + "\""
                                                               : "unschedulable";
      scheduler::Placement& p = result.placements.emplace_back();
      p.pod = placed.pod;
      p.node = placed.node;
      p.evicted_by = placed.evicted_by == reference::kNoPreemptor ? scheduler::kNoPod : placed.evicted_by;
      p.reason = p.evicted_by == scheduler::kNoPod ? reason : "";
      p.nominated = !placed.victims.empty();
      p.victims = placed.victims;
      result.preemptions += p.nominated ? 1 : 0;
      result.victims += p.victims.size();
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
  leave_to_exit(cluster);
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
  add_lenient_option(*cmd, opt->lenient);
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
  cmd->add_option("--max-attempts", opt->max_attempts,
                  "Attempts per pod: 1 (default) tries each pod once; N > 1 or 0 (unlimited) keeps a pod that "
                  "failed in the unschedulable pool and retries it when a bind could make it fit (pod affinity, "
                  "topology spread), after upstream's backoff (docs/SEMANTICS.md)")
      ->capture_default_str();
  cmd->add_flag("--no-equivalence-cache", opt->no_cache,
                "Rescan every node for every pod (same placements, slower; for comparison)");
  cmd->add_option("--parallel-mode", opt->parallel_mode,
                  "With --threads > 1: sequential-equivalent (placements identical to one thread) or optimistic "
                  "(Omega-style concurrent commits: faster, NOT deterministic)")
      ->check(CLI::IsMember({"sequential-equivalent", "optimistic"}))
      ->capture_default_str();
  cmd->add_flag("--no-preemption", opt->no_preemption,
                "Leave pods no node accepts unschedulable (DefaultPreemption off; it is on by default)");
  cmd->add_flag("--requeue-victims", opt->requeue_victims,
                "Put each preemption victim back in the queue as a fresh pending pod, as its controller would "
                "recreate it; its later placement follows its eviction entry (docs/SEMANTICS.md)");
  cmd->callback([opt] { run_schedule(*opt); });
}

}  // namespace podium::cli
