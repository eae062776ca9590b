#pragma once
// How InterPodAffinity matches a term against a pod (upstream framework.AffinityTerm.Matches,
// v1.35), in the two forms the plugin needs:
//
// * The incoming pod's own terms, with the namespaceSelector merged into the namespace
//   list as PreFilter/PreScore do (mergeAffinityTermNamespacesIfNotEmpty): a selector
//   other than {} is replaced by the Namespace objects it selects *now*, so a namespace
//   without a Namespace object can only be named, never selected; {} (labels.Everything,
//   whose Empty() is true) is left as is and matches every namespace. Matched against
//   existing pods with nil namespace labels.
// * An existing pod's terms, never merged, matched against the incoming pod with the
//   labels of the incoming pod's Namespace object (GetNamespaceLabelsSnapshot; no object:
//   no labels, so e.g. `team DoesNotExist` selects it).

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

// One conjunct of a per-node counter: a namespace test and a label selector.
struct PodMatcher {
  bool all_namespaces = false;         // namespaceSelector {}: every namespace
  std::vector<StringId> namespaces;    // sorted and unique
  state::LabelSelectorRecord selector;

  // AffinityTerm.Matches(pod, nil) for a merged term.
  bool matches(const state::PodRecord& pod) const {
    const bool ns = all_namespaces || std::binary_search(namespaces.begin(), namespaces.end(), pod.namespace_id);
    return ns && selector.matches(pod.labels);
  }
  void append_signature(std::string& out) const;
};

// The key of a per-node counter of pods matching all of `matchers` (MatchCounters): their
// count, then each one's signature. Equal keys, equal predicates.
std::string counter_key(std::span<const PodMatcher> matchers);

// The incoming pod's term after mergeAffinityTermNamespacesIfNotEmpty.
PodMatcher merged_matcher(const state::PodAffinityTermRecord& term, const state::ClusterState& cluster);

// AffinityTerm.Matches(incoming, nsLabels) for an existing pod's (unmerged) term.
inline bool existing_term_matches(const state::PodAffinityTermRecord& term, const state::PodRecord& incoming,
                                  std::span<const state::LabelPair> namespace_labels) {
  const bool ns = std::binary_search(term.namespaces.begin(), term.namespaces.end(), incoming.namespace_id) ||
                  term.namespace_selector.matches(namespace_labels);
  return ns && term.selector.matches(incoming.labels);
}

// The labels of namespace `ns`'s Namespace object; empty when there is none.
std::span<const state::LabelPair> namespace_labels(const state::ClusterState& cluster, StringId ns);

// Canonical bytes of an (unmerged) term, weight included: equal bytes, interchangeable terms.
void append_term_signature(const state::PodAffinityTermRecord& term, std::string& out);

}  // namespace podium::plugins::interpodaffinity::detail
