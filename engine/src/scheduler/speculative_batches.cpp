#include "scheduler/speculative_batches.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "scheduler/class_lookahead.hpp"
#include "scheduler/progress.hpp"

namespace podium::scheduler {

SpeculativeBatches::SpeculativeBatches(PlacementSession& session, int threads)
    // Four pods per thread: enough tasks to balance, few enough that the serial
    // correction (each pod recomputes at most batch_size nodes) stays small.
    : session_(session),
      batch_size_(4 * static_cast<std::size_t>(std::max(threads, 1))),
      slot_frameworks_(session.profile_count()),
      slot_totals_(batch_size_),
      slot_blocks_(batch_size_),
      changed_stamp_(session.cluster().nodes.size, 0) {}

framework::Framework& SpeculativeBatches::slot_framework(std::size_t profile, std::size_t slot) {
  auto& frameworks = slot_frameworks_[profile];
  if (frameworks.size() <= slot) frameworks.resize(slot + 1);
  if (!frameworks[slot])
    frameworks[slot] = std::make_unique<framework::Framework>(session_.profile(profile), session_.cluster().nodes.size,
                                                              session_.ties(), /*threads=*/1);
  return *frameworks[slot];
}

void SpeculativeBatches::classify(std::span<const state::PodIndex> queue, std::size_t begin,
                                  std::uint64_t first_decision) {
  const state::ClusterState& cluster = session_.cluster();
  batch_.clear();
  speculated_.clear();
  const std::size_t end = std::min(queue.size(), begin + batch_size_);
  for (std::size_t q = begin; q < end; ++q) {
    Entry e;
    e.pod = queue[q];
    e.decision = first_decision + q;
    const state::PodRecord& pod = cluster.pods[e.pod];
    e.profile = session_.profile_of(pod);
    if (e.profile < session_.profile_count() && cluster.nodes.size > 0) {
      const framework::Framework& fw = session_.framework(e.profile);
      e.speculate = !fw.samples() && fw.decides_locally({pod, e.pod}, cluster);
      // A class the cache holds (or an earlier pod of this batch brings) costs only its
      // changed nodes: decide it in queue order instead.
      if (session_.uses_cache(e.profile)) {
        e.signature = fw.signature(pod);
        // A batch is a handful of pods: a scan beats hashing.
        const bool first_in_batch = std::none_of(batch_.begin(), batch_.end(), [&](const Entry& earlier) {
          return earlier.profile == e.profile && earlier.signature == e.signature;
        });
        e.speculate = e.speculate && first_in_batch && !session_.cache(e.profile).contains(e.signature);
      }
    }
    if (e.speculate) {
      // In queue order on this thread, so the cache's admissions are the same at any thread count.
      e.cache_class = session_.uses_cache(e.profile) && session_.cache(e.profile).admit(e.signature);
      e.slot = speculated_.size();
      slot_framework(e.profile, e.slot);  // created here, on the committing thread
      speculated_.push_back(batch_.size());
    }
    batch_.push_back(std::move(e));
  }
}

void SpeculativeBatches::speculate() {
  const state::ClusterState& cluster = session_.cluster();
  const RingOrder& ring = session_.ring();
  // Nothing is bound while this runs: every worker reads the same cluster.
  std::atomic<std::size_t> finished{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, speculated_.size(), 1), [&](const auto& range) {
    for (std::size_t k = range.begin(); k != range.end(); ++k) {
      Entry& e = batch_[speculated_[k]];
      framework::Framework& fw = *slot_frameworks_[e.profile][e.slot];
      const framework::PodContext ctx{cluster.pods[e.pod], e.pod};
      framework::Status rejection;
      e.prepared = fw.prepare(ctx, cluster, rejection);
      if (!e.prepared) continue;
      ClassTotals& totals = slot_totals_[e.slot];
      totals.resize(cluster.nodes.size);
      fw.evaluate_all(ctx, cluster, totals.totals.data());
      const std::uint32_t start = session_.ties().start_for(e.decision);
      if (e.cache_class) {
        totals.rebuild(ring);
        e.snapshot_best = totals.best(start, ring);
      } else {
        BlockArgmax& blocks = slot_blocks_[e.slot];
        blocks.build(session_.ties(), totals.totals.data(), cluster.nodes.size, start);
        e.snapshot_best = blocks.best();
      }
    }
    finished.fetch_add(range.size(), std::memory_order_release);
  });
  // The join happened inside libtbb; this acquire shows ThreadSanitizer the order too.
  (void)finished.load(std::memory_order_acquire);
}

Placement SpeculativeBatches::commit_speculated(Entry& e, ScheduleResult& result) {
  // PreFilter rejected the pod: the one-thread path gives the reason text.
  if (!e.prepared) return session_.place(e.pod, e.decision, e.signature.empty() ? nullptr : &e.signature);
  state::ClusterState& cluster = session_.cluster();
  framework::Framework& fw = *slot_frameworks_[e.profile][e.slot];
  ClassTotals& totals = slot_totals_[e.slot];
  const framework::PodContext ctx{cluster.pods[e.pod], e.pod};

  ++stamp_;
  changed_.clear();
  for (const state::NodeIndex n : bound_in_batch_) {
    if (changed_stamp_[n] == stamp_) continue;
    changed_stamp_[n] = stamp_;
    changed_.push_back(n);
  }
  if (!changed_.empty()) {
    // Re-run the Pre hooks on today's cluster (cheap for a node-local pod) so the
    // corrected totals are exactly what one thread would compute now.
    framework::Status rejection;
    if (!fw.prepare(ctx, cluster, rejection) || !fw.decides_locally(ctx, cluster)) return session_.place(e.pod, e.decision, e.signature.empty() ? nullptr : &e.signature);
    fw.evaluate(ctx, cluster, changed_, totals.totals.data());
    if (e.cache_class) {
      totals.refresh(changed_, session_.ring());
    } else {
      slot_blocks_[e.slot].refresh(changed_, totals.totals.data());
    }
  }
  Placement placement;
  placement.pod = e.pod;
  placement.node = e.cache_class ? totals.best(session_.ties().start_for(e.decision), session_.ring())
                                 : slot_blocks_[e.slot].best();
  // No node: when preemption is on, the one-thread path decides again and runs PostFilter
  // (its evictions touch only the nominated node, which run() adds to the changed nodes).
  if (placement.node == state::kNoNode && session_.options().preemption.enabled)
    return session_.place(e.pod, e.decision, e.signature.empty() ? nullptr : &e.signature);
  ++result.speculated;
  if (placement.node != e.snapshot_best) ++result.speculation_corrected;
  if (placement.node == state::kNoNode) placement.reason = fw.unschedulable_reason(ctx, cluster, framework::Status{});
  if (e.cache_class) {
    session_.cache(e.profile).adopt(e.signature, totals);
  } else if (session_.uses_cache(e.profile)) {
    session_.cache(e.profile).note_uncached();
  }
  if (placement.node != state::kNoNode) session_.commit(e.pod, placement.node);
  return placement;
}

void SpeculativeBatches::run(std::span<const state::PodIndex> queue, std::uint64_t first_decision,
                             ScheduleResult& result) {
  using Clock = std::chrono::steady_clock;
  ProgressTicker progress(session_.options());
  // Cost model: a batch with fewer than two speculated pods runs on this thread alone, so its
  // classification (decides_locally, the cache probe and the batch scan per pod) bought
  // nothing. Queues where no pod can be speculated (every pod spreads or has pod affinity, or
  // its class is cached) paid that on every pod, and 2 threads were slower than 1 (issue 13;
  // docs/BENCHMARKS.md, "2 threads never slower than 1"). After such a batch the next
  // `backoff` pods are placed one at a time, as one thread places them (their node batches
  // still spread over the arena), and `backoff` doubles up to kMaxBackoff while probes keep
  // finding nothing to speculate; a probe batch that speculates resets it. Placements do not
  // depend on it: both paths are sequential-equivalent.
  constexpr std::size_t kMaxBackoff = 512;
  std::size_t backoff = batch_size_;
  std::size_t one_at_a_time = 0;  // pods to place before the next probe batch
  // The stretches' cached classes are brought forward by a partner thread meanwhile.
  const std::unique_ptr<ClassLookahead> lookahead = ClassLookahead::make(session_);
  for (std::size_t begin = 0; begin < queue.size();) {
    progress.tick(begin);
    if (one_at_a_time > 0) {
      const std::size_t end = std::min(queue.size(), begin + one_at_a_time);
      for (std::size_t q = begin; q < end; ++q) {
        const auto start = Clock::now();
        const std::string* signature = lookahead ? lookahead->before_place(queue, q, end, first_decision) : nullptr;
        Placement placement = session_.place(queue[q], first_decision + q, signature);
        placement.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
        append_placement(result, std::move(placement));
      }
      begin = end;
      one_at_a_time = 0;
      continue;
    }
    const auto batch_start = Clock::now();
    classify(queue, begin, first_decision);
    // A lone speculated pod gains nothing from a worker: its node batches spread instead.
    const bool parallel = speculated_.size() >= 2;
    if (parallel) speculate();
    bound_in_batch_.clear();
    for (Entry& e : batch_) {
      const auto start = parallel ? batch_start : Clock::now();
      Placement placement = (parallel && e.speculate) ? commit_speculated(e, result) : session_.place(e.pod, e.decision, e.signature.empty() ? nullptr : &e.signature);
      if (placement.node != state::kNoNode) bound_in_batch_.push_back(placement.node);
      // A speculated pod waited for its whole batch: its latency counts from the batch start.
      placement.latency_ns = static_cast<std::uint64_t>((Clock::now() - start).count());
      append_placement(result, std::move(placement));
    }
    begin += batch_.size();
    if (parallel) {
      backoff = batch_size_;
    } else {
      one_at_a_time = backoff;
      backoff = std::min(kMaxBackoff, backoff * 2);
    }
  }
  if (lookahead) result.partner_refreshes += lookahead->finish().refreshed;
}

}  // namespace podium::scheduler
