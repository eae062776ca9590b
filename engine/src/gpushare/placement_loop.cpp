#include "placement_loop.hpp"

#include <limits>

namespace podium::gpushare::detail {

PlacementLoop::PlacementLoop(GpuCluster& cluster, const std::vector<TypicalPod>& typical, const std::string& policy,
                             std::uint64_t seed)
    : cluster_(cluster),
      policy_(make_policy(policy, PolicyContext{&typical, cluster.size()})),
      ring_(cluster.size(), seed),
      seed_(seed),
      frag_(typical),
      node_frag_(cluster.size(), 0.0) {
  for (NodeIndex n = 0; n < cluster_.size(); ++n) {
    node_frag_[n] = frag_.of(cluster_, n);
    fragmented_ += node_frag_[n];
  }
}

std::vector<PlacementLoop::Cached>& PlacementLoop::cache_for(const GpuPod& pod) {
  const auto key = std::make_tuple(pod.cpu_milli, pod.memory_mib, pod.num_gpu, pod.gpu_milli, pod.allowed_models,
                                   pod.model_constrained);
  const auto [it, inserted] = shape_ids_.try_emplace(key, caches_.size());
  if (inserted) caches_.emplace_back(cluster_.size());
  return caches_[it->second];
}

void PlacementLoop::refresh_fragmentation(NodeIndex node) {
  const double now = frag_.of(cluster_, node);
  fragmented_ += now - node_frag_[node];
  node_frag_[node] = now;
}

ReplayPlacement PlacementLoop::place(std::uint32_t pod_index, const GpuPod& asked, std::uint64_t decision) {
  const GpuPod pod = policy_->effective(asked);
  ReplayPlacement result{pod_index, kNoNode, 0, pod.gpu_milli};
  std::vector<Cached>& cache = cache_for(pod);
  const auto nodes = static_cast<NodeIndex>(cluster_.size());
  const std::uint64_t draw = framework::splitmix64(seed_ ^ framework::splitmix64(decision));

  if (policy_->uniform_random()) {
    // random_score.go: a uniform draw among the nodes that passed the filters.
    std::uint32_t feasible = 0;
    for (NodeIndex n = 0; n < nodes; ++n) feasible += cluster_.fits(n, pod) ? 1 : 0;
    if (feasible == 0) return result;
    std::uint32_t k = framework::bounded(draw, feasible);
    for (NodeIndex n = 0; n < nodes; ++n) {
      if (!cluster_.fits(n, pod)) continue;
      if (k-- == 0) {
        result.node = n;
        break;
      }
    }
    result.devices = policy_->random_devices(cluster_, result.node, pod, framework::splitmix64(draw));
  } else {
    std::int64_t lowest = std::numeric_limits<std::int64_t>::max(), highest = std::numeric_limits<std::int64_t>::min();
    for (NodeIndex n = 0; n < nodes; ++n) {
      Cached& c = cache[n];
      if (c.version_plus_one != cluster_.version(n) + 1) {
        c.version_plus_one = cluster_.version(n) + 1;
        if (cluster_.fits(n, pod)) {
          const NodeScore s = policy_->score(cluster_, n, pod);
          c.score = static_cast<std::int32_t>(s.score);
          c.devices = s.devices;
        } else {
          c.score = -1;
        }
      }
      if (c.score < 0) continue;
      lowest = std::min<std::int64_t>(lowest, c.score);
      highest = std::max<std::int64_t>(highest, c.score);
    }
    if (highest < 0) return result;
    // The artifact's NormalizeScore (best-fit): min-max onto 0..100 with Go's integer
    // division, all 0 when every score is equal; it can merge close scores into a tie.
    const bool normalize = policy_->min_max_normalized();
    const std::int64_t range = highest - lowest;
    // Ties go to the node first in a seeded permutation, the same for every decision: the
    // artifact's selectHost keeps the lexicographically smallest name among tied nodes,
    // and its nodes are named "<rand.Perm index>-<sn>" (simulator.go
    // syncClusterResourceList). A per-decision start (Podium's kube tie rule) would
    // scatter the many tied nodes the 0..100 integer scores leave; this rule packs them.
    constexpr std::uint32_t start = 0;
    std::int64_t best = -1;
    std::uint32_t best_distance = 0;
    for (NodeIndex n = 0; n < nodes; ++n) {
      const Cached& c = cache[n];
      if (c.score < 0) continue;
      std::int64_t s = c.score;
      if (normalize) s = range == 0 ? 0 : (s - lowest) * 100 / range;
      const std::uint32_t distance = ring_.distance(n, start);
      if (s > best || (s == best && distance < best_distance)) {
        best = s;
        best_distance = distance;
        result.node = n;
        result.devices = c.devices;
      }
    }
  }
  cluster_.bind(result.node, pod, result.devices);
  policy_->bound(result.node, pod, +1);
  refresh_fragmentation(result.node);
  return result;
}

void PlacementLoop::remove(const ReplayPlacement& placement, const GpuPod& asked) {
  const GpuPod pod = policy_->effective(asked);
  cluster_.unbind(placement.node, pod, placement.devices);
  policy_->bound(placement.node, pod, -1);
  refresh_fragmentation(placement.node);
}

}  // namespace podium::gpushare::detail
