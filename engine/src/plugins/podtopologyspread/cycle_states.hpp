#pragma once
// What PreFilter and PreScore leave in the CycleState for Filter and Score (upstream
// preFilterState / preScoreState), reduced to per-domain arrays indexed by the int32
// domain columns, both in the plugin's one CycleState slot. Reused from pod to pod
// (vectors keep their capacity).

#include <cstdint>
#include <vector>

#include "plugins/helper/normalize_kernels.hpp"
#include "podium/framework/cycle_state.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"

namespace podium::plugins::podtopologyspread {

struct PodTopologySpread::FilterState {
  struct PerConstraint {
    const DomainColumn* column = nullptr;
    const std::int32_t* node_counts = nullptr;  // matching pods per node (MatchCounters)
    // By domain id: 1 when matches there + selfMatch − global minimum ≤ maxSkew.
    std::vector<std::uint8_t> domain_fits;
    // PreFilter's scratch: matching pods per domain over the eligible nodes, and whether
    // any eligible node is in the domain (TpValueToMatchNum's keys).
    std::vector<std::int64_t> sums;
    std::vector<std::uint8_t> eligible;
  };
  std::vector<PerConstraint> constraints;
  std::size_t count = 0;  // constraints[0, count) are this pod's
};

struct PodTopologySpread::ScoreState {
  struct PerConstraint {
    const DomainColumn* column = nullptr;
    bool hostname = false;
    const std::int32_t* node_counts = nullptr;  // hostname: matching pods per node
    std::vector<std::int64_t> domain_counts;    // other keys: by domain id (+1 slot for absent = "")
    std::vector<double> domain_terms;           // other keys: scoreForCount(domain_counts[d])
    double weight = 0;                          // topologyNormalizingWeight
    double skew_term = 0;                       // float64(maxSkew - 1)
    std::vector<std::uint8_t> tracked;          // by domain: some scored node is in it
    std::size_t tracked_domains = 0;            // how many (topologyNormalizingWeight's size)
  };
  // A lone non-hostname constraint scores by domain alone: Score's rounded value per
  // domain id, computed once in PreScore (empty otherwise).
  std::vector<std::int64_t> domain_scores;
  std::vector<PerConstraint> constraints;
  std::size_t count = 0;
  std::vector<std::uint8_t> ignored;  // by NodeIndex: IgnoredNodes (only filled when any_ignored)
  bool any_ignored = true;            // false: no node is ignored (ignored is stale)
  // NormalizeScore's range of the scores when Score found it on the way (its pair kernel),
  // so NormalizeScore skips that pass: valid for the array `ranged_scores` of
  // `ranged_count` scores only. Score is const (the framework's contract) and writes these
  // as a cache; one pod's Score and NormalizeScore run in turn, never concurrently.
  mutable const std::int64_t* ranged_scores = nullptr;
  mutable std::size_t ranged_count = 0;
  mutable helper::ScoreRange range;
  // score_normalized_into's Score values, narrowed (scratch, like the cache above).
  mutable std::vector<std::int32_t> narrow_scores;
};

// The plugin's one CycleState slot holds both (the framework gives a plugin one slot).
struct PodTopologySpread::State : framework::StateData {
  FilterState filter;
  ScoreState score;
};

}  // namespace podium::plugins::podtopologyspread
