#pragma once
// verify's own matchers over plain strings, written from docs/SEMANTICS.md and the
// upstream functions named below — deliberately not the engine's compiled forms
// (state/label_selector, state/node_selector), so the two can be checked against each other.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "podium/io/objects.hpp"

namespace podium::verify::detail {

using Labels = std::map<std::string, std::string, std::less<>>;

Labels to_labels(const io::StringMap& pairs);

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, no overflow.
std::optional<std::int64_t> parse_go_int64(std::string_view s);
// validation.IsQualifiedName (label keys) and IsValidLabelValue.
bool is_qualified_name(std::string_view s);
bool is_label_value(std::string_view s);

// v1 Toleration.ToleratesTaint.
bool tolerates(const io::Toleration& t, const io::Taint& taint);
bool tolerates_any(const std::vector<io::Toleration>& ts, const io::Taint& taint);
// The first NoSchedule / NoExecute taint no toleration tolerates (TaintToleration's
// filter, PodTopologySpread's nodeTaintsPolicy: Honor), or null.
const io::Taint* untolerated_hard_taint(const std::vector<io::Taint>& taints, const std::vector<io::Toleration>& ts);

// A metav1.LabelSelector as labels.Selector: nil matches nothing; requirements ANDed.
struct Requirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist (anything else matches nothing)
  std::vector<std::string> values;
};
struct Selector {
  bool nothing = false;
  std::vector<Requirement> requirements;
  bool empty() const { return !nothing && requirements.empty(); }  // labels.Selector.Empty()
  bool matches(const Labels& labels) const;
};
Selector make_selector(const std::optional<io::LabelSelector>& s);
// The API server's merge of matchLabelKeys (In) / mismatchLabelKeys (NotIn) into a
// non-nil selector, for the keys `owner_labels` has.
void merge_label_keys(Selector& s, const std::vector<std::string>& keys, const Labels& owner_labels, bool match);

// One NodeSelectorTerm as nodeaffinity's lazy parser reads it: matchExpressions (via
// labels.NewRequirement's validation) and matchFields (metadata.name, In/NotIn, one
// value) ANDed; an empty or unparsable term matches no node.
bool node_selector_term_matches(const io::NodeSelectorTerm& term, const std::string& node_name, const Labels& labels);
// Terms ORed (nodeSelectorTerms); none matches nothing.
bool node_selector_terms_match(const std::vector<io::NodeSelectorTerm>& terms, const std::string& node_name,
                               const Labels& labels);

}  // namespace podium::verify::detail
