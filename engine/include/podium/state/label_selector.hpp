#pragma once
// metav1.LabelSelector compiled for matching against pods' and namespaces' labels
// (k8s.io/apimachinery metav1.LabelSelectorAsSelector, labels.Selector.Matches, v1.35).
//
// Kubernetes distinguishes absent from empty: a nil selector matches nothing, an empty one
// (no matchLabels, no matchExpressions) matches everything. matchLabels entries become
// `key In (value)` requirements; requirements are ANDed. Keys and values are interned, so
// matching is id comparisons over a pod's sorted label pairs.
//
// Used by PodTopologySpread (constraint selectors, default selectors from Services and
// controllers) and InterPodAffinity (term selectors and namespace selectors).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "podium/common/string_interner.hpp"
#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

// LabelSelectorRecord itself lives in cluster_state.hpp (pods carry them).


// metav1.LabelSelectorAsSelector. nullopt compiles to a nothing-selector. Returns nullopt
// and sets `error` ("<field>: <message>", field relative to the selector, e.g.
// "matchExpressions[0].values") for what upstream rejects: an unknown operator, In/NotIn
// without values, Exists/DoesNotExist with values, an invalid label key or value.
std::optional<LabelSelectorRecord> compile_label_selector(const std::optional<io::LabelSelector>& selector,
                                                          StringInterner& strings, std::string& error);

// labels.Set(map).AsSelector() (Service / ReplicationController selectors): every pair
// becomes `key In (value)`; an empty map gives an everything-selector.
LabelSelectorRecord selector_from_map(const std::vector<LabelPair>& pairs);

// Adds `key In (value)` (match) or `key NotIn (value)` (mismatch) to the selector, as the
// API server merges matchLabelKeys / mismatchLabelKeys into a term's labelSelector.
void add_label_requirement(LabelSelectorRecord& selector, StringId key, StringId value, bool match);

}  // namespace podium::state
