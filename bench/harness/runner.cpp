#include "harness/runner.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
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
#include "podium/scheduler/scheduling_queue.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/state/cluster_growth.hpp"

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
  const auto phrases = scheduler::fit_error_phrases(message);
  if (phrases.empty() && message.find(" are available: ") == std::string::npos) return {message};
  std::vector<std::string> out;
  for (const auto phrase : phrases)
    if (!phrase.empty()) out.emplace_back(phrase);
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

std::vector<framework::Profile> build_profiles(const Algorithm& algorithm, const state::ClusterState& cluster);

// Everything the operations of one run share (scheduler_perf's per-workload executor
// state): the cluster and its profiles, the scheduler's position across calls, the pods
// created per namespace and those deleted, the running churns, and what is measured.
// One run, one thread.
struct RunContext {
  RunContext(const RunOptions& o, Scenario& s, std::vector<io::NodeObject> late, state::ClusterState& c,
             std::vector<framework::Profile>& p, const Algorithm& bench, scheduler::PreemptionOptions pre,
             bool requeue, RunResult& result)
      : options(o), scenario(s), late_nodes(std::move(late)), cluster(c), profiles(p),
        bench_algorithm(bench), algorithm(bench.engine), preemption(pre), r(result),
        binder(std::in_place, c, p),
        queue(c.pods.size(), {.max_attempts = o.max_attempts, .requeue_victims = requeue}), deleted(c.pods.size(), 0),
        role(c.pods.size(), PodRole::kNotCreated), placed_ever(c.pods.size(), 0), requeued(c.pods.size(), 0) {
    // Each op's queue is its own pods in PrioritySort order.
    const auto order = cluster.pending_in_queue_order();
    rank.resize(cluster.pods.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    for (const auto& range : scenario.op_pods) to_attempt += range.size();
  }

  const RunOptions& options;
  // The scenario's objects.nodes holds the nodes that exist; late_nodes the ones createNodes
  // ops after pod steps will add, in creation order (objects.nodes.size() + k is the k-th's index).
  Scenario& scenario;
  std::vector<io::NodeObject> late_nodes;
  state::ClusterState& cluster;
  std::vector<framework::Profile>& profiles;
  const Algorithm& bench_algorithm;        // its configuration builds the profiles again on growth
  const algorithms::Algorithm& algorithm;  // how nodes are chosen
  scheduler::PreemptionOptions preemption;  // the configuration's DefaultPreemptionArgs
  RunResult& r;
  std::optional<Binder> binder;  // made again whenever the profiles are
  // The living queue (scheduler/scheduling_queue.hpp): every created pod enters it; a pod
  // that fails waits in its unschedulable pool until a deletion or a bind could make it
  // fit, and is retried when the active pods are done (after its backoff).
  scheduler::SchedulingQueue queue;

  std::vector<std::uint32_t> rank;  // position of each pod in PrioritySort order
  std::uint64_t to_attempt = 0;
  std::uint64_t attempted = 0;
  // The scheduler's position across calls: the decision count (tie-break ring) and
  // nextStartNodeIndex (profiles that sample nodes), so cutting a step into calls at
  // churn steps places exactly as one call would.
  std::uint64_t decisions = 0;
  std::size_t next_start_node = 0;

  std::map<std::string, std::vector<state::PodIndex>> created_by_namespace;  // creation order
  std::vector<std::uint8_t> deleted;
  // Which count a pod's outcome goes to; its last failure's reason while it is unplaced.
  enum class PodRole : std::uint8_t { kNotCreated, kMeasured, kInit, kChurn };
  std::vector<PodRole> role;
  std::vector<std::uint8_t> placed_ever;
  std::vector<std::uint8_t> requeued;  // a requeued victim not placed again yet
  std::map<state::PodIndex, std::string> last_reason;  // pods whose last attempt failed
  std::vector<ChurnState> churns;

  std::vector<state::PodIndex> measured;
  std::vector<std::pair<std::uint64_t, bool>> timeline;  // measured attempts in decision order

  // One round of ready pods, in the order given.
  scheduler::ScheduleResult schedule(std::span<const state::PodIndex> pods) {
    scheduler::SchedulerOptions so;
    so.seed = options.seed;
    so.threads = options.threads;
    so.equivalence_cache = options.equivalence_cache;
    so.first_decision = decisions;
    so.first_start_node_index = next_start_node;
    so.mode = options.parallel_mode;
    so.algorithm = algorithm;
    so.preemption = preemption;
    // Progress from inside the call: cutting the queue into calls for it would start a
    // new PlacementSession each time and recompute every cached class.
    if (options.progress)
      so.progress = [this](std::size_t done) { options.progress(std::min(attempted + done, to_attempt), to_attempt); };
    auto result = scheduler::schedule_queue(cluster, profiles, pods, so);
    if (options.record_events)
      for (const auto& placement : result.placements)
        r.events.push_back({placement.evicted_by != scheduler::kNoPod ? RunEvent::Kind::kDelete : RunEvent::Kind::kAttempt,
                            placement.pod,
                            placement.node == state::kNoNode ? -1 : static_cast<std::int32_t>(placement.node)});
    decisions += pods.size();
    next_start_node = result.next_start_node_index;
    attempted += pods.size();
    if (options.progress) options.progress(std::min(attempted, to_attempt), to_attempt);
    account(result);
    queue.record_result(result);
    if (queue.options().requeue_victims) {
      queue.requeue_victims(result, cluster);
      for (const auto& placement : result.placements)
        if (placement.evicted_by != scheduler::kNoPod) requeued[placement.pod] = 1;
    }
    return result;
  }

  // Every attempt's outcome: measured pods' latency and throughput timeline (each attempt,
  // retries included: they are scheduling work); the final counts come from placed_ever
  // and last_reason at the end of the run (a pod that failed and was placed on a retry
  // counts as scheduled). Attempts that ran PostFilter have their own latency histograms.
  void account(const scheduler::ScheduleResult& result) {
    bool any_measured = false;
    for (const auto& placement : result.placements) {
      if (placement.evicted_by != scheduler::kNoPod) {  // a preemption victim leaving, not an attempt
        ++r.victims;
        continue;
      }
      const state::PodIndex p = placement.pod;
      const bool placed = placement.node != state::kNoNode;
      const bool was_requeued = requeued[p] != 0;  // measured already, as its first incarnation
      if (placed) {
        placed_ever[p] = 1;
        last_reason.erase(p);
        r.requeued_placed += was_requeued ? 1 : 0;
        requeued[p] = 0;
      } else {
        last_reason[p] = placement.reason;
      }
      if (role[p] != PodRole::kMeasured) continue;
      any_measured = true;
      if (queue.attempts(p) == 0 && !was_requeued) measured.push_back(p);
      timeline.emplace_back(placement.latency_ns, placed);
      if (placement.preemption_ns > 0) {
        r.latency_preemption.record(placement.latency_ns);
        r.preemption_evaluation.record(placement.preemption_ns);
      } else {
        (placed ? r.latency_scheduled : r.latency_unschedulable).record(placement.latency_ns);
      }
    }
    if (any_measured) r.measured_seconds += result.schedule_seconds;
    r.commit_attempts += result.commit_attempts;
    r.conflicts += result.conflicts;
    r.preemption_attempts += result.preemption_attempts;
    r.preemptions += result.preemptions;
  }

  // Pods enter the active queue; the ready ones come back in queue order (PrioritySort for
  // fresh pods; retried pods woken by earlier events, and whose backoff ended, among them).
  std::vector<state::PodIndex> enqueue(PodRange range, PodRole as) {
    for (std::uint32_t p = range.begin; p < range.end; ++p) {
      role[p] = as;
      queue.add(p, cluster.pods[p].priority, rank[p], cluster.pods[p].group == state::kNoPodGroup);
    }
    return queue.pop_ready();
  }

  // Retries until nothing is ready: the pods events woke, after their backoff (the clock
  // jumps to each expiry, as an idle scheduler waits for it).
  void drain() {
    for (auto ready = queue.pop_ready(); !ready.empty(); ready = queue.pop_ready()) schedule(ready);
  }

  // A deletion: a bound pod leaves its node and wakes the pool's pods a deletion can help
  // (ClusterEvent::kPodDeleted; an eviction would do the same); a pending one leaves the
  // queue.
  void unbind(state::PodIndex p) {
    const bool was_bound = cluster.pods[p].bound_node != state::kNoNode;
    if (options.record_events && was_bound) r.events.push_back({RunEvent::Kind::kDelete, p, -1});
    binder->unbind(p);
    deleted[p] = 1;
    ++r.deleted;
    if (was_bound) {
      queue.on_event(scheduler::ClusterEvent::kPodDeleted);
    } else {
      queue.remove(p);
      last_reason.erase(p);
    }
  }

  // Nodes created mid-run (a createNodes op after pod steps): the state is built again with
  // them appended (state::grow_cluster: every pod stays where it is), and so are the
  // profiles, so every filter, score, spread domain, image spread, tie ring and node walk
  // sees exactly the nodes that exist from now on and none before. The pool's pods wake
  // (ClusterEvent::kNodeAdded: any rejection may change) and are retried after their backoff.
  void add_nodes(NodeRange nodes) {
    const std::size_t first_late = scenario.initial_nodes;
    if (scenario.objects.nodes.size() != nodes.begin) throw std::logic_error("createNodes ops ran out of order");
    for (std::uint32_t n = nodes.begin; n < nodes.end; ++n)
      scenario.objects.nodes.push_back(std::move(late_nodes[n - first_late]));
    cluster = state::grow_cluster(cluster, scenario.objects, scenario.stamps);
    cluster.index_node_names();
    binder.reset();  // it holds frameworks over the profiles replaced next
    profiles = build_profiles(bench_algorithm, cluster);
    binder.emplace(cluster, profiles);
    if (options.record_events)
      for (std::uint32_t n = nodes.begin; n < nodes.end; ++n)
        r.events.push_back({RunEvent::Kind::kCreateNode, 0, static_cast<std::int32_t>(n)});
    queue.on_event(scheduler::ClusterEvent::kNodeAdded);
  }

  // One churn step: (recreate) delete the previous step's pods, then create and schedule
  // the next `number` pods of the pool.
  void churn_step(ChurnState& c) {
    if (c.recreate)
      for (const auto p : c.last)
        if (!deleted[p]) unbind(p);
    const auto count = std::min<std::uint32_t>(c.number, c.pool.end - c.next);
    const PodRange fresh{c.next, c.next + count};
    c.next += count;
    auto& ns = created_by_namespace[c.namespace_];
    for (std::uint32_t k = 0; k < count; ++k) ns.push_back(c.next - count + k);
    schedule(enqueue(fresh, PodRole::kChurn));
    c.last.clear();
    for (std::uint32_t p = fresh.begin; p < fresh.end; ++p) c.last.push_back(p);
  }
};

// One function per opcode (scheduler_perf's runOp per operation type). `index` is the op's
// position in the workload (scenario.op_pods[index] holds its pods).
using OpExecutor = void (*)(RunContext& ctx, const Op& op, std::size_t index);

// barrier and sleep: every op is synchronous and there is no simulated clock.
void run_nothing(RunContext&, const Op&, std::size_t) {}

// createNodes: nodes created before any pod step are in the cluster from the start; later
// ones join now, and the pods waiting for room are retried.
void run_create_nodes(RunContext& ctx, const Op&, std::size_t index) {
  const NodeRange nodes = ctx.scenario.op_nodes[index];
  if (nodes.end <= ctx.scenario.initial_nodes || nodes.begin == nodes.end) return;
  ctx.add_nodes(nodes);
  ctx.drain();
}

// createPods: its pods in PrioritySort order, in calls cut at churn steps; measured when
// collectMetrics is set.
void run_create_pods(RunContext& ctx, const Op& op, std::size_t index) {
  const PodRange pods = ctx.scenario.op_pods[index];
  auto& ns = ctx.created_by_namespace[op.namespace_];
  for (std::uint32_t p = pods.begin; p < pods.end; ++p) ns.push_back(p);
  const auto queue =
      ctx.enqueue(pods, op.collect_metrics ? RunContext::PodRole::kMeasured : RunContext::PodRole::kInit);
  std::size_t pos = 0;
  while (pos < queue.size()) {
    std::uint64_t chunk = queue.size() - pos;
    for (const auto& c : ctx.churns) chunk = std::min(chunk, c.interval - c.since_step);
    ctx.schedule(std::span(queue).subspan(pos, chunk));
    pos += chunk;
    for (auto& c : ctx.churns) {
      c.since_step += chunk;
      if (c.since_step >= c.interval) {
        c.since_step = 0;
        ctx.churn_step(c);
      }
    }
  }
  ctx.drain();
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
  ctx.drain();
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
  ctx.drain();
}

struct OpEntry {
  OpCode code;
  OpExecutor run;
};
// Indexed by OpCode.
constexpr OpEntry kExecutors[] = {
    {OpCode::kCreateNodes, run_create_nodes}, {OpCode::kCreatePods, run_create_pods}, {OpCode::kDeletePods, run_delete_pods},
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
  r.expected_placed_on_retry = workload.expected_placed_on_retry;
  r.expected_preemptions = workload.expected_preemptions;
  r.expected_victims = workload.expected_victims;
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
  // Final outcomes: a pod counts as scheduled if any attempt placed it (it may have been
  // deleted since), unschedulable if it is still waiting, with its last failure's reasons.
  for (std::size_t p = 0; p < ctx.role.size(); ++p) {
    const auto role = ctx.role[p];
    if (role == RunContext::PodRole::kNotCreated) continue;
    const auto reason = ctx.last_reason.find(static_cast<state::PodIndex>(p));
    const bool unplaced = !ctx.placed_ever[p] && reason != ctx.last_reason.end();
    if (role == RunContext::PodRole::kMeasured) {
      if (ctx.placed_ever[p]) ++r.scheduled;
      if (unplaced) {
        ++r.unschedulable;
        for (const auto& phrase : reason_phrases(reason->second)) ++r.unschedulable_reasons[phrase];
      }
    } else if (role == RunContext::PodRole::kInit) {
      r.init_unschedulable += unplaced ? 1 : 0;
    } else {
      r.churn_unschedulable += unplaced ? 1 : 0;
    }
  }
  r.retries = ctx.queue.retries();
  r.placed_on_retry = ctx.queue.placed_on_retry();
  r.requeued = ctx.queue.requeued();

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
    r.plugin_timings = time_plugins(ctx.cluster, ctx.profiles, *ctx.binder, sample);
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
  if (workload.expected_placed_on_retry &&
      static_cast<std::int64_t>(r.placed_on_retry) != *workload.expected_placed_on_retry && ctx.algorithm.is_default())
    r.failures.push_back("expected " + std::to_string(*workload.expected_placed_on_retry) +
                         " pods placed on a retry, got " + std::to_string(r.placed_on_retry));
  // Preemption counts are kube-scheduler's answer too (the default choice decides which
  // pods fail and so which preempt).
  auto check_count = [&](const std::optional<std::int64_t>& expected, std::uint64_t got, const char* what) {
    if (expected && ctx.algorithm.is_default() && static_cast<std::int64_t>(got) != *expected)
      r.failures.push_back("expected " + std::to_string(*expected) + " " + what + ", got " + std::to_string(got));
  };
  check_count(workload.expected_preemptions, r.preemptions, "preemptions");
  check_count(workload.expected_victims, r.victims, "victims (pods evicted by preemption)");
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
  Scenario scenario = plan_scenario(mini, options.seed);
  const state::ClusterState cluster = state::build_cluster_state(scenario.objects, scenario.stamps);
  build_profiles(algorithm, cluster);
}

RunResult run_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options) {
  RunResult r = result_header(workload, algorithm, options);

  const auto load_start = Clock::now();
  Scenario scenario = plan_scenario(workload, options.seed);
  r.phases.load_seconds = seconds_since(load_start);

  const auto build_start = Clock::now();
  // Nodes of createNodes ops after a pod step are not in the cluster until their op runs.
  std::vector<io::NodeObject> late_nodes(std::make_move_iterator(scenario.objects.nodes.begin() +
                                                                 static_cast<std::ptrdiff_t>(scenario.initial_nodes)),
                                         std::make_move_iterator(scenario.objects.nodes.end()));
  scenario.objects.nodes.resize(scenario.initial_nodes);
  state::ClusterState cluster = state::build_cluster_state(scenario.objects, scenario.stamps);
  std::size_t planned = 0;
  for (const state::PodStamp& stamp : scenario.stamps) planned += stamp.count;
  if (cluster.pods.size() != planned)
    throw std::logic_error("the cluster builder dropped pods of a benchmark scenario");  // pods are never terminated here
  if (late_nodes.empty()) {
    scenario.objects = {};  // the columns hold everything from here on
    scenario.stamps = {};
  }  // else kept: the state is built again from them when nodes join
  std::vector<framework::Profile> profiles = build_profiles(algorithm, cluster);
  r.phases.build_seconds = seconds_since(build_start);
  r.nodes = cluster.nodes.size;

  if (const std::string missing = missing_required_plugin(workload, profiles); !missing.empty()) {
    r.skipped = true;
    r.skip_reason = "the profile has no " + missing + " plugin (requiredPlugins)";
    return r;
  }

  RunContext ctx(options, scenario, std::move(late_nodes), cluster, profiles, algorithm,
                 scheduler::preemption_options(algorithm.config.default_preemption, options.preemption),
                 options.requeue_victims || workload.requeue_victims, r);
  const auto schedule_start = Clock::now();
  for (std::size_t i = 0; i < workload.ops.size(); ++i) executor_of(workload.ops[i].code)(ctx, workload.ops[i], i);
  r.phases.schedule_seconds = seconds_since(schedule_start);
  r.nodes = cluster.nodes.size;  // with the nodes created mid-run

  finish(ctx, workload);
  return r;
}

}  // namespace podium::bench
