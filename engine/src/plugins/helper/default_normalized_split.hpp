#pragma once
// The live path's two-thread split (ScorePlugin::score_part / add_normalized_part) for a
// scorer whose score() writes only the scores and whose NormalizeScore is upstream's
// helper.DefaultNormalizeScore(MaxNodeScore, reverse) (NodeAffinity, TaintToleration): each
// part runs score() as it is and reports its range; the add normalizes every part with the
// merged range, which is the range one pass over all the nodes would have found.

#include <cstdint>
#include <span>

#include "podium/framework/plugin.hpp"
#include "plugins/helper/normalize_kernels.hpp"

namespace podium::plugins::helper {

template <class Scorer>
bool score_part_for_default_normalize(const Scorer& scorer, const framework::CycleState& cycle,
                                      const framework::PodContext& ctx, const framework::ClusterState& cluster,
                                      std::span<const framework::NodeIndex> ids, std::int64_t* scratch,
                                      framework::ScorePlugin::Bounds& bounds) {
  scorer.score(cycle, ctx, cluster, ids, scratch);
  const ScoreRange range = score_range(scratch, ids.size());
  bounds = {range.min, range.max};
  return true;
}

// `normalizes`: the plugin's has_normalize() (without it the scores are added as they are).
inline std::int64_t add_default_normalized_part(bool normalizes, bool reverse, framework::ScorePlugin::Bounds merged,
                                                std::int64_t* scratch, std::size_t count, std::int64_t weight,
                                                const std::int64_t* base, std::int64_t* totals) {
  if (!normalizes) return add_weighted_max(scratch, count, weight, base, totals);
  return add_default_normalized(framework::kMaxNodeScore, reverse, {merged.min, merged.max}, scratch, count, weight,
                                base, totals);
}

}  // namespace podium::plugins::helper
