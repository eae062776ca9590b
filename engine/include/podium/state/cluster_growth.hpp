#pragma once
// Nodes that join a cluster mid-run (a bench workload's createNodes after pod steps, a
// test's node arrivals), done by rebuilding: the grown state is built afresh from the
// objects of every node that exists now, and each pod is put back where the running state
// has it. So no column, cached total or plugin table needs a "present" flag: a state
// holds exactly the nodes that exist, and everything derived from the node set (the image
// table's spread scores, the zone-interleaved walk, PodTopologySpread's domains, the tie
// ring, percentageOfNodesToScore's numAllNodes, preemption's candidate list) is derived
// again, by the same code as at load. Profiles must be built again over the grown state
// (framework::build_profile), and a PlacementSession never outlives one schedule_queue
// call, so nothing older sees the new nodes.
//
// Node order: the new nodes come after the existing ones (NodeIndex is input order, and
// input order is creation order), so every NodeIndex of the running state names the same
// node in the grown one. The snapshot order upstream gives an added node follows from it:
// nodeTree.addNode appends the node to its zone's list (a new zone goes last), and
// cache.UpdateSnapshot rebuilds the snapshot's node list from nodeTree.list() whenever a
// node was added (updateAllLists) — pkg/scheduler/backend/cache/node_tree.go and cache.go.
// framework::zone_interleaved_walk computes that same list over the grown state (an added
// node in an existing zone lands inside the list, not at its end).

#include <span>

#include "podium/io/objects.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

// `objects` and `stamps` are what `current` was built from, with the new nodes appended
// to objects.nodes (the same pods, in the same order). Returns the state they build, with
// every pod bound as in `current` (same node, same GPU devices) and what a run changes on
// a pending pod carried over (a requeued victim's cleared nodeName and start time, the
// devices an evicted pod last held). Throws std::logic_error when `objects` does not
// extend `current` (a node renamed or removed, a different pod count).
ClusterState grow_cluster(const ClusterState& current, const io::ClusterObjects& objects,
                          std::span<const PodStamp> stamps = {});

}  // namespace podium::state
