#include "example_extension.hpp"

#include <memory>
#include <optional>

#include "podium/framework/plugin.hpp"

namespace example {
namespace {

namespace algo = podium::algorithms;
namespace fw = podium::framework;

// most-pods: a NodeChooser sees the feasible nodes (every filter of the profile passed,
// ascending node index) and returns one of them.
class MostPods final : public algo::NodeChooser {
 public:
  algo::NodeIndex choose(const algo::ChoiceContext& ctx, std::span<const algo::NodeIndex> feasible) override {
    const auto& pod_count = ctx.cluster.nodes.pod_count;
    algo::NodeIndex best = feasible.front();
    for (const algo::NodeIndex n : feasible.subspan(1))
      if (pod_count[n] > pod_count[best]) best = n;  // strict: ties keep the lower index
    return best;
  }
};

// ExamplePreferLabel: a batch-shaped score plugin. score() may run concurrently on
// disjoint batches: no allocation, no shared writes.
class PreferLabel final : public fw::ScorePlugin {
 public:
  static constexpr std::string_view kName = "ExamplePreferLabel";
  explicit PreferLabel(const fw::ClusterState& cluster) : key_(cluster.strings.find(kPreferredLabel)) {}

  std::string_view name() const override { return kName; }
  // The score of a node depends on that node alone and on no pod field, so the
  // scheduler's equivalence-class cache may reuse it (an empty signature).
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const podium::state::PodRecord&, std::string&) const override { return true; }

  void score(const fw::CycleState&, const fw::PodContext&, const fw::ClusterState& cluster,
             std::span<const fw::NodeIndex> nodes, std::int64_t* scores) const override {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      scores[i] = key_ && cluster.nodes.find_label(nodes[i], *key_) != podium::state::NodeTable::npos
                      ? fw::kMaxNodeScore
                      : fw::kMinNodeScore;
  }

 private:
  std::optional<podium::StringId> key_;  // nullopt: no node has the label
};

}  // namespace

algo::AlgorithmDescriptor most_pods_descriptor() {
  return {"most-pods",
          "the feasible node already running the most pods, ties to the lowest node index (example plugin)",
          "examples/custom_algorithm (Podium's extension example)",
          {},
          nullptr,
          [](const algo::KnobValues&) { return algo::Algorithm{"", std::make_shared<MostPods>(), nullptr, 0}; }};
}

algo::AlgorithmDescriptor prefer_labelled_descriptor() {
  return {"prefer-labelled",
          "kube's default choice with the ExamplePreferLabel score plugin added at weight 5 (example plugin)",
          "examples/custom_algorithm (Podium's extension example)",
          {},
          // Runs on every profile before it is built: a plugin registered by name joins the
          // profile's score plugins like a built-in one.
          [](fw::ProfileSpec& spec) { spec.scores.emplace_back(std::string(PreferLabel::kName), 5); },
          // No chooser: the profile's weighted total and tie rule pick the node.
          [](const algo::KnobValues&) { return algo::Algorithm{}; }};
}

fw::PluginFactory prefer_label_factory() {
  return [](const std::any&, const fw::ClusterState& cluster) -> std::unique_ptr<fw::Plugin> {
    return std::make_unique<PreferLabel>(cluster);
  };
}

void register_all(algo::AlgorithmRegistry& algorithms, fw::Registry& plugins) {
  plugins.add(std::string(PreferLabel::kName), prefer_label_factory());
  algorithms.add(most_pods_descriptor());
  algorithms.add(prefer_labelled_descriptor());
}

}  // namespace example
