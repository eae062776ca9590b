#pragma once
// GPU fragmentation as FGD measures it (Weng et al., ATC'23, section 3; artifact
// pkg/utils/frag.go NodeGpuShareFragAmount, GetTypicalPods).
//
// The workload is summarised as "typical pods": the distinct request shapes (CPU, milli-GPU
// per GPU, GPU count, allowed-model text) of the pod list, most frequent first, cut where
// they cover 95% of the pods and renormalised to frequencies summing to 1. A node's
// fragmentation is the expected number of its idle milli-GPUs that a pod drawn from that
// distribution could not use:
//
//   F(node) = sum over typical pods t of  p_t * (idle milli-GPUs t cannot use)
//     t asks for no GPU, or cannot run on the model, or lacks CPU or devices: all idle GPU
//     t fits: the idle milli-GPU on the devices too small for t (free < t.gpu_milli)
//
// Memory is not part of the measure (the artifact leaves it out). F depends only on the
// node's GPU model, on which typical pods' CPU it can still cover and on the multiset of its
// devices' free milli-GPU, so FragmentationMemo caches F by that key: a bind changes one
// node, and equal node states (frequent in a cluster of identical machines) share one entry.

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "podium/gpushare/gpu_cluster.hpp"

namespace podium::gpushare {

struct TypicalPod {
  GpuPod shape;
  double frequency = 0;  // in (0, 1]; the list's frequencies sum to 1
};

struct TypicalPodsOptions {
  double popularity_threshold = 0.95;  // artifact default (generate_config_and_run.py: 95)
  bool include_cpu_pods = true;        // artifact default isInvolvedCpuPods: true
};

// Mirrors GetTypicalPods with pod-increase-step 1 and gpu-res-weight 0 (the artifact's
// experiment settings): shapes sorted by count descending, ties by the larger
// (cpu, gpu_milli, num_gpu, spec text) first; `specs` holds the pods' allowed-model texts.
std::vector<TypicalPod> typical_pods(const std::vector<GpuPod>& pods, const StringInterner& specs,
                                     const TypicalPodsOptions& options = {});

// F(node) for the node's current state, in milli-GPU.
double node_fragmentation(const GpuCluster& cluster, NodeIndex node, const std::vector<TypicalPod>& typical);
// F for a hypothetical state of a node: its model, CPU left and device free list.
double fragmentation_of(std::int16_t model, std::int64_t cpu_free, std::span<const std::int32_t> devices,
                        const std::vector<TypicalPod>& typical);

// F by node state, computed once per distinct state. Not thread-safe.
class FragmentationMemo {
 public:
  explicit FragmentationMemo(std::vector<TypicalPod> typical);
  const std::vector<TypicalPod>& typical() const { return typical_; }
  double of(std::int16_t model, std::int64_t cpu_free, std::span<const std::int32_t, kMaxGpusPerNode> devices);
  double of(const GpuCluster& cluster, NodeIndex node) {
    return of(cluster.model(node), cluster.cpu_free(node), cluster.devices(node));
  }
  std::size_t size() const { return memo_.size(); }

 private:
  struct Key {
    std::int16_t model;
    std::int16_t cpu_rank;  // how many distinct typical CPU requests fit in the CPU left
    std::array<std::int16_t, kMaxGpusPerNode> devices;  // sorted descending
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept;
  };
  std::vector<TypicalPod> typical_;
  std::vector<std::int64_t> cpu_thresholds_;  // distinct typical CPU requests, ascending
  std::unordered_map<Key, double, KeyHash> memo_;
};

}  // namespace podium::gpushare
