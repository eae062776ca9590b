#pragma once
// The reference oracle's node selector terms over label text: one reading of upstream's
// nodeaffinity nodeSelectorTerm matching (labels.Requirement.Matches, fields on
// metadata.name), shared by its NodeAffinity and by PodTopologySpread's nodeAffinityPolicy.

#include <string>

#include "podium/reference/reference_scheduler.hpp"

namespace podium::reference {

// An interned id as text; an id no string has (kUnseenString) reads as a text no label has.
std::string label_text(const state::ClusterState& cluster, StringId id);

// Whether node n (its labels as text) satisfies every requirement of `term`; a term that
// failed to parse matches nothing.
bool node_term_matches(const state::ClusterState& cluster, const state::NodeSelectorTermRecord& term,
                       const ReferenceNode& node, state::NodeIndex n);

}  // namespace podium::reference
