#pragma once
// Compiling node selectors: NodeSelectorTerm (matchExpressions + matchFields) and
// spec.nodeSelector into the interned records of cluster_state.hpp, deciding at load time
// everything upstream decides when it parses them
// (k8s.io/component-helpers/scheduling/corev1/nodeaffinity, k8s.io/apimachinery labels,
// v1.35): which terms fail to parse, the Gt/Lt bounds, and what matchFields reduce to.
// Matching a compiled term against a node is then id comparisons only.
//
// Not thread-safe while compiling (the lookups may intern); the results are immutable.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits only, in int64 range.
std::optional<std::int64_t> parse_go_int64(std::string_view s);

// k8s.io/apimachinery validation: IsValidLabelValue and IsLabelKey (IsQualifiedName).
bool is_valid_label_value(std::string_view value);
bool is_valid_label_key(std::string_view key);

// How names become ids while compiling: interning (pods, at load) or lookups that answer
// kUnseenString / kNoNode for strings and nodes the cluster does not have (plugin args).
struct SelectorLookup {
  std::function<StringId(std::string_view)> string_id;
  std::function<NodeIndex(std::string_view)> node;
};

// nodeaffinity.isEmptyNodeSelectorTerm: no expressions and no fields (matches nothing).
bool is_empty_term(const io::NodeSelectorTerm& term);

// nodeaffinity.newNodeSelectorTerm for a non-empty term. A term with a parse error comes
// back with valid == false; `error`, when given, receives the first error as
// "<field path>: <message>" relative to the term.
NodeSelectorTermRecord compile_node_selector_term(const io::NodeSelectorTerm& term, const SelectorLookup& lookup,
                                                  std::string* error = nullptr);

// The whole NodeAffinity view of a pod (spec.nodeSelector + spec.affinity.nodeAffinity),
// signature included; nullptr when the pod has neither.
std::shared_ptr<PodNodeAffinity> compile_pod_node_affinity(const io::StringMap& node_selector,
                                                           const std::optional<io::NodeAffinity>& affinity,
                                                           const SelectorLookup& lookup);

// Canonical bytes of a compiled term (two terms with equal bytes match the same nodes).
void append_term_signature(const NodeSelectorTermRecord& term, std::string& out);

}  // namespace podium::state
