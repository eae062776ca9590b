// RingMaxTree against a brute-force scan of the tie rule: best total, then the first
// position walking the ring from the start.

#include "scheduler/ring_max_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "podium/framework/tie_breaker.hpp"

namespace {

using podium::scheduler::RingMaxTree;

std::uint32_t brute_force(const std::vector<std::int64_t>& v, std::uint32_t start) {
  std::int64_t best = RingMaxTree::kEmpty;
  for (auto x : v) best = std::max(best, x);
  if (best == RingMaxTree::kEmpty) return RingMaxTree::kNone;
  const auto n = static_cast<std::uint32_t>(v.size());
  for (std::uint32_t step = 0; step < n; ++step)
    if (v[(start + step) % n] == best) return (start + step) % n;
  return RingMaxTree::kNone;
}

TEST(RingMaxTree, AgreesWithABruteForceScanThroughRandomUpdates) {
  std::uint64_t s = 42;
  for (std::uint32_t size : {1U, 2U, 3U, 7U, 8U, 9U, 64U, 65U, 100U, 513U, 1000U, 5000U}) {
    std::vector<std::int64_t> values(size, RingMaxTree::kEmpty);
    RingMaxTree tree(size);
    for (int step = 0; step < 3000; ++step) {
      s = podium::framework::splitmix64(s);
      const auto p = podium::framework::bounded(s, size);
      // Few distinct values, so ties are the common case.
      const auto roll = podium::framework::bounded(s >> 7, 6);
      values[p] = roll == 0 ? RingMaxTree::kEmpty : static_cast<std::int64_t>(roll);
      tree.update(p, values[p]);
      const auto start = podium::framework::bounded(s >> 17, size);
      ASSERT_EQ(tree.first_max_from(start), brute_force(values, start)) << "size " << size << " step " << step;
    }
  }
}

TEST(RingMaxTree, BuildMatchesUpdates) {
  const std::vector<std::int64_t> v{5, RingMaxTree::kEmpty, 9, 9, 1};
  RingMaxTree tree(5);
  tree.build(5, [&](std::uint32_t p) { return v[p]; });
  EXPECT_EQ(tree.max(), 9);
  EXPECT_EQ(tree.first_max_from(0), 2U);
  EXPECT_EQ(tree.first_max_from(3), 3U);
  EXPECT_EQ(tree.first_max_from(4), 2U);  // wraps around
}

TEST(RingMaxTree, UpdatesAfterABuildAgreeWithABruteForceScan) {
  // Six levels, and a partial last group of eight at every level.
  const std::uint32_t size = 4100;
  std::vector<std::int64_t> values(size);
  std::uint64_t s = 7;
  for (auto& v : values) {
    s = podium::framework::splitmix64(s);
    v = static_cast<std::int64_t>(podium::framework::bounded(s, 50));
  }
  RingMaxTree tree(size);
  tree.build(size, [&](std::uint32_t p) { return values[p]; });
  for (int step = 0; step < 2000; ++step) {
    s = podium::framework::splitmix64(s);
    const auto p = podium::framework::bounded(s, size);
    values[p] = static_cast<std::int64_t>(podium::framework::bounded(s >> 9, 52)) - 1;  // lower and raise the max
    tree.update(p, values[p]);
    const auto start = podium::framework::bounded(s >> 21, size);
    ASSERT_EQ(tree.first_max_from(start), brute_force(values, start)) << "step " << step;
    ASSERT_EQ(tree.leaf(p), values[p]);
  }
}

// The batched update (set_leaf for many positions, then refresh_above) against a brute-force
// scan: batches of one leaf up to more leaves than whole levels hold (those levels are
// rebuilt whole), repeated positions, raises and lowers, interleaved with single updates.
TEST(RingMaxTree, BatchedRefreshAgreesWithABruteForceScan) {
  std::uint64_t s = 5;
  for (std::uint32_t size : {1U, 2U, 8U, 9U, 64U, 65U, 513U, 5000U}) {
    std::vector<std::int64_t> values(size, RingMaxTree::kEmpty);
    RingMaxTree tree(size);
    // Nodes reach their leaves through a shuffled rank (the tie ring), as in the class cache.
    std::vector<std::uint32_t> rank(size);
    std::iota(rank.begin(), rank.end(), 0U);
    for (std::uint32_t i = size; i > 1; --i) {
      s = podium::framework::splitmix64(s);
      std::swap(rank[i - 1], rank[podium::framework::bounded(s, i)]);
    }
    std::vector<std::uint32_t> batch;  // nodes
    for (int round = 0; round < 300; ++round) {
      s = podium::framework::splitmix64(s);
      const auto count = 1 + podium::framework::bounded(s, round % 10 == 0 ? size + 3 : 12);
      batch.clear();
      for (std::uint64_t k = 0; k < count; ++k) {
        s = podium::framework::splitmix64(s);
        const auto node = static_cast<std::uint32_t>(podium::framework::bounded(s, size));
        const auto p = rank[node];
        // Few distinct values, so ties are the common case.
        const auto roll = podium::framework::bounded(s >> 7, 7);
        values[p] = roll == 0 ? RingMaxTree::kEmpty : static_cast<std::int64_t>(roll);
        tree.set_leaf(p, values[p]);
        batch.push_back(node);
      }
      tree.refresh_above(batch, rank.data());
      if (round % 3 == 0) {  // a single update between batches
        const auto p = podium::framework::bounded(s >> 20, size);
        values[p] = static_cast<std::int64_t>(podium::framework::bounded(s >> 30, 8));
        tree.update(p, values[p]);
      }
      ASSERT_EQ(tree.max(), *std::max_element(values.begin(), values.end())) << "size " << size << " round " << round;
      for (int q = 0; q < 4; ++q) {
        const auto start = podium::framework::bounded(s >> (10 + 8 * q), size);
        ASSERT_EQ(tree.first_max_from(start), brute_force(values, start)) << "size " << size << " round " << round;
      }
    }
  }
}

TEST(RingMaxTree, ReportsNoneWhenEveryLeafIsEmpty) {
  RingMaxTree tree(4);
  EXPECT_EQ(tree.first_max_from(1), RingMaxTree::kNone);
}

}  // namespace
