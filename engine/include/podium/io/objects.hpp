#pragma once
// Kubernetes objects as Podium reads them: a faithful, plain-struct subset of core/v1
// (Node, Pod, Namespace), scheduling/v1 PriorityClass, scheduler-plugins' PodGroup and the owners that upstream's
// default topology spreading looks at (Service, ReplicaSet, StatefulSet,
// ReplicationController). These structs are the boundary between parsing (io/) and the
// engine: the state builder interns them into columns once, and nothing on the hot path
// touches a string.
//
// Absent vs empty matters in Kubernetes (a nil LabelSelector matches nothing, an empty one
// matches everything), so optional fields are std::optional where upstream uses a pointer.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "podium/io/quantity.hpp"

namespace podium::io {

// Where an object came from, for error messages: file name and JSON path of the object.
struct SourceRef {
  std::string file;
  std::string path;  // e.g. "items[12]" or "[3]" or "" for a single-object file
};

using StringMap = std::vector<std::pair<std::string, std::string>>;  // in document order
using ResourceList = std::vector<std::pair<std::string, Quantity>>;  // name -> quantity, document order

struct LabelSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct LabelSelector {
  StringMap match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
};

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
};

struct Toleration {
  std::string key;       // empty with op Exists: tolerates every taint
  std::string op;        // "Exists" or "Equal" (empty means Equal, as upstream)
  std::string value;
  std::string effect;    // empty: all effects
  std::optional<std::int64_t> toleration_seconds;
};

struct NodeSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
  std::vector<std::string> values;
};

struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;  // only metadata.name is valid upstream
};

struct PreferredSchedulingTerm {
  std::int32_t weight = 0;
  NodeSelectorTerm preference;
};

struct NodeAffinity {
  std::optional<std::vector<NodeSelectorTerm>> required;  // requiredDuringScheduling...nodeSelectorTerms
  std::vector<PreferredSchedulingTerm> preferred;
};

struct PodAffinityTerm {
  std::optional<LabelSelector> label_selector;
  std::vector<std::string> namespaces;
  std::optional<LabelSelector> namespace_selector;
  std::string topology_key;
  std::vector<std::string> match_label_keys;
  std::vector<std::string> mismatch_label_keys;
};

struct WeightedPodAffinityTerm {
  std::int32_t weight = 0;
  PodAffinityTerm term;
};

struct PodAffinity {
  std::vector<PodAffinityTerm> required;
  std::vector<WeightedPodAffinityTerm> preferred;
};

struct Affinity {
  std::optional<NodeAffinity> node_affinity;
  std::optional<PodAffinity> pod_affinity;
  std::optional<PodAffinity> pod_anti_affinity;
};

struct TopologySpreadConstraint {
  std::int32_t max_skew = 0;
  std::string topology_key;
  std::string when_unsatisfiable;  // DoNotSchedule, ScheduleAnyway
  std::optional<LabelSelector> label_selector;
  std::optional<std::int32_t> min_domains;
  std::string node_affinity_policy;  // "" (= Honor), Honor, Ignore
  std::string node_taints_policy;    // "" (= Ignore), Honor, Ignore
  std::vector<std::string> match_label_keys;
};

struct ContainerPort {
  std::int32_t container_port = 0;
  std::int32_t host_port = 0;  // 0: no host port
  std::string protocol = "TCP";
  std::string host_ip;
};

struct Container {
  std::string name;
  std::string image;
  ResourceList requests;
  std::vector<ContainerPort> ports;
  bool restart_policy_always = false;  // init containers only: a sidecar (restartable)
};

struct OwnerReference {
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
};

struct NodeImage {
  std::vector<std::string> names;
  std::int64_t size_bytes = 0;
};

// GPU sharing (io/gpu_share.hpp spells and validates it).
struct NodeGpuShare {
  std::int32_t gpu_count = 0;
  std::string model;  // "" when the label is absent: no model-constrained pod fits
};

struct PodGpuShare {
  std::int32_t num_gpu = 0;           // >= 1
  std::int32_t gpu_milli = 0;         // per GPU; < 1000 only with num_gpu == 1 (a shared device)
  std::vector<std::string> models;    // allowed GPU models; empty = any
  std::vector<std::int32_t> devices;  // gpu-index: the devices a bound pod holds; empty = not given
};

struct NodeObject {
  SourceRef source;
  std::string name;
  StringMap labels;
  std::vector<Taint> taints;
  bool unschedulable = false;
  ResourceList allocatable;  // status.allocatable (falls back to status.capacity if absent)
  std::vector<NodeImage> images;
  // GPU sharing (io/gpu_share.hpp), read from allocatable and labels; nullopt without it.
  std::optional<NodeGpuShare> gpu_share;
};

struct PodObject {
  SourceRef source;
  std::string namespace_ = "default";
  std::string name;
  std::string uid;
  StringMap labels;
  std::vector<OwnerReference> owner_references;
  // metadata.creationTimestamp as nanoseconds since the Unix epoch; nullopt when absent.
  std::optional<std::int64_t> creation_timestamp_ns;
  // metadata.deletionTimestamp: set when the pod is being deleted (graceful termination).
  std::optional<std::int64_t> deletion_timestamp_ns;

  std::string node_name;  // spec.nodeName; empty = pending
  std::string scheduler_name = "default-scheduler";
  std::optional<std::int32_t> priority;  // spec.priority
  std::string priority_class_name;
  // spec.preemptionPolicy: "Never" or "PreemptLowerPriority"; empty when absent (admission
  // copies the PriorityClass's, resolved by the state builder).
  std::string preemption_policy;
  std::string phase;  // status.phase: Pending, Running, Succeeded, Failed, Unknown, or empty
  // status.startTime as nanoseconds since the Unix epoch; nullopt when absent (upstream's
  // GetPodStartTime then reads "now": see SEMANTICS.md, "Preemption").
  std::optional<std::int64_t> start_time_ns;

  std::vector<Container> containers;
  std::vector<Container> init_containers;
  ResourceList overhead;               // spec.overhead
  std::optional<ResourceList> pod_level_requests;  // spec.resources.requests (PodLevelResources)

  StringMap node_selector;
  std::vector<Toleration> tolerations;
  std::optional<Affinity> affinity;
  std::vector<TopologySpreadConstraint> topology_spread_constraints;

  // metadata.annotations whose key starts with "alibabacloud.com/gpu-" (the only ones
  // Podium reads), and the GPU sharing request they spell (io/gpu_share.hpp).
  StringMap gpu_annotations;
  std::optional<PodGpuShare> gpu_share;

  bool terminated() const { return phase == "Succeeded" || phase == "Failed"; }
  bool deleting() const { return deletion_timestamp_ns.has_value(); }
  // A pod kube-scheduler never considers: terminated pods are not even listed to it (its pod
  // informer's field selector, newPodInformer in pkg/scheduler/scheduler.go, excludes phases
  // Succeeded and Failed), and a pending pod being deleted is dropped from the queue
  // (skipPodSchedule, pkg/scheduler/schedule_one.go). A *bound* pod being deleted still
  // holds its node's resources until the kubelet reports it gone, so it is not ignored.
  bool ignored_by_scheduler() const { return terminated() || (deleting() && node_name.empty()); }
  std::string key() const { return namespace_ + "/" + name; }
};

struct NamespaceObject {
  SourceRef source;
  std::string name;
  StringMap labels;
};

struct PriorityClassObject {
  SourceRef source;
  std::string name;
  std::int32_t value = 0;
  bool global_default = false;
  std::string preemption_policy = "PreemptLowerPriority";  // or "Never"
};

// An int-or-string field ("3" or "30%"), as intstr.IntOrString holds it.
struct IntOrPercent {
  std::int32_t value = 0;
  bool percent = false;
};

// policy/v1 PodDisruptionBudget: what DefaultPreemption reads (namespace, spec.selector,
// status.disruptionsAllowed and status.disruptedPods), plus minAvailable / maxUnavailable
// to compute disruptionsAllowed when the status does not say (state builder).
struct PodDisruptionBudgetObject {
  SourceRef source;
  std::string namespace_ = "default";
  std::string name;
  std::optional<LabelSelector> selector;       // spec.selector; nil matches no pod
  std::optional<IntOrPercent> min_available;   // spec.minAvailable
  std::optional<IntOrPercent> max_unavailable; // spec.maxUnavailable
  std::optional<std::int32_t> disruptions_allowed;  // status.disruptionsAllowed
  std::vector<std::string> disrupted_pods;     // keys of status.disruptedPods (pod names)
  std::string key() const { return namespace_ + "/" + name; }
};

// Service, ReplicaSet, StatefulSet, ReplicationController: only what default topology
// spreading needs (their namespace and pod selector).
struct SelectorOwnerObject {
  SourceRef source;
  std::string kind;
  std::string namespace_ = "default";
  std::string name;
  std::optional<LabelSelector> selector;  // Service / RC selectors are map-only (match_labels)
};

// The label that makes a pod a member of a pod group (scheduler-plugins' coscheduling:
// util.PodGroupLabel). An empty value means no group.
inline constexpr const char* kPodGroupLabel = "scheduling.x-k8s.io/pod-group";

// scheduling.x-k8s.io/v1alpha1 PodGroup (scheduler-plugins' coscheduling CRD): the pods of
// its namespace labelled kPodGroupLabel=name are placed all-or-nothing, at least
// min_member of them together. Only spec.minMember is read (the loader requires it, >= 1).
struct PodGroupObject {
  SourceRef source;
  std::string namespace_ = "default";
  std::string name;
  std::int32_t min_member = 0;
  std::string key() const { return namespace_ + "/" + name; }
};

struct ClusterObjects {
  std::vector<NodeObject> nodes;
  std::vector<PodObject> pods;
  std::vector<NamespaceObject> namespaces;
  std::vector<PriorityClassObject> priority_classes;
  std::vector<SelectorOwnerObject> selector_owners;
  std::vector<PodGroupObject> pod_groups;
  std::vector<PodDisruptionBudgetObject> disruption_budgets;
};

}  // namespace podium::io
