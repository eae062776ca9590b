#pragma once
// `podium verify`: an independent checker of placement lists.
//
// Given the cluster objects (io/ loaders) and a placement list (what `podium schedule`
// writes), it replays the placements in list order — pods already bound in the cluster
// count from the start — and checks every placed pod, against the cluster as it stands at
// that pod's turn, with the hard rules of the filters the profile enforces
// (docs/VERIFY.md lists them, and what is not checked). An eviction entry (evicted_by)
// takes a running pod off its node from that point on.
//
// Independence is the point: this module is written from docs/SEMANTICS.md and shares
// nothing with the engine's plugins (engine/src/plugins), the reference oracle
// (engine/src/reference) or the state builder's compiled constraints
// (state/node_selector, state/label_selector, state/pod_constraints). It reads the
// io:: objects as the loader parsed them and keeps its own strings-and-maps replay state,
// with its own label selector, node selector term and toleration matchers, so a bug in
// one cannot be hidden by the same bug in the other. Shared on purpose: the object
// loaders, io::pod_requests (the effective requests: init/sidecar/overhead accounting is
// the loader's job), state::is_scalar_resource_name / is_extended_resource_name (which
// request names NodeResourcesFit accounts) and the plugin args structs (config).
//
// Thread-safety: plain functions over const inputs; no shared state.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "podium/config/scheduler_config.hpp"
#include "podium/io/objects.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"

namespace podium::verify {

// One entry of a placement list: pod "namespace/name", node name or nullopt (unplaced).
// An eviction entry (preemption) has node null and evicted_by the preemptor's key: the pod
// leaves its node at that point of the replay.
struct PlacementEntry {
  std::string pod;
  std::optional<std::string> node;
  // "gpus": the device indices a GPU-sharing pod took on its node (absent otherwise).
  std::optional<std::vector<int>> gpus;
  std::optional<std::string> evicted_by;
  // A deletion (`"deleted": true`, node null): the pod leaves its node for a reason the
  // list does not judge (a workload deleting it, churn), freeing it like an eviction.
  bool deleted = false;
  // A node creation (`{"node": "n7", "created": true}`, no pod): the node joins the cluster
  // at this point of the list. A node some creation entry names does not exist before it:
  // no pod may be placed there, and PodTopologySpread counts no domain of it until then.
  // Nodes no creation entry names exist from the start. `pod` is empty.
  bool created = false;
  std::string path;  // JSON path of the entry in its file ("placements[3]"), for errors
};

struct Placements {
  std::string file;  // for error messages
  std::vector<PlacementEntry> entries;
};

// Reads `podium schedule`'s output ({"placements":[...], ...}) or a bare array of entries.
// Throws podium::InputError naming the file and the JSON path of the bad field.
Placements load_placements_file(const std::string& path);
Placements parse_placements(const std::string& text, const std::string& file_name);

// The filter rules verify knows, named as the upstream plugins that enforce them, in the
// default profile's filter order (violations are reported in this order).
enum class Rule : std::size_t {
  kNodeUnschedulable,
  kNodeName,
  kTaintToleration,
  kNodeAffinity,
  kNodePorts,
  kNodeResourcesFit,
  kPodTopologySpread,
  kInterPodAffinity,
  // GPU sharing's per-device rule (io/gpu_share.hpp): not a profile plugin but a property
  // of a cluster that carries GPU sharing, so it is always checked there.
  kGpuShare,
};
inline constexpr std::size_t kRuleCount = 9;
const char* rule_name(Rule rule);

// What one profile enforces: its filter plugins, and the args that change filter rules.
struct ProfileRules {
  bool enabled[kRuleCount] = {true, true, true, true, true, true, true, true, true};
  plugins::noderesources::FitArgs fit;                 // ignoredResources / ignoredResourceGroups
  plugins::nodeaffinity::NodeAffinityArgs node_affinity;  // addedAffinity (required part)
  // PodTopologySpread's default constraints (effective: System means the system ones,
  // which are ScheduleAnyway and so never filter); DoNotSchedule ones are checked.
  std::vector<plugins::podtopologyspread::DefaultConstraint> spread_defaults =
      plugins::podtopologyspread::system_default_constraints();
  bool enforces(Rule r) const { return enabled[static_cast<std::size_t>(r)]; }
};

struct VerifyOptions {
  // By schedulerName; a pod whose schedulerName names no profile here is checked with
  // `fallback` (upstream's default profile unless set).
  std::map<std::string, ProfileRules> profiles;
  ProfileRules fallback;
};

// The rules of every profile of a KubeSchedulerConfiguration.
VerifyOptions options_from_config(const config::SchedulerConfiguration& config);

struct Violation {
  std::string pod;
  std::string node;
  std::string rule;    // rule_name()
  std::string detail;  // e.g. "required pod anti-affinity with d/w1 (kubernetes.io/hostname)"
  std::size_t entry = 0;  // index into Placements::entries
};

struct VerifyReport {
  std::size_t checked = 0;   // placed entries checked
  std::size_t unplaced = 0;  // entries with node null (evictions apart)
  std::size_t evicted = 0;   // eviction entries replayed
  std::size_t deleted = 0;   // deletion entries replayed
  std::size_t created = 0;   // node creation entries replayed
  std::vector<Violation> violations;  // list order, then rule order
  // Faults of the list itself, "file: placements[3].pod: ..." (unknown pod or node, a pod
  // placed twice, a pod already bound in the cluster, a pod placed on a node before its
  // creation entry, a node created twice). Such an entry is not replayed.
  std::vector<std::string> errors;
  bool ok() const { return violations.empty() && errors.empty(); }
};

// Replays `placements` on `objects` (which validate_objects accepted) and checks each
// placed pod at its turn.
VerifyReport verify_placements(const io::ClusterObjects& objects, const Placements& placements,
                               const VerifyOptions& options = {});

// "d/w2 on n3: required pod anti-affinity with d/w1 (kubernetes.io/hostname)"
std::string format_violation(const Violation& v);

}  // namespace podium::verify
