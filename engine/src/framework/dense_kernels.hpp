#pragma once
// Framework::dense_pass's own per-node passes over a batch's feasibility mask, as
// vectorisable kernels (PODIUM_MULTIVERSION): framework.cpp itself is built for baseline
// x86-64, where the masking loop became a compare and branch per node.

#include <cstddef>
#include <cstdint>

namespace podium::framework {

struct MaskedTotals {
  std::size_t feasible;  // how many of ok[0, count) are 1
  std::int64_t best;     // the highest total afterwards (the tie rule's first pass)
};

// totals[i] = infeasible where ok[i] is 0 (every entry is 0 or 1), totals[i] + add where 1;
// branch free, counting the feasible nodes and finding the best total in the same pass.
MaskedTotals mask_infeasible(const std::uint8_t* ok, std::size_t count, std::int64_t infeasible, std::int64_t add,
                             std::int64_t* totals);

}  // namespace podium::framework
