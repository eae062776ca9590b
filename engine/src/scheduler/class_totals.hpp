#pragma once
// ClassTotals: one equivalence class's weighted total on every node, plus the same totals
// in a RingMaxTree (tie-ring order) and the count of feasible nodes, so the class's best
// node for any decision is a tree query. The class cache keeps one per cached class; the
// speculative batches (sequential-equivalent mode) fill one per speculated pod on a worker
// and hand it to the cache when the pod commits.
//
// Not thread-safe: one owner at a time.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/state/cluster_state.hpp"
#include "scheduler/ring_max_tree.hpp"

namespace podium::scheduler {

// The tie ring as both maps, read from the TieBreaker (which must outlive it):
// rank[node] and node_at_rank[position].
struct RingOrder {
  const std::vector<std::uint32_t>& rank;
  const std::vector<state::NodeIndex>& node_at_rank;
  explicit RingOrder(const framework::TieBreaker& ties) : rank(ties.ranks()), node_at_rank(ties.node_at_rank()) {}
  std::size_t size() const { return rank.size(); }
};

struct ClassTotals {
  static constexpr std::int64_t kInfeasible = RingMaxTree::kEmpty;  // Framework::kInfeasible

  std::vector<std::int64_t> totals;  // by node; kInfeasible where a filter rejects the node
  RingMaxTree tree;                  // the same totals by ring position
  std::size_t feasible = 0;

  // Sizes the buffers for `nodes` nodes (contents undefined until rebuild).
  void resize(std::size_t nodes) {
    if (totals.size() != nodes) totals.resize(nodes);
    resize_tree(nodes);
  }
  // The tree alone (a class cache entry keeps no by-node copy: see ClassCache).
  void resize_tree(std::size_t nodes) {
    if (tree.positions() != nodes) tree.reset(static_cast<std::uint32_t>(nodes));
  }
  // Every total was (re)computed into `by_node` (default: `totals`): rebuild the tree
  // and the feasible count. O(nodes).
  void rebuild(const RingOrder& ring) { rebuild(ring, totals.data()); }
  void rebuild(const RingOrder& ring, const std::int64_t* by_node) {
    const auto n = static_cast<std::uint32_t>(ring.size());
    tree.build(n, [&](std::uint32_t p) { return by_node[ring.node_at_rank[p]]; });
    feasible = static_cast<std::size_t>(
        std::count_if(by_node, by_node + n, [](std::int64_t t) { return t != kInfeasible; }));
  }
  // Only `changed` nodes' totals were recomputed, into `by_node` (default: `totals`):
  // O(changed * log nodes).
  void refresh(std::span<const state::NodeIndex> changed, const RingOrder& ring) {
    refresh(changed, ring, totals.data());
  }
  void refresh(std::span<const state::NodeIndex> changed, const RingOrder& ring, const std::int64_t* by_node) {
    // The leaves are scattered over the ring: ask for all their lines first, so the
    // cache misses overlap instead of queueing behind each other.
    for (const state::NodeIndex n : changed) tree.prefetch_leaf(ring.rank[n]);
    // Leaves first, then the levels above them in one batched pass (RingMaxTree::
    // refresh_above): no branch on whether a total or a parent changed.
    std::ptrdiff_t gained = 0;
    for (const state::NodeIndex n : changed) {
      const std::uint32_t position = ring.rank[n];
      const std::int64_t before = tree.leaf(position);
      const std::int64_t after = by_node[n];
      gained += (after != kInfeasible ? 1 : 0) - (before != kInfeasible ? 1 : 0);
      tree.set_leaf(position, after);
    }
    feasible = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(feasible) + gained);
    tree.refresh_above(changed, ring.rank.data());
  }
  // The best node for a decision whose tie ring starts at `start`: highest total, then the
  // first such node walking the ring from `start`. kNoNode when no node is feasible.
  state::NodeIndex best(std::uint32_t start, const RingOrder& ring) const {
    const std::uint32_t position = tree.first_max_from(start);
    return position == RingMaxTree::kNone ? state::kNoNode : ring.node_at_rank[position];
  }

  // best(), among the nodes `accept(node)` takes: the tree is asked for its best node, and a
  // node `accept` refuses is taken out of the tree (its leaf emptied) and the tree asked
  // again, so nodes are tried in the tie rule's order (total desc, ring distance asc) and
  // the first accepted one is exactly the winner over the accepted nodes. The emptied
  // leaves are put back before returning: the tree is left as it was. Gives up after
  // `max_refusals` refusals (searched == false; the caller scans instead), since each
  // costs two O(log n) updates and a scan wins when most of the top is refused.
  struct Search {
    state::NodeIndex node = state::kNoNode;  // kNoNode: none accepted (or gave up)
    bool searched = true;                    // false: gave up after max_refusals
  };
  template <class Accept>
  Search best_accepted(std::uint32_t start, const RingOrder& ring, Accept&& accept, std::size_t max_refusals) {
    Search result;
    refused_.clear();
    for (;;) {
      const std::uint32_t position = tree.first_max_from(start);
      if (position == RingMaxTree::kNone) break;  // every feasible node refused
      const state::NodeIndex node = ring.node_at_rank[position];
      if (accept(node)) {
        result.node = node;
        break;
      }
      if (refused_.size() == max_refusals) {
        result.searched = false;
        break;
      }
      refused_.emplace_back(position, tree.leaf(position));
      tree.update(position, RingMaxTree::kEmpty);
    }
    // The leaves are the restore's source: a cached class keeps no by-node totals.
    for (const auto& [position, value] : refused_) tree.update(position, value);
    return result;
  }

 private:
  std::vector<std::pair<std::uint32_t, std::int64_t>> refused_;  // best_accepted's scratch: emptied leaves
};

}  // namespace podium::scheduler
