// The one place that lists the built-in algorithms (kube's registry.go, for algorithms).

#include "algorithms/builtin_algorithms.hpp"

namespace podium::algorithms {
namespace {

AlgorithmDescriptor default_descriptor() {
  return {"default",
          "kube-scheduler's default profile: best weighted score over every feasible node, ties by the seeded ring",
          "kube-scheduler v1.35 (schedule_one.go)",
          {},
          nullptr,
          [](const KnobValues&) { return Algorithm{}; }};
}

AlgorithmDescriptor kube_sampled_descriptor() {
  return {"kube-sampled",
          "kube's profile scoring only the first feasible nodes found from a rotating start "
          "(percentageOfNodesToScore, upstream's adaptive default)",
          "kube-scheduler v1.35 (numFeasibleNodesToFind)",
          {},
          // 0 is upstream's "adaptive": 50% - nodes/125, at least 5%, at least 100 nodes.
          [](framework::ProfileSpec& spec) { spec.percentage_of_nodes_to_score = 0; },
          [](const KnobValues&) { return Algorithm{}; }};
}

}  // namespace

std::vector<AlgorithmDescriptor> builtin_algorithms() {
  std::vector<AlgorithmDescriptor> all{default_descriptor(), kube_sampled_descriptor(), first_fit_descriptor(), best_fit_descriptor(),
          worst_fit_descriptor(), random_descriptor(),       power_of_k_descriptor(), tetris_descriptor(),
          flow_descriptor()};
  for (AlgorithmDescriptor& d : gpu_policy_descriptors()) all.push_back(std::move(d));
  return all;
}

}  // namespace podium::algorithms
