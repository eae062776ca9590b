#include "scheduler/block_argmax.hpp"

#include <algorithm>

#include "framework/tie_rule_argmax.hpp"

namespace podium::scheduler {

namespace {
constexpr std::int64_t kInfeasible = INT64_MIN;  // Framework::kInfeasible
}  // namespace

BlockArgmax::Winner BlockArgmax::block_winner(std::size_t block, const std::int64_t* totals) const {
  const std::size_t begin = block * kBlock;
  const std::size_t count = std::min(kBlock, nodes_ - begin);
  const framework::TieRuleWinner w =
      framework::tie_rule_argmax_range(static_cast<state::NodeIndex>(begin), totals + begin, count, *ties_, start_,
                                       kInfeasible);
  // A block of rejected nodes only: its "winner" holds kInfeasible and never wins.
  if (w.total == kInfeasible) return {};
  return {w.total, w.distance, w.node};
}

void BlockArgmax::build(const framework::TieBreaker& ties, const std::int64_t* totals, std::size_t nodes,
                        std::uint32_t start) {
  ties_ = &ties;
  start_ = start;
  if (nodes_ != nodes) {
    nodes_ = nodes;
    winners_.resize((nodes + kBlock - 1) / kBlock);
  }
  for (std::size_t b = 0; b < winners_.size(); ++b) winners_[b] = block_winner(b, totals);
}

void BlockArgmax::refresh(std::span<const state::NodeIndex> changed, const std::int64_t* totals) {
  stale_.clear();
  for (const state::NodeIndex n : changed) stale_.push_back(n / kBlock);
  std::sort(stale_.begin(), stale_.end());
  stale_.erase(std::unique(stale_.begin(), stale_.end()), stale_.end());
  for (const std::size_t b : stale_) winners_[b] = block_winner(b, totals);
}

state::NodeIndex BlockArgmax::best() const {
  Winner best;
  for (const Winner& w : winners_) {
    if (w.node == state::kNoNode) continue;
    if (best.node == state::kNoNode || w.total > best.total || (w.total == best.total && w.distance < best.distance))
      best = w;
  }
  return best.node;
}

}  // namespace podium::scheduler
