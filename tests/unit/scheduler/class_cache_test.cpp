// ClassCache::totals_by_node against the totals written out, through runs of one class
// (where scratch_ is completed by the refresh alone), switches between classes, evictions
// and adopted classes: every step's by-node totals must be the class's current ones.

#include "scheduler/class_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "podium/framework/tie_breaker.hpp"

namespace podium::scheduler {
namespace {

constexpr std::uint32_t kNodes = 67;

// A class's total on a node after the node's `binds`-th bind: kInfeasible on some.
std::int64_t truth(std::size_t klass, state::NodeIndex node, std::uint32_t binds) {
  const std::uint64_t h = framework::splitmix64((klass * 1000003ULL + node) * 7919ULL + binds);
  return h % 11 == 0 ? ClassTotals::kInfeasible : static_cast<std::int64_t>(h % 50);
}

TEST(ClassCache, TotalsByNodeAreTheClassesCurrentTotalsThroughRunsSwitchesEvictionsAndAdoption) {
  const framework::TieBreaker ties(kNodes, 3);
  const RingOrder ring(ties);
  ClassCache cache(ring, /*max_classes=*/2);
  std::vector<std::uint32_t> binds(kNodes, 0);
  std::uint64_t s = 9;
  std::size_t klass = 0;
  for (int step = 0; step < 600; ++step) {
    s = framework::splitmix64(s);
    // Mostly runs of one class; sometimes another of three (two fit: evictions).
    if (s % 5 == 0) klass = (s >> 8) % 3;
    const std::string signature = "class-" + std::to_string(klass);
    if ((s >> 16) % 23 == 0) {
      ClassTotals adopted;
      adopted.resize(kNodes);
      for (state::NodeIndex n = 0; n < kNodes; ++n) adopted.totals[n] = truth(klass, n, binds[n]);
      adopted.rebuild(ring);
      cache.adopt(signature, adopted);
    } else {
      const ClassCache::Lookup look = cache.lookup(signature);
      if (look.full) {
        for (state::NodeIndex n = 0; n < kNodes; ++n) look.totals[n] = truth(klass, n, binds[n]);
      } else {
        for (const state::NodeIndex n : look.dirty) look.totals[n] = truth(klass, n, binds[n]);
      }
      cache.mark_current();
    }
    // Not every decision reads the by-node totals (tree-only decisions, speculated pods):
    // skipping some leaves scratch_ as those leave it.
    if ((s >> 40) % 3 != 0) {
      const std::int64_t* by_node = cache.totals_by_node();
      for (state::NodeIndex n = 0; n < kNodes; ++n)
        ASSERT_EQ(by_node[n], truth(klass, n, binds[n])) << "step " << step << ", class " << klass << ", node " << n;
    }
    // One to three binds before the next decision.
    for (std::uint64_t b = 0; b <= (s >> 24) % 3; ++b) {
      const auto node = static_cast<state::NodeIndex>((s >> (44 + 6 * b)) % kNodes);
      ++binds[node];
      cache.record_bind(node);
    }
  }
}

// lookup's dirty list: each node bound since the class was last brought current, once, in
// the order of its first bind since then; past an eighth of the nodes, a full pass instead.
TEST(ClassCache, DirtyListsTheDistinctNodesBoundSinceTheClassWasLastCurrent) {
  const framework::TieBreaker ties(kNodes, 3);
  const RingOrder ring(ties);
  ClassCache cache(ring, /*max_classes=*/4);
  const auto bring_current = [&](const std::string& signature) {
    const ClassCache::Lookup look = cache.lookup(signature);
    if (look.full) {
      for (state::NodeIndex n = 0; n < kNodes; ++n) look.totals[n] = 1;
    } else {
      for (const state::NodeIndex n : look.dirty) look.totals[n] = 1;
    }
    cache.mark_current();
    return look;
  };
  EXPECT_TRUE(bring_current("a").full);  // new class
  EXPECT_TRUE(bring_current("b").full);
  for (const state::NodeIndex n : {5U, 9U, 5U, 60U, 9U, 0U}) cache.record_bind(n);
  const auto a = bring_current("a");
  ASSERT_FALSE(a.full);
  EXPECT_EQ(std::vector<state::NodeIndex>(a.dirty.begin(), a.dirty.end()), (std::vector<state::NodeIndex>{5, 9, 60, 0}));
  cache.record_bind(9);
  const auto again = bring_current("a");
  EXPECT_EQ(std::vector<state::NodeIndex>(again.dirty.begin(), again.dirty.end()), (std::vector<state::NodeIndex>{9}));
  // "b" has not been current since before every bind above: 5, 9, 60, 0 (9 bound twice more).
  const auto b = bring_current("b");
  EXPECT_EQ(std::vector<state::NodeIndex>(b.dirty.begin(), b.dirty.end()), (std::vector<state::NodeIndex>{5, 9, 60, 0}));
  // kNodes / 8 = 8 distinct nodes still go node by node (repeats do not count); a ninth is a full pass.
  for (state::NodeIndex n = 10; n < 18; ++n) {
    cache.record_bind(n);
    cache.record_bind(n);
  }
  const auto eight = bring_current("a");
  ASSERT_FALSE(eight.full);
  EXPECT_EQ(eight.dirty.size(), 8U);
  for (state::NodeIndex n = 10; n < 19; ++n) cache.record_bind(n);
  EXPECT_TRUE(bring_current("a").full);
}

}  // namespace
}  // namespace podium::scheduler
