#include "node_inclusion.hpp"

#include <algorithm>

namespace podium::plugins::podtopologyspread {
namespace {

using state::NodeTable;

// labels.Requirement.Matches (Gt/Lt with Go's ParseInt of the node's value).
bool requirement_matches(const state::LabelRequirement& r, const NodeTable& nodes, state::NodeIndex n) {
  const std::size_t at = nodes.find_label(n, r.key);
  const bool has = at != NodeTable::npos;
  const bool in_values =
      has && std::find(r.values.begin(), r.values.end(), nodes.label_pairs[at].value) != r.values.end();
  switch (r.op) {
    case state::SelectorOp::kIn: return in_values;
    case state::SelectorOp::kNotIn: return !in_values;
    case state::SelectorOp::kExists: return has;
    case state::SelectorOp::kDoesNotExist: return !has;
    case state::SelectorOp::kGt: return has && nodes.label_numbers[at].ok && nodes.label_numbers[at].value > r.bound;
    case state::SelectorOp::kLt: return has && nodes.label_numbers[at].ok && nodes.label_numbers[at].value < r.bound;
  }
  return false;
}

// nodeSelectorTerm.match: a term that failed to parse matches no node.
bool term_matches(const state::NodeSelectorTermRecord& term, const NodeTable& nodes, state::NodeIndex n) {
  if (!term.valid) return false;
  for (const auto& r : term.expressions)
    if (!requirement_matches(r, nodes, n)) return false;
  using K = state::FieldRequirement::Kind;
  for (const auto& f : term.fields)
    if (f.kind == K::kNever || (f.kind == K::kNameIs && f.node != n) || (f.kind == K::kNameIsNot && f.node == n))
      return false;
  return true;
}

}  // namespace

NodeInclusion::NodeInclusion(const state::ClusterState& cluster)
    : no_schedule_(cluster.strings.find("NoSchedule").value_or(state::kUnseenString)),
      no_execute_(cluster.strings.find("NoExecute").value_or(state::kUnseenString)) {}

bool NodeInclusion::affinity_matches(const state::PodRecord& pod, const NodeTable& nodes, state::NodeIndex n) const {
  const state::PodNodeAffinity* a = pod.node_affinity.get();
  if (!a) return true;
  for (const auto& want : a->node_selector) {
    const std::size_t at = nodes.find_label(n, want.key);
    if (at == NodeTable::npos || nodes.label_pairs[at].value != want.value) return false;
  }
  if (!a->has_required) return true;
  return std::any_of(a->required.begin(), a->required.end(), [&](const auto& t) { return term_matches(t, nodes, n); });
}

bool NodeInclusion::taints_tolerated(const state::PodRecord& pod, const NodeTable& nodes, state::NodeIndex n) const {
  for (std::uint32_t i = nodes.taint_offsets[n]; i < nodes.taint_offsets[n + 1]; ++i) {
    const state::TaintRecord& t = nodes.taints[i];
    if (t.effect != no_schedule_ && t.effect != no_execute_) continue;
    if (!state::tolerates_any(pod.tolerations, t.key, t.value, t.effect)) return false;
  }
  return true;
}

}  // namespace podium::plugins::podtopologyspread
