#include "plugins/interpodaffinity/score_kernels.hpp"

#include <algorithm>

#include "common/multiversion.hpp"

namespace podium::plugins::interpodaffinity::detail {
namespace {

// Each loop is its own clone so that the compiler sees restrict pointers and no branch
// inside: the by-node form is contiguous loads when the feasible list is every node, a
// gather otherwise; the by-domain form gathers twice.
PODIUM_MULTIVERSION
void by_node(const state::NodeIndex* __restrict nodes, std::size_t count, const std::int32_t* __restrict va,
             std::int64_t wa, const std::int32_t* __restrict vb, std::int64_t wb, std::int64_t* __restrict scores,
             std::int64_t& lo, std::int64_t& hi) {
  std::int64_t a = lo;
  std::int64_t b = hi;
  for (std::size_t i = 0; i < count; ++i) {
    const state::NodeIndex n = nodes[i];
    const std::int64_t s = wa * va[n] + wb * vb[n];
    scores[i] = s;
    a = std::min(a, s);
    b = std::max(b, s);
  }
  lo = a;
  hi = b;
}

PODIUM_MULTIVERSION
void by_domain(const state::NodeIndex* __restrict nodes, std::size_t count, const std::int32_t* __restrict domain,
               const std::int32_t* __restrict va, std::int64_t wa, const std::int32_t* __restrict vb, std::int64_t wb,
               std::int64_t* __restrict scores, std::int64_t& lo, std::int64_t& hi) {
  std::int64_t a = lo;
  std::int64_t b = hi;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int32_t d = domain[nodes[i]];
    const std::int64_t s = d >= 0 ? wa * va[d] + wb * vb[d] : 0;
    scores[i] = s;
    a = std::min(a, s);
    b = std::max(b, s);
  }
  lo = a;
  hi = b;
}

PODIUM_MULTIVERSION
void table_pass(std::int64_t* __restrict scores, std::size_t count, std::int64_t lo,
                const std::int64_t* __restrict table) {
  for (std::size_t i = 0; i < count; ++i) scores[i] = table[scores[i] - lo];
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
  if (domain == nullptr) {
    by_node(nodes, count, va, wa, vb, wb, scores, range.min, range.max);
  } else {
    by_domain(nodes, count, domain, va, wa, vb, wb, scores, range.min, range.max);
  }
  return range;
}

void apply_table(std::int64_t* scores, std::size_t count, std::int64_t lo, const std::int64_t* table) {
  table_pass(scores, count, lo, table);
}

}  // namespace podium::plugins::interpodaffinity::detail
