// power-of-k: Sparrow's batch sampling reduced to one task (Ousterhout et al., "Sparrow:
// Distributed, Low Latency Scheduling", SOSP'13), after Mitzenmacher's power of two
// choices: probe k random feasible nodes and take the best of them by the profile's score.
//
// Departures from Sparrow: the probes are feasible nodes (the profile's filters ran on
// every node first, where Sparrow probes blindly and queues at the worker), and "best" is
// the profile's weighted score normalized over the k probes — the way a kube decision
// normalizes over the nodes it sampled — instead of the shortest worker queue.

#include <algorithm>

#include "algorithms/builtin_algorithms.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::algorithms {
namespace {

class PowerOfK final : public NodeChooser {
 public:
  explicit PowerOfK(std::size_t k) : k_(k) {}
  NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) override {
    // k distinct probes (all of them when k >= feasible): a partial Fisher-Yates shuffle of
    // positions, seeded by (seed, decision index); the probes are then put in node order.
    const std::size_t n = feasible.size();
    const std::size_t k = std::min(k_, n);
    probes_.assign(feasible.begin(), feasible.end());
    std::uint64_t state = framework::splitmix64(ctx.seed ^ framework::splitmix64(ctx.decision_index ^ 0x5eed));
    for (std::size_t i = 0; i < k; ++i) {
      state = framework::splitmix64(state);
      const std::size_t j = i + framework::bounded(state, static_cast<std::uint32_t>(n - i));
      std::swap(probes_[i], probes_[j]);
    }
    probes_.resize(k);
    std::sort(probes_.begin(), probes_.end());
    totals_.resize(k);
    ctx.framework.score_nodes(ctx.pod, ctx.cluster, probes_, totals_.data());
    return ctx.framework.best_by_tie_rule(probes_, totals_.data(), ctx.decision_index);
  }

 private:
  std::size_t k_;
  std::vector<NodeIndex> probes_;
  std::vector<std::int64_t> totals_;
};

}  // namespace

AlgorithmDescriptor power_of_k_descriptor() {
  return {"power-of-k",
          "probe k random feasible nodes (seeded), take the best by the profile's score normalized over the probes",
          "Sparrow (Ousterhout et al., SOSP'13); power of two choices (Mitzenmacher)",
          {{"k", "2", "feasible nodes probed per pod"}},
          nullptr,
          [](const KnobValues& knobs) {
            const auto k = knob_unsigned(knobs, "power-of-k", "k", 1, 1'000'000);
            return Algorithm{"", std::make_shared<PowerOfK>(static_cast<std::size_t>(k)), nullptr, 0};
          }};
}

}  // namespace podium::algorithms
