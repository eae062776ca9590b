#include "scheduler/class_cache.hpp"

#include <algorithm>
#include <functional>
#include <thread>

#include "scheduler/cpu_relax.hpp"

namespace podium::scheduler {

ClassCache::ClassCache(const RingOrder& ring, std::size_t max_classes)
    : ring_(ring),
      node_count_(ring.size()),
      max_classes_(std::max<std::size_t>(1, max_classes)),
      scratch_(ring.size()),
      dirty_stamp_(ring.size(), 0) {}

ClassCache::Entry& ClassCache::insert(const std::string& signature) {
  ClassTotals recycled;  // the evicted class's buffers, already sized: no allocation, no page faults
  if (classes_.size() >= max_classes_) {
    // The least recently used class the partner has no offer for (and does not hold): with
    // every class pinned the cache grows by one instead.
    auto victim_key = recency_.end();
    for (auto it = recency_.end(); it != recency_.begin();) {
      --it;
      const Entry& candidate = classes_.find(**it)->second;
      if (!partner_attached_ || (candidate.pins.load(std::memory_order_acquire) == 0 &&
                                 candidate.holder.load(std::memory_order_acquire) == Entry::kFree)) {
        victim_key = it;
        break;
      }
    }
    if (victim_key != recency_.end()) {
      const auto victim = classes_.find(**victim_key);
      if (&victim->second == scratch_owner_) scratch_owner_ = nullptr;  // its address may be reused
      if (&victim->second == held_) held_ = nullptr;
      recycled = std::move(victim->second.totals);
      recency_.erase(victim_key);
      classes_.erase(victim);
      ++evictions_;
    }
  }
  auto& [key, e] = *classes_.try_emplace(signature).first;
  e.totals = std::move(recycled);
  recency_.push_front(&key);
  e.recency = recency_.begin();
  return e;
}

void ClassCache::hold(Entry& e) {
  if (!partner_attached_ || held_ == &e) return;
  release_held();
  // The partner holds a class for one refresh (about a microsecond); yield now and then in
  // case it was descheduled mid-refresh on a busy machine.
  std::uint32_t expected = Entry::kFree;
  std::uint32_t spins = 0;
  while (!e.holder.compare_exchange_weak(expected, Entry::kDeciding, std::memory_order_acquire,
                                         std::memory_order_relaxed)) {
    expected = Entry::kFree;
    cpu_relax();
    if (++spins % 4096 == 0) std::this_thread::yield();
  }
  held_ = &e;
  // The partner's refresh wrote its tree without scratch_.
  if (e.partner_refreshed) {
    e.partner_refreshed = false;
    if (scratch_owner_ == &e) scratch_owner_ = nullptr;
  }
}

void ClassCache::release_held() {
  if (held_ == nullptr) return;
  held_->holder.store(Entry::kFree, std::memory_order_release);
  held_ = nullptr;
}

void ClassCache::attach_partner() { partner_attached_ = true; }

void ClassCache::detach_partner() {
  release_held();
  partner_attached_ = false;
}

bool ClassCache::pin_for_partner(Entry& e) {
  if (e.refresh == nullptr || e.needs_full_build) return false;
  e.pins.fetch_add(1, std::memory_order_relaxed);  // published to the partner with the offer
  return true;
}

ClassCache::Lookup ClassCache::lookup(const std::string& signature) {
  ++clock_;
  auto it = classes_.find(signature);
  // Its evaluation writes into scratch_: only the class scratch_ already holds stays whole.
  if (it == classes_.end() || &it->second != scratch_owner_) scratch_owner_ = nullptr;
  if (it == classes_.end()) {
    ++misses_;
    current_ = &insert(signature);
    hold(*current_);
    current_->totals.resize_tree(node_count_);
    current_->needs_full_build = true;
    return {scratch_.data(), true, {}};
  }
  ++hits_;
  current_ = &it->second;
  hold(*current_);
  touch(*current_);
  // Past an eighth of the nodes a full pass (parallel, streaming) beats the scattered one.
  // The walk runs once per decision over every bind since the class's last one (~the
  // number of classes in rotation): locals and a pre-sized dirty_ keep its loop free of
  // reloads (a store to dirty_stamp_ could alias a member) and of push_back's checks.
  const std::size_t limit = node_count_ / 8;
  if (dirty_.size() < limit + 1) dirty_.resize(limit + 1);
  state::NodeIndex* dirty = dirty_.data();
  std::uint64_t* stamp = dirty_stamp_.data();
  const state::NodeIndex* log = bind_log_.data();
  const std::uint32_t* rank = ring_.rank.data();
  const RingMaxTree& tree = current_->totals.tree;
  const std::uint64_t now = clock_;
  std::size_t count = 0;
  for (std::size_t i = current_->version, end = bind_log_.size(); i < end; ++i) {
    const state::NodeIndex n = log[i];
    if (stamp[n] == now) continue;
    stamp[n] = now;
    dirty[count] = n;
    // Ask for the class's leaf now: its miss then overlaps the caller's evaluation of the
    // dirty nodes instead of the refresh.
    tree.prefetch_leaf(rank[n]);
    if (++count > limit) {
      current_->needs_full_build = true;
      return {scratch_.data(), true, {}};
    }
  }
  dirty_count_ = count;
  current_->needs_full_build = false;
  return {scratch_.data(), false, {dirty, count}};
}

void ClassCache::mark_current() {
  Entry& e = *current_;
  if (e.needs_full_build) {
    e.totals.rebuild(ring_, scratch_.data());
  } else {
    e.totals.refresh({dirty_.data(), dirty_count_}, ring_, scratch_.data());
  }
  // A full build wrote every node; a refresh wrote the changed ones, which completes
  // scratch_ when it held this class's every other node already.
  scratch_complete_ = e.needs_full_build || scratch_owner_ == &e;
  scratch_owner_ = scratch_complete_ ? &e : nullptr;
  e.version = bind_log_.size();
}

const std::int64_t* ClassCache::totals_by_node() {
  if (!scratch_complete_) {
    const RingMaxTree& tree = current_->totals.tree;
    for (std::uint32_t p = 0; p < node_count_; ++p) scratch_[ring_.node_at_rank[p]] = tree.leaf(p);
    scratch_complete_ = true;
    scratch_owner_ = current_;
  }
  return scratch_.data();
}

void ClassCache::adopt(const std::string& signature, ClassTotals& totals) {
  ++clock_;
  ++misses_;
  const auto it = classes_.find(signature);
  Entry& e = it != classes_.end() ? it->second : insert(signature);
  hold(e);
  touch(e);
  // The caller keeps its by-node totals and gets the old tree back for its next speculation.
  std::swap(e.totals.tree, totals.tree);
  e.totals.feasible = totals.feasible;
  scratch_complete_ = false;
  scratch_owner_ = nullptr;  // the class's totals changed without scratch_
  e.version = bind_log_.size();
  e.needs_full_build = false;
  current_ = &e;
}

bool ClassCache::admit(const std::string& signature) {
  constexpr std::size_t kSlots = std::size_t{1} << 14;  // 128 KiB; far more than max_classes_
  if (offered_.empty()) offered_.assign(kSlots, 0);
  const std::size_t hash = std::hash<std::string>{}(signature) | 1U;  // never the empty slot's 0
  std::size_t& slot = offered_[hash & (kSlots - 1)];
  if (slot == hash) return true;
  slot = hash;
  return false;
}

std::pair<state::NodeIndex, std::size_t> ClassCache::best(std::uint32_t start) const {
  return {current_->totals.best(start, ring_), current_->totals.feasible};
}

}  // namespace podium::scheduler
