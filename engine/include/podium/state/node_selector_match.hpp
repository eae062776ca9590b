#pragma once
// Matching compiled node selectors (node_selector.hpp) against one node's labels: the
// predicates NodeAffinity filters and scores with, and that PodTopologySpread's
// nodeAffinityPolicy reuses (k8s.io/component-helpers/scheduling/corev1/nodeaffinity,
// v1.35). Inline: they sit inside per-node loops.

#include <algorithm>

#include "podium/state/cluster_state.hpp"

namespace podium::state {

// labels.Requirement.Matches on node n's labels (Gt / Lt read the value as Go's ParseInt).
inline bool requirement_matches(const LabelRequirement& r, const NodeTable& nodes, NodeIndex n) {
  const std::size_t at = nodes.find_label(n, r.key);
  const bool has = at != NodeTable::npos;
  auto has_value = [&] {
    return std::find(r.values.begin(), r.values.end(), nodes.label_pairs[at].value) != r.values.end();
  };
  switch (r.op) {
    case SelectorOp::kIn: return has && has_value();
    case SelectorOp::kNotIn: return !has || !has_value();
    case SelectorOp::kExists: return has;
    case SelectorOp::kDoesNotExist: return !has;
    case SelectorOp::kGt: return has && nodes.label_numbers[at].ok && nodes.label_numbers[at].value > r.bound;
    case SelectorOp::kLt: return has && nodes.label_numbers[at].ok && nodes.label_numbers[at].value < r.bound;
  }
  return false;
}

// nodeSelectorTerm.match: expressions and fields ANDed; a term that failed to parse
// matches nothing.
inline bool term_matches(const NodeSelectorTermRecord& term, const NodeTable& nodes, NodeIndex n) {
  if (!term.valid) return false;
  for (const auto& r : term.expressions)
    if (!requirement_matches(r, nodes, n)) return false;
  for (const auto& f : term.fields) {
    switch (f.kind) {
      case FieldRequirement::Kind::kNameIs:
        if (n != f.node) return false;
        break;
      case FieldRequirement::Kind::kNameIsNot:
        if (n == f.node) return false;
        break;
      case FieldRequirement::Kind::kAlways: break;
      case FieldRequirement::Kind::kNever: return false;
    }
  }
  return true;
}

// Terms are ORed (NodeSelector.Match).
inline bool any_term_matches(const std::vector<NodeSelectorTermRecord>& terms, const NodeTable& nodes, NodeIndex n) {
  return std::any_of(terms.begin(), terms.end(), [&](const auto& t) { return term_matches(t, nodes, n); });
}

// RequiredNodeAffinity.Match: spec.nodeSelector, then the required terms.
inline bool required_node_affinity_matches(const PodNodeAffinity& a, const NodeTable& nodes, NodeIndex n) {
  for (const auto& want : a.node_selector) {
    const std::size_t at = nodes.find_label(n, want.key);
    if (at == NodeTable::npos || nodes.label_pairs[at].value != want.value) return false;
  }
  return !a.has_required || any_term_matches(a.required, nodes, n);
}

}  // namespace podium::state
