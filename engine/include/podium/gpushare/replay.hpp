#pragma once
// The FGD paper's experiments on a GpuCluster (Weng et al., ATC'23, section 5; artifact
// pkg/simulator: SortClusterPods, TunePodsByNodeTotalResource, RunCluster).
//
// Arrival replay (replay_arrivals): the pod list is a workload distribution. Pods arrive
// one at a time — the list shuffled with the seed (or in file order), then further pods
// drawn uniformly from the list — and none leaves; each is placed by the policy or fails.
// Arrival stops before the arrived GPU demand would pass `until` x the cluster's GPU
// capacity. The curve gets one point each time arrived demand crosses another whole percent
// of capacity (at the pod that crossed it): arrived and allocated shares of capacity and the
// cluster's fragmented milli-GPU (the sum of the nodes' F, fragmentation.hpp).
//
// Event replay (replay_events): pods arrive at creation_time and leave at deletion_time
// (a pod that failed to place is dropped); the timeline samples allocation and
// fragmentation at `samples` evenly spaced instants.
//
// Same inputs and seed give the same placements. Not thread-safe per call; separate calls
// on separate clusters may run concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "podium/gpushare/fragmentation.hpp"
#include "podium/gpushare/gpu_cluster.hpp"
#include "podium/gpushare/policy.hpp"

namespace podium::gpushare {

struct ReplayOptions {
  std::uint64_t seed = 1;
  double until = 1.3;      // stop arriving at this multiple of the GPU capacity
  bool in_order = false;   // file order instead of a seeded shuffle
  bool keep_placements = true;
};

struct CurvePoint {
  double arrived_ratio = 0;    // arrived GPU demand / GPU capacity, just past a whole percent
  double allocated_ratio = 0;  // GPU requested by placed pods / GPU capacity
  double fragmented_gpu_milli = 0;
};

struct ReplayPlacement {
  std::uint32_t pod = 0;  // index into the pod list
  NodeIndex node = 0;     // kNoNode when it failed
  DeviceSet devices = 0;
  std::int32_t gpu_milli = 0;  // taken on each device (kube default rounds shares up to 1000)
};
inline constexpr NodeIndex kNoNode = ~NodeIndex{0};

struct ReplayResult {
  std::string algorithm;
  std::uint64_t seed = 0;
  std::int64_t pods_placed = 0;
  std::int64_t pods_failed = 0;
  double gpu_allocation_ratio = 0;  // at the end
  double arrived_ratio = 0;         // at the end
  double fragmented_gpu_milli = 0;  // at the end
  std::vector<CurvePoint> curve;
  std::vector<ReplayPlacement> placements;  // in arrival order
  double seconds = 0;                       // the replay loop alone
};

ReplayResult replay_arrivals(GpuCluster cluster, const std::vector<GpuPod>& pods,
                             const std::vector<TypicalPod>& typical, const std::string& policy,
                             const ReplayOptions& options);

struct PodTimes {
  std::int64_t creation = 0;
  std::int64_t deletion = 0;
};

struct TimelinePoint {
  std::int64_t time = 0;
  double allocated_ratio = 0;
  double fragmented_gpu_milli = 0;
  std::int64_t pods_running = 0;
};

struct EventReplayResult {
  std::string algorithm;
  std::int64_t pods_placed = 0;
  std::int64_t pods_failed = 0;
  double peak_allocated_ratio = 0;
  std::vector<TimelinePoint> timeline;
  std::vector<ReplayPlacement> placements;  // in creation order
  double seconds = 0;
};

EventReplayResult replay_events(GpuCluster cluster, const std::vector<GpuPod>& pods, const std::vector<PodTimes>& times,
                                const std::vector<TypicalPod>& typical, const std::string& policy, std::uint64_t seed,
                                int samples = 100);

// An independent re-check of a replay's placements (the per-device rule of `podium
// verify`): replaying them in order on a fresh copy of the cluster, every placed pod must
// fit its node's CPU, memory and GPU model, name exactly num_gpu existing devices, and each
// of those devices must have room for gpu_milli. Returns the first violation, or nullopt.
std::optional<std::string> verify_placements(const GpuCluster& fresh, const std::vector<GpuPod>& pods,
                                             const std::vector<ReplayPlacement>& placements);

}  // namespace podium::gpushare
