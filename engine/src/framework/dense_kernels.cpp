#include "framework/dense_kernels.hpp"

#include "common/multiversion.hpp"

namespace podium::framework {

PODIUM_MULTIVERSION
MaskedTotals mask_infeasible(const std::uint8_t* __restrict ok, std::size_t count, std::int64_t infeasible,
                             std::int64_t add, std::int64_t* __restrict totals) {
  std::int64_t best = infeasible;
  std::size_t feasible = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t keep = -static_cast<std::int64_t>(ok[i]);  // all ones where feasible
    const std::int64_t total = ((totals[i] + add) & keep) | (infeasible & ~keep);
    totals[i] = total;
    best = total > best ? total : best;
    feasible += ok[i];
  }
  return {feasible, best};
}

}  // namespace podium::framework
