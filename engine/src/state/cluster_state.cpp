#include "podium/state/cluster_state.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace podium::state {

std::optional<NodeIndex> ClusterState::find_node(std::string_view name) const {
  if (auto it = node_index_.find(name); it != node_index_.end()) return it->second;
  return std::nullopt;
}

void ClusterState::index_node_names() {
  node_index_.clear();
  node_index_.reserve(nodes.names.size());
  for (NodeIndex n = 0; n < nodes.names.size(); ++n) node_index_.emplace(nodes.names[n], n);
}

void NodeTable::derive_scoring_columns() {
  constexpr std::int64_t kExactLimit = std::int64_t{1} << 46;
  allocatable_f64.assign(allocatable.size(), {});
  allocatable_inverse.assign(allocatable.size(), {});
  for (std::size_t r = 0; r < allocatable.size(); ++r) {
    const auto& column = allocatable[r];
    if (!std::all_of(column.begin(), column.end(), [](std::int64_t v) { return v >= 0 && v < kExactLimit; })) continue;
    allocatable_f64[r].resize(column.size());
    allocatable_inverse[r].resize(column.size());
    for (std::size_t n = 0; n < column.size(); ++n) {
      allocatable_f64[r][n] = static_cast<double>(column[n]);
      allocatable_inverse[r][n] = column[n] == 0 ? 0.0 : 1.0 / static_cast<double>(column[n]);
    }
  }
}

void ClusterState::bind(PodIndex p, NodeIndex n, gpushare::DeviceSet devices) {
  PodRecord& pod = pods[p];
  if (gpu) {
    if (pod.uses_gpu_sharing()) {
      if (devices == 0) devices = pod.gpu_devices;
      if (devices == 0) devices = gpushare::best_fit_devices(gpu->devices(n), gpu->gpu_count(n), pod.gpu);
      assert(devices != 0 && "the GpuShare filter admits only nodes whose devices fit");
    } else {
      devices = 0;
    }
    gpu->bind(n, pod.gpu, devices);
    pod.gpu_devices = devices;
    pod.last_gpu_devices = devices;
  }
  for (std::size_t r = 0; r < pod.requests.size(); ++r) nodes.requested[r][n] += pod.requests[r];
  nodes.nonzero_cpu[n] += pod.nonzero_cpu;
  nodes.nonzero_memory[n] += pod.nonzero_memory;
  nodes.pod_count[n] += 1;
  // NodeInfo.AddPod -> updateUsedPorts: HostPortInfo is a set, so repeats are dropped.
  for (const HostPortRecord& port : pod.host_ports) {
    auto& used = nodes.used_ports[n];
    if (std::find(used.begin(), used.end(), port) == used.end()) used.push_back(port);
  }
  pod.bound_node = n;
}

void ClusterState::unbind(PodIndex p) {
  PodRecord& pod = pods[p];
  const NodeIndex n = pod.bound_node;
  if (n == kNoNode) return;
  if (gpu) {
    gpu->unbind(n, pod.gpu, pod.gpu_devices);
    pod.gpu_devices = 0;
  }
  for (std::size_t r = 0; r < pod.requests.size(); ++r) nodes.requested[r][n] -= pod.requests[r];
  nodes.nonzero_cpu[n] -= pod.nonzero_cpu;
  nodes.nonzero_memory[n] -= pod.nonzero_memory;
  nodes.pod_count[n] -= 1;
  // NodeInfo.RemovePod -> updateUsedPorts(pod, false): HostPortInfo.Remove of each port.
  auto& used = nodes.used_ports[n];
  for (const HostPortRecord& port : pod.host_ports) std::erase(used, port);
  pod.bound_node = kNoNode;
}

std::vector<PodIndex> ClusterState::pending_in_queue_order() const {
  std::vector<PodIndex> pending;
  for (PodIndex p = 0; p < pods.size(); ++p)
    if (pods[p].bound_node == kNoNode) pending.push_back(p);
  constexpr auto kNoTimestamp = std::numeric_limits<std::int64_t>::max();
  // PrioritySort.Less: higher priority first, then the earlier queue timestamp (creation).
  std::stable_sort(pending.begin(), pending.end(), [&](PodIndex a, PodIndex b) {
    const PodRecord& pa = pods[a];
    const PodRecord& pb = pods[b];
    if (pa.priority != pb.priority) return pa.priority > pb.priority;
    const auto ta = pa.creation_timestamp_ns.value_or(kNoTimestamp);
    const auto tb = pb.creation_timestamp_ns.value_or(kNoTimestamp);
    if (ta != tb) return ta < tb;
    return pa.file_order < pb.file_order;
  });
  return pending;
}

bool tolerates(const TolerationRecord& t, StringId taint_key, StringId taint_value, StringId taint_effect) {
  if (t.effect && *t.effect != taint_effect) return false;
  if (t.key && *t.key != taint_key) return false;
  return t.op_exists || t.value == taint_value;
}

bool tolerates_any(const std::vector<TolerationRecord>& tolerations, StringId taint_key, StringId taint_value,
                   StringId taint_effect) {
  return std::any_of(tolerations.begin(), tolerations.end(),
                     [&](const TolerationRecord& t) { return tolerates(t, taint_key, taint_value, taint_effect); });
}

}  // namespace podium::state
