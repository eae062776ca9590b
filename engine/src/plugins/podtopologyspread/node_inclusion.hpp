#pragma once
// Which nodes count for a spread constraint (topologySpreadConstraint.matchNodeInclusionPolicies,
// common.go): under nodeAffinityPolicy Honor, only nodes the pod's spec.nodeSelector and
// required node affinity match (nodeaffinity.RequiredNodeAffinity.Match, parse errors read
// as no match); under nodeTaintsPolicy Honor, only nodes without a NoSchedule/NoExecute
// taint the pod does not tolerate (FindMatchingUntoleratedTaint with
// DoNotScheduleTaintsFilterFunc).
//
// The rules are NodeAffinity's and TaintToleration's; they are restated here over the same
// compiled records because those plugins keep theirs private to their batch loops.

#include "podium/state/cluster_state.hpp"

namespace podium::plugins::podtopologyspread {

class NodeInclusion {
 public:
  explicit NodeInclusion(const state::ClusterState& cluster);
  // RequiredNodeAffinity.Match for `pod` (true when the pod has no node constraints).
  bool affinity_matches(const state::PodRecord& pod, const state::NodeTable& nodes, state::NodeIndex n) const;
  // No NoSchedule/NoExecute taint of node n is left untolerated by the pod.
  bool taints_tolerated(const state::PodRecord& pod, const state::NodeTable& nodes, state::NodeIndex n) const;

 private:
  StringId no_schedule_;
  StringId no_execute_;
};

}  // namespace podium::plugins::podtopologyspread
