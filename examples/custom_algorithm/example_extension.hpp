#pragma once
// The example's extensions, registered by name:
//   most-pods           an algorithm: the feasible node already running the most pods, ties
//                       to the lowest node index (packs pods onto busy nodes)
//   prefer-labelled     an algorithm: the profile plus the score plugin below at weight 5,
//                       i.e. kube's choice nudged towards labelled nodes
//   ExamplePreferLabel  a score plugin: 100 for a node carrying the label
//                       podium.example/preferred, 0 otherwise

#include "podium/algorithms/algorithm.hpp"
#include "podium/framework/registry.hpp"

namespace example {

inline constexpr const char* kPreferredLabel = "podium.example/preferred";

podium::algorithms::AlgorithmDescriptor most_pods_descriptor();
podium::algorithms::AlgorithmDescriptor prefer_labelled_descriptor();
podium::framework::PluginFactory prefer_label_factory();

// Adds all three to the given registries (the global ones, or a plugin host's).
void register_all(podium::algorithms::AlgorithmRegistry& algorithms, podium::framework::Registry& plugins);

}  // namespace example
