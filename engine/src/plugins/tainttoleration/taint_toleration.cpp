#include "podium/plugins/tainttoleration/taint_toleration.hpp"

#include <algorithm>

#include "plugins/helper/default_normalized_split.hpp"
#include "plugins/helper/normalize_kernels.hpp"

namespace podium::plugins {

using framework::Status;
using state::kUnseenString;

struct TaintToleration::State : framework::StateData {
  // getAllTolerationPreferNoSchedule: tolerations with effect PreferNoSchedule or empty.
  std::vector<state::TolerationRecord> prefer_no_schedule;
};

TaintToleration::TaintToleration(const framework::ClusterState& cluster)
    : no_schedule_(cluster.strings.find("NoSchedule").value_or(kUnseenString)),
      no_execute_(cluster.strings.find("NoExecute").value_or(kUnseenString)),
      prefer_no_schedule_(cluster.strings.find("PreferNoSchedule").value_or(kUnseenString)) {
  normalize_ = std::any_of(cluster.nodes.taints.begin(), cluster.nodes.taints.end(),
                           [&](const state::TaintRecord& t) { return t.effect == prefer_no_schedule_; });
  hard_taints_ = std::any_of(cluster.nodes.taints.begin(), cluster.nodes.taints.end(), [&](const state::TaintRecord& t) {
    return t.effect == no_schedule_ || t.effect == no_execute_;
  });
}

Status TaintToleration::pre_filter(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&) {
  return hard_taints_ ? Status{} : Status(framework::Code::kSkip);
}

bool TaintToleration::sign(const state::PodRecord& pod, std::string& sig) const {
  for (const auto& t : pod.tolerations) {
    const StringId fields[] = {t.key.value_or(kUnseenString), t.op_exists ? 1U : 0U, t.value,
                               t.effect.value_or(kUnseenString)};
    sig.append(reinterpret_cast<const char*>(fields), sizeof fields);
  }
  sig.push_back(';');
  return true;
}

// v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc: is there a
// NoSchedule / NoExecute taint no toleration tolerates?
bool TaintToleration::untolerated_hard_taint(const state::PodRecord& pod, const state::NodeTable& nodes,
                                             framework::NodeIndex n) const {
  for (std::uint32_t i = nodes.taint_offsets[n]; i < nodes.taint_offsets[n + 1]; ++i) {
    const state::TaintRecord& t = nodes.taints[i];
    if (t.effect != no_schedule_ && t.effect != no_execute_) continue;
    if (!state::tolerates_any(pod.tolerations, t.key, t.value, t.effect)) return true;
  }
  return false;
}

std::size_t TaintToleration::filter(const framework::CycleState&, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster,
                                    std::span<const framework::NodeIndex> candidates,
                                    framework::NodeIndex* survivors) const {
  const state::NodeTable& nodes = cluster.nodes;
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    const bool untainted = nodes.taint_offsets[n] == nodes.taint_offsets[n + 1];
    kept += untainted || !untolerated_hard_taint(ctx.pod, nodes, n) ? 1 : 0;
  }
  return kept;
}

Status TaintToleration::filter_node(const framework::CycleState&, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster, framework::NodeIndex node) const {
  if (!untolerated_hard_taint(ctx.pod, cluster.nodes, node)) return {};
  return Status::unresolvable(std::string(kReason));
}

void TaintToleration::count_rejections(const framework::CycleState&, const framework::PodContext& ctx,
                                       const framework::ClusterState& cluster,
                                       std::span<const framework::NodeIndex> nodes,
                                       framework::ReasonCounts& counts) const {
  std::size_t rejected = 0;
  for (const auto n : nodes) rejected += untolerated_hard_taint(ctx.pod, cluster.nodes, n) ? 1 : 0;
  counts.add(kReason, rejected);
}

Status TaintToleration::pre_score(framework::CycleState& cycle, const framework::PodContext& ctx,
                                  const framework::ClusterState&, std::span<const framework::NodeIndex>) {
  auto& st = cycle.get_or_create<State>(slot());
  st.prefer_no_schedule.clear();
  for (const auto& t : ctx.pod.tolerations)
    if (!t.effect || *t.effect == prefer_no_schedule_) st.prefer_no_schedule.push_back(t);
  return {};
}

void TaintToleration::score(const framework::CycleState& cycle, const framework::PodContext&,
                            const framework::ClusterState& cluster, std::span<const framework::NodeIndex> ids,
                            std::int64_t* scores) const {
  if (!normalize_) {
    std::fill(scores, scores + ids.size(), framework::kMaxNodeScore);  // every raw score is 0, reversed
    return;
  }
  const auto& tolerations = cycle.get<State>(slot()).prefer_no_schedule;
  const state::NodeTable& nodes = cluster.nodes;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    // countIntolerableTaintsPreferNoSchedule
    std::int64_t count = 0;
    for (std::uint32_t k = nodes.taint_offsets[ids[i]]; k < nodes.taint_offsets[ids[i] + 1]; ++k) {
      const state::TaintRecord& t = nodes.taints[k];
      if (t.effect != prefer_no_schedule_) continue;
      count += state::tolerates_any(tolerations, t.key, t.value, t.effect) ? 0 : 1;
    }
    scores[i] = count;
  }
}

void TaintToleration::normalize(const framework::CycleState&, const framework::PodContext&,
                                std::span<std::int64_t> scores) const {
  helper::default_normalize_score_vectorised(framework::kMaxNodeScore, true, scores);
}

// The split live path (ScorePlugin::score_part): DefaultNormalizeScore(MaxNodeScore, true)
// over every part's merged range (plugins/helper/default_normalized_split.hpp).
bool TaintToleration::score_part(const framework::CycleState& cycle, const framework::PodContext& ctx,
                       const framework::ClusterState& cluster, std::span<const framework::NodeIndex> ids,
                       std::int64_t* scratch, Bounds& bounds) const {
  return helper::score_part_for_default_normalize(*this, cycle, ctx, cluster, ids, scratch, bounds);
}

std::int64_t TaintToleration::add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                        std::span<const framework::NodeIndex> ids, std::int64_t* scratch,
                                        std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const {
  return helper::add_default_normalized_part(has_normalize(), true, merged, scratch, ids.size(), weight, base, totals);
}

}  // namespace podium::plugins

namespace podium::plugins {

bool TaintToleration::uniform_score(const framework::CycleState&, const framework::PodContext&,
                                    const framework::ClusterState&, std::int64_t& score) const {
  if (normalize_) return false;  // scores depend on the feasible set
  score = framework::kMaxNodeScore;  // what score() gives every node
  return true;
}

bool TaintToleration::score_range(const framework::CycleState&, const framework::PodContext&,
                                  const framework::ClusterState&, framework::NodeIndex, std::size_t count,
                                  std::int64_t weight, std::int64_t* totals) const {
  if (normalize_) return false;  // scores depend on the feasible set
  const std::int64_t add = weight * framework::kMaxNodeScore;  // what score() gives every node
  for (std::size_t i = 0; i < count; ++i) totals[i] += add;
  return true;
}

}  // namespace podium::plugins
