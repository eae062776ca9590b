#pragma once
// `flow`'s own copy of what each node has left — free pod slots and the free amount of
// every resource some class of the window requests — decremented as the placer proposes
// pods, so that proposals never over-commit a node in the placer's own bookkeeping.
//
//   slots              : [ n0 | n1 | ... ]                 allowed_pods - pod_count
//   free (row per r)   : [ r0: n0 n1 ... | r1: n0 n1 ... ] allocatable - requested
//   row_of[ResourceId] : the row of a resource, or kNoRow
//
// The checks mirror NodeResourcesFit's fitsRequest (the pod count, then every resource the
// pod requests > 0 against allocatable - requested) without its ignoredResources args: a
// profile that ignores a resource may accept more than this counts — conservative, the
// pods it leaves out fall back to the greedy path.
//
// Not thread-safe; one per propose() call.

#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::algorithms::flow {

using Demand = std::span<const std::pair<state::ResourceId, std::int64_t>>;

class FreeCapacity {
 public:
  // `resources`: every resource some pod to be checked requests.
  FreeCapacity(const state::ClusterState& cluster, std::span<const state::ResourceId> resources)
      : nodes_(cluster.nodes.size), row_of_(cluster.resources.size(), kNoRow), slots_(nodes_) {
    for (std::size_t n = 0; n < nodes_; ++n)
      slots_[n] = static_cast<std::int64_t>(cluster.nodes.allowed_pods[n]) - cluster.nodes.pod_count[n];
    for (const state::ResourceId r : resources) {
      if (row_of_[r] != kNoRow) continue;
      row_of_[r] = static_cast<std::uint32_t>(free_.size() / nodes_);
      const auto& allocatable = cluster.nodes.allocatable[r];
      const auto& requested = cluster.nodes.requested[r];
      for (std::size_t n = 0; n < nodes_; ++n) free_.push_back(allocatable[n] - requested[n]);
    }
  }

  std::int64_t slots(state::NodeIndex n) const { return slots_[n]; }

  // How many pods of this demand fit on node n as it stands in the bookkeeping.
  std::int64_t fits_alone(Demand demand, state::NodeIndex n) const {
    std::int64_t k = std::max<std::int64_t>(0, slots_[n]);
    for (const auto& [r, amount] : demand) k = std::min(k, std::max<std::int64_t>(0, free(r, n)) / amount);
    return k;
  }
  // Accounts one pod on node n if it fits; false (nothing changed) otherwise.
  bool take(Demand demand, state::NodeIndex n) {
    if (slots_[n] < 1) return false;
    for (const auto& [r, amount] : demand)
      if (free(r, n) < amount) return false;
    --slots_[n];
    for (const auto& [r, amount] : demand) free_[row_of_[r] * nodes_ + n] -= amount;
    return true;
  }

 private:
  static constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();
  std::int64_t free(state::ResourceId r, state::NodeIndex n) const { return free_[row_of_[r] * nodes_ + n]; }

  std::size_t nodes_;
  std::vector<std::uint32_t> row_of_;
  std::vector<std::int64_t> slots_;
  std::vector<std::int64_t> free_;
};

}  // namespace podium::algorithms::flow
