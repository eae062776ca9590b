#include "harness/runner.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "harness/binder.hpp"
#include "harness/plugin_timing.hpp"
#include "harness/quality.hpp"
#include "harness/scenario.hpp"
#include "podium/common/input_error.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

double nearest_rank(std::vector<double> sorted_or_not, double q) {
  if (sorted_or_not.empty()) return 0;
  std::sort(sorted_or_not.begin(), sorted_or_not.end());
  const auto n = sorted_or_not.size();
  const auto rank = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(q * static_cast<double>(n))), 1, n);
  return sorted_or_not[rank - 1];
}

struct ChurnState {
  PodRange pool;
  std::uint32_t next = 0;  // next unused pod of the pool (absolute index)
  bool recreate = false;
  std::uint32_t number = 0;
  std::uint64_t interval = 0;
  std::uint64_t since_step = 0;  // measured-op decisions since the last step
  std::string namespace_;
  std::vector<state::PodIndex> last;  // the previous step's pods (recreate deletes them)
};

}  // namespace

std::vector<std::string> reason_phrases(const std::string& message) {
  const std::string marker = " are available: ";
  const auto at = message.find(marker);
  if (at == std::string::npos) return {message};
  std::string rest = message.substr(at + marker.size());
  if (!rest.empty() && rest.back() == '.') rest.pop_back();
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= rest.size()) {
    auto end = rest.find(", ", start);
    if (end == std::string::npos) end = rest.size();
    std::string part = rest.substr(start, end - start);
    // "3 Insufficient cpu" -> "Insufficient cpu"
    const auto space = part.find(' ');
    if (space != std::string::npos && space > 0 &&
        std::all_of(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(space), [](char c) { return c >= '0' && c <= '9'; }))
      part = part.substr(space + 1);
    if (!part.empty()) out.push_back(part);
    start = end + 2;
  }
  return out;
}

std::vector<double> window_rates(std::span<const std::pair<std::uint64_t, bool>> attempts, std::uint64_t window_ns) {
  std::vector<double> rates;
  if (attempts.empty() || window_ns == 0) return rates;
  std::uint64_t clock = 0, window_end = window_ns, in_window = 0;
  for (const auto& [ns, scheduled] : attempts) {
    clock += ns;
    // An attempt belongs to the window in which it finished.
    while (clock > window_end) {
      rates.push_back(static_cast<double>(in_window) * 1e9 / static_cast<double>(window_ns));
      in_window = 0;
      window_end += window_ns;
    }
    in_window += scheduled ? 1 : 0;
  }
  const std::uint64_t partial = clock - (window_end - window_ns);
  if (rates.empty() || partial * 2 >= window_ns)
    rates.push_back(partial > 0 ? static_cast<double>(in_window) * 1e9 / static_cast<double>(partial) : 0.0);
  return rates;
}

RunResult run_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options) {
  RunResult r;
  r.file = workload.file;
  r.test_case = workload.test_case;
  r.workload = workload.name;
  r.algorithm = algorithm.name;
  r.labels = workload.labels;
  r.seed = options.seed;
  r.threads = options.threads;
  r.expected_unschedulable = workload.expected_unschedulable;
  r.threshold = workload.threshold.value_or(0);

  const auto load_start = Clock::now();
  Scenario scenario = build_scenario(workload, options.seed);
  r.phases.load_seconds = seconds_since(load_start);

  const auto build_start = Clock::now();
  state::ClusterState cluster = state::build_cluster_state(scenario.objects);
  if (cluster.pods.size() != scenario.objects.pods.size())
    throw std::logic_error("the cluster builder dropped pods of a benchmark scenario");  // pods are never terminated here
  scenario.objects = {};  // the columns hold everything from here on
  std::vector<framework::Profile> profiles;
  for (std::size_t i = 0; i < algorithm.config.profiles.size(); ++i) {
    try {
      profiles.push_back(framework::build_profile(algorithm.config.profiles[i], cluster));
    } catch (const std::invalid_argument& e) {
      throw InputError(algorithm.source, "profiles[" + std::to_string(i) + "]", e.what());
    }
  }
  r.phases.build_seconds = seconds_since(build_start);
  r.nodes = cluster.nodes.size;

  for (const auto& plugin : workload.required_plugins) {
    bool found = false;
    for (const auto& profile : profiles)
      for (const auto& owned : profile.owned) found = found || owned->name() == plugin;
    if (!found) {
      r.skipped = true;
      r.skip_reason = "the profile has no " + plugin + " plugin (requiredPlugins)";
      return r;
    }
  }

  // Each op's queue is its own pods in PrioritySort order.
  const auto order = cluster.pending_in_queue_order();
  std::vector<std::uint32_t> rank(cluster.pods.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  auto queue_of = [&](PodRange range) {
    std::vector<state::PodIndex> q(range.size());
    for (std::uint32_t k = 0; k < range.size(); ++k) q[k] = range.begin + k;
    std::sort(q.begin(), q.end(), [&](auto a, auto b) { return rank[a] < rank[b]; });
    return q;
  };

  std::uint64_t to_attempt = 0;
  for (const auto& range : scenario.op_pods) to_attempt += range.size();
  std::uint64_t attempted = 0;
  const std::uint64_t progress_chunk = options.progress ? std::max<std::uint64_t>(1000, to_attempt / 200) : 0;

  Binder binder(cluster, profiles);
  // The scheduler's position across calls: the decision count (tie-break ring) and
  // nextStartNodeIndex (profiles that sample nodes), so cutting a step into calls — for
  // churn or the progress bar — places exactly as one call would.
  std::uint64_t decisions = 0;
  std::size_t next_start_node = 0;
  auto schedule = [&](std::span<const state::PodIndex> queue) {
    scheduler::SchedulerOptions so;
    so.seed = options.seed;
    so.threads = options.threads;
    so.equivalence_cache = options.equivalence_cache;
    so.first_decision = decisions;
    so.first_start_node_index = next_start_node;
    so.mode = options.parallel_mode;
    so.algorithm = algorithm.engine;
    auto result = scheduler::schedule_queue(cluster, profiles, queue, so);
    decisions += queue.size();
    next_start_node = result.next_start_node_index;
    attempted += queue.size();
    if (options.progress) options.progress(attempted, to_attempt);
    return result;
  };

  std::map<std::string, std::vector<state::PodIndex>> created_by_namespace;  // creation order
  std::vector<std::uint8_t> deleted(cluster.pods.size(), 0);
  std::vector<ChurnState> churns;
  auto churn_step = [&](ChurnState& c) {
    if (c.recreate) {
      for (const auto p : c.last) {
        if (!deleted[p]) {
          binder.unbind(p);
          deleted[p] = 1;
          ++r.deleted;
        }
      }
    }
    const auto count = std::min<std::uint32_t>(c.number, c.pool.end - c.next);
    const auto fresh = queue_of({c.next, c.next + count});
    c.next += count;
    auto& ns = created_by_namespace[c.namespace_];
    for (std::uint32_t k = 0; k < count; ++k) ns.push_back(c.next - count + k);
    for (const auto& placement : schedule(fresh).placements) r.churn_unschedulable += placement.node == state::kNoNode;
    c.last = fresh;
  };

  std::vector<state::PodIndex> measured;
  std::vector<std::pair<std::uint64_t, bool>> timeline;  // measured attempts in decision order
  const auto schedule_start = Clock::now();
  for (std::size_t i = 0; i < workload.ops.size(); ++i) {
    const Op& op = workload.ops[i];
    switch (op.code) {
      case OpCode::kCreatePods: {
        const auto queue = queue_of(scenario.op_pods[i]);
        auto& ns = created_by_namespace[op.namespace_];
        for (std::uint32_t p = scenario.op_pods[i].begin; p < scenario.op_pods[i].end; ++p) ns.push_back(p);
        std::size_t pos = 0;
        while (pos < queue.size()) {
          std::uint64_t chunk = queue.size() - pos;
          for (const auto& c : churns) chunk = std::min(chunk, c.interval - c.since_step);
          if (progress_chunk) chunk = std::min(chunk, progress_chunk);
          const auto result = schedule(std::span(queue).subspan(pos, chunk));
          for (const auto& placement : result.placements) {
            const bool placed = placement.node != state::kNoNode;
            if (!op.collect_metrics) {
              r.init_unschedulable += placed ? 0 : 1;
              continue;
            }
            measured.push_back(placement.pod);
            timeline.emplace_back(placement.latency_ns, placed);
            if (placed) {
              ++r.scheduled;
              r.latency_scheduled.record(placement.latency_ns);
            } else {
              ++r.unschedulable;
              r.latency_unschedulable.record(placement.latency_ns);
              for (const auto& phrase : reason_phrases(placement.reason)) ++r.unschedulable_reasons[phrase];
            }
          }
          if (op.collect_metrics) r.measured_seconds += result.schedule_seconds;
          r.commit_attempts += result.commit_attempts;
          r.conflicts += result.conflicts;
          pos += chunk;
          for (auto& c : churns) {
            c.since_step += chunk;
            if (c.since_step >= c.interval) {
              c.since_step = 0;
              churn_step(c);
            }
          }
        }
        break;
      }
      case OpCode::kDeletePods: {
        auto& ns = created_by_namespace[op.namespace_];
        std::int64_t left = op.count.value_or(static_cast<std::int64_t>(ns.size()));
        for (const auto p : ns) {
          if (left == 0) break;
          if (deleted[p]) continue;
          binder.unbind(p);
          deleted[p] = 1;
          ++r.deleted;
          --left;
        }
        break;
      }
      case OpCode::kChurn: {
        ChurnState c;
        c.pool = scenario.op_pods[i];
        c.next = c.pool.begin;
        c.recreate = op.churn_recreate;
        c.number = static_cast<std::uint32_t>(op.churn_number);
        c.interval = static_cast<std::uint64_t>(op.churn_interval_pods);
        c.namespace_ = op.namespace_;
        churns.push_back(std::move(c));
        churn_step(churns.back());
        break;
      }
      case OpCode::kCreateNodes:
      case OpCode::kBarrier:
      case OpCode::kSleep:
        break;
    }
  }
  r.phases.schedule_seconds = seconds_since(schedule_start);
  r.measured_pods = measured.size();

  auto& tp = r.throughput;
  tp.average = r.measured_seconds > 0 ? static_cast<double>(r.scheduled) / r.measured_seconds : 0.0;
  tp.window_seconds = options.window_seconds;
  tp.windows = window_rates(timeline, static_cast<std::uint64_t>(options.window_seconds * 1e9));
  tp.p50 = nearest_rank(tp.windows, 0.50);
  tp.p90 = nearest_rank(tp.windows, 0.90);
  tp.p95 = nearest_rank(tp.windows, 0.95);
  tp.p99 = nearest_rank(tp.windows, 0.99);

  const auto timing_start = Clock::now();
  if (options.timing_samples > 0 && !measured.empty()) {
    // Evenly spaced over the measured pods, so early (empty cluster) and late pods both count.
    const std::size_t n = std::min<std::size_t>(options.timing_samples, measured.size());
    std::vector<state::PodIndex> sample;
    for (std::size_t k = 0; k < n; ++k) sample.push_back(measured[k * measured.size() / n]);
    r.plugin_timings = time_plugins(cluster, profiles, binder, sample);
    r.timing_samples = n;
  }
  r.phases.timing_seconds = seconds_since(timing_start);

  r.quality = measure_quality(cluster, measured);
  r.phases.peak_rss_bytes = peak_rss_bytes();

  if (static_cast<std::int64_t>(r.unschedulable) != workload.expected_unschedulable)
    r.failures.push_back("expected " + std::to_string(workload.expected_unschedulable) + " unschedulable of " +
                         std::to_string(r.measured_pods) + " measured pods, got " + std::to_string(r.unschedulable));
  if (r.init_unschedulable > 0)
    r.failures.push_back(std::to_string(r.init_unschedulable) +
                         " pods of createPods steps without collectMetrics were not placed (they must all be)");
  if (workload.threshold && tp.average < *workload.threshold)
    r.failures.push_back("average throughput " + std::to_string(static_cast<long long>(tp.average)) +
                         " pods/s is below the threshold " + std::to_string(static_cast<long long>(*workload.threshold)));
  return r;
}

}  // namespace podium::bench
