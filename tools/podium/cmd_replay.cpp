// `podium replay`: the FGD paper's experiments on the openb trace (docs/REPRODUCTIONS.md).
// Nodes and pods come from the trace's CSVs; every (pod list, algorithm, seed) run is one
// independent replay on a fresh copy of the cluster, run in parallel across --threads and
// reported in a fixed order, so the output does not depend on the thread count. Each run's
// placements are re-checked by gpushare::verify_placements (exit 1 on a violation).

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "json_writer.hpp"
#include "openb/openb_csv.hpp"
#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "podium/gpushare/replay.hpp"

namespace podium::cli {
namespace {

namespace openb = datasets::openb;

struct ReplayCliOptions {
  std::string nodes;
  std::vector<std::string> pods;
  std::vector<std::string> algorithms{"fgd"};
  std::uint64_t seed = 1;
  std::string seeds;
  double until = 1.3;
  bool in_order = false;
  std::string mode = "arrivals";
  std::string output;
  bool placements = false;
  int threads = 0;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// "3", "1-10", "1,4,7" or a mix: "1-3,9".
std::vector<std::uint64_t> parse_seeds(const std::string& text) {
  std::vector<std::uint64_t> seeds;
  for (const std::string& part : split_commas(text)) {
    try {
      std::size_t used = 0;
      const auto dash = part.find('-');
      const std::uint64_t lo = std::stoull(part.substr(0, dash), &used);
      if (used != (dash == std::string::npos ? part.size() : dash)) throw std::invalid_argument(part);
      std::uint64_t hi = lo;
      if (dash != std::string::npos) {
        hi = std::stoull(part.substr(dash + 1), &used);
        if (used != part.size() - dash - 1) throw std::invalid_argument(part);
      }
      if (hi < lo || hi - lo >= 100000) throw std::invalid_argument(part);
      for (std::uint64_t s = lo; s <= hi; ++s) seeds.push_back(s);
    } catch (const std::exception&) {
      throw CLI::ValidationError("--seeds", "'" + part + "' is not a seed, a range A-B (A <= B) or a comma list");
    }
  }
  if (seeds.empty()) throw CLI::ValidationError("--seeds", "no seed given");
  return seeds;
}

struct Run {
  std::size_t list = 0;
  std::string algorithm;
  std::uint64_t seed = 0;
  gpushare::ReplayResult arrivals;
  gpushare::EventReplayResult events;
  std::optional<std::string> violation;
};

// The paper's "unallocated GPU" at an arrival level: 100 x (1 - allocated share) at the
// first curve point whose arrived demand reached that level (NaN if never reached).
double percent_unallocated_at(const gpushare::ReplayResult& r, double arrived) {
  for (const auto& p : r.curve)
    if (p.arrived_ratio >= arrived - 1e-12) return 100.0 * (1.0 - p.allocated_ratio);
  return std::nan("");
}

void write_curve(JsonWriter& w, const std::vector<gpushare::CurvePoint>& curve) {
  w.key("curve").begin_array();
  for (const auto& p : curve)
    w.begin_object()
        .key("arrived_ratio").value(p.arrived_ratio)
        .key("allocated_ratio").value(p.allocated_ratio)
        .key("fragmented_gpu_milli").value(p.fragmented_gpu_milli)
        .end_object();
  w.end_array();
}

void write_placements(JsonWriter& w, const std::vector<gpushare::ReplayPlacement>& placements,
                      const openb::PodList& list, const gpushare::GpuCluster& cluster) {
  w.key("placements").begin_array();
  for (const auto& p : placements) {
    w.begin_object().key("pod").value(list.names[p.pod]).key("node");
    if (p.node == gpushare::kNoNode) {
      w.null();
    } else {
      w.value(cluster.name(p.node)).key("devices").begin_array();
      for (int d = 0; d < gpushare::kMaxGpusPerNode; ++d)
        if (((p.devices >> d) & 1U) != 0) w.value(d);
      w.end_array().key("gpu_milli").value(static_cast<std::int64_t>(p.gpu_milli));
    }
    w.end_object();
  }
  w.end_array();
}

// The mean over seeds of one (pod list, algorithm): counts, ratios, timings and the curve
// point by point (points every run has).
void write_arrivals_group(JsonWriter& w, const std::vector<const Run*>& runs, const ReplayCliOptions& opt,
                          const openb::PodList& list, const gpushare::GpuCluster& cluster) {
  const auto n = static_cast<double>(runs.size());
  double placed = 0, failed = 0, alloc = 0, arrived = 0, frag = 0, seconds = 0, at100 = 0;
  std::size_t points = runs.front()->arrivals.curve.size();
  for (const Run* r : runs) {
    placed += static_cast<double>(r->arrivals.pods_placed);
    failed += static_cast<double>(r->arrivals.pods_failed);
    alloc += r->arrivals.gpu_allocation_ratio;
    arrived += r->arrivals.arrived_ratio;
    frag += r->arrivals.fragmented_gpu_milli;
    seconds += r->arrivals.seconds;
    at100 += percent_unallocated_at(r->arrivals, 1.0);
    points = std::min(points, r->arrivals.curve.size());
  }
  std::vector<gpushare::CurvePoint> mean(points);
  for (std::size_t i = 0; i < points; ++i) {
    for (const Run* r : runs) {
      mean[i].arrived_ratio += r->arrivals.curve[i].arrived_ratio / n;
      mean[i].allocated_ratio += r->arrivals.curve[i].allocated_ratio / n;
      mean[i].fragmented_gpu_milli += r->arrivals.curve[i].fragmented_gpu_milli / n;
    }
  }
  w.key("algorithm").value(runs.front()->algorithm);
  w.key("pods_file").value(opt.pods[runs.front()->list]);
  w.key("seeds").begin_array();
  for (const Run* r : runs) w.value(r->seed);
  w.end_array();
  w.key("pods_placed").value(placed / n).key("pods_failed").value(failed / n);
  w.key("gpu_allocation_ratio").value(alloc / n).key("arrived_ratio").value(arrived / n);
  w.key("unallocated_percent_at_100").value(at100 / n);
  w.key("unallocated_percent_at_end").value(100.0 * (1.0 - alloc / n));
  w.key("fragmented_gpu_milli").value(frag / n);
  w.key("seconds_mean").value(seconds / n);
  write_curve(w, mean);
  w.key("runs").begin_array();
  for (const Run* r : runs) {
    w.begin_object().key("seed").value(r->seed);
    w.key("pods_placed").value(r->arrivals.pods_placed).key("pods_failed").value(r->arrivals.pods_failed);
    w.key("gpu_allocation_ratio").value(r->arrivals.gpu_allocation_ratio);
    w.key("arrived_ratio").value(r->arrivals.arrived_ratio);
    w.key("fragmented_gpu_milli").value(r->arrivals.fragmented_gpu_milli);
    w.key("seconds").value(r->arrivals.seconds);
    if (runs.size() > 1) write_curve(w, r->arrivals.curve);
    if (opt.placements) write_placements(w, r->arrivals.placements, list, cluster);
    w.end_object();
  }
  w.end_array();
}

void write_events_run(JsonWriter& w, const Run& r, const ReplayCliOptions& opt, const openb::PodList& list,
                      const gpushare::GpuCluster& cluster) {
  const auto& e = r.events;
  w.key("algorithm").value(r.algorithm).key("pods_file").value(opt.pods[r.list]).key("seed").value(r.seed);
  w.key("pods_placed").value(e.pods_placed).key("pods_failed").value(e.pods_failed);
  w.key("gpu_allocation_ratio").value(e.peak_allocated_ratio);
  w.key("seconds").value(e.seconds);
  w.key("timeline").begin_array();
  for (const auto& p : e.timeline)
    w.begin_object()
        .key("time").value(p.time)
        .key("allocated_ratio").value(p.allocated_ratio)
        .key("fragmented_gpu_milli").value(p.fragmented_gpu_milli)
        .key("pods_running").value(p.pods_running)
        .end_object();
  w.end_array();
  if (opt.placements) write_placements(w, e.placements, list, cluster);
}

void run_replay(const ReplayCliOptions& opt) {
  const auto start = std::chrono::steady_clock::now();
  if (!(opt.until > 0) || !std::isfinite(opt.until))
    throw CLI::ValidationError("--until", "must be a positive number");
  if (opt.mode != "arrivals" && opt.mode != "events")
    throw CLI::ValidationError("--mode", "'" + opt.mode + "' is not arrivals or events");
  gpushare::GpuCluster cluster = openb::load_nodes(opt.nodes);
  if (cluster.gpu_capacity_milli() == 0) throw InputError(opt.nodes, "", "no node has a GPU");
  std::vector<openb::PodList> lists;
  for (const auto& path : opt.pods) {
    lists.push_back(openb::load_pods(path, cluster));
    if (lists.back().pods.empty()) throw InputError(path, "", "no pod rows");
    if (opt.mode == "events" && !lists.back().has_times)
      throw InputError(path, "", "--mode events needs creation_time and deletion_time (an 11-column pod list)");
  }
  const std::vector<std::string>& algorithms = opt.algorithms;
  if (algorithms.empty()) throw CLI::ValidationError("--algorithm", "no algorithm given");
  for (const auto& a : algorithms) {
    bool known = false;
    for (const auto& name : gpushare::policy_names()) known = known || name == a;
    if (!known) {
      std::string all;
      for (const auto& name : gpushare::policy_names()) all += (all.empty() ? "" : ", ") + name;
      throw CLI::ValidationError("--algorithm", "unknown algorithm '" + a + "' (known: " + all + ")");
    }
  }
  const std::vector<std::uint64_t> seeds = opt.seeds.empty() ? std::vector<std::uint64_t>{opt.seed} : parse_seeds(opt.seeds);
  std::vector<std::vector<gpushare::TypicalPod>> typical;
  for (const auto& list : lists) typical.push_back(gpushare::typical_pods(list.pods, list.specs));
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<Run> runs;
  for (std::size_t l = 0; l < lists.size(); ++l)
    for (const auto& a : algorithms)
      for (const auto s : seeds) runs.push_back(Run{l, a, s, {}, {}, std::nullopt});
  const auto run_start = std::chrono::steady_clock::now();
  {
    std::optional<tbb::global_control> limit;
    if (opt.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(opt.threads));
    tbb::parallel_for(std::size_t{0}, runs.size(), [&](std::size_t i) {
      Run& r = runs[i];
      const auto& list = lists[r.list];
      if (opt.mode == "events") {
        r.events = gpushare::replay_events(cluster, list.pods, list.times, typical[r.list], r.algorithm, r.seed);
        return;
      }
      gpushare::ReplayOptions options;
      options.seed = r.seed;
      options.until = opt.until;
      options.in_order = opt.in_order;
      r.arrivals = gpushare::replay_arrivals(cluster, list.pods, typical[r.list], r.algorithm, options);
      r.violation = gpushare::verify_placements(cluster, list.pods, r.arrivals.placements);
    });
  }
  const double run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();

  // Groups: one per (pod list, algorithm), seeds inside, in command-line order.
  std::vector<std::vector<const Run*>> groups;
  for (std::size_t i = 0; i < runs.size(); i += seeds.size()) {
    groups.emplace_back();
    for (std::size_t k = 0; k < seeds.size(); ++k) groups.back().push_back(&runs[i + k]);
  }
  auto json = [&](std::ostream& out) {
    JsonWriter w(out);
    w.begin_object().key("nodes_file").value(opt.nodes);
    w.key("nodes").value(static_cast<std::uint64_t>(cluster.size()));
    w.key("gpu_capacity_milli").value(cluster.gpu_capacity_milli());
    w.key("mode").value(opt.mode).key("until").value(opt.until).key("in_order").value(opt.in_order);
    w.key("load_seconds").value(load_seconds).key("replay_wall_seconds").value(run_seconds);
    w.key("results").begin_array();
    for (const auto& g : groups) {
      if (opt.mode == "events") {
        for (const Run* r : g) {
          w.begin_object();
          write_events_run(w, *r, opt, lists[r->list], cluster);
          w.end_object();
        }
      } else {
        w.begin_object();
        write_arrivals_group(w, g, opt, lists[g.front()->list], cluster);
        w.end_object();
      }
      out.put('\n');
    }
    w.end_array().end_object();
    out << "\n";
  };
  std::ostringstream summary;
  summary << std::fixed << std::setprecision(2);
  for (const auto& g : groups) {
    const Run& r = *g.front();
    double alloc = 0, at100 = 0, seconds = 0;
    for (const Run* x : g) {
      alloc += opt.mode == "events" ? x->events.peak_allocated_ratio : x->arrivals.gpu_allocation_ratio;
      at100 += opt.mode == "events" ? 0 : percent_unallocated_at(x->arrivals, 1.0);
      seconds += opt.mode == "events" ? x->events.seconds : x->arrivals.seconds;
    }
    const auto n = static_cast<double>(g.size());
    summary << opt.pods[r.list] << "  " << r.algorithm << "  seeds=" << g.size();
    if (opt.mode == "events")
      summary << "  peak GPU allocated " << 100 * alloc / n << "%";
    else
    {
      summary << "  GPU allocated " << 100 * alloc / n << "%  unallocated@100% ";
      if (std::isfinite(at100)) summary << at100 / n << "%";
      else summary << "n/a (arrivals stop below 100%)";
      summary << "  @end " << 100 * (1 - alloc / n) << "%";
    }
    summary << "  replay " << std::setprecision(3) << seconds / n << " s" << std::setprecision(2) << "\n";
  }
  summary << "replay wall time " << std::setprecision(3) << run_seconds << " s for " << runs.size() << " runs\n";
  if (opt.output.empty()) {
    json(std::cout);
    std::cerr << summary.str();
  } else {
    write_file_atomically(opt.output, json);
    std::cout << summary.str();
  }
  for (const Run& r : runs)
    if (r.violation) {
      std::cerr << "podium replay: placement check failed for " << r.algorithm << " seed " << r.seed << ": "
                << *r.violation << "\n";
      throw CommandExit{1};
    }
}

}  // namespace

void add_replay_command(CLI::App& app) {
  auto opt = std::make_shared<ReplayCliOptions>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Replay an openb GPU trace (the FGD paper's experiment): pods arrive until their GPU demand reaches --until x "
      "the cluster's GPU capacity, or (--mode events) arrive and leave at their trace times");
  cmd->add_option("--nodes", opt->nodes, "Node list CSV (sn,cpu_milli,memory_mib,gpu,model)")
      ->required()->check(CLI::ExistingFile);
  cmd->add_option("--pods", opt->pods,
                  "Pod list CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,qos,pod_phase,creation_time,"
                  "deletion_time,scheduled_time]); repeat or comma-separate for several lists")
      ->required()->check(CLI::ExistingFile)->delimiter(',');
  cmd->add_option("--algorithm", opt->algorithms,
                  "Policies, comma-separated: fgd, best-fit, dot-product, gpu-packing, gpu-clustering, random, default")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Seed of the pod sampler and the tie rule")->capture_default_str();
  cmd->add_option("--seeds", opt->seeds, "Several seeds, e.g. 1-10 or 1,3,5 (overrides --seed); results are means");
  cmd->add_option("--until", opt->until, "Stop arrivals when GPU demand would pass this multiple of GPU capacity")
      ->capture_default_str();
  cmd->add_flag("--in-order", opt->in_order, "Arrive in file order instead of a seeded shuffle (extra pods still drawn)");
  cmd->add_option("--mode", opt->mode, "arrivals (the paper's experiment) or events (creation/deletion times)")
      ->capture_default_str();
  cmd->add_flag("--placements", opt->placements, "Include every run's placements (pod, node, devices) in the JSON");
  add_threads_option(*cmd, opt->threads);
  cmd->add_option("--out,--output", opt->output, "Write the JSON here (atomically) instead of standard output");
  cmd->callback([opt] { run_replay(*opt); });
}

}  // namespace podium::cli
