#include "scheduler/partner_refresh.hpp"

#include "scheduler/cpu_relax.hpp"

namespace podium::scheduler {
namespace {

// Idle polls before the partner sleeps (~50-100 µs): covers the gap between two offers of
// a stretch of cached pods; a partner with nothing coming (all-distinct pods, the end of a
// run) sleeps almost at once instead of taking a core from oneTBB's workers.
constexpr std::uint32_t kSpinsBeforeSleep = 1024;
constexpr int kPausesPerPoll = 4;
// An offer the scheduling thread reaches within kMargin pods is left to it: a refresh takes
// about one decision, and the scheduling thread would wait for the partner to finish it.
// With ClassLookahead::kLookahead, measured on RealisticShapes (docs/BENCHMARKS.md): a
// margin of 2 or 3 left the scheduling thread waiting, 6 left the partner idle.
constexpr std::uint64_t kMargin = 4;

}  // namespace

BoundColumnsReplica::BoundColumnsReplica(const state::ClusterState& cluster)
    : nonzero_cpu_(cluster.nodes.nonzero_cpu.begin(), cluster.nodes.nonzero_cpu.end()),
      nonzero_memory_(cluster.nodes.nonzero_memory.begin(), cluster.nodes.nonzero_memory.end()),
      pod_count_(cluster.nodes.pod_count.begin(), cluster.nodes.pod_count.end()) {
  requested_.reserve(cluster.nodes.requested.size());
  for (const auto& column : cluster.nodes.requested) requested_.emplace_back(column.begin(), column.end());
  for (const auto& column : requested_) requested_pointers_.push_back(column.data());
}

// ClusterState::bind / unbind's arithmetic on the same columns.
void BoundColumnsReplica::apply(const state::PodRecord& pod, state::NodeIndex node, bool bound) {
  const std::int64_t sign = bound ? 1 : -1;
  for (std::size_t r = 0; r < pod.requests.size(); ++r) requested_[r][node] += sign * pod.requests[r];
  nonzero_cpu_[node] += sign * pod.nonzero_cpu;
  nonzero_memory_[node] += sign * pod.nonzero_memory;
  pod_count_[node] += static_cast<std::int32_t>(sign);
}

PartnerRefresh::PartnerRefresh(const state::ClusterState& cluster, const RingOrder& ring, std::size_t log_size)
    : cluster_(cluster),
      ring_(ring),
      node_count_(ring.size()),
      feed_(kFeedCapacity),
      offers_(kOfferCapacity),
      replica_(cluster),
      log_base_(log_size),
      unbound_until_(log_size),
      scratch_(ring.size(), ClassTotals::kInfeasible),
      stamp_(ring.size(), 0),
      thread_([this] { loop(); }) {}

PartnerRefresh::~PartnerRefresh() { stop(); }

void PartnerRefresh::stop() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_seq_cst);
  signal_.fetch_add(1, std::memory_order_seq_cst);
  signal_.notify_one();
  thread_.join();
  // Offers the partner never took: unpin them, or their classes could never be evicted.
  for (std::size_t i = offers_consumed_.load(std::memory_order_relaxed); i < offer_head_; ++i)
    offers_[i % kOfferCapacity].entry->pins.fetch_sub(1, std::memory_order_release);
  offers_consumed_.store(offer_head_, std::memory_order_relaxed);
}

void PartnerRefresh::wake() {
  signal_.fetch_add(1, std::memory_order_seq_cst);
  signal_.notify_one();
}

void PartnerRefresh::feed(state::PodIndex pod, state::NodeIndex node, bool bound) {
  if (feed_stopped_) return;
  if (feed_head_ - feed_consumed_seen_ == kFeedCapacity) {
    feed_consumed_seen_ = feed_consumed_.load(std::memory_order_acquire);
    if (feed_head_ - feed_consumed_seen_ == kFeedCapacity) {
      feed_stopped_ = true;  // the replica stays a correct prefix; nothing more can be replayed
      return;
    }
  }
  feed_[feed_head_ % kFeedCapacity] = {pod, node, bound};
  ++feed_head_;
  feed_published_.store(feed_head_, std::memory_order_release);
  // A sleeping partner is woken before the feed fills (binds without offers: speculated
  // all-distinct pods), so that it can keep up when cached classes come back. The fence
  // pairs with the partner's "sleeping, then re-check" (as SpinPartner::post_raw).
  if ((feed_head_ & (kFeedCapacity / 4 - 1)) == 0) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_seq_cst)) wake();
  }
}

bool PartnerRefresh::offer(ClassCache::Entry* entry, std::uint64_t position) {
  if (offer_head_ - offers_consumed_seen_ == kOfferCapacity) {
    offers_consumed_seen_ = offers_consumed_.load(std::memory_order_acquire);
    if (offer_head_ - offers_consumed_seen_ == kOfferCapacity) return false;
  }
  offers_[offer_head_ % kOfferCapacity] = {entry, position};
  ++offer_head_;
  offers_published_.store(offer_head_, std::memory_order_release);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // as in feed()
  if (sleeping_.load(std::memory_order_seq_cst)) wake();
  return true;
}

PartnerRefresh::Stats PartnerRefresh::stats() const {
  return {refreshed_.load(std::memory_order_relaxed), nodes_.load(std::memory_order_relaxed),
          skipped_.load(std::memory_order_relaxed)};
}

void PartnerRefresh::drain_feed() {
  const std::size_t published = feed_published_.load(std::memory_order_acquire);
  std::size_t consumed = feed_consumed_.load(std::memory_order_relaxed);
  for (; consumed < published; ++consumed) {
    const Event e = feed_[consumed % kFeedCapacity];
    replica_.apply(cluster_.pods[e.pod], e.node, e.bound);
    log_.push_back(e.node);
    if (!e.bound) unbound_until_ = log_base_ + log_.size();
  }
  feed_consumed_.store(consumed, std::memory_order_release);
}

void PartnerRefresh::refresh(ClassCache::Entry& entry) {
  std::uint32_t expected = ClassCache::Entry::kFree;
  if (!entry.holder.compare_exchange_strong(expected, ClassCache::Entry::kPartner, std::memory_order_acquire,
                                            std::memory_order_relaxed)) {
    skipped_.fetch_add(1, std::memory_order_relaxed);  // the scheduling thread has it
    return;
  }
  const std::size_t end = log_base_ + log_.size();
  // The scheduling thread's own limit (ClassCache::lookup): past an eighth of the nodes it
  // rebuilds the class in full, which the partner leaves to it.
  const std::size_t limit = node_count_ / 8;
  bool done = false;
  if (!entry.needs_full_build && entry.refresh != nullptr && entry.version >= log_base_ &&
      entry.version >= unbound_until_ && entry.version < end) {
    ++clock_;
    dirty_.clear();
    const RingMaxTree& tree = entry.totals.tree;
    for (std::size_t i = entry.version - log_base_; i < log_.size() && dirty_.size() <= limit; ++i) {
      const state::NodeIndex n = log_[i];
      if (stamp_[n] == clock_) continue;
      stamp_[n] = clock_;
      dirty_.push_back(n);
      tree.prefetch_leaf(ring_.rank[n]);  // read below: the misses overlap the walk
    }
    if (dirty_.size() <= limit) {
      // Only binds since the class's version: its infeasible nodes stay infeasible.
      feasible_.clear();
      for (const state::NodeIndex n : dirty_) {
        if (tree.leaf(ring_.rank[n]) == ClassTotals::kInfeasible) {
          scratch_[n] = ClassTotals::kInfeasible;
        } else {
          feasible_.push_back(n);
        }
      }
      entry.refresh->run(replica_.view(), feasible_, scratch_.data());
      entry.totals.refresh(dirty_, ring_, scratch_.data());
      entry.version = end;
      entry.partner_refreshed = true;
      done = true;
      refreshed_.fetch_add(1, std::memory_order_relaxed);
      nodes_.fetch_add(feasible_.size(), std::memory_order_relaxed);
    }
  }
  if (!done) skipped_.fetch_add(1, std::memory_order_relaxed);
  entry.holder.store(ClassCache::Entry::kFree, std::memory_order_release);
}

void PartnerRefresh::loop() {
  std::uint32_t spins = 0;
  while (!stop_.load(std::memory_order_acquire)) {
    const std::size_t consumed = offers_consumed_.load(std::memory_order_relaxed);
    if (offers_published_.load(std::memory_order_acquire) != consumed) {
      const Offer o = offers_[consumed % kOfferCapacity];
      offers_consumed_.store(consumed + 1, std::memory_order_release);
      if (o.position > position_.load(std::memory_order_relaxed) + kMargin) {
        drain_feed();
        refresh(*o.entry);
      } else {
        skipped_.fetch_add(1, std::memory_order_relaxed);  // the scheduling thread got there first
      }
      o.entry->pins.fetch_sub(1, std::memory_order_release);
      spins = 0;
      continue;
    }
    if (feed_published_.load(std::memory_order_acquire) - feed_consumed_.load(std::memory_order_relaxed) >=
        kFeedCapacity / 2) {
      drain_feed();
      continue;
    }
    // Each poll reads the scheduling thread's line: poll every few pauses, not every one,
    // so that its writes to that line find it at home more often.
    for (int k = 0; k < kPausesPerPoll; ++k) cpu_relax();
    if (++spins < kSpinsBeforeSleep) continue;
    spins = 0;
    const std::uint32_t seen = signal_.load(std::memory_order_seq_cst);
    sleeping_.store(true, std::memory_order_seq_cst);
    const bool nothing = offers_published_.load(std::memory_order_seq_cst) == consumed &&
                         feed_published_.load(std::memory_order_seq_cst) - feed_consumed_.load(std::memory_order_relaxed) <
                             kFeedCapacity / 2 &&
                         !stop_.load(std::memory_order_seq_cst);
    if (nothing) signal_.wait(seen, std::memory_order_seq_cst);
    sleeping_.store(false, std::memory_order_relaxed);
  }
}

}  // namespace podium::scheduler
