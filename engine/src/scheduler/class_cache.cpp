#include "scheduler/class_cache.hpp"

#include <algorithm>

namespace podium::scheduler {

ClassCache::ClassCache(const RingOrder& ring, std::size_t max_classes)
    : ring_(ring),
      node_count_(ring.size()),
      max_classes_(std::max<std::size_t>(1, max_classes)),
      dirty_stamp_(ring.size(), 0) {}

ClassCache::Entry& ClassCache::insert(const std::string& signature, ClassTotals* recycle_into) {
  if (classes_.size() >= max_classes_) {
    auto victim = std::min_element(classes_.begin(), classes_.end(),
                                   [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    if (recycle_into != nullptr) std::swap(*recycle_into, victim->second.totals);
    classes_.erase(victim);
  }
  Entry& e = classes_.emplace(signature, Entry{}).first->second;
  e.last_used = clock_;
  return e;
}

ClassCache::Lookup ClassCache::lookup(const std::string& signature) {
  ++clock_;
  auto it = classes_.find(signature);
  if (it == classes_.end()) {
    ++misses_;
    current_ = &insert(signature, nullptr);
    current_->totals.resize(node_count_);
    current_->needs_full_build = true;
    return {current_->totals.totals.data(), true, {}};
  }
  ++hits_;
  current_ = &it->second;
  current_->last_used = clock_;
  dirty_.clear();
  for (std::size_t i = current_->version; i < bind_log_.size(); ++i) {
    const state::NodeIndex n = bind_log_[i];
    if (dirty_stamp_[n] == clock_) continue;
    dirty_stamp_[n] = clock_;
    dirty_.push_back(n);
    // Past an eighth of the nodes a full pass (parallel, streaming) beats the scattered one.
    if (dirty_.size() > node_count_ / 8) {
      current_->needs_full_build = true;
      return {current_->totals.totals.data(), true, {}};
    }
  }
  current_->needs_full_build = false;
  return {current_->totals.totals.data(), false, dirty_};
}

void ClassCache::mark_current() {
  Entry& e = *current_;
  if (e.needs_full_build) {
    e.totals.rebuild(ring_);
  } else {
    e.totals.refresh(dirty_, ring_);
  }
  e.version = bind_log_.size();
}

void ClassCache::adopt(const std::string& signature, ClassTotals& totals) {
  ++clock_;
  ++misses_;
  ClassTotals recycled;
  const auto it = classes_.find(signature);
  Entry& e = it != classes_.end() ? it->second : insert(signature, &recycled);
  e.last_used = clock_;
  std::swap(e.totals, totals);
  std::swap(totals, recycled);
  e.version = bind_log_.size();
  e.needs_full_build = false;
  current_ = &e;
}

std::pair<state::NodeIndex, std::size_t> ClassCache::best(std::uint32_t start) const {
  return {current_->totals.best(start, ring_), current_->totals.feasible};
}

}  // namespace podium::scheduler
