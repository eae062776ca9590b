// random: a uniformly random feasible node, seeded. The baseline every placement policy
// should beat (and the FGD paper's `Random`).

#include "algorithms/builtin_algorithms.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::algorithms {
namespace {

class RandomChooser final : public NodeChooser {
 public:
  NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) override {
    // One draw per decision from (seed, decision index): the same pod at the same queue
    // position gets the same node whatever the threads.
    const std::uint64_t draw = framework::splitmix64(ctx.seed ^ framework::splitmix64(ctx.decision_index));
    return feasible[framework::bounded(draw, static_cast<std::uint32_t>(feasible.size()))];
  }
};

}  // namespace

AlgorithmDescriptor random_descriptor() {
  return {"random", "a uniformly random feasible node (seeded by --seed and the pod's queue position)",
          "baseline", {}, nullptr,
          [](const KnobValues&) { return Algorithm{"", std::make_shared<RandomChooser>(), nullptr, 0}; }};
}

}  // namespace podium::algorithms
