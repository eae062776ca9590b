#include "podium/state/cluster_growth.hpp"

#include <stdexcept>
#include <string>

namespace podium::state {

ClusterState grow_cluster(const ClusterState& current, const io::ClusterObjects& objects,
                          std::span<const PodStamp> stamps) {
  ClusterState grown = build_cluster_state(objects, stamps);
  if (grown.nodes.size < current.nodes.size)
    throw std::logic_error("grow_cluster: " + std::to_string(grown.nodes.size) + " nodes, fewer than the " +
                           std::to_string(current.nodes.size) + " the cluster has");
  for (NodeIndex n = 0; n < current.nodes.size; ++n)
    if (grown.nodes.names[n] != current.nodes.names[n])
      throw std::logic_error("grow_cluster: node " + std::to_string(n) + " is " + grown.nodes.names[n] + ", was " +
                             current.nodes.names[n] + " (new nodes must come after the existing ones)");
  if (grown.pods.size() != current.pods.size())
    throw std::logic_error("grow_cluster: " + std::to_string(grown.pods.size()) + " pods, the cluster has " +
                           std::to_string(current.pods.size()));
  // Pods bound at load (spec.nodeName in `objects`) may have left since: unbind first, so
  // that every node's usage is exactly what the current state accounts.
  for (PodIndex p = 0; p < grown.pods.size(); ++p)
    if (grown.pods[p].bound_node != current.pods[p].bound_node) grown.unbind(p);
  for (PodIndex p = 0; p < grown.pods.size(); ++p) {
    const PodRecord& was = current.pods[p];
    PodRecord& pod = grown.pods[p];
    if (pod.key != was.key)
      throw std::logic_error("grow_cluster: pod " + std::to_string(p) + " is " + pod.key + ", was " + was.key);
    pod.requested_node_name = was.requested_node_name;
    pod.start_time_ns = was.start_time_ns;
    if (was.bound_node != kNoNode && pod.bound_node == kNoNode) grown.bind(p, was.bound_node, was.gpu_devices);
    pod.last_gpu_devices = was.last_gpu_devices;
  }
  return grown;
}

}  // namespace podium::state
