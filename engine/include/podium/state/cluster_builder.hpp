#pragma once
// Turns parsed Kubernetes objects into a ClusterState: interns strings and resources,
// computes every pod's requests once (io::pod_requests, then MilliValue/Value rounding per
// pod, as upstream's NodeInfo does), resolves priorities, compiles each pod's node
// selection constraints (node_selector.hpp), host ports and images, builds the image table
// (the scheduler cache's image states), and accounts pods that are already bound
// (spec.nodeName set) against their node, host ports included. Terminated pods (phase
// Succeeded or Failed) are dropped, as the real scheduler's cache ignores them.
//
// Throws podium::InputError for inconsistent input (a pod bound to an unknown node, a
// request too large for int64 in its unit, per-node sums that overflow).

#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

ClusterState build_cluster_state(const io::ClusterObjects& objects);

}  // namespace podium::state
