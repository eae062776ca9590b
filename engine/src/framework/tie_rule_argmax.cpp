#include "framework/tie_rule_argmax.hpp"

#include <algorithm>
#include <limits>

#include "common/multiversion.hpp"

namespace podium::framework {
namespace {

PODIUM_MULTIVERSION
std::int64_t max_total(const std::int64_t* __restrict totals, std::size_t count) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) best = std::max(best, totals[i]);
  return best;
}

// How a pass finds its i-th node: through ids (sparse), or node first + i (dense: rank and
// totals read in order, no gathers).
struct Sparse {
  const state::NodeIndex* __restrict ids;
  std::int32_t operator()(std::size_t i) const { return static_cast<std::int32_t>(ids[i]); }
};
struct Dense {
  state::NodeIndex first;
  state::NodeIndex operator()(std::size_t i) const { return first + static_cast<state::NodeIndex>(i); }
};

// The ring distance from `start` of every node holding `best`, and its minimum: a 32-bit min
// reduction (no 64-bit keys, which GCC would not vectorise).
template <class Index>
PODIUM_MULTIVERSION std::uint32_t min_distance(Index index, const std::int64_t* __restrict totals, std::size_t count,
                                               std::int64_t best, const std::uint32_t* __restrict rank,
                                               std::uint32_t node_count, std::uint32_t start) {
  std::uint32_t least = ~0U;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t r = rank[index(i)];
    const std::uint32_t distance = r >= start ? r - start : r + node_count - start;  // TieBreaker::distance
    // All ones when the node does not hold the best total (mask arithmetic, not a select:
    // the 64-bit compare and the 32-bit distance then vectorise together).
    const std::uint32_t not_best = 0U - static_cast<std::uint32_t>(totals[i] != best);
    const std::uint32_t candidate = distance | not_best;
    least = candidate < least ? candidate : least;
  }
  return least;
}

// The one node at ring distance `distance` (distances are unique for a start): an OR
// reduction over a mask that holds exactly one node.
template <class Index>
PODIUM_MULTIVERSION state::NodeIndex node_at_distance(Index index, std::size_t count,
                                                      const std::uint32_t* __restrict rank, std::uint32_t node_count,
                                                      std::uint32_t start, std::uint32_t distance) {
  const std::uint32_t position = start + distance < node_count ? start + distance : start + distance - node_count;
  state::NodeIndex found = 0;
  for (std::size_t i = 0; i < count; ++i)
    found |= rank[index(i)] == position ? static_cast<state::NodeIndex>(index(i)) : 0U;
  return found;
}

template <class Index>
TieRuleWinner argmax(Index index, const std::int64_t* totals, std::size_t count, const std::uint32_t* rank,
                     std::uint32_t node_count, std::uint32_t start, std::int64_t at_least) {
  if (count == 0) return {};
  const std::int64_t best = max_total(totals, count);
  if (best < at_least) return {best, ~0U, state::kNoNode};
  const std::uint32_t distance = min_distance(index, totals, count, best, rank, node_count, start);
  return {best, distance, node_at_distance(index, count, rank, node_count, start, distance)};
}

}  // namespace

TieRuleWinner tie_rule_argmax(const state::NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                              const std::uint32_t* rank, std::uint32_t node_count, std::uint32_t start) {
  return argmax(Sparse{ids}, totals, count, rank, node_count, start, std::numeric_limits<std::int64_t>::min());
}

TieRuleWinner tie_rule_argmax_range(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                    const std::uint32_t* rank, std::uint32_t node_count, std::uint32_t start,
                                    std::int64_t at_least) {
  return argmax(Dense{first}, totals, count, rank, node_count, start, at_least);
}

}  // namespace podium::framework
