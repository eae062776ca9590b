#pragma once
// The reference scheduler: a deliberately plain, single-threaded, array-of-structs
// rendition of the profile Podium implements — filters NodeUnschedulable, NodeName,
// TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
// InterPodAffinity; scores TaintToleration, NodeAffinity, NodeResourcesFit,
// PodTopologySpread, InterPodAffinity, NodeResourcesBalancedAllocation, ImageLocality — written
// straight from the upstream rules over strings (labels, taints, images and host ports as
// text), with no batching, no selection vectors, no parallelism and no shortcuts: every
// normalizing plugin normalizes over the feasible nodes, every pod.
//
// It is the test oracle (the engine must place every pod exactly as this does) and the
// baseline the benchmarks report their ratios against. It shares only pure functions,
// each pinned by its own unit tests (scorers.hpp, DefaultNormalizeScore, ImageLocality's
// calculatePriority, Go's ParseInt), the documented tie rule, and the pods' compiled node
// affinity (PodRecord::node_affinity, whose parsing the NodeAffinity tests pin).
// PodTopologySpread and InterPodAffinity (pod_topology_spread.hpp, inter_pod_affinity.hpp)
// also read the pods' compiled spread constraints, default selectors and affinity terms
// (PodRecord), and walk every node's bound pods per decision, as upstream's PreFilter does.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/descriptors.hpp"
#include "podium/plugins/interpodaffinity/args.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::reference {

// The defaults are upstream's default profile (as far as Podium implements it), read from
// the plugin descriptor table (podium/plugins/descriptors.hpp) like default_profile_spec().
struct ReferenceOptions {
  std::uint64_t seed = 1;
  // The profile's schedulerName: a pod naming another one is left unplaced (its decision
  // index still counts), as the engine does when no profile has its name. Empty: any.
  std::string scheduler_name;
  plugins::noderesources::FitArgs fit;
  plugins::noderesources::BalancedAllocationArgs balanced;
  plugins::nodeaffinity::NodeAffinityArgs node_affinity;
  // InterPodAffinity (reference/inter_pod_affinity.hpp): its args, its filter (on unless
  // switched off) and its score weight (0 leaves it out).
  plugins::interpodaffinity::InterPodAffinityArgs inter_pod_affinity;
  bool inter_pod_affinity_filter = default_filter("InterPodAffinity");
  std::int64_t inter_pod_affinity_weight = default_weight("InterPodAffinity");
  // PodTopologySpread (reference/pod_topology_spread.hpp): its args, its filter (on unless
  // switched off) and its score weight (0 leaves it out).
  plugins::podtopologyspread::PodTopologySpreadArgs pod_topology_spread;
  bool pod_topology_spread_filter = default_filter("PodTopologySpread");
  std::int64_t pod_topology_spread_weight = default_weight("PodTopologySpread");
  // NodeUnschedulable, NodeName and NodeResourcesFit always filter; these may be off.
  bool taint_toleration_filter = default_filter("TaintToleration");
  bool node_affinity_filter = default_filter("NodeAffinity");
  bool node_ports_filter = default_filter("NodePorts");
  // Score weights; 0 leaves a plugin out.
  std::int64_t taint_toleration_weight = default_weight("TaintToleration");
  std::int64_t node_affinity_weight = default_weight("NodeAffinity");
  std::int64_t fit_weight = default_weight("NodeResourcesFit");
  std::int64_t balanced_weight = default_weight("NodeResourcesBalancedAllocation");
  std::int64_t image_locality_weight = default_weight("ImageLocality");
  // percentageOfNodesToScore as the profile resolved it (0: upstream's adaptive value);
  // unset: every node is scored (Podium's default).
  std::optional<std::int32_t> percentage_of_nodes_to_score;
  // DefaultPreemption (on by default, as in upstream's default profile) and its args.
  bool preemption = true;
  std::int32_t min_candidate_nodes_percentage = 10;
  std::int32_t min_candidate_nodes_absolute = 100;
  // `--requeue-victims` (docs/SEMANTICS.md): after a pass over the pending pods, the pods
  // that pass evicted are decided again in a further pass, higher priority first, then in
  // eviction order; passes repeat while they evict. Decision indices continue across passes.
  bool requeue_victims = false;
  // Nodes that join mid-run: only nodes [0, initial_nodes) of the cluster exist at the
  // start; ReferenceScheduler::add_nodes brings in the next ones (unset: every node).
  std::optional<std::size_t> initial_nodes;

 private:
  static bool default_filter(std::string_view plugin) { return plugins::descriptor(plugin).default_filter(); }
  static std::int64_t default_weight(std::string_view plugin) {
    return plugins::descriptor(plugin).default_score_weight();
  }
};

inline constexpr state::PodIndex kNoPreemptor = ~state::PodIndex{0};

// One entry of the reference's placement list, in the engine's order: a preemptor's
// victims (evicted_by set, node kNoNode) just before the preemptor (victims listed).
struct ReferencePlacement {
  state::PodIndex pod;
  state::NodeIndex node;  // kNoNode when unschedulable
  state::PodIndex evicted_by = kNoPreemptor;
  std::vector<state::PodIndex> victims{};  // non-empty: placed by preemption, most important first
};

// A filter's verdict on one node, as far as preemption cares: kUnschedulable nodes are
// where evicting pods might help, kUnresolvable ones are skipped.
enum class FilterCode : std::uint8_t { kFits, kUnschedulable, kUnresolvable };

// One node, all of its data together (array of structs).
struct ReferenceNode {
  std::string name;
  std::vector<std::int64_t> allocatable;  // by ResourceId
  std::vector<std::int64_t> requested;
  std::int64_t nonzero_cpu = 0;
  std::int64_t nonzero_memory = 0;
  std::int32_t allowed_pods = 0;
  std::int32_t pods = 0;
  bool unschedulable = false;
  std::map<std::string, std::string> labels;
  struct Taint {
    std::string key, value, effect;
  };
  std::vector<Taint> taints;
  std::set<std::string> images;  // names as the node reports them
  struct Port {
    std::string ip, protocol;
    std::int32_t port;
  };
  std::vector<Port> used_ports;  // of the pods bound here
  // Every pod bound here (at load or by this scheduler), in bind order: what the
  // inter-pod plugins (topology spread, pod affinity) walk, as upstream's NodeInfo.Pods.
  std::vector<const state::PodRecord*> bound_pods;
};

class ReferenceScheduler {
 public:
  // Copies node usage out of `cluster` (which must outlive this object and is never written);
  // with options.initial_nodes, of its first nodes only (a pod bound to a later one throws
  // std::invalid_argument).
  ReferenceScheduler(const state::ClusterState& cluster, ReferenceOptions options);

  // The node for `pod`, the decision_index-th decision; kNoNode if none fits.
  state::NodeIndex decide(const state::PodRecord& pod, std::uint64_t decision_index) const;
  void bind(const state::PodRecord& pod, state::NodeIndex node);
  // The next `count` nodes of the cluster join (created mid-run). The plain model of node
  // arrival: the reference's node list simply holds the nodes that exist, so every filter,
  // score, normalization, spread domain, image spread, tie ring, node walk and preemption
  // candidate list sees exactly those; what depends on the whole set is derived again.
  void add_nodes(std::size_t count);
  std::size_t node_count() const { return nodes_.size(); }
  // DefaultPreemption for `pod`, unschedulable at decision `decision_index`, written plainly
  // (reference_preemption.cpp): the victims evicted (already unbound here) and the node, or
  // kNoNode with no change. The caller binds the pod.
  state::NodeIndex preempt(const state::PodRecord& pod, std::uint64_t decision_index,
                           std::vector<state::PodIndex>& victims);

 private:
  // Every node's verdict for `pod`, filters in the default profile's order (no sampling).
  std::vector<FilterCode> filter_codes(const state::PodRecord& pod) const;
  bool node_affinity_fits(const state::PodRecord& pod, state::NodeIndex n) const;
  void append_node(state::NodeIndex n);
  void derive_from_node_set();
  void unbind(const state::PodRecord& pod, state::NodeIndex node);
  state::PodIndex index_of(const state::PodRecord& pod) const {
    return static_cast<state::PodIndex>(&pod - cluster_.pods.data());
  }

  const state::ClusterState& cluster_;
  ReferenceOptions options_;
  std::vector<ReferenceNode> nodes_;
  framework::TieBreaker ties_;
  struct ImageState {
    std::int64_t size = 0;
    std::int64_t nodes = 0;
  };
  std::map<std::string, ImageState> image_states_;
  std::vector<state::NodeSelectorTermRecord> added_required_;
  bool has_added_required_ = false;
  std::vector<state::PreferredTermRecord> added_preferred_;
  bool has_added_preferred_ = false;
  // Node sampling: upstream's snapshot node list (zones interleaved), how many feasible
  // nodes a decision looks for, and Scheduler.nextStartNodeIndex (advanced by decide()).
  std::vector<state::NodeIndex> walk_;
  std::size_t to_find_ = 0;
  mutable std::size_t next_start_ = 0;
};

// Schedules the pending pods of `cluster` (read only: the reference keeps its own copy of
// node usage) in queue order, then (requeue_victims) the evicted pods pass by pass.
std::vector<ReferencePlacement> reference_schedule(const state::ClusterState& cluster, const ReferenceOptions& options);

}  // namespace podium::reference
