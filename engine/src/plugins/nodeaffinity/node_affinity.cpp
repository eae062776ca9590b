#include "podium/plugins/nodeaffinity/node_affinity.hpp"

#include <algorithm>
#include <stdexcept>

#include "plugins/helper/default_normalized_split.hpp"
#include "plugins/helper/normalize_kernels.hpp"
#include "podium/state/node_selector.hpp"
#include "podium/state/node_selector_match.hpp"

namespace podium::plugins::nodeaffinity {

using framework::Status;
using state::NodeTable;
using state::PodNodeAffinity;

namespace {

std::int64_t preferred_score(const std::vector<state::PreferredTermRecord>& terms, const NodeTable& nodes,
                             framework::NodeIndex n) {
  std::int64_t sum = 0;
  for (const auto& t : terms)
    if (state::term_matches(t.term, nodes, n)) sum += t.weight;
  return sum;
}

}  // namespace

NodeAffinity::NodeAffinity(NodeAffinityArgs args, const framework::ClusterState& cluster) {
  validate(args);
  const state::SelectorLookup lookup{
      [&](std::string_view s) { return cluster.strings.find(s).value_or(state::kUnseenString); },
      [&](std::string_view name) { return cluster.find_node(name).value_or(state::kNoNode); }};
  if (args.added_affinity) {
    const io::NodeAffinity& a = *args.added_affinity;
    has_added_required_ = a.required.has_value();
    if (a.required)
      for (const auto& term : *a.required)
        if (!state::is_empty_term(term)) added_required_.push_back(state::compile_node_selector_term(term, lookup));
    has_added_preferred_ = !a.preferred.empty();
    for (const auto& term : a.preferred)
      if (term.weight != 0 && !state::is_empty_term(term.preference))
        added_preferred_.push_back({term.weight, state::compile_node_selector_term(term.preference, lookup)});
  }
  normalize_ = has_added_preferred_ || std::any_of(cluster.pods.begin(), cluster.pods.end(), [](const auto& p) {
                 return p.node_affinity && p.node_affinity->has_preferred;
               });
}

bool NodeAffinity::sign(const state::PodRecord& pod, std::string& sig) const {
  if (pod.node_affinity) sig += pod.node_affinity->signature;
  sig.push_back(';');
  return true;
}

Status NodeAffinity::pre_filter(framework::CycleState&, const framework::PodContext& ctx,
                                const framework::ClusterState&) {
  const PodNodeAffinity* a = ctx.pod.node_affinity.get();
  const bool pod_has_requirements = a && (a->has_required || !a->node_selector.empty());
  if (!pod_has_requirements && !has_added_required_) return Status(framework::Code::kSkip);
  if (a && a->narrowing == PodNodeAffinity::Narrowing::kConflict)
    return Status::unresolvable(std::string(kReasonConflict));
  return {};
}

// PreFilter's PreFilterResult: the nodes named by `metadata.name In` in every term.
bool NodeAffinity::outside_names(const state::PodRecord& pod, framework::NodeIndex n) {
  const PodNodeAffinity* a = pod.node_affinity.get();
  return a && a->narrowing == PodNodeAffinity::Narrowing::kNames &&
         !std::binary_search(a->names.begin(), a->names.end(), n);
}

NodeAffinity::Verdict NodeAffinity::verdict(const state::PodRecord& pod, const NodeTable& nodes,
                                            framework::NodeIndex n) const {
  const PodNodeAffinity* a = pod.node_affinity.get();
  if (outside_names(pod, n)) return Verdict::kNotInPreFilterResult;
  if (has_added_required_ && !state::any_term_matches(added_required_, nodes, n)) return Verdict::kEnforced;
  if (a && !state::required_node_affinity_matches(*a, nodes, n)) return Verdict::kPod;
  return Verdict::kFits;
}

std::size_t NodeAffinity::filter(const framework::CycleState&, const framework::PodContext& ctx,
                                 const framework::ClusterState& cluster,
                                 std::span<const framework::NodeIndex> candidates,
                                 framework::NodeIndex* survivors) const {
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    kept += verdict(ctx.pod, cluster.nodes, n) == Verdict::kFits ? 1 : 0;
  }
  return kept;
}

Status NodeAffinity::filter_node(const framework::CycleState&, const framework::PodContext& ctx,
                                 const framework::ClusterState& cluster, framework::NodeIndex node) const {
  switch (verdict(ctx.pod, cluster.nodes, node)) {
    case Verdict::kFits: return {};
    case Verdict::kNotInPreFilterResult: return Status::unresolvable(std::string(kReasonNotInPreFilterResult));
    case Verdict::kEnforced: return Status::unresolvable(std::string(kReasonEnforced));
    case Verdict::kPod: return Status::unresolvable(std::string(kReasonPod));
  }
  return {};
}

void NodeAffinity::count_rejections(const framework::CycleState&, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster,
                                    std::span<const framework::NodeIndex> nodes,
                                    framework::ReasonCounts& counts) const {
  std::size_t by_verdict[4] = {};  // filter_node's verdicts tallied: one reason per rejected node
  for (const auto n : nodes) ++by_verdict[static_cast<std::size_t>(verdict(ctx.pod, cluster.nodes, n))];
  counts.add(kReasonNotInPreFilterResult, by_verdict[static_cast<std::size_t>(Verdict::kNotInPreFilterResult)]);
  counts.add(kReasonEnforced, by_verdict[static_cast<std::size_t>(Verdict::kEnforced)]);
  counts.add(kReasonPod, by_verdict[static_cast<std::size_t>(Verdict::kPod)]);
}

bool NodeAffinity::outside_pre_filter_result(const framework::CycleState&, const framework::PodContext& ctx,
                                             const framework::ClusterState&, framework::NodeIndex node) const {
  return outside_names(ctx.pod, node);
}

bool NodeAffinity::has_pre_filter_result(const framework::CycleState&, const framework::PodContext& ctx,
                                         const framework::ClusterState&) const {
  const PodNodeAffinity* a = ctx.pod.node_affinity.get();
  return a && a->narrowing == PodNodeAffinity::Narrowing::kNames;  // when outside_names can be true
}

// Score reads the raw scores PreScore found in the memo (or, with none, computes them).
struct NodeAffinity::ScoreState : framework::StateData {
  const std::vector<std::int64_t>* raw = nullptr;  // by NodeIndex; nullptr: compute in Score
};

Status NodeAffinity::pre_score(framework::CycleState& cycle, const framework::PodContext& ctx,
                               const framework::ClusterState& cluster, std::span<const framework::NodeIndex>) {
  const PodNodeAffinity* a = ctx.pod.node_affinity.get();
  const bool pod_preferred = a && a->has_preferred;
  if (!pod_preferred && !has_added_preferred_) return Status(framework::Code::kSkip);
  auto& st = cycle.get_or_create<ScoreState>(slot());
  st.raw = normalize_ ? &raw_scores(ctx.pod, cluster) : nullptr;
  if (pod_preferred && a->preferred_invalid)
    return Status(framework::Code::kError, {"parsing the pod's preferred node affinity terms failed"});
  return {};
}

std::int64_t NodeAffinity::raw_score(const state::PodRecord& pod, const NodeTable& nodes, framework::NodeIndex n) const {
  const PodNodeAffinity* a = pod.node_affinity.get();
  const bool pod_terms = a && !a->preferred_invalid && !a->preferred.empty();
  std::int64_t sum = preferred_score(added_preferred_, nodes, n);
  if (pod_terms) sum += preferred_score(a->preferred, nodes, n);
  return sum;
}

const std::vector<std::int64_t>& NodeAffinity::raw_scores(const state::PodRecord& pod,
                                                          const framework::ClusterState& cluster) {
  // The args' terms are the same for every pod, so the pod's signature (which covers its
  // preferred terms) keys the node-by-node sums. Node labels never change after loading.
  const std::string& key = pod.node_affinity ? pod.node_affinity->signature : std::string();
  if (const auto it = raw_memo_.find(key); it != raw_memo_.end() && it->second.size() == cluster.nodes.size)
    return it->second;
  if (raw_memo_.size() >= kRawMemoEntries) raw_memo_.clear();  // rebuilt on demand: same numbers
  std::vector<std::int64_t>& raw = raw_memo_[key];
  raw.resize(cluster.nodes.size);
  for (framework::NodeIndex n = 0; n < cluster.nodes.size; ++n) raw[n] = raw_score(pod, cluster.nodes, n);
  return raw;
}

void NodeAffinity::score(const framework::CycleState& cycle, const framework::PodContext& ctx,
                         const framework::ClusterState& cluster, std::span<const framework::NodeIndex> ids,
                         std::int64_t* scores) const {
  if (const std::vector<std::int64_t>* raw = cycle.get<ScoreState>(slot()).raw) {
    for (std::size_t i = 0; i < ids.size(); ++i) scores[i] = (*raw)[ids[i]];
    return;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) scores[i] = raw_score(ctx.pod, cluster.nodes, ids[i]);
}

void NodeAffinity::normalize(const framework::CycleState&, const framework::PodContext&,
                             std::span<std::int64_t> scores) const {
  helper::default_normalize_score_vectorised(framework::kMaxNodeScore, false, scores);
}

// The split live path (ScorePlugin::score_part): DefaultNormalizeScore(MaxNodeScore, false)
// over every part's merged range (plugins/helper/default_normalized_split.hpp).
bool NodeAffinity::score_part(const framework::CycleState& cycle, const framework::PodContext& ctx,
                       const framework::ClusterState& cluster, std::span<const framework::NodeIndex> ids,
                       std::int64_t* scratch, Bounds& bounds) const {
  return helper::score_part_for_default_normalize(*this, cycle, ctx, cluster, ids, scratch, bounds);
}

std::int64_t NodeAffinity::add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                        std::span<const framework::NodeIndex> ids, std::int64_t* scratch,
                                        std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const {
  return helper::add_default_normalized_part(has_normalize(), false, merged, scratch, ids.size(), weight, base, totals);
}

}  // namespace podium::plugins::nodeaffinity
