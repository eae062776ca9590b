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
//                                  each (key id, value id), sorted by key id
//   taints (CSR)                 : taint_offsets[n] .. into taints (interned triples)
//
// Pods are a table of compiled records (PodRecord): scheduling reads one pod at a time, so
// its data is hot in cache anyway, while the node columns are what every decision scans.
//
// Who may write: the loader (ClusterBuilder) fills everything once; afterwards only
// bind() — the committer — changes requested/nonzero/pod_count. Plugins get a const
// reference. A bind() invalidates nothing (columns never reallocate after building), but
// concurrent readers must be ordered against it by the scheduler (see scheduler/).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "podium/common/aligned_vector.hpp"
#include "podium/common/string_interner.hpp"
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

struct NodeTable {
  std::size_t size = 0;
  std::vector<std::string> names;

  std::vector<AlignedVector<std::int64_t>> allocatable;  // [resource][node]
  std::vector<AlignedVector<std::int64_t>> requested;    // [resource][node]
  AlignedVector<std::int64_t> nonzero_cpu;               // milli-cores
  AlignedVector<std::int64_t> nonzero_memory;            // bytes
  AlignedVector<std::int32_t> allowed_pods;
  AlignedVector<std::int32_t> pod_count;
  AlignedVector<std::uint8_t> unschedulable;

  std::vector<std::uint32_t> label_offsets;  // size + 1 entries
  std::vector<LabelPair> label_pairs;
  std::vector<std::uint32_t> taint_offsets;  // size + 1 entries
  std::vector<TaintRecord> taints;
};

// A pod compiled for scheduling: every string interned or resolved, requests in fixed units.
struct PodRecord {
  std::string key;  // namespace/name
  StringId namespace_id = 0;
  std::vector<LabelPair> labels;  // sorted by key id
  std::int32_t priority = 0;
  std::optional<std::int64_t> creation_timestamp_ns;
  std::uint32_t file_order = 0;  // position across all input files, the last queue tie-break
  std::string scheduler_name;

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
};

class ClusterState {
 public:
  ResourceRegistry resources;
  StringInterner strings;
  NodeTable nodes;
  std::vector<PodRecord> pods;  // bound and pending, in input order

  std::optional<NodeIndex> find_node(std::string_view name) const;
  void index_node_names();  // (re)builds the name map; the builder calls it

  // The committer: accounts pod `p` on node `n` (NodeInfo.AddPod). Not thread-safe.
  void bind(PodIndex p, NodeIndex n);

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
