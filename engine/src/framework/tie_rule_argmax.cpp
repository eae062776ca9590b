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

// How the distance pass finds its i-th node's ring position: through ids (sparse, a
// gather), or from node `first` on (dense: rank read in order, no gathers). Dense offsets a
// pointer rather than adding i to `first`: a 32-bit first + i might wrap, and GCC then
// emulates a gather there too.
struct Sparse {
  const state::NodeIndex* __restrict ids;
  const std::uint32_t* base(const std::uint32_t* rank) const { return rank; }
  std::uint32_t rank_of(const std::uint32_t* __restrict rank, std::size_t i) const {
    return rank[static_cast<std::int32_t>(ids[i])];
  }
};
struct Dense {
  state::NodeIndex first;
  const std::uint32_t* base(const std::uint32_t* rank) const { return rank + first; }
  std::uint32_t rank_of(const std::uint32_t* __restrict rank_from_first, std::size_t i) const {
    return rank_from_first[i];
  }
};

// The ring distance from `start` of every node holding `best`, and its minimum: a 32-bit min
// reduction (no 64-bit keys, which GCC would not vectorise).
template <class Index>
PODIUM_MULTIVERSION std::uint32_t min_distance(Index index, const std::int64_t* __restrict totals, std::size_t count,
                                               std::int64_t best, const std::uint32_t* __restrict rank,
                                               std::uint32_t node_count, std::uint32_t start) {
  std::uint32_t least = ~0U;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t r = index.rank_of(rank, i);  // rank: index.base(TieBreaker::ranks())
    const std::uint32_t distance = r >= start ? r - start : r + node_count - start;  // TieBreaker::distance
    // All ones when the node does not hold the best total (mask arithmetic, not a select:
    // the 64-bit compare and the 32-bit distance then vectorise together).
    const std::uint32_t not_best = 0U - static_cast<std::uint32_t>(totals[i] != best);
    const std::uint32_t candidate = distance | not_best;
    least = candidate < least ? candidate : least;
  }
  return least;
}

// Whether ids[0, count) (count > 0) are the consecutive nodes ids[0], ids[0] + 1, ...: the
// last id first (a sorted sparse list fails there), then an OR of differences over all of
// them, since an unsorted list may still end where a run would.
PODIUM_MULTIVERSION
bool consecutive(const state::NodeIndex* __restrict ids, std::size_t count) {
  const state::NodeIndex first = ids[0];
  if (ids[count - 1] != first + static_cast<state::NodeIndex>(count - 1)) return false;
  state::NodeIndex differs = 0;
  for (std::size_t i = 0; i < count; ++i) differs |= ids[i] ^ (first + static_cast<state::NodeIndex>(i));
  return differs == 0;
}

template <class Index>
TieRuleWinner argmax_of(Index index, const std::int64_t* totals, std::size_t count, std::int64_t best,
                        const TieBreaker& ties, std::uint32_t start, std::int64_t at_least) {
  if (count == 0) return {};
  if (best < at_least) return {best, ~0U, state::kNoNode};
  const std::uint32_t node_count = ties.node_count();
  const std::uint32_t distance =
      min_distance(index, totals, count, best, index.base(ties.ranks().data()), node_count, start);
  // Some node holds `best`, so `distance` is a real one: the winner is the node at ring
  // position start + distance (mod node_count).
  const std::uint32_t position = distance < node_count - start ? start + distance : distance - (node_count - start);
  return {best, distance, ties.node_at_rank()[position]};
}

template <class Index>
TieRuleWinner argmax(Index index, const std::int64_t* totals, std::size_t count, const TieBreaker& ties,
                     std::uint32_t start, std::int64_t at_least) {
  if (count == 0) return {};
  return argmax_of(index, totals, count, max_total(totals, count), ties, start, at_least);
}

}  // namespace

TieRuleWinner tie_rule_argmax(const state::NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                              const TieBreaker& ties, std::uint32_t start) {
  constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::min();
  if (count > 0 && consecutive(ids, count)) return argmax(Dense{ids[0]}, totals, count, ties, start, kAny);
  return argmax(Sparse{ids}, totals, count, ties, start, kAny);
}

TieRuleWinner tie_rule_argmax_range(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                    const TieBreaker& ties, std::uint32_t start, std::int64_t at_least) {
  return argmax(Dense{first}, totals, count, ties, start, at_least);
}

TieRuleWinner tie_rule_argmax_range_of(state::NodeIndex first, const std::int64_t* totals, std::size_t count,
                                       std::int64_t best, const TieBreaker& ties, std::uint32_t start,
                                       std::int64_t at_least) {
  return argmax_of(Dense{first}, totals, count, best, ties, start, at_least);
}

}  // namespace podium::framework
