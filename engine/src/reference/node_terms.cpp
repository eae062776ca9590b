#include "reference/node_terms.hpp"

#include "podium/state/node_selector.hpp"

namespace podium::reference {

std::string label_text(const state::ClusterState& cluster, StringId id) {
  return id == state::kUnseenString ? std::string("\x01<unseen>") : cluster.strings.text(id);
}

bool node_term_matches(const state::ClusterState& cluster, const state::NodeSelectorTermRecord& term,
                       const ReferenceNode& node, state::NodeIndex n) {
  if (!term.valid) return false;
  for (const auto& r : term.expressions) {
    const auto it = node.labels.find(label_text(cluster, r.key));
    const bool has = it != node.labels.end();
    bool listed = false;
    for (const auto v : r.values) listed = listed || (has && label_text(cluster, v) == it->second);
    const auto number = has ? state::parse_go_int64(it->second) : std::nullopt;
    bool ok = false;
    switch (r.op) {
      case state::SelectorOp::kIn: ok = listed; break;
      case state::SelectorOp::kNotIn: ok = !listed; break;  // also true without the label
      case state::SelectorOp::kExists: ok = has; break;
      case state::SelectorOp::kDoesNotExist: ok = !has; break;
      case state::SelectorOp::kGt: ok = number && *number > r.bound; break;
      case state::SelectorOp::kLt: ok = number && *number < r.bound; break;
    }
    if (!ok) return false;
  }
  using K = state::FieldRequirement::Kind;
  for (const auto& f : term.fields)
    if (f.kind == K::kNever || (f.kind == K::kNameIs && f.node != n) || (f.kind == K::kNameIsNot && f.node == n))
      return false;
  return true;
}

}  // namespace podium::reference
