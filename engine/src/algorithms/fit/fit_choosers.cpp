// first-fit, best-fit, worst-fit: the classic bin-packing placements (Coffman, Garey and
// Johnson's survey of bin packing; the multi-resource form of Panigrahy et al., "Heuristics
// for Vector Bin Packing", 2011), over the nodes the profile's filters accept.

#include <algorithm>

#include "algorithms/builtin_algorithms.hpp"
#include "algorithms/fit/remaining_capacity.hpp"

namespace podium::algorithms {

void ranked_resources(const state::PodRecord& pod, std::vector<state::ResourceId>& out) {
  out.assign({state::kCpu, state::kMemory});
  for (std::size_t r = state::kEphemeralStorage; r < pod.requests.size(); ++r)
    if (pod.requests[r] > 0) out.push_back(static_cast<state::ResourceId>(r));
}

void remaining_after_placement(const state::ClusterState& cluster, const state::PodRecord& pod,
                               std::span<const state::ResourceId> resources, std::span<const state::NodeIndex> nodes,
                               std::vector<double>& out) {
  out.assign(nodes.size(), 0.0);
  for (const state::ResourceId r : resources) {
    const std::int64_t* allocatable = cluster.nodes.allocatable[r].data();
    const std::int64_t* requested = cluster.nodes.requested[r].data();
    const std::int64_t request = r < pod.requests.size() ? pod.requests[r] : 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::int64_t a = allocatable[nodes[i]];
      if (a <= 0) continue;
      out[i] += static_cast<double>(a - requested[nodes[i]] - request) / static_cast<double>(a);
    }
  }
}

namespace {

// The first feasible node in node order (input order of the nodes).
class FirstFit final : public NodeChooser {
 public:
  NodeIndex choose(const ChoiceContext&, std::span<const NodeIndex> feasible) override { return feasible.front(); }
};

// Least (best-fit) or most (worst-fit) normalised remaining capacity after placement; ties
// go to the first node in node order, so identical empty nodes fill one after another.
class RemainingCapacityFit final : public NodeChooser {
 public:
  explicit RemainingCapacityFit(bool tightest) : tightest_(tightest) {}
  NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) override {
    ranked_resources(ctx.pod.pod, resources_);
    remaining_after_placement(ctx.cluster, ctx.pod.pod, resources_, feasible, remaining_);
    std::size_t best = 0;
    for (std::size_t i = 1; i < feasible.size(); ++i)
      if (tightest_ ? remaining_[i] < remaining_[best] : remaining_[i] > remaining_[best]) best = i;
    return feasible[best];
  }

 private:
  bool tightest_;
  std::vector<state::ResourceId> resources_;
  std::vector<double> remaining_;
};

}  // namespace

AlgorithmDescriptor first_fit_descriptor() {
  return {"first-fit", "the first feasible node in node order", "classic bin packing (First Fit)", {}, nullptr,
          [](const KnobValues&) { return Algorithm{"", std::make_shared<FirstFit>(), nullptr, 0}; }};
}

AlgorithmDescriptor best_fit_descriptor() {
  return {"best-fit",
          "the feasible node with the least normalised remaining cpu+memory(+requested extended) after placement",
          "vector bin packing (Best Fit; Panigrahy et al. 2011)",
          {},
          nullptr,
          [](const KnobValues&) { return Algorithm{"", std::make_shared<RemainingCapacityFit>(true), nullptr, 0}; }};
}

AlgorithmDescriptor worst_fit_descriptor() {
  return {"worst-fit",
          "the feasible node with the most normalised remaining cpu+memory(+requested extended) after placement",
          "vector bin packing (Worst Fit)",
          {},
          nullptr,
          [](const KnobValues&) { return Algorithm{"", std::make_shared<RemainingCapacityFit>(false), nullptr, 0}; }};
}

}  // namespace podium::algorithms
