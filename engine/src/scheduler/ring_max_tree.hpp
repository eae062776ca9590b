#pragma once
// RingMaxTree: a max tree over node totals, laid out in tie-ring order
// (framework/tie_breaker.hpp), answering "the best total, and the first node holding it
// walking the ring from position `start`" in O(log n), after O(log n) point updates.
//
// Eight children per node, each group of eight siblings one 64-byte cache line:
//
//   level 3:  [ m ]                                   the maximum of everything
//   level 2:  [ m m ... ]                             max of each group of 64 leaves
//   level 1:  [ m m m m m m m m | m m ... ]           max of each group of 8 leaves
//   level 0:  [ t t t t t t t t | t t t t t t t t | ... ]   total at ring position p
//
// This is what lets a cached equivalence class pick its node without rescanning: after a
// bind only the bound node's leaf changes, and the update walks up one cache line per
// level (5,000 nodes: 5 levels; a binary tree needs 13, and the class cache's refresh is
// bound by those cache misses). Not thread-safe; owned by one class entry.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "podium/common/aligned_vector.hpp"

namespace podium::scheduler {

class RingMaxTree {
 public:
  static constexpr std::int64_t kEmpty = std::numeric_limits<std::int64_t>::min();
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  static constexpr std::uint32_t kFanout = 8;
  static constexpr std::uint32_t kFanoutBits = 3;
  static_assert(kFanout == 1U << kFanoutBits);

  RingMaxTree() { reset(0); }
  explicit RingMaxTree(std::uint32_t positions) { reset(positions); }

  void reset(std::uint32_t positions) {
    positions_ = positions;
    offsets_.clear();
    sizes_.clear();
    spans_.clear();
    std::size_t total = 0;
    std::size_t size = std::max<std::uint32_t>(positions, 1);
    std::size_t span = 1;
    for (;;) {
      offsets_.push_back(total);
      sizes_.push_back(size);
      spans_.push_back(span);
      total += round_up(size);  // every group of eight complete, so each level's groups align
      if (size == 1) break;
      size = (size + kFanout - 1) / kFanout;
      span *= kFanout;
    }
    values_.assign(total, kEmpty);
  }

  // Sets every leaf (value_at(p) for each position p) and rebuilds the inner levels: O(n).
  template <class ValueAt>
  void build(std::uint32_t positions, ValueAt value_at) {
    std::int64_t* leaves = values_.data();
    for (std::uint32_t p = 0; p < positions; ++p) leaves[p] = value_at(p);
    for (std::size_t level = 1; level < offsets_.size(); ++level)
      for (std::size_t i = 0; i < sizes_[level]; ++i) at(level, i) = group_max(level - 1, i);
  }

  std::uint32_t positions() const { return positions_; }
  std::int64_t leaf(std::uint32_t position) const { return values_[position]; }
  void prefetch_leaf(std::uint32_t position) const { __builtin_prefetch(values_.data() + position, 1); }
  // Asks for the levels above the leaves' parents (an eighth of an eighth of the tree: 14
  // lines at 5,000 positions), which every query reads: for a tree another thread wrote last.
  void prefetch_upper_levels() const {
    if (offsets_.size() < 3) return;
    for (std::size_t i = offsets_[2]; i < values_.size(); i += 8) __builtin_prefetch(values_.data() + i, 1);
  }

  void update(std::uint32_t position, std::int64_t value) {
    values_[position] = value;
    std::size_t i = position;
    for (std::size_t level = 1; level < offsets_.size(); ++level) {
      i /= kFanout;
      const std::int64_t m = group_max(level - 1, i);
      if (at(level, i) == m) break;  // nothing above can change
      at(level, i) = m;
    }
  }

  // Batched update, for many changed leaves at once (the class cache's refresh): set each
  // with set_leaf, then refresh_above brings the levels above them up to date, level by
  // level. No early exit and no data-dependent branch: update()'s "did the parent change?"
  // is one per level, while each level here is a fixed loop of independent group maxima
  // the CPU overlaps (1.13x on RealisticShapes despite more instructions: BENCHMARKS.md). A level with fewer entries than changed
  // leaves is rebuilt whole (its entries recomputed once, not once per leaf under them).
  void set_leaf(std::uint32_t position, std::int64_t value) { values_[position] = value; }
  // The changed leaves are at positions rank[nodes[k]] (ring_max_tree.cpp: the group maxima
  // are one vector max per 64-byte group where the CPU has a 64-bit max, AVX-512).
  void refresh_above(std::span<const std::uint32_t> nodes, const std::uint32_t* rank);

  std::int64_t max() const { return values_[offsets_.back()]; }

  // The first position at or after `start`, wrapping around, whose value equals max();
  // kNone when the tree holds only kEmpty.
  std::uint32_t first_max_from(std::uint32_t start) const {
    const std::int64_t best = max();
    if (best == kEmpty) return kNone;
    const std::size_t top = offsets_.size() - 1;
    const std::uint32_t found = leftmost_at_or_after(top, 0, start, best);
    return found != kNone ? found : leftmost_at_or_after(top, 0, 0, best);
  }

 public:
  // The maximum of one group of eight values (one 64-byte line): a fixed loop, which the
  // x86-64-v4 clone of refresh_above turns into one vector max (AVX-512 has a 64-bit max).
  static std::int64_t max_of_group(const std::int64_t* group) {
    std::int64_t m = group[0];
    for (std::uint32_t k = 1; k < kFanout; ++k) m = group[k] > m ? group[k] : m;
    return m;
  }

 private:
  static std::size_t round_up(std::size_t n) { return (n + kFanout - 1) / kFanout * kFanout; }
  std::int64_t& at(std::size_t level, std::size_t i) { return values_[offsets_[level] + i]; }
  std::int64_t at(std::size_t level, std::size_t i) const { return values_[offsets_[level] + i]; }
  // The maximum of the eight children of entry `parent` of level `child_level` + 1.
  std::int64_t group_max(std::size_t child_level, std::size_t parent) const {
    return max_of_group(values_.data() + offsets_[child_level] + parent * kFanout);
  }
  // Leftmost leaf >= from under entry i of `level` whose value is `best`; kNone if none.
  std::uint32_t leftmost_at_or_after(std::size_t level, std::size_t i, std::uint32_t from, std::int64_t best) const {
    if (at(level, i) != best) return kNone;
    if (level == 0) return i >= from ? static_cast<std::uint32_t>(i) : kNone;
    const std::size_t span = spans_[level - 1];  // leaves under one entry of level - 1
    for (std::size_t child = i * kFanout; child < (i + 1) * kFanout; ++child) {
      if ((child + 1) * span <= from) continue;  // wholly before `from`
      const std::uint32_t found = leftmost_at_or_after(level - 1, child, from, best);
      if (found != kNone) return found;
    }
    return kNone;
  }

  std::uint32_t positions_ = 0;
  std::vector<std::size_t> offsets_;  // where each level starts in values_; the last is the root
  std::vector<std::size_t> sizes_;    // entries in use per level (the rest of its groups: kEmpty)
  std::vector<std::size_t> spans_;    // leaves under one entry, per level
  AlignedVector<std::int64_t> values_;
};

}  // namespace podium::scheduler
