#include "framework/live_kernels.hpp"

#include "common/multiversion.hpp"

namespace podium::framework {
namespace {

// A count, not a bool OR: GCC vectorises the 64-bit sum and leaves the bool reduction scalar.
PODIUM_MULTIVERSION
std::size_t count_equal(const std::int64_t* __restrict totals, std::size_t count, std::int64_t value) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < count; ++i) equal += totals[i] == value ? 1 : 0;
  return equal;
}

PODIUM_MULTIVERSION
void every_node(state::NodeIndex* __restrict ids, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) ids[i] = static_cast<state::NodeIndex>(i);
}

// In place (from == totals) or from another array: separate loops, each with restrict
// pointers, so neither needs a runtime overlap check (which an exact alias would fail).
PODIUM_MULTIVERSION
void weighted_add(std::int64_t* __restrict totals, const std::int64_t* __restrict scores, std::size_t count,
                  std::int64_t weight) {
  for (std::size_t i = 0; i < count; ++i) totals[i] += scores[i] * weight;
}

PODIUM_MULTIVERSION
void weighted_sum(std::int64_t* __restrict totals, const std::int64_t* __restrict from,
                  const std::int64_t* __restrict scores, std::size_t count, std::int64_t weight) {
  for (std::size_t i = 0; i < count; ++i) totals[i] = from[i] + scores[i] * weight;
}

}  // namespace

void add_weighted(std::int64_t* totals, const std::int64_t* from, const std::int64_t* scores, std::size_t count,
                  std::int64_t weight) {
  if (from == totals) {
    weighted_add(totals, scores, count, weight);
  } else {
    weighted_sum(totals, from, scores, count, weight);
  }
}

bool every_node_feasible(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible) {
  return count_equal(totals, node_count, infeasible) == 0;
}

std::size_t feasible_ids(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible,
                         state::NodeIndex* ids) {
  if (every_node_feasible(totals, node_count, infeasible)) {
    every_node(ids, node_count);
    return node_count;
  }
  return compact_feasible(totals, node_count, infeasible, ids);
}

std::size_t compact_feasible(const std::int64_t* totals, std::size_t node_count, std::int64_t infeasible,
                             state::NodeIndex* ids) {
  // Branch-free compaction: every id is written, the count advances past the kept ones.
  std::size_t count = 0;
  for (state::NodeIndex n = 0; n < node_count; ++n) {
    ids[count] = n;
    count += totals[n] != infeasible ? 1 : 0;
  }
  return count;
}

}  // namespace podium::framework
