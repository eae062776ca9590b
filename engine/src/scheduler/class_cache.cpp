#include "scheduler/class_cache.hpp"

#include <algorithm>

namespace podium::scheduler {

ClassCache::ClassCache(const std::vector<std::uint32_t>& ring_rank, std::size_t max_classes)
    : rank_(ring_rank),
      node_at_rank_(ring_rank.size()),
      node_count_(ring_rank.size()),
      max_classes_(std::max<std::size_t>(1, max_classes)),
      dirty_stamp_(ring_rank.size(), 0) {
  for (state::NodeIndex n = 0; n < node_count_; ++n) node_at_rank_[rank_[n]] = n;
}

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
    it->second.tree.reset(static_cast<std::uint32_t>(node_count_));
    current_ = &it->second;
    current_->last_used = clock_;
    current_->needs_full_build = true;
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
    if (dirty_.size() > node_count_ / 8) {
      current_->needs_full_build = true;
      return {current_->totals.data(), true, {}};
    }
  }
  current_->needs_full_build = false;
  return {current_->totals.data(), false, dirty_};
}

void ClassCache::mark_current() {
  Entry& e = *current_;
  constexpr std::int64_t kInfeasible = RingMaxTree::kEmpty;  // Framework::kInfeasible is the same value
  if (e.needs_full_build) {
    e.tree.build(static_cast<std::uint32_t>(node_count_), [&](std::uint32_t p) { return e.totals[node_at_rank_[p]]; });
    e.feasible = static_cast<std::size_t>(
        std::count_if(e.totals.begin(), e.totals.end(), [](std::int64_t t) { return t != kInfeasible; }));
  } else {
    for (const state::NodeIndex n : dirty_) {
      const std::int64_t before = e.tree.leaf(rank_[n]);
      const std::int64_t after = e.totals[n];
      if (before == after) continue;
      e.feasible += (after != kInfeasible ? 1 : 0) - (before != kInfeasible ? 1 : 0);
      e.tree.update(rank_[n], after);
    }
  }
  e.version = bind_log_.size();
}

std::pair<state::NodeIndex, std::size_t> ClassCache::best(std::uint32_t start) const {
  const std::uint32_t position = current_->tree.first_max_from(start);
  if (position == RingMaxTree::kNone) return {state::kNoNode, 0};
  return {node_at_rank_[position], current_->feasible};
}

}  // namespace podium::scheduler
