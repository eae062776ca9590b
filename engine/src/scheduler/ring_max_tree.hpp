#pragma once
// RingMaxTree: a max segment tree over node totals, laid out in tie-ring order
// (framework/tie_breaker.hpp), answering "the best total, and the first node holding it
// walking the ring from position `start`" in O(log n), after O(log n) point updates.
//
//   tree_[1]                      max of everything
//   tree_[2], tree_[3]            max of each half of the ring
//   ...
//   tree_[leaves_ + p]            total of the node at ring position p (kEmpty if none)
//
// This is what lets a cached equivalence class pick its node without rescanning: after a
// bind only the bound node's leaf changes. Not thread-safe; owned by one class entry.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace podium::scheduler {

class RingMaxTree {
 public:
  static constexpr std::int64_t kEmpty = std::numeric_limits<std::int64_t>::min();
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  RingMaxTree() { reset(0); }
  explicit RingMaxTree(std::uint32_t positions) { reset(positions); }

  void reset(std::uint32_t positions) {
    leaves_ = 1;
    while (leaves_ < positions) leaves_ <<= 1;
    tree_.assign(2 * static_cast<std::size_t>(leaves_), kEmpty);
  }

  // Sets every leaf (value_at(p) for each position p) and rebuilds the inner nodes: O(n).
  template <class ValueAt>
  void build(std::uint32_t positions, ValueAt value_at) {
    for (std::uint32_t p = 0; p < positions; ++p) tree_[leaves_ + p] = value_at(p);
    for (std::uint32_t i = leaves_ - 1; i >= 1; --i) tree_[i] = std::max(tree_[2 * i], tree_[2 * i + 1]);
  }

  std::int64_t leaf(std::uint32_t position) const { return tree_[leaves_ + position]; }

  void update(std::uint32_t position, std::int64_t value) {
    std::uint32_t i = leaves_ + position;
    tree_[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) {
      const std::int64_t m = std::max(tree_[2 * i], tree_[2 * i + 1]);
      if (tree_[i] == m) break;  // nothing above can change
      tree_[i] = m;
    }
  }

  std::int64_t max() const { return tree_[1]; }

  // The first position at or after `start`, wrapping around, whose value equals max();
  // kNone when the tree holds only kEmpty.
  std::uint32_t first_max_from(std::uint32_t start) const {
    if (tree_[1] == kEmpty) return kNone;
    const std::uint32_t found = leftmost_max_at_or_after(1, 0, leaves_, start);
    return found != kNone ? found : leftmost_max_at_or_after(1, 0, leaves_, 0);
  }

 private:
  // Leftmost position >= from inside node i's range [lo, hi) holding the global max.
  std::uint32_t leftmost_max_at_or_after(std::uint32_t i, std::uint32_t lo, std::uint32_t hi,
                                         std::uint32_t from) const {
    if (hi <= from || tree_[i] != tree_[1]) return kNone;
    if (hi - lo == 1) return lo;
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::uint32_t left = leftmost_max_at_or_after(2 * i, lo, mid, from);
    return left != kNone ? left : leftmost_max_at_or_after(2 * i + 1, mid, hi, from);
  }

  std::uint32_t leaves_ = 1;
  std::vector<std::int64_t> tree_;
};

}  // namespace podium::scheduler
