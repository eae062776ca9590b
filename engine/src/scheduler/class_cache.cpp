#include "scheduler/class_cache.hpp"

#include <algorithm>

namespace podium::scheduler {

ClassCache::ClassCache(std::size_t node_count, std::size_t max_classes)
    : node_count_(node_count), max_classes_(std::max<std::size_t>(1, max_classes)), dirty_stamp_(node_count, 0) {}

ClassCache::Lookup ClassCache::lookup(const std::string& signature) {
  ++clock_;
  auto it = classes_.find(signature);
  if (it == classes_.end()) {
    ++misses_;
    if (classes_.size() >= max_classes_) {
      auto victim = std::min_element(classes_.begin(), classes_.end(),
                                     [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
      classes_.erase(victim);
    }
    it = classes_.emplace(signature, Entry{}).first;
    it->second.totals.resize(node_count_);
    current_ = &it->second;
    current_->last_used = clock_;
    return {current_->totals.data(), true, {}};
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
    if (dirty_.size() > node_count_ / 8) return {current_->totals.data(), true, {}};
  }
  return {current_->totals.data(), false, dirty_};
}

void ClassCache::mark_current() { current_->version = bind_log_.size(); }

}  // namespace podium::scheduler
