#include "plugins/interpodaffinity/score_kernels.hpp"

#include <algorithm>
#include <limits>

#include "common/multiversion.hpp"

namespace podium::plugins::interpodaffinity::detail {
namespace {

// scores[i] = raw(i) for every i, and the least and greatest of them folded into lo / hi.
// Inlined into each clone below, so that each loop is compiled for the clone's vector width
// with no branch inside: the by-node form is contiguous loads when the feasible list is
// every node in order, a gather otherwise; the by-domain form gathers twice.
template <class Raw>
[[gnu::always_inline]] inline void write_with_range(std::size_t count, Raw raw, std::int64_t* __restrict scores,
                                                    std::int64_t& lo, std::int64_t& hi) {
  std::int64_t a = lo;
  std::int64_t b = hi;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t s = raw(i);
    scores[i] = s;
    a = std::min(a, s);
    b = std::max(b, s);
  }
  lo = a;
  hi = b;
}

// Weights that fit in int32 (a term's weight is at most 100): a 32 x 32 -> 64-bit multiply,
// one vector op where a full 64-bit one is three.
PODIUM_MULTIVERSION
void in_order(std::size_t count, const std::int32_t* __restrict va, std::int32_t wa, const std::int32_t* __restrict vb,
              std::int32_t wb, std::int64_t* __restrict scores, std::int64_t& lo, std::int64_t& hi) {
  write_with_range(
      count, [=](std::size_t i) { return std::int64_t{wa} * va[i] + std::int64_t{wb} * vb[i]; }, scores, lo, hi);
}

PODIUM_MULTIVERSION
void by_node(const state::NodeIndex* __restrict nodes, std::size_t count, const std::int32_t* __restrict va,
             std::int64_t wa, const std::int32_t* __restrict vb, std::int64_t wb, std::int64_t* __restrict scores,
             std::int64_t& lo, std::int64_t& hi) {
  write_with_range(
      count, [=](std::size_t i) { return wa * va[nodes[i]] + wb * vb[nodes[i]]; }, scores, lo, hi);
}

PODIUM_MULTIVERSION
void by_domain(const state::NodeIndex* __restrict nodes, std::size_t count, const std::int32_t* __restrict domain,
               const std::int32_t* __restrict va, std::int64_t wa, const std::int32_t* __restrict vb, std::int64_t wb,
               std::int64_t* __restrict scores, std::int64_t& lo, std::int64_t& hi) {
  write_with_range(
      count,
      [=](std::size_t i) {
        const std::int32_t d = domain[nodes[i]];
        return d >= 0 ? wa * va[d] + wb * vb[d] : std::int64_t{0};
      },
      scores, lo, hi);
}

// nodes[i] == i for every i: one vector compare pass, a small fraction of a gathering one.
PODIUM_MULTIVERSION
bool is_every_node_in_order(const state::NodeIndex* __restrict nodes, std::size_t count) {
  // A run from nodes[0] (every node, or one half of them on the split live path).
  const state::NodeIndex first = count == 0 ? 0 : nodes[0];
  state::NodeIndex differ = 0;
  for (std::size_t i = 0; i < count; ++i) differ |= nodes[i] ^ (first + static_cast<state::NodeIndex>(i));
  return differ == 0;
}

PODIUM_MULTIVERSION
void table_pass(std::int64_t* __restrict scores, std::size_t count, std::int64_t lo,
                const std::int64_t* __restrict table) {
  for (std::size_t i = 0; i < count; ++i) scores[i] = table[scores[i] - lo];
}

PODIUM_MULTIVERSION
// Through int32 both ways (the caller's bounds: 0 <= scores[i] - lo < 2^31, results at most
// MaxNodeScore), the same values as through int64: AVX2 converts int32 <-> double in
// vectors, int64 only with AVX-512.
void scale(std::int64_t* __restrict scores, std::size_t count, std::int64_t lo, double factor) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto above_min = static_cast<std::int32_t>(scores[i] - lo);
    scores[i] = static_cast<std::int32_t>(static_cast<double>(above_min) * factor);
  }
}

}  // namespace

helper::ScoreRange score_one_key(const state::NodeIndex* nodes, std::size_t count, const std::int32_t* domain,
                                 const std::int32_t* va, std::int64_t wa, const std::int32_t* vb, std::int64_t wb,
                                 std::int64_t* scores) {
  helper::ScoreRange range;
  if (vb == nullptr) {  // one column: read it twice with weight 0 rather than branch per node
    vb = va;
    wb = 0;
  }
  auto fits_int32 = [](std::int64_t w) {
    return w >= std::numeric_limits<std::int32_t>::min() && w <= std::numeric_limits<std::int32_t>::max();
  };
  if (domain == nullptr && count > 0 && fits_int32(wa) && fits_int32(wb) && is_every_node_in_order(nodes, count)) {
    in_order(count, va + nodes[0], static_cast<std::int32_t>(wa), vb + nodes[0], static_cast<std::int32_t>(wb), scores,
             range.min, range.max);
  } else if (domain == nullptr) {
    by_node(nodes, count, va, wa, vb, wb, scores, range.min, range.max);
  } else {
    by_domain(nodes, count, domain, va, wa, vb, wb, scores, range.min, range.max);
  }
  return range;
}

void scale_above_min(std::int64_t* scores, std::size_t count, std::int64_t lo, double factor) {
  scale(scores, count, lo, factor);
}

void apply_table(std::int64_t* scores, std::size_t count, std::int64_t lo, const std::int64_t* table) {
  table_pass(scores, count, lo, table);
}

}  // namespace podium::plugins::interpodaffinity::detail
