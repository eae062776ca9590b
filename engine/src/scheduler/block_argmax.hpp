#pragma once
// BlockArgmax: one decision's tie-rule winner over every node, kept as the winner of each
// block of kBlock consecutive nodes, so the winner after a few nodes' totals changed costs
// those nodes' blocks and one pass over the block winners.
//
//   totals by node:  [ 0 .. 63 | 64 .. 127 | ... | n-64 .. n-1 ]
//   block winners:   [   w0    |    w1     | ... |     wB      ]   (total, ring distance, node)
//   best = the tie rule's best of the block winners
//
// The speculative batches (sequential-equivalent mode) use it for a pod whose class is
// not going to be cached: a class tree (RingMaxTree, built over every node in ring order)
// answers any start position, but a speculated pod needs one start only, and a class met
// once never asks again. Building the block winners is a vectorised pass over totals that
// are still in cache; correcting after the batch's earlier commits touches <= batch size
// blocks.
//
// Exact: the tie rule (highest total, then smallest ring distance from the decision's
// start) is a total order, so the best of the block winners is the best of every node.
// Not thread-safe: one owner at a time.

#include <cstdint>
#include <span>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

class BlockArgmax {
 public:
  static constexpr std::size_t kBlock = 64;

  // Every block's winner among `totals` (by node, kInfeasible where rejected) for the
  // decision whose ring starts at `start`.
  void build(const framework::TieBreaker& ties, const std::int64_t* totals, std::size_t nodes, std::uint32_t start);
  // The totals of `changed` nodes were recomputed: their blocks' winners again.
  void refresh(std::span<const state::NodeIndex> changed, const std::int64_t* totals);
  // The best feasible node, or kNoNode when every node is infeasible.
  state::NodeIndex best() const;

 private:
  struct Winner {
    std::int64_t total = 0;
    std::uint32_t distance = ~0U;
    state::NodeIndex node = state::kNoNode;
  };
  Winner block_winner(std::size_t block, const std::int64_t* totals) const;

  const framework::TieBreaker* ties_ = nullptr;
  std::size_t nodes_ = 0;
  std::uint32_t start_ = 0;
  std::vector<Winner> winners_;
  std::vector<std::size_t> stale_;     // refresh: blocks to recompute, each once
};

}  // namespace podium::scheduler
