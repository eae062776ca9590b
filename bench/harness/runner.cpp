#include "harness/runner.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

namespace {

// Everything the operations of one run share (scheduler_perf's per-workload executor
// state): the cluster and its profiles, the scheduler's position across calls, the pods
// created per namespace and those deleted, the running churns, and what is measured.
// One run, one thread.
struct RunContext {
  RunContext(const RunOptions& o, const Scenario& s, state::ClusterState& c, std::vector<framework::Profile>& p,
             const algorithms::Algorithm& a, RunResult& result)
      : options(o), scenario(s), cluster(c), profiles(p), algorithm(a), r(result), binder(c, p),
        deleted(c.pods.size(), 0) {
    // Each op's queue is its own pods in PrioritySort order.
    const auto order = cluster.pending_in_queue_order();
    rank.resize(cluster.pods.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    for (const auto& range : scenario.op_pods) to_attempt += range.size();
    progress_chunk = options.progress ? std::max<std::uint64_t>(1000, to_attempt / 200) : 0;
  }

  const RunOptions& options;
  const Scenario& scenario;
  state::ClusterState& cluster;
  std::vector<framework::Profile>& profiles;
  const algorithms::Algorithm& algorithm;  // how nodes are chosen
  RunResult& r;
  Binder binder;

  std::vector<std::uint32_t> rank;  // position of each pod in PrioritySort order
  std::uint64_t to_attempt = 0;
  std::uint64_t attempted = 0;
  std::uint64_t progress_chunk = 0;
  // The scheduler's position across calls: the decision count (tie-break ring) and
  // nextStartNodeIndex (profiles that sample nodes), so cutting a step into calls — for
  // churn or the progress bar — places exactly as one call would.
  std::uint64_t decisions = 0;
  std::size_t next_start_node = 0;

  std::map<std::string, std::vector<state::PodIndex>> created_by_namespace;  // creation order
  std::vector<std::uint8_t> deleted;
  std::vector<ChurnState> churns;

  std::vector<state::PodIndex> measured;
  std::vector<std::pair<std::uint64_t, bool>> timeline;  // measured attempts in decision order

  std::vector<state::PodIndex> queue_of(PodRange range) const {
    std::vector<state::PodIndex> q(range.size());
    for (std::uint32_t k = 0; k < range.size(); ++k) q[k] = range.begin + k;
    std::sort(q.begin(), q.end(), [&](auto a, auto b) { return rank[a] < rank[b]; });
    return q;
  }

  scheduler::ScheduleResult schedule(std::span<const state::PodIndex> queue) {
    scheduler::SchedulerOptions so;
    so.seed = options.seed;
    so.threads = options.threads;
    so.equivalence_cache = options.equivalence_cache;
    so.first_decision = decisions;
    so.first_start_node_index = next_start_node;
    so.mode = options.parallel_mode;
    so.algorithm = algorithm;
    auto result = scheduler::schedule_queue(cluster, profiles, queue, so);
    if (options.record_events)
      for (const auto& placement : result.placements)
        r.events.push_back({RunEvent::Kind::kAttempt, placement.pod,
                            placement.node == state::kNoNode ? -1 : static_cast<std::int32_t>(placement.node)});
    decisions += queue.size();
    next_start_node = result.next_start_node_index;
    attempted += queue.size();
    if (options.progress) options.progress(attempted, to_attempt);
    return result;
  }

  void unbind(state::PodIndex p) {
    if (options.record_events && cluster.pods[p].bound_node != state::kNoNode)
      r.events.push_back({RunEvent::Kind::kDelete, p, -1});
    binder.unbind(p);
    deleted[p] = 1;
    ++r.deleted;
  }

  // One churn step: (recreate) delete the previous step's pods, then create and schedule
  // the next `number` pods of the pool.
  void churn_step(ChurnState& c) {
    if (c.recreate)
      for (const auto p : c.last)
        if (!deleted[p]) unbind(p);
    const auto count = std::min<std::uint32_t>(c.number, c.pool.end - c.next);
    const auto fresh = queue_of({c.next, c.next + count});
    c.next += count;
    auto& ns = created_by_namespace[c.namespace_];
    for (std::uint32_t k = 0; k < count; ++k) ns.push_back(c.next - count + k);
    for (const auto& placement : schedule(fresh).placements) r.churn_unschedulable += placement.node == state::kNoNode;
    c.last = fresh;
  }
};

// One function per opcode (scheduler_perf's runOp per operation type). `index` is the op's
// position in the workload (scenario.op_pods[index] holds its pods).
using OpExecutor = void (*)(RunContext& ctx, const Op& op, std::size_t index);

// createNodes: its nodes are in the cluster from the start (the scenario lays them out);
// barrier and sleep: every op is synchronous and there is no simulated clock.
void run_nothing(RunContext&, const Op&, std::size_t) {}

// createPods: its pods in PrioritySort order, in calls cut at churn steps and progress
// reports; measured when collectMetrics is set.
void run_create_pods(RunContext& ctx, const Op& op, std::size_t index) {
  RunResult& r = ctx.r;
  const PodRange pods = ctx.scenario.op_pods[index];
  const auto queue = ctx.queue_of(pods);
  auto& ns = ctx.created_by_namespace[op.namespace_];
  for (std::uint32_t p = pods.begin; p < pods.end; ++p) ns.push_back(p);
  std::size_t pos = 0;
  while (pos < queue.size()) {
    std::uint64_t chunk = queue.size() - pos;
    for (const auto& c : ctx.churns) chunk = std::min(chunk, c.interval - c.since_step);
    if (ctx.progress_chunk) chunk = std::min(chunk, ctx.progress_chunk);
    const auto result = ctx.schedule(std::span(queue).subspan(pos, chunk));
    for (const auto& placement : result.placements) {
      const bool placed = placement.node != state::kNoNode;
      if (!op.collect_metrics) {
        r.init_unschedulable += placed ? 0 : 1;
        continue;
      }
      ctx.measured.push_back(placement.pod);
      ctx.timeline.emplace_back(placement.latency_ns, placed);
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
    for (auto& c : ctx.churns) {
      c.since_step += chunk;
      if (c.since_step >= c.interval) {
        c.since_step = 0;
        ctx.churn_step(c);
      }
    }
  }
}

// deletePods: `count` (default: all) pods of a namespace, oldest first, skipping deleted ones.
void run_delete_pods(RunContext& ctx, const Op& op, std::size_t) {
  const auto& ns = ctx.created_by_namespace[op.namespace_];
  std::int64_t left = op.count.value_or(static_cast<std::int64_t>(ns.size()));
  for (const auto p : ns) {
    if (left == 0) break;
    if (ctx.deleted[p]) continue;
    ctx.unbind(p);
    --left;
  }
}

// churn: one step now, then one every intervalPods decisions of later createPods.
void run_churn(RunContext& ctx, const Op& op, std::size_t index) {
  ChurnState c;
  c.pool = ctx.scenario.op_pods[index];
  c.next = c.pool.begin;
  c.recreate = op.churn_recreate;
  c.number = static_cast<std::uint32_t>(op.churn_number);
  c.interval = static_cast<std::uint64_t>(op.churn_interval_pods);
  c.namespace_ = op.namespace_;
  ctx.churns.push_back(std::move(c));
  ctx.churn_step(ctx.churns.back());
}

struct OpEntry {
  OpCode code;
  OpExecutor run;
};
// Indexed by OpCode.
constexpr OpEntry kExecutors[] = {
    {OpCode::kCreateNodes, run_nothing}, {OpCode::kCreatePods, run_create_pods}, {OpCode::kDeletePods, run_delete_pods},
    {OpCode::kChurn, run_churn},         {OpCode::kBarrier, run_nothing},        {OpCode::kSleep, run_nothing},
};
constexpr bool indexed_by_opcode() {
  for (std::size_t i = 0; i < std::size(kExecutors); ++i)
    if (static_cast<std::size_t>(kExecutors[i].code) != i) return false;
  return std::size(kExecutors) == static_cast<std::size_t>(OpCode::kSleep) + 1;
}
static_assert(indexed_by_opcode(), "kExecutors must hold one entry per OpCode, in OpCode order");

OpExecutor executor_of(OpCode code) { return kExecutors[static_cast<std::size_t>(code)].run; }

// The result's identity: what ran, with which inputs and expectations.
RunResult result_header(const Workload& workload, const Algorithm& algorithm, const RunOptions& options) {
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
  return r;
}

std::vector<framework::Profile> build_profiles(const Algorithm& algorithm, const state::ClusterState& cluster) {
  std::vector<framework::Profile> profiles;
  for (std::size_t i = 0; i < algorithm.config.profiles.size(); ++i) {
    try {
      profiles.push_back(framework::build_profile(algorithm.config.profiles[i], cluster));
    } catch (const std::invalid_argument& e) {
      throw InputError(algorithm.source, "profiles[" + std::to_string(i) + "]", e.what());
    }
  }
  return profiles;
}

// The first of the workload's requiredPlugins that no profile has; empty when all are there.
std::string missing_required_plugin(const Workload& workload, const std::vector<framework::Profile>& profiles) {
  for (const auto& plugin : workload.required_plugins) {
    bool found = false;
    for (const auto& profile : profiles)
      for (const auto& owned : profile.owned) found = found || owned->name() == plugin;
    if (!found) return plugin;
  }
  return {};
}

// After the ops: throughput windows, per-plugin timing, placement quality, peak memory, and
// the answer checked against the workload's expectations.
void finish(RunContext& ctx, const Workload& workload) {
  RunResult& r = ctx.r;
  const RunOptions& options = ctx.options;
  r.measured_pods = ctx.measured.size();

  auto& tp = r.throughput;
  tp.average = r.measured_seconds > 0 ? static_cast<double>(r.scheduled) / r.measured_seconds : 0.0;
  tp.window_seconds = options.window_seconds;
  tp.windows = window_rates(ctx.timeline, static_cast<std::uint64_t>(options.window_seconds * 1e9));
  tp.p50 = nearest_rank(tp.windows, 0.50);
  tp.p90 = nearest_rank(tp.windows, 0.90);
  tp.p95 = nearest_rank(tp.windows, 0.95);
  tp.p99 = nearest_rank(tp.windows, 0.99);

  const auto timing_start = Clock::now();
  if (options.timing_samples > 0 && !ctx.measured.empty()) {
    // Evenly spaced over the measured pods, so early (empty cluster) and late pods both count.
    const std::size_t n = std::min<std::size_t>(options.timing_samples, ctx.measured.size());
    std::vector<state::PodIndex> sample;
    for (std::size_t k = 0; k < n; ++k) sample.push_back(ctx.measured[k * ctx.measured.size() / n]);
    r.plugin_timings = time_plugins(ctx.cluster, ctx.profiles, ctx.binder, sample);
    r.timing_samples = n;
  }
  r.phases.timing_seconds = seconds_since(timing_start);

  r.quality = measure_quality(ctx.cluster, ctx.measured);
  r.phases.peak_rss_bytes = peak_rss_bytes();

  // `expect.unschedulable` is kube-scheduler's answer: it holds for runs where the profile
  // chooses the node (the default algorithm, any configuration). Another algorithm may
  // leave a different count (first-fit packs nodes full before anti-affinity pods come);
  // that is a result to compare, reported beside the expected count, not a failure.
  if (ctx.algorithm.is_default() && static_cast<std::int64_t>(r.unschedulable) != workload.expected_unschedulable)
    r.failures.push_back("expected " + std::to_string(workload.expected_unschedulable) + " unschedulable of " +
                         std::to_string(r.measured_pods) + " measured pods, got " + std::to_string(r.unschedulable));
  if (r.init_unschedulable > 0)
    r.failures.push_back(std::to_string(r.init_unschedulable) +
                         " pods of createPods steps without collectMetrics were not placed (they must all be)");
  if (workload.threshold && tp.average < *workload.threshold)
    r.failures.push_back("average throughput " + std::to_string(static_cast<long long>(tp.average)) +
                         " pods/s is below the threshold " + std::to_string(static_cast<long long>(*workload.threshold)));
}

}  // namespace

void check_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options) {
  Workload mini = workload;
  for (Op& op : mini.ops) {
    if (op.count) op.count = std::min<std::int64_t>(*op.count, 1);
    op.churn_number = std::min<std::int64_t>(op.churn_number, 1);
  }
  Scenario scenario = build_scenario(mini, options.seed);
  const state::ClusterState cluster = state::build_cluster_state(scenario.objects);
  build_profiles(algorithm, cluster);
}

RunResult run_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options) {
  RunResult r = result_header(workload, algorithm, options);

  const auto load_start = Clock::now();
  Scenario scenario = build_scenario(workload, options.seed);
  r.phases.load_seconds = seconds_since(load_start);

  const auto build_start = Clock::now();
  state::ClusterState cluster = state::build_cluster_state(scenario.objects);
  if (cluster.pods.size() != scenario.objects.pods.size())
    throw std::logic_error("the cluster builder dropped pods of a benchmark scenario");  // pods are never terminated here
  scenario.objects = {};  // the columns hold everything from here on
  std::vector<framework::Profile> profiles = build_profiles(algorithm, cluster);
  r.phases.build_seconds = seconds_since(build_start);
  r.nodes = cluster.nodes.size;

  if (const std::string missing = missing_required_plugin(workload, profiles); !missing.empty()) {
    r.skipped = true;
    r.skip_reason = "the profile has no " + missing + " plugin (requiredPlugins)";
    return r;
  }

  RunContext ctx(options, scenario, cluster, profiles, algorithm.engine, r);
  const auto schedule_start = Clock::now();
  for (std::size_t i = 0; i < workload.ops.size(); ++i) executor_of(workload.ops[i].code)(ctx, workload.ops[i], i);
  r.phases.schedule_seconds = seconds_since(schedule_start);

  finish(ctx, workload);
  return r;
}

}  // namespace podium::bench
