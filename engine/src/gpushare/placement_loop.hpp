#pragma once
// One scheduling decision at a time on a GpuCluster: filter, score, normalise, pick (the
// kube framework cycle the artifact runs, with only the policy's score enabled), bind.
//
// Scores are cached per pod shape and node: a node's cached score stays valid while its
// version (GpuCluster::version) is unchanged, so a decision re-scores only the nodes bound
// or unbound since that shape was last seen. The cluster's fragmentation is kept per node
// and updated on every bind/unbind (one node's F, memoised by node state).
#include <cstdint>
#include <memory>
#include <map>
#include <tuple>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/gpushare/fragmentation.hpp"
#include "podium/gpushare/policy.hpp"
#include "podium/gpushare/replay.hpp"

namespace podium::gpushare::detail {

class PlacementLoop {
 public:
  PlacementLoop(GpuCluster& cluster, const std::vector<TypicalPod>& typical, const std::string& policy,
                std::uint64_t seed);

  // Places the pod (decision index = position in the arrival sequence) or returns a
  // placement with node == kNoNode.
  ReplayPlacement place(std::uint32_t pod_index, const GpuPod& pod, std::uint64_t decision);
  void remove(const ReplayPlacement& placement, const GpuPod& pod);

  std::string_view policy_name() const { return policy_->name(); }
  double fragmented_gpu_milli() const { return fragmented_; }

 private:
  struct Cached {
    std::uint32_t version_plus_one = 0;  // 0: never scored
    std::int32_t score = -1;             // -1: the node does not fit the shape
    DeviceSet devices = 0;
  };
  std::vector<Cached>& cache_for(const GpuPod& pod);
  void refresh_fragmentation(NodeIndex node);

  GpuCluster& cluster_;
  std::unique_ptr<GpuPolicy> policy_;
  framework::TieBreaker ring_;
  std::uint64_t seed_;
  FragmentationMemo frag_;
  std::vector<double> node_frag_;
  double fragmented_ = 0;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int32_t, std::int32_t, std::uint64_t, bool>, std::size_t> shape_ids_;
  std::vector<std::vector<Cached>> caches_;
  std::vector<std::int64_t> normalized_;  // scratch
};

}  // namespace podium::gpushare::detail
