#pragma once
// Turns parsed Kubernetes objects into a ClusterState: interns strings and resources,
// computes every pod's requests once (io::pod_requests, then MilliValue/Value rounding per
// pod, as upstream's NodeInfo does), resolves priorities, compiles each pod's node
// selection constraints (node_selector.hpp), host ports and images, builds the image table
// (the scheduler cache's image states), and accounts pods that are already bound
// (spec.nodeName set) against their node, host ports included. Terminated pods (phase
// Succeeded or Failed) are dropped, as the real scheduler's cache ignores them.
//
// Throws podium::InputError for inconsistent input (a pod bound to an unknown node, a
// request too large for int64 in its unit, per-node sums that overflow).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

ClusterState build_cluster_state(const io::ClusterObjects& objects);

struct BuildOptions {
  // Threads for the per-pod work that does not depend on other pods (io::pod_requests):
  // 1 builds on the calling thread, 0 uses every core. The state is the same at any count.
  int threads = 1;
};
ClusterState build_cluster_state(const io::ClusterObjects& objects, const BuildOptions& options);

// Many pods stamped from one template (a bench workload's createPods or churn step). Copy k
// (0 <= k < count) is the template with metadata.name = name_prefix + k, metadata.uid =
// uid_prefix + (uid_first + k) and creationTimestamp = first_creation_ns + k * creation_step_ns
// (stamp_copy spells it out). Building from stamps gives the same state as listing every
// copy in ClusterObjects::pods, but the template is compiled once and the copies are never
// laid out as objects: at 1.5 million pods that is most of the build time and a third of
// the peak memory (docs/BENCHMARKS.md, "Scaling").
struct PodStamp {
  io::PodObject pod_template;  // namespace and source set; name, uid, creationTimestamp per copy
  std::uint32_t count = 0;
  std::string name_prefix;        // copy k is named name_prefix + (first_copy + k)
  std::uint32_t first_copy = 0;
  std::string uid_prefix;
  std::uint64_t uid_first = 0;
  std::int64_t first_creation_ns = 0;
  std::int64_t creation_step_ns = 0;
};
io::PodObject stamp_copy(const PodStamp& stamp, std::uint32_t k);

// The pods of `stamps` come after objects.pods, stamp by stamp, copy by copy (PodIndex and
// input order alike), exactly as if their copies were appended to objects.pods.
ClusterState build_cluster_state(const io::ClusterObjects& objects, std::span<const PodStamp> stamps);

// --- A tail of identical nodes, re-sized on a state built once (capacity planning:
// planning/capacity_plan.hpp builds the pods once and probes many node counts). Besides the
// builder, resize_node_tail is the only writer of node columns other than bind/unbind.

// One built node's columns: what a copy of it gets.
struct NodeShape {
  std::vector<std::int64_t> allocatable;  // per ResourceId
  std::int32_t allowed_pods = 0;
  std::uint8_t unschedulable = 0;
  std::vector<LabelPair> labels;           // sorted by key id
  std::vector<LabelNumber> label_numbers;  // parallel to labels
  std::optional<std::size_t> hostname;     // index in labels of kubernetes.io/hostname
  std::vector<TaintRecord> taints;
  std::vector<ImageIndex> images;          // sorted, unique
};
NodeShape capture_node(const ClusterState& cluster, NodeIndex node);

// Keeps nodes [0, keep) and replaces the rest by `count` empty copies of `shape`, copy i
// (from 1) named name(i), its kubernetes.io/hostname label (if the shape has one) set to
// that name. Every pod bound to a removed node must be unbound first. Rederives the scoring
// columns, the image table's counts and spread scores, and the name index. Pods' compiled
// constraints are not revisited: a pod that names an appended node (matchFields, or a
// label value such as its hostname) sees what it saw when the state was built.
void resize_node_tail(ClusterState& cluster, std::size_t keep, const NodeShape& shape, std::size_t count,
                      const std::function<std::string(std::size_t)>& name);

}  // namespace podium::state
