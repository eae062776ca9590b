#pragma once
// ClusterState: the one owner of every node column and every pod record.
//
// Nodes are structure-of-arrays. A plugin's per-node loop touches only the columns it
// needs, each a contiguous, 64-byte aligned array indexed by NodeIndex:
//
//   resource r ─► allocatable[r] : [ n0 | n1 | n2 | ... ]   int64, fixed units (resources.hpp)
//                 requested[r]   : [ n0 | n1 | n2 | ... ]   sum of bound pods' requests
//   nonzero_cpu / nonzero_memory : NodeInfo.NonZeroRequested (defaults for request-less pods)
//   allowed_pods / pod_count     : int32, allocatable "pods" and pods bound
//   unschedulable                : uint8, spec.unschedulable
//   labels (CSR)                 : label_offsets[n] .. label_offsets[n+1] into label_pairs,
//                                  each (key id, value id), sorted by key id;
//                                  label_numbers[i] is label_pairs[i]'s value read as Go's
//                                  strconv.ParseInt(v, 10, 64) (NodeAffinity Gt / Lt)
//   taints (CSR)                 : taint_offsets[n] .. into taints (interned triples)
//   images (CSR)                 : image_offsets[n] .. image_offsets[n+1] into node_images,
//                                  each an ImageIndex into `images`, sorted, unique per node
//   used_ports                   : per node, the HostPortInfo of the pods bound there
//                                  (NodePorts); empty for most nodes
//
//   images (ImageTable, by ImageIndex — one entry per image *name* some node reports):
//     name, size_bytes (from the first node listing the name, as the scheduler cache
//     keeps it), node_count, spread_score = int64(size * node_count / total nodes)
//
//   node n:  label_offsets[n]      label_offsets[n+1]
//                 │                      │
//   label_pairs   [ (k,v) (k,v) (k,v) | (k,v) ... ]      label_numbers [ {42,ok} {0,-} ... ]
//   node_images   [ 3 7 12 | 0 3 | ... ]  ──►  images.spread_score[3] ...
//   used_ports    [ {} | {(0.0.0.0,TCP,80)} | {} ... ]
//
// Pods are a table of compiled records (PodRecord): scheduling reads one pod at a time, so
// its data is hot in cache anyway, while the node columns are what every decision scans.
// A pod's node selection constraints (spec.nodeSelector, required and preferred node
// affinity) are compiled once into a shared, immutable PodNodeAffinity (pods with equal
// constraints share one), with label keys and values interned and Gt/Lt bounds parsed.
//
// Who may write: the loader (ClusterBuilder) fills everything once; afterwards only
// bind() — the committer — changes requested/nonzero/pod_count/used_ports. Plugins get a
// const reference. A bind() invalidates nothing but the node's own used_ports[n] storage
// (every other column never reallocates after building; nobody keeps a pointer into
// used_ports across a bind), and concurrent readers must be ordered against it by the
// scheduler (see scheduler/).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "podium/common/aligned_vector.hpp"
#include "podium/common/string_interner.hpp"
#include "podium/gpushare/gpu_cluster.hpp"
#include "podium/state/resources.hpp"

namespace podium::state {

using NodeIndex = std::uint32_t;
using PodIndex = std::uint32_t;
inline constexpr NodeIndex kNoNode = ~NodeIndex{0};

struct LabelPair {
  StringId key;
  StringId value;
};

struct TaintRecord {
  StringId key;
  StringId value;
  StringId effect;
};

struct TolerationRecord {
  std::optional<StringId> key;     // nullopt: empty key (matches every key with Exists)
  bool op_exists = false;          // false: Equal
  StringId value = 0;
  std::optional<StringId> effect;  // nullopt: all effects
};

// A string id no interned string has: a key or value the cluster never mentions. It
// equals no label key or value, so a requirement naming it behaves as for an absent label.
inline constexpr StringId kUnseenString = ~StringId{0};

// Go's strconv.ParseInt(text, 10, 64) of a label value: ok is false where Go returns an error.
struct LabelNumber {
  std::int64_t value = 0;
  bool ok = false;
};

// One NodeSelectorRequirement of matchExpressions, as labels.NewRequirement keeps it.
enum class SelectorOp : std::uint8_t { kIn, kNotIn, kExists, kDoesNotExist, kGt, kLt };
struct LabelRequirement {
  StringId key = kUnseenString;
  SelectorOp op = SelectorOp::kExists;
  std::int64_t bound = 0;         // Gt / Lt: the parsed value
  std::vector<StringId> values;   // In / NotIn
};

// A metav1.LabelSelector for pods and namespaces (label_selector.hpp compiles and explains
// it): nil matches nothing, empty matches everything, requirements are ANDed.
struct LabelSelectorRecord {
  bool matches_nothing = false;                // nil selector (labels.Nothing())
  std::vector<LabelRequirement> requirements;  // In / NotIn / Exists / DoesNotExist only; sorted by key

  // labels.Selector.Matches over labels sorted by key id.
  bool matches(std::span<const LabelPair> labels) const;
  bool matches_everything() const { return !matches_nothing && requirements.empty(); }
  // Canonical bytes: equal bytes, equal selector.
  void append_signature(std::string& out) const;
};

// One matchFields requirement (In / NotIn with exactly one value). Only metadata.name is a
// node field; any other key reads as "" (fields.Set.Get), so its outcome is a constant.
struct FieldRequirement {
  enum class Kind : std::uint8_t { kNameIs, kNameIsNot, kAlways, kNever };
  Kind kind = Kind::kNever;
  NodeIndex node = kNoNode;  // kNameIs / kNameIsNot: the node so named, or kNoNode
};

// A NodeSelectorTerm (nodeaffinity.nodeSelectorTerm): expressions and fields ANDed. A term
// that failed to parse (unknown operator, In without values, Gt with a non-integer, an
// invalid label key or value, ...) matches no node, as upstream's lazy parser decides.
struct NodeSelectorTermRecord {
  std::vector<LabelRequirement> expressions;
  std::vector<FieldRequirement> fields;
  bool valid = true;
};

struct PreferredTermRecord {
  std::int32_t weight = 0;
  NodeSelectorTermRecord term;
};

// NodeAffinity's view of one pod (nodeaffinity.GetRequiredNodeAffinity and the pod's
// PreferredSchedulingTerms), compiled once and shared by every pod with equal constraints.
struct PodNodeAffinity {
  std::vector<LabelPair> node_selector;  // spec.nodeSelector: every pair must be a node label
  bool has_required = false;             // requiredDuringSchedulingIgnoredDuringExecution set
  std::vector<NodeSelectorTermRecord> required;  // its non-empty terms, ORed (none: matches nothing)
  // PreFilter's narrowing by matchFields metadata.name In (when every required term has
  // one): kAll (no narrowing), kNames (only `names`, sorted), kConflict (the terms name
  // disjoint sets: PreFilter rejects the pod).
  enum class Narrowing : std::uint8_t { kAll, kNames, kConflict };
  Narrowing narrowing = Narrowing::kAll;
  std::vector<NodeIndex> names;
  bool has_preferred = false;                // preferredDuringScheduling... given (PreScore runs)
  std::vector<PreferredTermRecord> preferred;  // weight != 0 and non-empty terms
  bool preferred_invalid = false;            // a preferred term failed to parse (PreScore Error)
  std::string signature;                     // canonical bytes of all of the above (sign())
};

// One entry of HostPortInfo: hostIP ("" already read as 0.0.0.0), protocol ("" as TCP), port.
struct HostPortRecord {
  StringId ip = 0;
  StringId protocol = 0;
  std::int32_t port = 0;
  friend bool operator==(const HostPortRecord&, const HostPortRecord&) = default;
};

// One pod (anti-)affinity term (upstream framework.AffinityTerm / WeightedAffinityTerm),
// compiled at load. The API server's merge of matchLabelKeys / mismatchLabelKeys into the
// label selector is already applied (key In / NotIn the pod's own value).
struct PodAffinityTermRecord {
  LabelSelectorRecord selector;            // labelSelector (nil: matches no pod)
  // The namespaces the term names, sorted and unique. When the term gives neither
  // namespaces nor a namespaceSelector this already holds the pod's own namespace
  // (newAffinityTerm's defaulting).
  std::vector<StringId> namespaces;
  LabelSelectorRecord namespace_selector;  // nil (matches_nothing) when absent
  StringId topology_key = kUnseenString;
  std::int32_t weight = 0;                 // preferred terms only
};

// A pod's spec.affinity.podAffinity and podAntiAffinity; pods with equal terms share one.
struct PodAffinityRecord {
  std::vector<PodAffinityTermRecord> required_affinity;
  std::vector<PodAffinityTermRecord> required_anti_affinity;
  std::vector<PodAffinityTermRecord> preferred_affinity;       // weight set
  std::vector<PodAffinityTermRecord> preferred_anti_affinity;  // weight set
  std::string signature;  // canonical bytes of all of the above
};

// One spec.topologySpreadConstraints entry, with matchLabelKeys merged into the selector.
struct TopologySpreadConstraintRecord {
  std::int32_t max_skew = 0;
  StringId topology_key = kUnseenString;
  bool do_not_schedule = true;                // whenUnsatisfiable: DoNotSchedule (else ScheduleAnyway)
  LabelSelectorRecord selector;
  std::optional<std::int32_t> min_domains;    // nil: 1
  bool honor_node_affinity = true;            // nodeAffinityPolicy (nil: Honor)
  bool honor_node_taints = false;             // nodeTaintsPolicy (nil: Ignore)
};

using ImageIndex = std::uint32_t;

// Every image name some node reports (ImageStateSummary per name).
struct ImageTable {
  std::vector<StringId> name;
  std::vector<std::int64_t> size_bytes;   // of the first node (input order) listing the name
  std::vector<std::int32_t> node_count;   // nodes listing the name
  // imagelocality.scaledImageScore: int64(float64(size) * float64(count) / float64(total nodes))
  std::vector<std::int64_t> spread_score;
  std::size_t size() const { return name.size(); }
};

struct NodeTable {
  std::size_t size = 0;
  std::vector<std::string> names;

  std::vector<AlignedVector<std::int64_t>> allocatable;  // [resource][node]
  std::vector<AlignedVector<std::int64_t>> requested;    // [resource][node]
  // Derived from `allocatable` (which never changes after loading) by derive_scoring_columns,
  // for the division-free scoring kernels (plugins/noderesources/resource_kernels.hpp): each
  // value as a double, and its reciprocal (0 for 0). Empty for a resource with a value
  // outside [0, 2^46), where the kernels' exactness argument ends (the scalar path runs).
  std::vector<AlignedVector<double>> allocatable_f64;      // [resource][node]
  std::vector<AlignedVector<double>> allocatable_inverse;  // [resource][node]
  void derive_scoring_columns();
  AlignedVector<std::int64_t> nonzero_cpu;               // milli-cores
  AlignedVector<std::int64_t> nonzero_memory;            // bytes
  AlignedVector<std::int32_t> allowed_pods;
  AlignedVector<std::int32_t> pod_count;
  AlignedVector<std::uint8_t> unschedulable;

  std::vector<std::uint32_t> label_offsets;  // size + 1 entries
  std::vector<LabelPair> label_pairs;
  std::vector<LabelNumber> label_numbers;    // parallel to label_pairs
  std::vector<std::uint32_t> taint_offsets;  // size + 1 entries
  std::vector<TaintRecord> taints;

  std::vector<std::uint32_t> image_offsets;  // size + 1 entries
  std::vector<ImageIndex> node_images;       // sorted and unique within a node
  ImageTable images;

  // HostPortInfo of the pods bound to each node (only bind() appends; no duplicates).
  std::vector<std::vector<HostPortRecord>> used_ports;
  StringId any_ip = kUnseenString;  // the id of "0.0.0.0" (DefaultBindAllHostIP)

  // The labels of node n, sorted by key id.
  std::span<const LabelPair> labels_of(NodeIndex n) const {
    return {label_pairs.data() + label_offsets[n], label_offsets[n + 1] - label_offsets[n]};
  }
  // Index into label_pairs of node n's label `key`, or npos.
  static constexpr std::size_t npos = ~std::size_t{0};
  std::size_t find_label(NodeIndex n, StringId key) const {
    const auto l = labels_of(n);
    const auto it = std::lower_bound(l.begin(), l.end(), key, [](const LabelPair& p, StringId k) { return p.key < k; });
    return it != l.end() && it->key == key ? label_offsets[n] + static_cast<std::size_t>(it - l.begin()) : npos;
  }
};

// A pod group (scheduler-plugins' coscheduling PodGroup): its pods are placed
// all-or-nothing, at least min_member together (scheduler/gang_placement.hpp).
struct PodGroupRecord {
  std::string key;              // namespace/name, as placement reasons name the group
  std::int32_t min_member = 1;  // spec.minMember, >= 1
  std::uint32_t members = 0;    // pods (not terminated) labelled with the group, bound or pending
};
using PodGroupIndex = std::int32_t;
inline constexpr PodGroupIndex kNoPodGroup = -1;

// A PodDisruptionBudget as DefaultPreemption reads it (filterPodsWithPDBViolation): its
// namespace, selector (nil or empty matches no pod there) and how many disruptions it
// allows (status.disruptionsAllowed, or computed at load: cluster_builder.hpp).
struct DisruptionBudgetRecord {
  std::string key;  // namespace/name
  StringId namespace_id = 0;
  LabelSelectorRecord selector;  // matches_nothing for nil; callers skip an empty one too
  std::int32_t disruptions_allowed = 0;
  std::vector<std::string> disrupted_pods;  // status.disruptedPods names (already processed)
};

// A pod compiled for scheduling: every string interned or resolved, requests in fixed units.
struct PodRecord {
  std::string key;  // namespace/name
  StringId namespace_id = 0;
  std::vector<LabelPair> labels;  // sorted by key id
  std::int32_t priority = 0;
  // preemptionPolicy Never (the pod's, else its PriorityClass's): DefaultPreemption's
  // PodEligibleToPreemptOthers refuses such a pod; it can still be a victim.
  bool preempt_never = false;
  std::optional<std::int64_t> creation_timestamp_ns;
  // status.startTime; nullopt: not started (upstream's GetPodStartTime reads "now", later
  // than every given time — MoreImportantPod, scheduler/preemption.hpp).
  std::optional<std::int64_t> start_time_ns;
  std::uint32_t file_order = 0;  // position across all input files, the last queue tie-break
  std::string scheduler_name;
  PodGroupIndex group = kNoPodGroup;  // index into ClusterState::pod_groups, or kNoPodGroup

  std::string requested_node_name;  // spec.nodeName as written (NodeName filter)
  NodeIndex bound_node = kNoNode;   // where the pod runs; kNoNode while pending

  // Dense over ResourceRegistry ids (size == registry.size()). Plain requests as
  // NodeResourcesFit's PreFilter computes them (no defaults).
  std::vector<std::int64_t> requests;
  // NonZeroRequested contribution once bound (PodInfo.CalculateResource).
  std::int64_t nonzero_cpu = 0;
  std::int64_t nonzero_memory = 0;
  // cpu/memory as LeastAllocated/MostAllocated/RTCR see the incoming pod (defaults for
  // containers without a request).
  std::int64_t score_cpu = 0;
  std::int64_t score_memory = 0;

  std::vector<TolerationRecord> tolerations;
  bool has_any_request = false;  // any of cpu/memory/ephemeral/scalar > 0 (fitsRequest early return)

  // NodeAffinity: null when the pod has neither spec.nodeSelector nor node affinity.
  std::shared_ptr<const PodNodeAffinity> node_affinity;
  // NodePorts (util.GetHostPorts): hostPort > 0 of the containers and of the restartable
  // (sidecar) init containers, in spec order.
  std::vector<HostPortRecord> host_ports;
  // ImageLocality: the pod's init and regular container images, normalized (":latest"
  // added to untagged names), that some node reports, as sorted ImageIndex (a name listed
  // twice stays twice); images no node has score nothing and are left out.
  std::vector<ImageIndex> images;
  std::uint32_t image_containers = 0;  // len(initContainers) + len(containers)

  // PodTopologySpread: the pod's own constraints, and the selector its owners give
  // (helper.DefaultSelector: the Services selecting the pod, its controlling
  // ReplicationController, ReplicaSet or StatefulSet) for the plugin's default
  // constraints; nullopt where that selector would be empty.
  std::vector<TopologySpreadConstraintRecord> spread_constraints;
  std::optional<LabelSelectorRecord> default_spread_selector;
  // InterPodAffinity: null when the pod has neither podAffinity nor podAntiAffinity.
  std::shared_ptr<const PodAffinityRecord> pod_affinity;

  // GPU sharing (io/gpu_share.hpp), meaningful only when ClusterState::gpu is engaged: the
  // pod as gpushare sees it (milli-CPU, MiB rounded up, GPUs asked; num_gpu == 0 for a pod
  // without a GPU-sharing request) and the devices it holds while bound (bit d = device d).
  gpushare::GpuPod gpu;
  gpushare::DeviceSet gpu_devices = 0;
  // The devices of the pod's latest bind, kept after unbind: an evicted pod's placement
  // entry still names the devices it took, and a preemption dry run puts a victim it took
  // off back on the same devices.
  gpushare::DeviceSet last_gpu_devices = 0;
  bool uses_gpu_sharing() const { return gpu.num_gpu > 0; }
};

class ClusterState {
 public:
  ResourceRegistry resources;
  StringInterner strings;
  NodeTable nodes;
  std::vector<PodRecord> pods;  // bound and pending, in input order
  // Labels of the Namespace objects in the input, by namespace name id (InterPodAffinity's
  // namespaceSelector). Namespaces without an object are absent.
  std::unordered_map<StringId, std::vector<LabelPair>> namespace_labels;
  // PodGroups of the input, in input order (PodRecord::group indexes it). Written once by
  // the builder; the scheduler only reads it.
  std::vector<PodGroupRecord> pod_groups;
  // PodDisruptionBudgets of the input, in input order (read by preemption only).
  std::vector<DisruptionBudgetRecord> disruption_budgets;

  // GPU sharing's per-device columns (gpushare::GpuCluster: one row per node, NodeIndex
  // order; CPU, memory, GPU model, free milli-GPU per device), engaged when any node or pod
  // of the input carries GPU sharing, nullopt otherwise (then nothing below touches it).
  // Only bind()/unbind() write it, for every pod, so its CPU column stays in step too.
  std::optional<gpushare::GpuCluster> gpu;

  std::optional<NodeIndex> find_node(std::string_view name) const;
  void index_node_names();  // (re)builds the name map; the builder calls it

  // The committer: accounts pod `p` on node `n` (NodeInfo.AddPod). Not thread-safe.
  // A GPU-sharing pod takes `devices` when given (a chooser's pick), else the devices it
  // already names (gpu-index of a pod bound at load), else gpushare's default choice
  // (best_fit_devices: the tightest device that fits a share, the lowest idle devices for
  // whole GPUs). The devices must fit (the GpuShare filter checked them).
  void bind(PodIndex p, NodeIndex n, gpushare::DeviceSet devices = 0);
  // The reverse (NodeInfo.RemovePod): pod `p` leaves its node and reads as unbound
  // (bound_node == kNoNode). A no-op for a pod that is not bound. Not thread-safe.
  void unbind(PodIndex p);

  // Pods without a node, in queue order (PrioritySort: higher priority first, then older
  // creationTimestamp, then input order). Pods with no timestamp queue after timestamped
  // pods of the same priority.
  std::vector<PodIndex> pending_in_queue_order() const;

 private:
  std::unordered_map<std::string_view, NodeIndex> node_index_;
};

// Upstream v1helper.TolerationsTolerateTaint for one taint (Toleration.ToleratesTaint):
// effect matches if the toleration's is empty or equal; key matches if empty or equal;
// Exists matches any value, Equal (or empty operator) needs equal values.
bool tolerates(const TolerationRecord& toleration, StringId taint_key, StringId taint_value, StringId taint_effect);
bool tolerates_any(const std::vector<TolerationRecord>& tolerations, StringId taint_key, StringId taint_value,
                   StringId taint_effect);

}  // namespace podium::state
