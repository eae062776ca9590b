#include "podium/reference/reference_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "podium/framework/node_sampling.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/helper/normalize_score.hpp"
#include "podium/plugins/imagelocality/image_locality.hpp"
#include "podium/plugins/noderesources/scorers.hpp"
#include "podium/scheduler/scheduling_queue.hpp"
#include "podium/state/node_selector.hpp"
#include "reference/node_terms.hpp"
#include "reference/inter_pod_affinity.hpp"
#include "reference/pod_topology_spread.hpp"

namespace podium::reference {
namespace {

namespace nr = plugins::noderesources;
using state::NodeIndex;
using state::ResourceId;

using RefNode = ReferenceNode;

bool tolerates_unschedulable(const state::ClusterState& cluster, const state::PodRecord& pod) {
  for (const auto& t : pod.tolerations) {
    const std::string key = t.key ? cluster.strings.text(*t.key) : "";
    const std::string effect = t.effect ? cluster.strings.text(*t.effect) : "";
    if (!effect.empty() && effect != "NoSchedule") continue;
    if (!key.empty() && key != "node.kubernetes.io/unschedulable") continue;
    if (t.op_exists || cluster.strings.text(t.value).empty()) return true;
  }
  return false;
}

bool ignored(const nr::FitArgs& args, const std::string& name) {
  if (!state::is_extended_resource_name(name)) return false;
  for (const auto& r : args.ignored_resources)
    if (r == name) return true;
  const std::string group = name.substr(0, name.find('/'));
  for (const auto& g : args.ignored_resource_groups)
    if (g == group) return true;
  return false;
}

bool fits(const state::ClusterState& cluster, const nr::FitArgs& args, const state::PodRecord& pod,
          const RefNode& node) {
  if (node.pods + 1 > node.allowed_pods) return false;
  for (ResourceId r = 0; r < pod.requests.size(); ++r) {
    if (pod.requests[r] <= 0 || ignored(args, cluster.resources.name(r))) continue;
    if (pod.requests[r] > node.allocatable[r] - node.requested[r]) return false;
  }
  return true;
}

// fitsRequest's InsufficientResource.Unresolvable: some request exceeds the node's whole
// allocatable, so no eviction can make room.
bool exceeds_allocatable(const state::ClusterState& cluster, const nr::FitArgs& args, const state::PodRecord& pod,
                         const RefNode& node) {
  for (ResourceId r = 0; r < pod.requests.size(); ++r) {
    if (pod.requests[r] <= 0 || ignored(args, cluster.resources.name(r))) continue;
    if (pod.requests[r] > node.allocatable[r]) return true;
  }
  return false;
}

// (allocatable, requested) for one configured resource, as resource_allocation.go.
std::pair<std::int64_t, std::int64_t> alloc_req(const state::ClusterState& cluster, const state::PodRecord& pod,
                                                const RefNode& node, const std::string& name, bool use_requested) {
  const auto id = cluster.resources.find(name);
  if (!id) return {0, 0};
  std::int64_t pod_request = pod.requests[*id];
  if (*id == state::kCpu && !use_requested) pod_request = pod.score_cpu;
  if (*id == state::kMemory && !use_requested) pod_request = pod.score_memory;
  if (*id >= state::kFirstScalar && pod_request == 0) return {0, 0};
  std::int64_t node_requested = node.requested[*id];
  if (*id == state::kCpu && !use_requested) node_requested = node.nonzero_cpu;
  if (*id == state::kMemory && !use_requested) node_requested = node.nonzero_memory;
  return {node.allocatable[*id], node_requested + pod_request};
}

std::int64_t fit_score(const state::ClusterState& cluster, const nr::FitArgs& args, const state::PodRecord& pod,
                       const RefNode& node) {
  std::vector<nr::ShapePoint> shape;
  for (const auto& p : args.shape) shape.push_back({p.utilization, std::int64_t{p.score} * 10});
  std::int64_t sum = 0;
  std::int64_t weights = 0;
  for (const auto& spec : args.resources) {
    const auto [alloc, req] = alloc_req(cluster, pod, node, spec.name, false);
    if (alloc == 0) continue;
    std::int64_t s = 0;
    if (args.strategy == nr::ScoringStrategyType::kLeastAllocated) s = nr::least_requested_score(req, alloc);
    if (args.strategy == nr::ScoringStrategyType::kMostAllocated) s = nr::most_requested_score(req, alloc);
    if (args.strategy == nr::ScoringStrategyType::kRequestedToCapacityRatio) {
      s = nr::requested_to_capacity_ratio_score(shape, req, alloc);
      if (s <= 0) continue;
    }
    sum += s * spec.weight;
    weights += spec.weight;
  }
  if (weights == 0) return 0;
  if (args.strategy == nr::ScoringStrategyType::kRequestedToCapacityRatio)
    return static_cast<std::int64_t>(std::round(static_cast<double>(sum) / static_cast<double>(weights)));
  return sum / weights;
}

// nullopt: PreScore skipped the plugin (the pod requests none of its resources).
std::optional<std::int64_t> balanced_score(const state::ClusterState& cluster, const nr::BalancedAllocationArgs& args,
                                           const state::PodRecord& pod, const RefNode& node) {
  bool any = false;
  for (const auto& spec : args.resources) {
    const auto id = cluster.resources.find(spec.name);
    if (id && pod.requests[*id] != 0) any = true;
  }
  if (!any) return std::nullopt;
  std::vector<double> fractions;
  for (const auto& spec : args.resources) {
    const auto [alloc, req] = alloc_req(cluster, pod, node, spec.name, true);
    if (alloc == 0) continue;
    fractions.push_back(std::min(1.0, static_cast<double>(req) / static_cast<double>(alloc)));
  }
  return nr::balanced_resource_score(fractions);
}

// Toleration.ToleratesTaint, over strings.
bool tolerates(const state::ClusterState& cluster, const state::TolerationRecord& t, const RefNode::Taint& taint) {
  const std::string effect = t.effect ? cluster.strings.text(*t.effect) : "";
  const std::string key = t.key ? cluster.strings.text(*t.key) : "";
  if (!effect.empty() && effect != taint.effect) return false;
  if (!key.empty() && key != taint.key) return false;
  return t.op_exists || cluster.strings.text(t.value) == taint.value;
}

bool taints_fit(const state::ClusterState& cluster, const state::PodRecord& pod, const RefNode& node) {
  for (const auto& taint : node.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    bool tolerated = false;
    for (const auto& t : pod.tolerations) tolerated = tolerated || tolerates(cluster, t, taint);
    if (!tolerated) return false;
  }
  return true;
}

std::int64_t intolerable_prefer_no_schedule(const state::ClusterState& cluster, const state::PodRecord& pod,
                                            const RefNode& node) {
  std::int64_t count = 0;
  for (const auto& taint : node.taints) {
    if (taint.effect != "PreferNoSchedule") continue;
    bool tolerated = false;
    for (const auto& t : pod.tolerations) {
      const std::string effect = t.effect ? cluster.strings.text(*t.effect) : "";
      if (!effect.empty() && effect != "PreferNoSchedule") continue;
      tolerated = tolerated || tolerates(cluster, t, taint);
    }
    if (!tolerated) ++count;
  }
  return count;
}

bool any_matches(const state::ClusterState& cluster, const std::vector<state::NodeSelectorTermRecord>& terms,
                 const RefNode& node, NodeIndex n) {
  for (const auto& t : terms)
    if (node_term_matches(cluster, t, node, n)) return true;
  return false;
}

std::int64_t preferred_sum(const state::ClusterState& cluster, const std::vector<state::PreferredTermRecord>& terms,
                           const RefNode& node, NodeIndex n) {
  std::int64_t sum = 0;
  for (const auto& t : terms)
    if (node_term_matches(cluster, t.term, node, n)) sum += t.weight;
  return sum;
}

bool ports_fit(const state::ClusterState& cluster, const state::PodRecord& pod, const RefNode& node) {
  for (const auto& want : pod.host_ports) {
    const std::string ip = cluster.strings.text(want.ip);
    const std::string protocol = cluster.strings.text(want.protocol);
    for (const auto& used : node.used_ports) {
      if (used.port != want.port || used.protocol != protocol) continue;
      if (ip == "0.0.0.0" || used.ip == "0.0.0.0" || used.ip == ip) return false;
    }
  }
  return true;
}

// Upstream's nodeTree fed the nodes in input order, then nodeTree.list(): zones (by
// utilnode.GetZoneKey) in order of first appearance, nodes round-robin over the zones.
std::vector<NodeIndex> node_tree_list(const std::vector<RefNode>& nodes) {
  auto label = [](const RefNode& node, const std::string& key, const std::string& beta) -> std::string {
    auto it = node.labels.find(key);
    if (it == node.labels.end()) it = node.labels.find(beta);
    return it == node.labels.end() ? "" : it->second;
  };
  std::vector<std::string> zones;
  std::map<std::string, std::vector<NodeIndex>> tree;
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    const std::string zone = label(nodes[n], "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");
    const std::string region =
        label(nodes[n], "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");
    const std::string key = region.empty() && zone.empty() ? "" : region + std::string(":\0:", 3) + zone;
    if (!tree.count(key)) zones.push_back(key);
    tree[key].push_back(n);
  }
  std::vector<NodeIndex> list;
  for (std::size_t i = 0; list.size() < nodes.size(); ++i)
    for (const auto& zone : zones)
      if (i < tree[zone].size()) list.push_back(tree[zone][i]);
  return list;
}

}  // namespace

ReferenceScheduler::ReferenceScheduler(const state::ClusterState& cluster, ReferenceOptions options)
    : cluster_(cluster), options_(std::move(options)) {
  const std::size_t present = std::min(options_.initial_nodes.value_or(cluster.nodes.size), cluster.nodes.size);
  for (NodeIndex n = 0; n < present; ++n) append_node(n);
  for (const state::PodRecord& pod : cluster.pods) {
    if (pod.bound_node == state::kNoNode) continue;
    if (pod.bound_node >= present)
      throw std::invalid_argument("reference: pod " + pod.key + " is bound to node " +
                                  cluster.nodes.names[pod.bound_node] + ", which does not exist yet");
    nodes_[pod.bound_node].bound_pods.push_back(&pod);
  }
  derive_from_node_set();
  // NodeAffinityArgs, compiled as the plugin's constructor compiles them.
  if (const auto& added = options_.node_affinity.added_affinity) {
    const state::SelectorLookup lookup{
        [&](std::string_view s) { return cluster.strings.find(s).value_or(state::kUnseenString); },
        [&](std::string_view name) { return cluster.find_node(name).value_or(state::kNoNode); }};
    has_added_required_ = added->required.has_value();
    if (added->required)
      for (const auto& t : *added->required)
        if (!state::is_empty_term(t)) added_required_.push_back(state::compile_node_selector_term(t, lookup));
    has_added_preferred_ = !added->preferred.empty();
    for (const auto& t : added->preferred)
      if (t.weight != 0 && !state::is_empty_term(t.preference))
        added_preferred_.push_back({t.weight, state::compile_node_selector_term(t.preference, lookup)});
  }
}

// Node n of the cluster joins the reference's node list (its usage as the cluster has it).
void ReferenceScheduler::append_node(NodeIndex n) {
  const state::ClusterState& cluster = cluster_;
  const auto& cols = cluster.nodes;
  RefNode& node = nodes_.emplace_back();
  node.name = cols.names[n];
  for (ResourceId r = 0; r < cluster.resources.size(); ++r) {
    node.allocatable.push_back(cols.allocatable[r][n]);
    node.requested.push_back(cols.requested[r][n]);
  }
  node.nonzero_cpu = cols.nonzero_cpu[n];
  node.nonzero_memory = cols.nonzero_memory[n];
  node.allowed_pods = cols.allowed_pods[n];
  node.pods = cols.pod_count[n];
  node.unschedulable = cols.unschedulable[n] != 0;
  for (const auto& l : cols.labels_of(n)) node.labels[cluster.strings.text(l.key)] = cluster.strings.text(l.value);
  for (auto i = cols.taint_offsets[n]; i < cols.taint_offsets[n + 1]; ++i) {
    const auto& t = cols.taints[i];
    node.taints.push_back({cluster.strings.text(t.key), cluster.strings.text(t.value), cluster.strings.text(t.effect)});
  }
  for (auto i = cols.image_offsets[n]; i < cols.image_offsets[n + 1]; ++i) {
    const auto img = cols.node_images[i];
    const std::string name = cluster.strings.text(cols.images.name[img]);
    node.images.insert(name);
    auto [it, first] = image_states_.try_emplace(name);
    if (first) it->second.size = cols.images.size_bytes[img];
    it->second.nodes += 1;
  }
  for (const auto& p : cols.used_ports[n])
    node.used_ports.push_back({cluster.strings.text(p.ip), cluster.strings.text(p.protocol), p.port});
}

void ReferenceScheduler::add_nodes(std::size_t count) {
  const std::size_t end = std::min(nodes_.size() + count, cluster_.nodes.size);
  for (auto n = static_cast<NodeIndex>(nodes_.size()); n < end; ++n) append_node(n);
  derive_from_node_set();
}

// What depends on the node set as a whole: the tie ring, the walk and how many feasible
// nodes to find (numAllNodes), recomputed whenever nodes join, as upstream's snapshot is.
void ReferenceScheduler::derive_from_node_set() {
  ties_ = framework::TieBreaker(nodes_.size(), options_.seed);
  // Node sampling (schedule_one.go numFeasibleNodesToFind; a pure function the engine
  // shares, pinned by its unit tests). Without score plugins (every weight 0 here) upstream
  // stops at the first feasible node.
  to_find_ = nodes_.size();
  walk_.resize(nodes_.size());
  for (NodeIndex n = 0; n < nodes_.size(); ++n) walk_[n] = n;
  if (const auto pct = options_.percentage_of_nodes_to_score) {
    walk_ = node_tree_list(nodes_);
    const bool scoring = options_.taint_toleration_weight || options_.node_affinity_weight || options_.fit_weight ||
                         options_.balanced_weight || options_.image_locality_weight ||
                         options_.pod_topology_spread_weight || options_.inter_pod_affinity_weight;
    to_find_ = !scoring ? std::min<std::size_t>(1, nodes_.size())
                        : static_cast<std::size_t>(framework::num_feasible_nodes_to_find(
                              *pct, static_cast<std::int32_t>(nodes_.size())));
  }
}

std::vector<FilterCode> ReferenceScheduler::filter_codes(const state::PodRecord& pod) const {
  using enum FilterCode;
  std::vector<FilterCode> codes(nodes_.size(), kFits);
  const bool tolerates = tolerates_unschedulable(cluster_, pod);
  const state::PodNodeAffinity* affinity = pod.node_affinity.get();
  // NodeAffinity PreFilter: disjoint metadata.name sets reject the pod on every node.
  if (options_.node_affinity_filter && affinity && affinity->narrowing == state::PodNodeAffinity::Narrowing::kConflict)
    return std::vector<FilterCode>(nodes_.size(), kUnresolvable);
  // PodTopologySpread's and InterPodAffinity's PreFilter + Filter, over every node.
  const ReferencePodTopologySpread topology_spread(cluster_, options_.pod_topology_spread);
  const std::vector<FilterCode> spread =
      options_.pod_topology_spread_filter ? topology_spread.filter(pod, nodes_) : std::vector<FilterCode>{};
  const std::vector<FilterCode> inter_pod =
      options_.inter_pod_affinity_filter ? inter_pod_affinity_filter(cluster_, pod, nodes_) : std::vector<FilterCode>{};
  // The first rejecting filter decides, in the default profile's filter order.
  for (NodeIndex n = 0; n < nodes_.size(); ++n) {
    const RefNode& node = nodes_[n];
    FilterCode& code = codes[n];
    if (node.unschedulable && !tolerates) {
      code = kUnresolvable;
    } else if (!pod.requested_node_name.empty() && pod.requested_node_name != node.name) {
      code = kUnresolvable;
    } else if (options_.taint_toleration_filter && !taints_fit(cluster_, pod, node)) {
      code = kUnresolvable;
    } else if (options_.node_affinity_filter && !node_affinity_fits(pod, n)) {
      code = kUnresolvable;
    } else if (options_.node_ports_filter && !ports_fit(cluster_, pod, node)) {
      code = kUnschedulable;
    } else if (!fits(cluster_, options_.fit, pod, node)) {
      code = exceeds_allocatable(cluster_, options_.fit, pod, node) ? kUnresolvable : kUnschedulable;
    } else if (!spread.empty() && spread[n] != kFits) {
      code = spread[n];
    } else if (!inter_pod.empty() && inter_pod[n] != kFits) {
      code = inter_pod[n];
    }
  }
  return codes;
}

bool ReferenceScheduler::node_affinity_fits(const state::PodRecord& pod, NodeIndex n) const {
  const RefNode& node = nodes_[n];
  const state::PodNodeAffinity* affinity = pod.node_affinity.get();
  if (affinity && affinity->narrowing == state::PodNodeAffinity::Narrowing::kNames &&
      std::find(affinity->names.begin(), affinity->names.end(), n) == affinity->names.end())
    return false;
  if (has_added_required_ && !any_matches(cluster_, added_required_, node, n)) return false;
  if (!affinity) return true;
  for (const auto& want : affinity->node_selector) {
    const auto it = node.labels.find(label_text(cluster_, want.key));
    if (it == node.labels.end() || it->second != label_text(cluster_, want.value)) return false;
  }
  return !affinity->has_required || any_matches(cluster_, affinity->required, node, n);
}

NodeIndex ReferenceScheduler::decide(const state::PodRecord& pod, std::uint64_t decision_index) const {
  if (pod.scheduler_name != "default-scheduler") return state::kNoNode;
  const state::PodNodeAffinity* affinity = pod.node_affinity.get();
  // NodeAffinity PreFilter: disjoint metadata.name sets reject the pod outright.
  if (options_.node_affinity_filter && affinity && affinity->narrowing == state::PodNodeAffinity::Narrowing::kConflict)
    return state::kNoNode;

  // Filters, then every score plugin's raw score on every feasible node.
  struct Row {
    NodeIndex node;
    std::int64_t taint, affinity, fit, image;
    std::optional<std::int64_t> balanced;
  };
  std::vector<Row> rows;
  const std::vector<FilterCode> codes = filter_codes(pod);
  const ReferencePodTopologySpread topology_spread(cluster_, options_.pod_topology_spread);
  // findNodesThatPassFilters: nodes in walk order from nextStartNodeIndex, wrapping,
  // until to_find_ are feasible (every node when not sampling).
  std::size_t examined = 0;
  for (; examined < nodes_.size() && rows.size() < to_find_; ++examined) {
    const NodeIndex n = walk_[(next_start_ + examined) % nodes_.size()];
    const RefNode& node = nodes_[n];
    if (codes[n] != FilterCode::kFits) continue;

    Row row{n, 0, 0, 0, 0, std::nullopt};
    row.taint = intolerable_prefer_no_schedule(cluster_, pod, node);
    row.affinity = preferred_sum(cluster_, added_preferred_, node, n);
    if (affinity && !affinity->preferred_invalid) row.affinity += preferred_sum(cluster_, affinity->preferred, node, n);
    row.fit = fit_score(cluster_, options_.fit, pod, node);
    row.balanced = balanced_score(cluster_, options_.balanced, pod, node);
    // ImageLocality: sumImageScores over the pod's images this node has.
    std::int64_t image_sum = 0;
    for (const auto img : pod.images) {
      const std::string name = cluster_.strings.text(cluster_.nodes.images.name[img]);
      if (!node.images.count(name)) continue;
      const ImageState& st = image_states_.at(name);
      const double spread = static_cast<double>(st.nodes) / static_cast<double>(nodes_.size());
      image_sum += static_cast<std::int64_t>(static_cast<double>(st.size) * spread);
    }
    row.image = plugins::image_locality_priority(image_sum, pod.image_containers);
    rows.push_back(row);
  }
  if (!nodes_.empty()) next_start_ = (next_start_ + examined) % nodes_.size();
  if (rows.empty()) return state::kNoNode;

  // NormalizeScore over the feasible nodes.
  std::vector<std::int64_t> taint(rows.size()), node_affinity(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    taint[i] = rows[i].taint;
    node_affinity[i] = rows[i].affinity;
  }
  plugins::helper::default_normalize_score(framework::kMaxNodeScore, true, taint);
  plugins::helper::default_normalize_score(framework::kMaxNodeScore, false, node_affinity);
  const bool affinity_skipped = !(affinity && affinity->has_preferred) && !has_added_preferred_;
  std::optional<std::vector<std::int64_t>> inter_pod;  // nullopt: PreScore skipped
  if (options_.inter_pod_affinity_weight != 0) {
    std::vector<NodeIndex> feasible;
    for (const Row& row : rows) feasible.push_back(row.node);
    inter_pod = inter_pod_affinity_scores(cluster_, options_.inter_pod_affinity, pod, nodes_, feasible);
  }

  std::optional<std::vector<std::int64_t>> spread_scores;  // nullopt: PreScore skipped
  if (options_.pod_topology_spread_weight != 0) {
    std::vector<NodeIndex> feasible;
    for (const Row& row : rows) feasible.push_back(row.node);
    spread_scores = topology_spread.score(pod, nodes_, feasible);
  }
  const std::uint32_t start = ties_.start_for(decision_index);
  NodeIndex best = state::kNoNode;
  std::int64_t best_total = 0;
  std::uint32_t best_distance = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    std::int64_t total = taint[i] * options_.taint_toleration_weight;
    if (!affinity_skipped) total += node_affinity[i] * options_.node_affinity_weight;
    total += row.fit * options_.fit_weight;
    if (row.balanced) total += *row.balanced * options_.balanced_weight;
    total += row.image * options_.image_locality_weight;
    if (inter_pod) total += (*inter_pod)[i] * options_.inter_pod_affinity_weight;
    if (spread_scores) total += (*spread_scores)[i] * options_.pod_topology_spread_weight;
    const std::uint32_t distance = ties_.distance(row.node, start);
    if (best == state::kNoNode || total > best_total || (total == best_total && distance < best_distance)) {
      best = row.node;
      best_total = total;
      best_distance = distance;
    }
  }
  return best;
}

void ReferenceScheduler::bind(const state::PodRecord& pod, NodeIndex n) {
  RefNode& node = nodes_[n];
  node.bound_pods.push_back(&pod);
  for (ResourceId r = 0; r < pod.requests.size(); ++r) node.requested[r] += pod.requests[r];
  node.nonzero_cpu += pod.nonzero_cpu;
  node.nonzero_memory += pod.nonzero_memory;
  node.pods += 1;
  for (const auto& p : pod.host_ports) {
    ReferenceNode::Port port{cluster_.strings.text(p.ip), cluster_.strings.text(p.protocol), p.port};
    bool known = false;
    for (const auto& u : node.used_ports) known = known || (u.ip == port.ip && u.protocol == port.protocol && u.port == port.port);
    if (!known) node.used_ports.push_back(port);
  }
}

std::vector<ReferencePlacement> reference_schedule(const state::ClusterState& cluster,
                                                   const ReferenceOptions& options) {
  // Requeued victims are their controllers' new pods (scheduler::as_recreated), so with
  // requeue_victims the reference reads a copy whose records it may change.
  std::optional<state::ClusterState> recreated;
  if (options.requeue_victims) recreated.emplace(cluster);
  const state::ClusterState& pods_of = recreated ? *recreated : cluster;
  ReferenceScheduler ref(pods_of, options);
  std::vector<ReferencePlacement> out;
  std::uint64_t decision = 0;
  for (auto queue = cluster.pending_in_queue_order(); !queue.empty();) {
    std::vector<state::PodIndex> evicted;  // this pass's victims, in eviction order
    for (const state::PodIndex p : queue) {
      const std::uint64_t i = decision++;
      const state::PodRecord& pod = pods_of.pods[p];
      if (!options.scheduler_name.empty() && pod.scheduler_name != options.scheduler_name) {
        out.push_back({p, state::kNoNode, kNoPreemptor, {}});
        continue;
      }
      NodeIndex node = ref.decide(pod, i);
      std::vector<state::PodIndex> victims;
      if (node == state::kNoNode && pod.scheduler_name == "default-scheduler") node = ref.preempt(pod, i, victims);
      for (const state::PodIndex v : victims) out.push_back({v, state::kNoNode, p, {}});
      evicted.insert(evicted.end(), victims.begin(), victims.end());
      out.push_back({p, node, kNoPreemptor, std::move(victims)});
      if (node != state::kNoNode) ref.bind(pod, node);
    }
    if (!options.requeue_victims) break;
    // The recreated pods' queue: PrioritySort puts higher priority first; equal priorities
    // keep their creation (eviction) order.
    std::stable_sort(evicted.begin(), evicted.end(),
                     [&](state::PodIndex a, state::PodIndex b) { return cluster.pods[a].priority > cluster.pods[b].priority; });
    for (const state::PodIndex v : evicted) scheduler::as_recreated(recreated->pods[v]);
    queue = std::move(evicted);
  }
  return out;
}

}  // namespace podium::reference
