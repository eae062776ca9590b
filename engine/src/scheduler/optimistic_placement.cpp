#include "scheduler/optimistic_placement.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cassert>
#include <chrono>

namespace podium::scheduler {

using Clock = std::chrono::steady_clock;

// One worker's private view: a replica of the node table it decides against, refreshed
// node by node from the commit log, and its own Frameworks and class caches over it.
struct OptimisticPlacement::Worker {
  state::ClusterState replica;  // resources and nodes only; pods are read from the shared state
  std::vector<std::unique_ptr<framework::Framework>> frameworks;  // per profile, made on first use
  std::vector<std::unique_ptr<ClassCache>> caches;                // per profile
  std::size_t applied = 0;                                        // log entries refreshed into replica
  ClassTotals totals;                                             // decisions without the class cache
};

OptimisticPlacement::OptimisticPlacement(PlacementSession& session, int threads, std::size_t queue_size)
    : session_(session),
      reservations_(session.cluster()),
      // Each pod publishes at most one entry per attempt (commit or rollback), and a pod
      // placed alone one more.
      log_(queue_size * (kMaxAttempts + 1)) {
  for (auto& entry : log_) entry.store(kUnpublished, std::memory_order_relaxed);
  const state::ClusterState& cluster = session.cluster();
  for (int w = 0; w < std::max(threads, 1); ++w) {
    auto worker = std::make_unique<Worker>();
    worker->replica.resources = cluster.resources;
    worker->replica.nodes = cluster.nodes;
    worker->replica.index_node_names();  // NodeName's PreFilter looks spec.nodeName up
    worker->frameworks.resize(session.profile_count());
    worker->caches.resize(session.profile_count());
    workers_.push_back(std::move(worker));
  }
}

OptimisticPlacement::~OptimisticPlacement() = default;

bool OptimisticPlacement::runs_concurrently(state::PodIndex p) const {
  const state::ClusterState& cluster = session_.cluster();
  const state::PodRecord& pod = cluster.pods[p];
  const std::size_t f = session_.profile_of(pod);
  if (f == session_.profile_count() || cluster.nodes.size == 0 || !pod.host_ports.empty()) return false;
  const framework::Framework& fw = session_.framework(f);
  return !fw.samples() && fw.decides_locally({pod, p}, cluster);
}

void OptimisticPlacement::publish(state::NodeIndex n, std::uint64_t pod_plus_one) {
  const std::size_t at = log_size_.fetch_add(1, std::memory_order_relaxed);
  assert(at < log_.size() && "each pod publishes at most kMaxAttempts + 1 entries");
  // Release: a reader that sees this entry also sees the column writes made before it.
  log_[at].store(pod_plus_one << 32 | n, std::memory_order_release);
}

void OptimisticPlacement::refresh(Worker& w) {
  const std::size_t end = std::min(log_size_.load(std::memory_order_acquire), log_.size());
  for (; w.applied < end; ++w.applied) {
    const std::uint64_t entry = log_[w.applied].load(std::memory_order_acquire);
    if (entry == kUnpublished) break;  // its writer is between fetch_add and store: next time
    const auto n = static_cast<state::NodeIndex>(entry & 0xffffffffu);
    reservations_.copy_usage(n, w.replica.nodes);
    for (auto& cache : w.caches)
      if (cache) cache->record_bind(n);
  }
}

// A node-local pod's decision on the worker's replica, without a class cache: the non-live
// plugins' totals on every node (the live ones skip this pod), best by the tie rule — what
// the speculative batches compute. Not Framework::select_node: that would also run the live
// scorers' PreScore, which may write plugin state shared by every worker.
state::NodeIndex OptimisticPlacement::decide_without_cache(Worker& w, framework::Framework& fw,
                                                           const framework::PodContext& ctx, std::uint64_t decision) {
  framework::Status rejection;
  if (!fw.prepare(ctx, w.replica, rejection)) return state::kNoNode;
  w.totals.resize(w.replica.nodes.size);
  fw.evaluate_all(ctx, w.replica, w.totals.totals.data());
  w.totals.rebuild(session_.ring());
  return w.totals.best(session_.ties().start_for(decision), session_.ring());
}

void OptimisticPlacement::work(Worker& w, std::span<const state::PodIndex> queue, std::size_t begin, std::size_t end,
                               std::uint64_t first_decision, std::span<Placement> placements,
                               std::vector<std::size_t>& out_of_attempts) {
  const state::ClusterState& shared = session_.cluster();
  for (;;) {
    const std::size_t k = begin + next_pod_.fetch_add(1, std::memory_order_relaxed);
    if (k >= end) return;
    const auto start = Clock::now();
    const state::PodIndex p = queue[k];
    const std::uint64_t decision = first_decision + k;
    const state::PodRecord& pod = shared.pods[p];  // pod records are read-only while workers run
    const std::size_t f = session_.profile_of(pod);
    if (!w.frameworks[f]) {
      w.frameworks[f] = std::make_unique<framework::Framework>(session_.profile(f), shared.nodes.size,
                                                               session_.ties(), /*threads=*/1);
      w.caches[f] = std::make_unique<ClassCache>(session_.ring(), 64);
    }
    framework::Framework& fw = *w.frameworks[f];
    const framework::PodContext ctx{pod, p};
    Placement& out = placements[k];
    out.pod = p;
    bool placed = false;
    for (int attempt = 0; attempt < kMaxAttempts && !placed; ++attempt) {
      refresh(w);
      const state::NodeIndex node = session_.uses_cache(f)
                                        ? decide_with_class_cache(fw, *w.caches[f], w.replica, ctx, decision,
                                                                  /*signature=*/nullptr, /*explain=*/false)
                                              .node
                                        : decide_without_cache(w, fw, ctx, decision);
      // The replica may show a node mid-rollback (fuller than it is): an "unschedulable"
      // verdict is confirmed alone, on the exact state, after the run.
      if (node == state::kNoNode) break;
      attempts_.fetch_add(1, std::memory_order_relaxed);
      if (reservations_.try_reserve(p, node)) {
        publish(node, std::uint64_t{p} + 1);
        out.node = node;
        placed = true;
      } else {
        conflicts_.fetch_add(1, std::memory_order_relaxed);
        publish(node, 0);  // readers re-copy the node once the rollback is done
      }
    }
    if (!placed) out_of_attempts.push_back(k);
    out.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
  }
}

std::vector<std::size_t> OptimisticPlacement::run_concurrently(std::span<const state::PodIndex> queue, std::size_t begin,
                                                               std::size_t end, std::uint64_t first_decision,
                                                               std::span<Placement> placements) {
  const std::size_t log_start = log_size_.load(std::memory_order_relaxed);
  next_pod_.store(0, std::memory_order_relaxed);
  std::vector<std::vector<std::size_t>> out_of_attempts(workers_.size());
  std::atomic<std::size_t> finished{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, workers_.size(), 1), [&](const auto& range) {
    for (std::size_t w = range.begin(); w != range.end(); ++w)
      work(*workers_[w], queue, begin, end, first_decision, placements, out_of_attempts[w]);
    finished.fetch_add(range.size(), std::memory_order_release);
  });
  // parallel_for has joined every worker. The release/acquire pair on `finished` states
  // that ordering in code ThreadSanitizer sees (the join itself happens inside the
  // uninstrumented libtbb, which TSan would report as a race).
  (void)finished.load(std::memory_order_acquire);
  // Finish the binds in commit order: pod records, every profile's plugins and caches.
  state::ClusterState& cluster = session_.cluster();
  const std::size_t log_end = log_size_.load(std::memory_order_relaxed);
  for (std::size_t i = log_start; i < log_end; ++i) {
    const std::uint64_t entry = log_[i].load(std::memory_order_relaxed);
    const std::uint64_t pod_plus_one = entry >> 32;
    if (pod_plus_one == 0) continue;
    const auto p = static_cast<state::PodIndex>(pod_plus_one - 1);
    const auto n = static_cast<state::NodeIndex>(entry & 0xffffffffu);
    cluster.pods[p].bound_node = n;
    session_.notify_bound(p, n);
  }
  std::vector<std::size_t> left;
  for (const auto& v : out_of_attempts) left.insert(left.end(), v.begin(), v.end());
  std::sort(left.begin(), left.end());
  return left;
}

void OptimisticPlacement::run(std::span<const state::PodIndex> queue, std::uint64_t first_decision,
                              ScheduleResult& result) {
  const std::size_t base = result.placements.size();
  result.placements.resize(base + queue.size());
  const std::span<Placement> out(result.placements.data() + base, queue.size());
  auto place_alone = [&](std::size_t k) {
    const auto start = Clock::now();
    out[k] = session_.place(queue[k], first_decision + k);
    if (out[k].node != state::kNoNode) publish(out[k].node, 0);
    out[k].latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
  };
  for (std::size_t q = 0; q < queue.size();) {
    std::size_t end = q;
    while (end < queue.size() && runs_concurrently(queue[end])) ++end;
    if (end - q < 2) {
      place_alone(q);
      ++q;
      continue;
    }
    for (const std::size_t k : run_concurrently(queue, q, end, first_decision, out)) place_alone(k);
    q = end;
  }
  result.commit_attempts += attempts_.load();
  result.conflicts += conflicts_.load();
}

}  // namespace podium::scheduler
