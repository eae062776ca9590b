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

PODIUM_MULTIVERSION
std::uint64_t min_ring_key(const state::NodeIndex* __restrict ids, const std::int64_t* __restrict totals,
                           std::size_t count, std::int64_t best, const std::uint32_t* __restrict rank,
                           std::uint32_t node_count, std::uint32_t start) {
  std::uint64_t least = ~std::uint64_t{0};
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t node = ids[i];
    const std::uint32_t r = rank[static_cast<std::int32_t>(node)];
    const std::uint32_t distance = r >= start ? r - start : r + node_count - start;  // TieBreaker::distance
    const std::uint64_t key = totals[i] == best ? (std::uint64_t{distance} << 32 | node) : ~std::uint64_t{0};
    least = std::min(least, key);
  }
  return least;
}

}  // namespace

TieRuleWinner tie_rule_argmax(const state::NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                              const std::uint32_t* rank, std::uint32_t node_count, std::uint32_t start) {
  if (count == 0) return {};
  const std::int64_t best = max_total(totals, count);
  const std::uint64_t key = min_ring_key(ids, totals, count, best, rank, node_count, start);
  return {best, static_cast<std::uint32_t>(key >> 32), static_cast<state::NodeIndex>(key & 0xffffffffu)};
}

}  // namespace podium::framework
