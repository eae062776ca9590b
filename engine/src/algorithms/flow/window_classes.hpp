#pragma once
// The pods of one window that `flow` places, cut into equivalence classes, with each
// class's weighted total on every node at the window's start (Firmament's task
// equivalence classes, Gog et al. OSDI'16 §5.2: one graph vertex per class, not per pod).
//
//   classes[c] ─► framework, representative pod, members (window positions, ascending),
//                 demand (resources it requests, with amounts)
//   totals     ─► [ c0: n0 n1 n2 ... | c1: n0 n1 n2 ... | ... ]   int64, kInfeasible where
//                 a cached filter rejects the node (Framework::evaluate_all)
//
// Who is left out (its proposal stays kNoNode, so the scheduler decides it greedily with
// the profile's own choice, at its turn):
//   * pods no profile names;
//   * pods whose decision depends on other placements: !Framework::decides_locally — a
//     topology spread or inter-pod affinity constraint acts, or a scorer that normalizes
//     over the feasible set acts — and every pod of a profile that samples nodes
//     (percentageOfNodesToScore: its decision depends on the walk position);
//   * pods with host ports: two such pods can collide on one node, which per-class "how
//     many fit alone" counts cannot express;
//   * pods a PreFilter rejects outright (the scheduler reports why).
// For every pod kept, no live plugin acts, so evaluate_all's totals (which leave the live
// plugins out) are the pod's whole score: the flow's costs are exact at window start.
//
// Classes are ordered by the window position of their first member; pods of one profile
// with equal Framework::signature() share a class (a profile whose plugins cannot sign
// puts every pod in a class of its own).

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "podium/algorithms/algorithm.hpp"

namespace podium::algorithms::flow {

struct PodClass {
  framework::Framework* framework = nullptr;
  PodIndex representative = 0;
  std::vector<std::uint32_t> members;                       // window positions, ascending
  std::vector<std::pair<state::ResourceId, std::int64_t>> demand;  // requests > 0, ascending id
};

struct WindowClasses {
  std::vector<PodClass> classes;
  std::size_t node_count = 0;
  std::vector<std::int64_t> totals;  // [class * node_count + node]
  const std::int64_t* totals_of(std::size_t c) const { return totals.data() + c * node_count; }
};

WindowClasses classify_window(const WindowContext& ctx, std::span<const PodIndex> window);

}  // namespace podium::algorithms::flow
