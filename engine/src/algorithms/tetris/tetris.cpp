// tetris: multi-resource packing by alignment (Grandl et al., "Multi-Resource Packing for
// Cluster Schedulers", SIGCOMM'14): place the pod where its demand vector and the node's
// free-resource vector point the same way, both normalised by the node's capacity:
//
//   alignment(n) = sum over r of (demand[r] / capacity[r][n]) * (free[r][n] / capacity[r][n])
//
// over cpu, memory and every other resource the pod requests (the resources best-fit
// ranks by); the highest alignment wins, ties to the first node in node order. The demand
// for cpu and memory is what the scorers see (100m / 200Mi for containers without a
// request), so request-less pods still lean towards free nodes.
//
// Departures from the paper: no remaining-work term (Podium pods have no durations), no
// fairness knob, and the feasible set is the profile's filters' (which already rule out
// over-commitment).

#include <Eigen/Core>

#include "algorithms/builtin_algorithms.hpp"
#include "algorithms/fit/remaining_capacity.hpp"

namespace podium::algorithms {
namespace {

class Tetris final : public NodeChooser {
 public:
  NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) override {
    const state::PodRecord& pod = ctx.pod.pod;
    ranked_resources(pod, resources_);
    const auto& resources = resources_;
    const auto rows = static_cast<Eigen::Index>(feasible.size());
    const auto cols = static_cast<Eigen::Index>(resources.size());
    // weight(n, r) = free / capacity^2, one column per resource (column-major: each column
    // is a contiguous pass over that resource's node columns); alignment = weight * demand.
    weights_.resize(rows, cols);
    demand_.resize(cols);
    for (Eigen::Index c = 0; c < cols; ++c) {
      const state::ResourceId r = resources[static_cast<std::size_t>(c)];
      demand_[c] = static_cast<double>(r == state::kCpu      ? pod.score_cpu
                                       : r == state::kMemory ? pod.score_memory
                                                             : pod.requests[r]);
      const std::int64_t* allocatable = ctx.cluster.nodes.allocatable[r].data();
      const std::int64_t* requested = ctx.cluster.nodes.requested[r].data();
      double* column = weights_.col(c).data();
      for (Eigen::Index i = 0; i < rows; ++i) {
        const NodeIndex n = feasible[static_cast<std::size_t>(i)];
        const auto capacity = static_cast<double>(allocatable[n]);
        column[i] = capacity > 0 ? static_cast<double>(allocatable[n] - requested[n]) / (capacity * capacity) : 0.0;
      }
    }
    alignment_.noalias() = weights_ * demand_;
    Eigen::Index best = 0;
    for (Eigen::Index i = 1; i < rows; ++i)
      if (alignment_[i] > alignment_[best]) best = i;
    return feasible[static_cast<std::size_t>(best)];
  }

 private:
  std::vector<state::ResourceId> resources_;
  Eigen::MatrixXd weights_;
  Eigen::VectorXd demand_;
  Eigen::VectorXd alignment_;
};

}  // namespace

AlgorithmDescriptor tetris_descriptor() {
  return {"tetris",
          "the feasible node whose free resources best align with the pod's demand (dot product, "
          "both normalised by node capacity)",
          "Tetris (Grandl et al., SIGCOMM'14)",
          {},
          nullptr,
          [](const KnobValues&) { return Algorithm{"", std::make_shared<Tetris>(), nullptr, 0}; }};
}

}  // namespace podium::algorithms
