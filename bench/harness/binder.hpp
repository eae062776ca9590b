#pragma once
// Binds and unbinds outside the scheduling loop (deletions, churn, the timing pass) the
// way the loop itself does: the committer (ClusterState) first, then every profile's
// plugins hear of it (Framework::notify_bind / notify_unbind), whichever profile placed
// the pod. Not thread-safe; used between schedule_queue calls only.

#include <span>
#include <vector>

#include "podium/framework/framework.hpp"
#include "podium/framework/profile.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::bench {

class Binder {
 public:
  Binder(state::ClusterState& cluster, std::span<const framework::Profile> profiles) : cluster_(cluster) {
    const framework::TieBreaker unused(cluster.nodes.size, 0);  // notify_* never picks a node
    frameworks_.reserve(profiles.size());
    for (const auto& p : profiles) frameworks_.emplace_back(p, cluster.nodes.size, unused, 1);
  }

  // Removes a bound pod from its node; returns the node it was on (kNoNode: was not bound).
  state::NodeIndex unbind(state::PodIndex pod) {
    const state::NodeIndex node = cluster_.pods[pod].bound_node;
    if (node == state::kNoNode) return node;
    cluster_.unbind(pod);
    for (auto& fw : frameworks_) fw.notify_unbind(cluster_, pod, node);
    return node;
  }

  void bind(state::PodIndex pod, state::NodeIndex node) {
    cluster_.bind(pod, node);
    for (auto& fw : frameworks_) fw.notify_bind(cluster_, pod, node);
  }

 private:
  state::ClusterState& cluster_;
  std::vector<framework::Framework> frameworks_;
};

}  // namespace podium::bench
