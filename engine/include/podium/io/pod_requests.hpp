#pragma once
// A pod's effective resource requests, mirroring k8s.io/component-helpers/resource
// PodRequests (Kubernetes v1.35):
//   * regular containers are summed;
//   * init containers run one at a time, so each contributes max(): a plain init container
//     counts its own request plus every restartable (sidecar, restartPolicy: Always) init
//     container declared before it; a sidecar keeps running, so it is also added to the
//     running sum;
//   * the pod total is max(sum of containers + sidecars, largest init-container need);
//   * spec.resources.requests (pod-level resources: cpu, memory and hugepages-*)
//     replaces the container aggregate for each of those resources it names, even with
//     an explicit 0 (applyPodLevelResources has no zero check);
//   * spec.overhead is added last.
// Sums stay exact Quantities; rounding to milli/units happens once, afterwards, as upstream.

#include <string>

#include "podium/io/objects.hpp"

namespace podium::io {

// When containers that request no cpu/memory count as schedutil's defaults
// (DefaultMilliCPURequest = 100m, DefaultMemoryRequest = 200Mi). Upstream
// (applyNonMissing in component-helpers/resource/helpers.go) replaces a container request
// that is missing, i.e. the resource is not named; an explicit 0 is kept as 0.
enum class NonMissingDefaults {
  kNone,            // plain requests: NodeResourcesFit filter, BalancedAllocation, Requested
  kAlways,          // the incoming pod when LeastAllocated/MostAllocated/RTCR score it
                    // (resourceAllocationScorer.calculatePodResourceRequest)
  kNodeAccounting,  // a pod already on a node, for NodeInfo.NonZeroRequested
                    // (PodInfo.CalculateResource + getNonMissingContainerRequests: with
                    // pod-level requests set, only resources missing from the pod's whole
                    // request list get a default)
};

struct PodRequestOptions {
  NonMissingDefaults non_missing_defaults = NonMissingDefaults::kNone;
  // PodLevelResources feature gate (beta, on by default since v1.34).
  bool pod_level_resources = true;
};

// Exact requests per resource name. Resources absent everywhere are absent from the result.
ResourceList pod_requests(const PodObject& pod, const PodRequestOptions& options = {});

// The three lists pod_requests gives for one pod, computed with less repeated work (the
// plain aggregate once, and kNodeAccounting copied from kAlways when the pod sets no
// pod-level requests, where the two are the same list). Each equals pod_requests's.
struct PodRequestVariants {
  ResourceList plain;            // kNone
  ResourceList node_accounting;  // kNodeAccounting
  ResourceList scoring;          // kAlways
};
PodRequestVariants pod_request_variants(const PodObject& pod, bool pod_level_resources = true);

inline constexpr std::int64_t kDefaultMilliCpuRequest = 100;                 // 0.1 core
inline constexpr std::int64_t kDefaultMemoryRequest = 200LL * 1024 * 1024;  // 200 MiB

}  // namespace podium::io
