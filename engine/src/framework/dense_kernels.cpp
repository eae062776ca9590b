#include "framework/dense_kernels.hpp"

#include "common/multiversion.hpp"

namespace podium::framework {

PODIUM_MULTIVERSION
std::size_t count_feasible(const std::uint8_t* __restrict ok, std::size_t count) {
  std::size_t feasible = 0;
  for (std::size_t i = 0; i < count; ++i) feasible += ok[i];
  return feasible;
}

PODIUM_MULTIVERSION
void mask_infeasible(const std::uint8_t* __restrict ok, std::size_t count, std::int64_t infeasible,
                     std::int64_t* __restrict totals) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t keep = -static_cast<std::int64_t>(ok[i]);  // all ones where feasible
    totals[i] = (totals[i] & keep) | (infeasible & ~keep);
  }
}

PODIUM_MULTIVERSION
std::int64_t mask_infeasible_max(const std::uint8_t* __restrict ok, std::size_t count, std::int64_t infeasible,
                                 std::int64_t* __restrict totals) {
  std::int64_t best = infeasible;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t keep = -static_cast<std::int64_t>(ok[i]);
    const std::int64_t total = (totals[i] & keep) | (infeasible & ~keep);
    totals[i] = total;
    best = total > best ? total : best;
  }
  return best;
}

}  // namespace podium::framework
