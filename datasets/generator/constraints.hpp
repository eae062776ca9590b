#pragma once
// Scheduling constraints layered on a synthetic cluster, in the shapes of upstream's
// scheduler_perf affinity and topology workloads (test/integration/scheduler_perf/templates:
// node-with-taint, pod-with-node-affinity, pod-with-topology-spreading,
// pod-with-preferred-topology-spreading, pod-with-pod-anti-affinity,
// pod-with-preferred-pod-affinity), each on a chosen share of the nodes or pods.
//
// Shares are exact: round(share x count) nodes, pods or app groups are picked by a seeded
// partial shuffle, from random streams of their own, so the base cluster (shapes, requests)
// is the same with or without constraints, and all shares 0 leave it untouched.
//
// Group constraints act on the generator's `app` groups (pods labeled app-0 .. app-99,
// pod i in group i % 100): every pod of a picked group carries the constraint, and its
// label selector is that group's {app: app-N}.

#include <cstdint>
#include <string>

#include "podium/io/objects.hpp"

namespace podium::datasets {

// Keys and values the constraints use (also what tests and docs look for).
inline constexpr const char* kTaintKey = "dedicated";      // taint dedicated=special:<effect>
inline constexpr const char* kTaintValue = "special";
inline constexpr const char* kPoolLabel = "podium.io/pool";  // node label podium.io/pool=special
inline constexpr const char* kPoolValue = "special";

struct ConstraintOptions {
  // Node taints and pod tolerations: `taint_nodes` of the nodes carry dedicated=special with
  // `taint_effect` (NoSchedule or PreferNoSchedule); `tolerate_pods` of the pods tolerate it.
  double taint_nodes = 0;
  std::string taint_effect = "NoSchedule";
  double tolerate_pods = 0;
  // Node labels and node affinity: `label_nodes` of the nodes carry podium.io/pool=special;
  // `node_affinity_pods` of the pods ask for it, as `node_affinity`: "required" (required
  // node affinity, In), "preferred" (preferred node affinity, weight 50) or "selector"
  // (nodeSelector).
  double label_nodes = 0;
  double node_affinity_pods = 0;
  std::string node_affinity = "required";
  // topologySpreadConstraints on `spread_groups` of the app groups: maxSkew
  // `spread_max_skew` over `spread_topology` ("zone": topology.kubernetes.io/zone,
  // "hostname": kubernetes.io/hostname), whenUnsatisfiable `spread_when` (DoNotSchedule or
  // ScheduleAnyway), selecting the pod's own group.
  double spread_groups = 0;
  std::string spread_topology = "zone";
  std::string spread_when = "DoNotSchedule";
  std::int32_t spread_max_skew = 1;
  // Required pod anti-affinity on kubernetes.io/hostname against the pod's own group (at
  // most one pod of the group per node), on `anti_affinity_groups` of the groups.
  double anti_affinity_groups = 0;
  // Preferred pod affinity (weight 1) on topology.kubernetes.io/zone toward the pod's own
  // group, on `pod_affinity_groups` of the groups.
  double pod_affinity_groups = 0;

  bool any() const {
    return taint_nodes > 0 || tolerate_pods > 0 || label_nodes > 0 || node_affinity_pods > 0 || spread_groups > 0 ||
           anti_affinity_groups > 0 || pod_affinity_groups > 0;
  }
};

// Throws std::invalid_argument naming the flag for a share outside [0, 1], an unknown
// effect, kind, topology or whenUnsatisfiable, or a maxSkew below 1.
void validate(const ConstraintOptions& options);

// The app group of the generator's pod `index` among `pods` pods, and how many groups exist.
inline std::uint32_t app_group(std::uint32_t index) { return index % 100; }
inline std::uint32_t app_group_count(std::uint32_t pods) { return pods < 100 ? pods : 100; }

// Adds the constraints to `objects` (nodes and pods as generate_cluster made them).
void add_constraints(io::ClusterObjects& objects, const ConstraintOptions& options, std::uint64_t seed);

}  // namespace podium::datasets
