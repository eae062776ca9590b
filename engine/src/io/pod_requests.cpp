// pod_requests mirrors, for the spec-only case the scheduler sees in a snapshot:
//   * k8s.io/component-helpers/resource PodRequests, AggregateContainerRequests,
//     aggregateContainerResourcesByFn, applyNonMissing, addResourceList, maxResourceList
//     (helpers.go, v1.35), with UseStatusResources off: in-place resize status and DRA
//     claim status are not part of the objects we load;
//   * pkg/scheduler/framework PodInfo.CalculateResource + getNonMissingContainerRequests
//     for kNodeAccounting, and noderesources resourceAllocationScorer
//     .calculatePodResourceRequest for kAlways.
// ResourceList keeps document order, and upstream's maps have none, so the order of
// names in the result is "first seen" and carries no meaning.

#include "podium/io/pod_requests.hpp"

#include <string_view>

namespace podium::io {
namespace {

Quantity* find(ResourceList& list, std::string_view name) {
  for (auto& [n, q] : list) {
    if (n == name) return &q;
  }
  return nullptr;
}

bool contains(const ResourceList& list, std::string_view name) {
  for (const auto& [n, q] : list) {
    if (n == name) return true;
  }
  return false;
}

// addResourceList
void add(ResourceList& list, const ResourceList& more) {
  for (const auto& [name, q] : more) {
    if (Quantity* existing = find(list, name)) {
      *existing += q;
    } else {
      list.emplace_back(name, q);
    }
  }
}

// maxResourceList: list[name] = max(list[name], other[name]) for every name in other.
void max_into(ResourceList& list, const ResourceList& other) {
  for (const auto& [name, q] : other) {
    if (Quantity* existing = find(list, name)) {
      if (q > *existing) *existing = q;
    } else {
      list.emplace_back(name, q);
    }
  }
}

// IsSupportedPodLevelResource: cpu, memory and hugepages-<size>.
bool supported_at_pod_level(std::string_view name) {
  return name == "cpu" || name == "memory" || name.starts_with("hugepages-");
}

// IsPodLevelRequestsSet: spec.resources.requests names at least one supported resource.
bool pod_level_requests_set(const PodObject& pod) {
  if (!pod.pod_level_requests) return false;
  for (const auto& [name, q] : *pod.pod_level_requests) {
    if (supported_at_pod_level(name)) return true;
  }
  return false;
}

// applyNonMissing: a copy of `requests` where every resource of `defaults` that the
// container does not name gets the default. A resource named with an explicit 0 is
// present, so it keeps its 0 ("If the requests for those resources are explicitly set,
// even if zero, they will not be modified").
ResourceList apply_non_missing(const ResourceList& requests, const ResourceList& defaults) {
  ResourceList out = requests;
  for (const auto& [name, q] : defaults) {
    if (!contains(requests, name)) out.emplace_back(name, q);
  }
  return out;
}

// aggregateContainerResourcesByFn with containerSpecRequests. An init container runs
// alone except for the sidecars (restartable init containers) started before it, so it
// needs its own request plus theirs; sidecars also keep running next to the regular
// containers, so they join the running sum.
ResourceList aggregate_containers(const PodObject& pod, const ResourceList* defaults) {
  ResourceList result;
  for (const Container& c : pod.containers) {
    add(result, defaults ? apply_non_missing(c.requests, *defaults) : c.requests);
  }
  ResourceList sidecars;         // restartableInitContainerResources
  ResourceList init_containers;  // initContainerResources: the largest need of any init step
  for (const Container& c : pod.init_containers) {
    const ResourceList requests = defaults ? apply_non_missing(c.requests, *defaults) : c.requests;
    if (c.restart_policy_always) {
      add(result, requests);
      add(sidecars, requests);
      max_into(init_containers, sidecars);
    } else {
      ResourceList combined = requests;
      add(combined, sidecars);
      max_into(init_containers, combined);
    }
  }
  max_into(result, init_containers);
  return result;
}

// PodRequests (UseStatusResources off, overhead included).
ResourceList requests_of(const PodObject& pod, const ResourceList* defaults, bool pod_level_resources) {
  ResourceList requests = aggregate_containers(pod, defaults);
  if (pod_level_resources && pod_level_requests_set(pod)) {
    // applyPodLevelResources: a supported pod-level request replaces the container
    // aggregate for that resource, whatever its value (an explicit 0 included).
    for (const auto& [name, q] : *pod.pod_level_requests) {
      if (!supported_at_pod_level(name)) continue;
      if (Quantity* existing = find(requests, name)) {
        *existing = q;
      } else {
        requests.emplace_back(name, q);
      }
    }
  }
  add(requests, pod.overhead);
  return requests;
}

constexpr Quantity kDefaultCpu = Quantity::from_milli(kDefaultMilliCpuRequest);
constexpr Quantity kDefaultMemory = Quantity::from_units(kDefaultMemoryRequest);

// kAlways: both defaults for every container that names neither.
ResourceList always_defaulted(const PodObject& pod, bool pod_level_resources) {
  const ResourceList defaults{{"cpu", kDefaultCpu}, {"memory", kDefaultMemory}};
  return requests_of(pod, &defaults, pod_level_resources);
}

// kNodeAccounting from the pod's plain requests. getNonMissingContainerRequests: without
// pod-level requests every container gets both defaults where it names neither (the
// kAlways list, which the caller passes when it has one); with them, only a resource
// missing from the pod's whole request list does.
ResourceList node_accounting(const PodObject& pod, const ResourceList& plain, bool pod_level_resources,
                             const ResourceList* always) {
  const bool pod_level = pod_level_resources && pod_level_requests_set(pod);
  if (!pod_level) return always != nullptr ? *always : always_defaulted(pod, pod_level_resources);
  ResourceList defaults;
  if (!contains(plain, "cpu")) defaults.emplace_back("cpu", kDefaultCpu);
  if (!contains(plain, "memory")) defaults.emplace_back("memory", kDefaultMemory);
  if (defaults.empty()) return plain;
  return requests_of(pod, &defaults, pod_level_resources);
}

}  // namespace

ResourceList pod_requests(const PodObject& pod, const PodRequestOptions& options) {
  switch (options.non_missing_defaults) {
    case NonMissingDefaults::kNone:
      return requests_of(pod, nullptr, options.pod_level_resources);
    case NonMissingDefaults::kAlways:
      return always_defaulted(pod, options.pod_level_resources);
    case NonMissingDefaults::kNodeAccounting:
      return node_accounting(pod, requests_of(pod, nullptr, options.pod_level_resources),
                             options.pod_level_resources, nullptr);
  }
  return {};
}

PodRequestVariants pod_request_variants(const PodObject& pod, bool pod_level_resources) {
  PodRequestVariants out;
  out.plain = requests_of(pod, nullptr, pod_level_resources);
  out.scoring = always_defaulted(pod, pod_level_resources);
  out.node_accounting = node_accounting(pod, out.plain, pod_level_resources, &out.scoring);
  return out;
}

}  // namespace podium::io
