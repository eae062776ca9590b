#pragma once
// A workload made concrete: every node and every pod it will ever create, as Kubernetes
// objects, built up front so the cluster state is built once (again for each createNodes
// op after a pod step, with the new nodes appended). Pods are listed in creation
// order and all start pending; a pod of a later operation simply is not queued until its
// operation runs, and pending pods are invisible to every plugin (they only count bound
// pods), so "not yet created" needs no flag.
//
//   objects.pods: [ op1 createPods ...... | churn pool ........ | op4 createPods ... ]
//                   ^ op_pods[1]            ^ op_pods[2]          ^ op_pods[4]
//
// plan_scenario keeps each pod step as a stamp of its template (state::PodStamp) instead.
// Deterministic for (workload, seed): node shapes come from datasets/generator's seeded
// menu, names and creation timestamps from positions.

#include <cstdint>
#include <vector>

#include "harness/workload.hpp"
#include "podium/io/objects.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::bench {

struct PodRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t size() const { return end - begin; }
};

// Nodes created by createNodes ops, in creation order (objects.nodes[begin, end)).
struct NodeRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct Scenario {
  io::ClusterObjects objects;
  std::vector<PodRange> op_pods;  // per op: createPods' pods, a churn's pool; empty otherwise
  std::vector<NodeRange> op_nodes;  // per op: createNodes' nodes; empty otherwise
  // How many of objects.nodes exist when the first pod step runs (every node of the
  // createNodes ops before it); the rest are created mid-run by their op (the runner grows
  // the cluster state then: state/cluster_growth.hpp).
  std::size_t initial_nodes = 0;
  // The pods as stamps of their op's template (plan_scenario): one per pod step, one per pod of a
  // `shapes: distinct` step; empty once
  // laid out as objects.pods (build_scenario). Either way pod i is the same object.
  std::vector<state::PodStamp> stamps;
};

// Expects a workload from the parser. Throws InputError only for a scenario of 2^32 pods
// or more.
Scenario build_scenario(const Workload& workload, std::uint64_t seed);

// The same scenario with its pods left as stamps (objects.pods empty): what a run builds
// its state from (state::build_cluster_state(objects, stamps)), so that a million pods are
// never laid out as objects.
Scenario plan_scenario(const Workload& workload, std::uint64_t seed);

// How many churn steps (creations of `number` pods) a churn op at `op_index` performs: one
// when it starts, then one per intervalPods decisions of each later createPods op.
std::int64_t churn_steps(const Workload& workload, std::size_t op_index);

}  // namespace podium::bench
