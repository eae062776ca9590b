#pragma once
// Lock-free commits on a ClusterState's usage columns, for optimistic (Omega-style)
// placement: several workers bind pods at once, each binding all-or-nothing, and no node
// ever holds more than it can — the Fit filter's inequalities hold at every instant.
//
//   try_reserve(pod, node):
//     for each resource the pod requests (> 0), in registry order:
//         CAS loop on requested[r][node]: fail if requested + request > allocatable
//     CAS loop on pod_count[node]:         fail if pod_count + 1 > allowed_pods
//     on a failure, give back what was taken (fetch_sub), in reverse
//     then nonzero_cpu / nonzero_memory += (scoring inputs, no capacity to check)
//
// Every access to a usage column while workers run goes through std::atomic_ref, so the
// shared columns have no data race; each worker decides against its own replica, which
// it refreshes node by node (copy_usage) from the commit log. A rollback briefly shows a
// partial reservation: readers may see a node fuller than it is (never emptier), which can
// only make a concurrent reservation fail, never over-commit.
//
// Only the columns a node-local decision reads change here; pods with host ports
// (used_ports is not a column of atomics) must be bound with ClusterState::bind instead.

#include <atomic>
#include <cstdint>

#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

class UsageReservations {
 public:
  explicit UsageReservations(state::ClusterState& cluster) : cluster_(cluster) {}

  // Accounts pod `p` on node `n` if it fits there now (requests and pod count); the pod's
  // bound_node is left to the caller. Thread-safe against other try_reserve / copy_usage.
  bool try_reserve(state::PodIndex p, state::NodeIndex n) {
    const state::PodRecord& pod = cluster_.pods[p];
    state::NodeTable& nodes = cluster_.nodes;
    std::size_t taken = 0;
    for (; taken < pod.requests.size(); ++taken) {
      const std::int64_t request = pod.requests[taken];
      if (request <= 0) continue;
      if (!add_within(nodes.requested[taken][n], request, nodes.allocatable[taken][n])) break;
    }
    const bool fits = taken == pod.requests.size() &&
                      add_within(nodes.pod_count[n], std::int32_t{1}, nodes.allowed_pods[n]);
    if (!fits) {
      for (std::size_t r = taken; r-- > 0;)
        if (pod.requests[r] > 0) std::atomic_ref(nodes.requested[r][n]).fetch_sub(pod.requests[r], std::memory_order_relaxed);
      return false;
    }
    std::atomic_ref(nodes.nonzero_cpu[n]).fetch_add(pod.nonzero_cpu, std::memory_order_relaxed);
    std::atomic_ref(nodes.nonzero_memory[n]).fetch_add(pod.nonzero_memory, std::memory_order_relaxed);
    return true;
  }

  // Copies node n's usage columns from the shared state into `replica` (same shape).
  void copy_usage(state::NodeIndex n, state::NodeTable& replica) const {
    state::NodeTable& nodes = cluster_.nodes;
    for (std::size_t r = 0; r < nodes.requested.size(); ++r)
      replica.requested[r][n] = std::atomic_ref(nodes.requested[r][n]).load(std::memory_order_relaxed);
    replica.nonzero_cpu[n] = std::atomic_ref(nodes.nonzero_cpu[n]).load(std::memory_order_relaxed);
    replica.nonzero_memory[n] = std::atomic_ref(nodes.nonzero_memory[n]).load(std::memory_order_relaxed);
    replica.pod_count[n] = std::atomic_ref(nodes.pod_count[n]).load(std::memory_order_relaxed);
  }

 private:
  // value += amount unless that would exceed `limit` (allocatable is read-only while
  // workers run). The CAS loop retries only when another worker changed `value` meanwhile.
  template <class T>
  static bool add_within(T& value, T amount, T limit) {
    std::atomic_ref<T> shared(value);
    T current = shared.load(std::memory_order_relaxed);
    do {
      if (current > limit - amount) return false;
    } while (!shared.compare_exchange_weak(current, current + amount, std::memory_order_relaxed));
    return true;
  }

  state::ClusterState& cluster_;
};

}  // namespace podium::scheduler
