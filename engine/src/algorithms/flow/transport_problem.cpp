// The only file that talks to LEMON (1.3.1, Debian's liblemon-dev): builds the graph of
// transport_problem.hpp and reads the flow back.
//
// LEMON's CostScaling is not offered: in 1.3.1 it instantiates StaticDigraph's ArrayMap,
// which calls std::allocator::construct/destroy, removed in C++20, so it does not compile
// in this C++20 tree. NetworkSimplex and CapacityScaling use only SmartDigraph's vector
// maps and compile cleanly.

#include "algorithms/flow/transport_problem.hpp"

#include <lemon/capacity_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <stdexcept>

namespace podium::algorithms::flow {
namespace {

using Graph = lemon::SmartDigraph;

template <typename Algorithm>
void run_and_read(Algorithm& algorithm, const std::vector<Graph::Arc>& transport_arcs, TransportSolution& out) {
  // Always feasible (the unscheduled arcs take every pod) and bounded (costs are finite,
  // capacities finite): anything but OPTIMAL is a bug in building the problem.
  if (algorithm.run() != Algorithm::OPTIMAL) throw std::logic_error("flow: the transport problem has no optimum");
  out.flow.resize(transport_arcs.size());
  for (std::size_t i = 0; i < transport_arcs.size(); ++i) out.flow[i] = algorithm.flow(transport_arcs[i]);
}

}  // namespace

TransportSolution solve_transport(const TransportProblem& problem, Solver solver) {
  Graph graph;
  const std::size_t classes = problem.supply.size();
  const std::size_t groups = problem.group_capacity.size();
  graph.reserveNode(static_cast<int>(classes + groups + 1));
  graph.reserveArc(static_cast<int>(problem.arcs.size() + classes + groups));

  std::vector<Graph::Node> class_node(classes);
  std::vector<Graph::Node> group_node(groups);
  for (auto& v : class_node) v = graph.addNode();
  for (auto& v : group_node) v = graph.addNode();
  const Graph::Node sink = graph.addNode();

  Graph::ArcMap<std::int64_t> capacity(graph);
  Graph::ArcMap<std::int64_t> cost(graph);
  Graph::NodeMap<std::int64_t> supply(graph, 0);
  auto add = [&](Graph::Node from, Graph::Node to, std::int64_t cap, std::int64_t c) {
    const Graph::Arc a = graph.addArc(from, to);
    capacity[a] = cap;
    cost[a] = c;
    return a;
  };

  std::vector<Graph::Arc> transport_arcs;
  transport_arcs.reserve(problem.arcs.size());
  for (const TransportArc& a : problem.arcs)
    transport_arcs.push_back(add(class_node[a.cls], group_node[a.group], a.capacity, a.cost));
  std::int64_t total_supply = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    add(class_node[c], sink, problem.supply[c], problem.unscheduled_cost[c]);
    supply[class_node[c]] = problem.supply[c];
    total_supply += problem.supply[c];
  }
  for (std::size_t g = 0; g < groups; ++g) add(group_node[g], sink, problem.group_capacity[g], 0);
  supply[sink] = -total_supply;

  TransportSolution out;
  out.graph_nodes = static_cast<std::size_t>(graph.nodeNum());
  out.graph_arcs = static_cast<std::size_t>(graph.arcNum());
  switch (solver) {
    case Solver::kNetworkSimplex: {
      lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t> ns(graph);
      ns.upperMap(capacity).costMap(cost).supplyMap(supply);
      run_and_read(ns, transport_arcs, out);
      break;
    }
    case Solver::kCapacityScaling: {
      lemon::CapacityScaling<Graph, std::int64_t, std::int64_t> cs(graph);
      cs.upperMap(capacity).costMap(cost).supplyMap(supply);
      run_and_read(cs, transport_arcs, out);
      break;
    }
  }
  return out;
}

}  // namespace podium::algorithms::flow
