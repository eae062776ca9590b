#pragma once
// Choosing among nodes with the same best total score.
//
// Upstream (schedule_one.go selectHost) picks uniformly at random among the tied nodes,
// with a process-wide random source: not reproducible. Podium's rule is reproducible and
// still spreads ties:
//
//   * the seed shuffles the nodes into a ring (a fixed permutation, rank[node]);
//   * each decision draws a start point on that ring from (seed, decision index);
//   * among the tied nodes, the winner is the first one met walking the ring clockwise
//     from the start point.
//
// Every tied node can win, the winner depends only on the seed, the pod's position in the
// queue and the scores — never on the thread count or on how nodes were split into
// batches — and the rule is a total order (ring distance is unique per node), so parallel
// reductions of partial winners commute. It also suits incremental structures: "best
// total, then smallest ring distance" is a range-max query on a ring-ordered tree.

#include <cstdint>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::framework {

class TieBreaker {
 public:
  TieBreaker() = default;
  TieBreaker(std::size_t node_count, std::uint64_t seed);

  // The ring start for the decision at `decision_index` (0-based position in the queue).
  std::uint32_t start_for(std::uint64_t decision_index) const;

  // Steps from `start` to the node walking the ring; unique per node for a given start.
  std::uint32_t distance(state::NodeIndex node, std::uint32_t start) const {
    const std::uint32_t r = rank_[node];
    return r >= start ? r - start : r + node_count_ - start;
  }

  const std::vector<std::uint32_t>& ranks() const { return rank_; }
  // The inverse map, node_at_rank()[position] = the node at that ring position: the node at
  // a known distance from a start in O(1).
  const std::vector<state::NodeIndex>& node_at_rank() const { return node_at_rank_; }
  std::uint32_t node_count() const { return node_count_; }

 private:
  std::uint32_t node_count_ = 0;
  std::uint64_t seed_ = 0;
  std::vector<std::uint32_t> rank_;
  std::vector<state::NodeIndex> node_at_rank_;
};

// splitmix64: the standard 64-bit mixer; all of Podium's seeded choices derive from it so
// results never depend on a standard library's distribution implementation.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A uniform integer in [0, bound) from a 64-bit random value (Lemire's multiply-shift; the
// bias is below 2^-32 for any bound Podium uses).
constexpr std::uint32_t bounded(std::uint64_t random, std::uint32_t bound) {
  __extension__ using U128 = unsigned __int128;  // GCC/Clang builtin; the one 64x64->128 multiply
  return static_cast<std::uint32_t>((static_cast<U128>(random) * bound) >> 64);
}

}  // namespace podium::framework
