#pragma once
// The min-cost flow problem `flow` solves for one round of one window: a transportation
// problem from pod classes to node groups, with a capacity on each group and an
// "unscheduled" escape per class (Quincy's U node, Isard et al. SOSP'09 §4):
//
//            supply = pods            cap k(c,g)·|g|              cap slots(g)·|g|
//   class c ─────────────────────────► group g ──────────────────────────────► sink
//      │      cost (M - total(c,g))·S                      cost 0               ▲
//      └──────────────────────────── unscheduled: cap pods, cost M·S + 1 ───────┘
//
// A group is a set of nodes with identical state for the flow (node_groups.hpp), so the
// class→group arc stands for |g| parallel class→node arcs and the group→sink arc for |g|
// node→sink arcs: the optimum over groups equals the optimum over single nodes.
//
// Costs: one unit of flow is one pod. A pod placed on a node of total t costs (M - t)·S,
// left unscheduled M·S + 1, so placing it is worth t·S + 1 against leaving it. With S
// larger than the number of pods, minimising cost maximises first the summed total and
// then, among equal sums, the number of pods placed (the +1s add up to less than S).
//
// Not thread-safe per instance; solve() is pure given the problem.

#include <cstdint>
#include <string>
#include <vector>

namespace podium::algorithms::flow {

enum class Solver : std::uint8_t {
  kNetworkSimplex,   // LEMON NetworkSimplex (block-search pivot), the default
  kCapacityScaling,  // LEMON CapacityScaling (successive shortest paths with scaling)
};

struct TransportArc {
  std::uint32_t cls = 0;     // class id
  std::uint32_t group = 0;   // group id
  std::int64_t capacity = 0;  // pods of the class the group's nodes take, each alone
  std::int64_t cost = 0;
};

struct TransportProblem {
  std::vector<std::int64_t> supply;          // per class: pods to place
  std::vector<std::int64_t> unscheduled_cost;  // per class
  std::vector<std::int64_t> group_capacity;  // per group: pods the group takes in all
  std::vector<TransportArc> arcs;            // class → group, any order
};

struct TransportSolution {
  std::vector<std::int64_t> flow;  // per arc of the problem: pods of arc.cls sent to arc.group
  std::size_t graph_nodes = 0;     // vertices and arcs of the graph handed to the solver
  std::size_t graph_arcs = 0;
};

// Solves to optimality (the problem is always feasible: every class can stay unscheduled).
TransportSolution solve_transport(const TransportProblem& problem, Solver solver);

}  // namespace podium::algorithms::flow
