#pragma once
// Nodes the flow cannot tell apart, merged into one graph vertex (Firmament's resource
// aggregation, Gog et al. OSDI'16 §5.2, done exactly rather than by a topology).
//
// Two nodes fall in one group when, for every active class, they have the same weighted
// total (or are both infeasible) and the same "pods of this class that fit alone" count,
// and the same free pod slots. Then any flow over the single nodes can be read as a flow
// over the groups and back (split a group's flow evenly over its members), so grouping
// loses nothing. Typical clusters have few node shapes, so thousands of empty nodes of one
// shape become one vertex.
//
//   offsets : [ 0 | 3 | 4 | ... ]       group g = nodes[offsets[g] .. offsets[g+1])
//   nodes   : [ 0 5 9 | 1 | 2 7 | ... ]  ascending within a group; groups by first node
//   fit     : [ g0: a0 a1 .. | g1: .. ]  per (group, active class): pods fitting alone on each
//                                       member (0: infeasible there)
//   total   : same shape                the class's weighted total on each member
//   slots   : per group                 free pod slots of each member
//
// Nodes no active class can use (no free slot, or infeasible / full for every class) are
// in no group.

#include <cstdint>
#include <span>
#include <vector>

#include "algorithms/flow/free_capacity.hpp"
#include "algorithms/flow/window_classes.hpp"

namespace podium::algorithms::flow {

struct NodeGroups {
  std::size_t active = 0;  // active classes: the row width of fit and total
  std::vector<std::uint32_t> offsets{0};
  std::vector<state::NodeIndex> nodes;
  std::vector<std::int64_t> fit;
  std::vector<std::int64_t> total;
  std::vector<std::int64_t> slots;

  std::size_t size() const { return slots.size(); }
  std::span<const state::NodeIndex> members(std::size_t g) const {
    return {nodes.data() + offsets[g], offsets[g + 1] - offsets[g]};
  }
};

// Groups for the classes `active` (indices into classes.classes) against the bookkeeping.
NodeGroups group_nodes(const WindowClasses& classes, std::span<const std::uint32_t> active,
                       const FreeCapacity& capacity);

}  // namespace podium::algorithms::flow
