#pragma once
// The reference oracle's PodTopologySpread: upstream's filtering.go / scoring.go read
// literally, over strings. Every decision walks every node's bound pods (as upstream walks
// NodeInfo.Pods) and compares label text; nothing is cached between pods. It shares only
// the pods' compiled constraints (PodRecord::spread_constraints, default_spread_selector)
// with the engine, and reads their ids back as text.
//
// Not thread-safe; used by ReferenceScheduler::decide only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "podium/plugins/podtopologyspread/args.hpp"
#include "podium/reference/reference_scheduler.hpp"

namespace podium::reference {

class ReferencePodTopologySpread {
 public:
  ReferencePodTopologySpread(const state::ClusterState& cluster, plugins::podtopologyspread::PodTopologySpreadArgs args);

  // PreFilter + Filter: the code of every node (all kFits when PreFilter skips).
  std::vector<FilterCode> filter(const state::PodRecord& pod, const std::vector<ReferenceNode>& nodes) const;

  // PreScore + Score + NormalizeScore: the normalized score of each node of `feasible`, in
  // its order; nullopt when PreScore skips.
  std::optional<std::vector<std::int64_t>> score(const state::PodRecord& pod, const std::vector<ReferenceNode>& nodes,
                                                 const std::vector<state::NodeIndex>& feasible) const;

 private:
  struct Constraint {
    std::int32_t max_skew;
    std::string key;
    const state::LabelSelectorRecord* selector;
    std::int32_t min_domains;
    bool honor_affinity;
    bool honor_taints;
  };
  std::vector<Constraint> constraints(const state::PodRecord& pod, bool hard) const;
  bool selector_matches(const state::LabelSelectorRecord& s, const state::PodRecord& other) const;
  std::int64_t count_matching(const ReferenceNode& node, const Constraint& c, const state::PodRecord& pod) const;
  bool included(const Constraint& c, const state::PodRecord& pod, const ReferenceNode& node, state::NodeIndex n) const;

  const state::ClusterState& cluster_;
  plugins::podtopologyspread::PodTopologySpreadArgs args_;
};

}  // namespace podium::reference
