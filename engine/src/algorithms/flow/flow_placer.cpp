// flow: batch placement by min-cost flow, after Quincy (Isard et al., "Quincy: Fair
// Scheduling for Distributed Computing Clusters", SOSP'09) and Firmament (Gog et al.,
// "Firmament: Fast, Centralized Cluster Scheduling at Scale", OSDI'16).
//
// One window of pending pods at a time:
//
//   window ─► classify_window: the pods flow may decide, as equivalence classes, each
//             with its weighted total on every node at window start (window_classes.hpp)
//          ─► round r = 1..rounds:
//               group_nodes: nodes with identical state for the flow → one vertex each
//               solve_transport: classes → groups → sink, min cost = max summed total
//               assign: the flow, pod by pod (window order within a class), onto the
//                 group's nodes round-robin, each accounted in FreeCapacity; a pod that
//                 fits no node of its group any more is dropped and waits for round r+1
//             until a round drops nothing
//          ─► proposals; every other pod stays kNoNode (the scheduler decides it greedily)
//
// Why rounds: the per-class capacity of a class→group arc is "how many of this class fit
// on each node alone", which ignores other classes sharing the node (the true problem is a
// multi-commodity flow, NP-hard in its integer form). The bookkeeping catches the pods the
// relaxation over-packs, and the next round re-solves for them on what is left — so a
// proposal never over-commits a node by the placer's own accounting, and the scheduler's
// re-check at commit time rejects only what pods decided greedily in between took.
//
// Departures from the papers: costs are the profile's own weighted scores (not data
// locality or wait time); the "unscheduled" cost is fixed, not growing with waiting time;
// no preemption (a pod running elsewhere is never moved); arcs go to node groups directly,
// with no rack/cluster aggregator vertices; each window is solved from scratch (Firmament
// re-solves incrementally).

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

#include "algorithms/builtin_algorithms.hpp"
#include "algorithms/flow/free_capacity.hpp"
#include "algorithms/flow/node_groups.hpp"
#include "algorithms/flow/transport_problem.hpp"
#include "algorithms/flow/window_classes.hpp"

namespace podium::algorithms {
namespace {

using flow::FreeCapacity;
using flow::NodeGroups;
using flow::Solver;
using flow::TransportProblem;
using flow::WindowClasses;

// Cost scale S of transport_problem.hpp: pods + 1, unless the costs would then risk
// overflowing int64 in the solver's sums; then 1 (the objective becomes the summed total
// plus one per placed pod — placements still count, ties between sums are no longer
// broken towards more pods).
std::int64_t cost_scale(std::int64_t pods, std::int64_t spread) {
  const long double worst = static_cast<long double>(spread + 1) * static_cast<long double>(pods + 1) *
                            static_cast<long double>(pods + 1);
  return worst < 0x1p61L ? pods + 1 : 1;
}

class FlowPlacer final : public WindowPlacer {
 public:
  FlowPlacer(Solver solver, std::size_t rounds) : solver_(solver), rounds_(rounds) {}

  void propose(const WindowContext& ctx, std::span<const PodIndex> window, std::span<NodeIndex> proposal,
               WindowStats& stats) override {
    const WindowClasses classes = flow::classify_window(ctx, window);
    if (classes.classes.empty()) return;
    std::vector<state::ResourceId> resources;
    for (const auto& c : classes.classes)
      for (const auto& [r, amount] : c.demand) resources.push_back(r);
    FreeCapacity capacity(ctx.cluster, resources);

    // next_[c]: members[0 .. next_[c]) of class c are proposed; the rest wait.
    next_.assign(classes.classes.size(), 0);
    dominant_shares(ctx.cluster, classes);
    for (std::size_t round = 0; round < rounds_; ++round) {
      std::size_t dropped = 0;
      if (!place_round(classes, capacity, proposal, stats, dropped) || dropped == 0) break;
    }
  }

 private:
  // One solve over the pods still waiting. False when there was nothing to solve.
  bool place_round(const WindowClasses& classes, FreeCapacity& capacity, std::span<NodeIndex> proposal,
                   WindowStats& stats, std::size_t& dropped) {
    active_.clear();
    for (std::uint32_t c = 0; c < classes.classes.size(); ++c)
      if (next_[c] < classes.classes[c].members.size()) active_.push_back(c);
    if (active_.empty()) return false;
    const NodeGroups groups = flow::group_nodes(classes, active_, capacity);
    if (groups.size() == 0) return false;

    TransportProblem problem;
    std::int64_t pods = 0;
    std::int64_t best = 0;
    std::int64_t worst = 0;
    bool any = false;
    for (std::size_t a = 0; a < active_.size(); ++a) {
      const auto waiting = static_cast<std::int64_t>(classes.classes[active_[a]].members.size() - next_[active_[a]]);
      problem.supply.push_back(waiting);
      pods += waiting;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups.fit[g * groups.active + a] == 0) continue;
        const std::int64_t t = groups.total[g * groups.active + a];
        best = any ? std::max(best, t) : t;
        worst = any ? std::min(worst, t) : t;
        any = true;
      }
    }
    if (!any) return false;
    const std::int64_t floor = std::min<std::int64_t>(worst, 0);  // totals are >= 0 in every built-in scorer
    const std::int64_t scale = cost_scale(pods, best - floor);
    for (std::size_t a = 0; a < active_.size(); ++a) {
      problem.unscheduled_cost.push_back((best - floor) * scale + 1);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const std::int64_t k = groups.fit[g * groups.active + a];
        if (k == 0) continue;
        const auto members = static_cast<std::int64_t>(groups.members(g).size());
        problem.arcs.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(g), k * members,
                                (best - groups.total[g * groups.active + a]) * scale});
      }
    }
    for (std::size_t g = 0; g < groups.size(); ++g)
      problem.group_capacity.push_back(groups.slots[g] * static_cast<std::int64_t>(groups.members(g).size()));

    const auto start = std::chrono::steady_clock::now();
    const flow::TransportSolution solution = flow::solve_transport(problem, solver_);
    stats.solve_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats.graph_nodes += solution.graph_nodes;
    stats.graph_arcs += solution.graph_arcs;

    // The relaxation may send several classes to one node that cannot take them all; the
    // bookkeeping then keeps the pods it meets first. Larger pods first (first-fit
    // decreasing, by dominant share): the small ones are the easier to re-place in the
    // next round. Within a class, groups ascending; each group hands out its nodes
    // round-robin from where the last class stopped, so classes sharing a group spread.
    order_.resize(problem.arcs.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t x, std::size_t y) {
      return share_[active_[problem.arcs[x].cls]] > share_[active_[problem.arcs[y].cls]];
    });
    cursor_.assign(groups.size(), 0);
    for (const std::size_t i : order_) {
      std::int64_t flow = solution.flow[i];
      if (flow == 0) continue;
      const std::uint32_t c = active_[problem.arcs[i].cls];
      const std::uint32_t g = problem.arcs[i].group;
      const auto& cls = classes.classes[c];
      const auto nodes = groups.members(g);
      alive_.resize(nodes.size());
      for (std::size_t j = 0; j < nodes.size(); ++j) alive_[j] = static_cast<std::uint32_t>((cursor_[g] + j) % nodes.size());
      std::size_t at = 0;
      while (flow > 0 && !alive_.empty()) {
        if (at >= alive_.size()) at = 0;
        const NodeIndex n = nodes[alive_[at]];
        const std::uint32_t position = cls.members[next_[c]];
        // Resources only shrink within a window, so a node this class no longer fits
        // stays out for the rest of the arc.
        if (!capacity.take(cls.demand, n)) {
          alive_.erase(alive_.begin() + static_cast<std::ptrdiff_t>(at));
          continue;
        }
        proposal[position] = n;
        ++stats.proposed;
        ++next_[c];
        --flow;
        cursor_[g] = (alive_[at] + 1) % static_cast<std::uint32_t>(nodes.size());
        ++at;
      }
      dropped += static_cast<std::size_t>(flow);
    }
    return true;
  }

  // share_[c]: the class's largest request relative to the mean node's allocatable of
  // that resource (Ghodsi et al.'s dominant share, against an average node).
  void dominant_shares(const state::ClusterState& cluster, const WindowClasses& classes) {
    share_.assign(classes.classes.size(), 0.0);
    const auto nodes = static_cast<double>(std::max<std::size_t>(1, cluster.nodes.size));
    for (std::size_t c = 0; c < classes.classes.size(); ++c) {
      for (const auto& [r, amount] : classes.classes[c].demand) {
        const auto& column = cluster.nodes.allocatable[r];
        const double mean = static_cast<double>(std::accumulate(column.begin(), column.end(), std::int64_t{0})) / nodes;
        share_[c] = std::max(share_[c], mean > 0 ? static_cast<double>(amount) / mean : 1.0);
      }
    }
  }

  Solver solver_;
  std::size_t rounds_;
  std::vector<double> share_;
  std::vector<std::size_t> order_;
  // Scratch, reused across windows.
  std::vector<std::size_t> next_;
  std::vector<std::uint32_t> active_;
  std::vector<std::uint32_t> cursor_;
  std::vector<std::uint32_t> alive_;
};

Solver parse_solver(const std::string& text) {
  if (text == "network-simplex") return Solver::kNetworkSimplex;
  if (text == "capacity-scaling") return Solver::kCapacityScaling;
  throw std::invalid_argument("algorithm \"flow\": knob solver=\"" + text +
                              "\" is not one of network-simplex, capacity-scaling");
}

}  // namespace

AlgorithmDescriptor flow_descriptor() {
  return {"flow",
          "batch placement: each window's pods as a min-cost flow from pod classes to groups of identical nodes, "
          "maximising the summed profile score; pods whose decision depends on others fall back to default",
          "Quincy (Isard et al., SOSP'09); Firmament (Gog et al., OSDI'16)",
          {{"window", "10000", "pods per flow problem (podium schedule --window)"},
           {"solver", "network-simplex", "LEMON min-cost flow solver: network-simplex | capacity-scaling"},
           {"rounds", "4", "solves per window: each re-places the pods the previous one over-packed"}},
          nullptr,
          [](const KnobValues& knobs) {
            const auto window = knob_unsigned(knobs, "flow", "window", 1, 10'000'000);
            const auto rounds = knob_unsigned(knobs, "flow", "rounds", 1, 100);
            const Solver solver = parse_solver(knobs.at("solver"));
            return Algorithm{"", nullptr, std::make_shared<FlowPlacer>(solver, static_cast<std::size_t>(rounds)),
                             static_cast<std::size_t>(window)};
          }};
}

}  // namespace podium::algorithms
