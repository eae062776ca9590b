#include "podium/reference/reference_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/noderesources/scorers.hpp"

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

}  // namespace

ReferenceScheduler::ReferenceScheduler(const state::ClusterState& cluster, ReferenceOptions options)
    : cluster_(cluster), options_(std::move(options)), ties_(cluster.nodes.size, options_.seed) {
  const auto& cols = cluster.nodes;
  nodes_.resize(cols.size);
  for (NodeIndex n = 0; n < cols.size; ++n) {
    RefNode& node = nodes_[n];
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
  }
}

NodeIndex ReferenceScheduler::decide(const state::PodRecord& pod, std::uint64_t decision_index) const {
  if (pod.scheduler_name != "default-scheduler") return state::kNoNode;
  const bool tolerates = tolerates_unschedulable(cluster_, pod);
  const std::uint32_t start = ties_.start_for(decision_index);
  NodeIndex best = state::kNoNode;
  std::int64_t best_total = 0;
  std::uint32_t best_distance = 0;
  for (NodeIndex n = 0; n < nodes_.size(); ++n) {
    const RefNode& node = nodes_[n];
    if (node.unschedulable && !tolerates) continue;
    if (!pod.requested_node_name.empty() && pod.requested_node_name != node.name) continue;
    if (!fits(cluster_, options_.fit, pod, node)) continue;
    std::int64_t total = fit_score(cluster_, options_.fit, pod, node) * options_.fit_weight;
    if (const auto b = balanced_score(cluster_, options_.balanced, pod, node)) total += *b * options_.balanced_weight;
    const std::uint32_t distance = ties_.distance(n, start);
    if (best == state::kNoNode || total > best_total || (total == best_total && distance < best_distance)) {
      best = n;
      best_total = total;
      best_distance = distance;
    }
  }
  return best;
}

void ReferenceScheduler::bind(const state::PodRecord& pod, NodeIndex n) {
  RefNode& node = nodes_[n];
  for (ResourceId r = 0; r < pod.requests.size(); ++r) node.requested[r] += pod.requests[r];
  node.nonzero_cpu += pod.nonzero_cpu;
  node.nonzero_memory += pod.nonzero_memory;
  node.pods += 1;
}

std::vector<ReferencePlacement> reference_schedule(const state::ClusterState& cluster,
                                                   const ReferenceOptions& options) {
  ReferenceScheduler ref(cluster, options);
  std::vector<ReferencePlacement> out;
  const auto queue = cluster.pending_in_queue_order();
  for (std::uint64_t i = 0; i < queue.size(); ++i) {
    const state::PodRecord& pod = cluster.pods[queue[i]];
    const NodeIndex node = ref.decide(pod, i);
    out.push_back({queue[i], node});
    if (node != state::kNoNode) ref.bind(pod, node);
  }
  return out;
}

}  // namespace podium::reference
