#pragma once
// Topology domains as columns: for one topology key, every node's domain as a dense int32
// id, so PodTopologySpread aggregates and filters with array indexing, never hashing.
//
//   key "zone":   domain [ 0 | 1 | -1 | 0 | 2 | ... ]   per NodeIndex; -1: node lacks the key
//                 values  [ "a", "b", "c" ]            domain id -> label value id
//
// Node labels never change after loading, so a column is built once, on first use, and
// kept for the plugin's lifetime (topology keys are few: one column per distinct key).
//
// Thread-safety: column() builds and may grow the table — scheduling thread only (the
// plugin's PreFilter/PreScore). A returned DomainColumn never moves or changes, so
// Filter/Score workers read it concurrently.

#include <cstdint>
#include <memory>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::plugins::podtopologyspread {

struct DomainColumn {
  StringId key = state::kUnseenString;
  std::vector<std::int32_t> domain;  // by NodeIndex; -1 where the node has no label `key`
  std::vector<StringId> values;      // by domain id: the label value
  // The domain of the value "" (a node labelled key=""), or -1. Upstream keys domains by
  // the value string, and a node *without* the label reads as value "" where the key is
  // not required (PreScore under system defaulting), so both land in this domain.
  std::int32_t empty_value_domain = -1;
  std::size_t absent_nodes = 0;  // nodes without the label (domain -1)

  std::int32_t domain_count() const { return static_cast<std::int32_t>(values.size()); }
  // The domain upstream's `node.Labels[key]` names: a missing label reads as "". Returns
  // domain_count() (one past the real domains) for "" when no node carries key="".
  std::int32_t domain_or_empty(state::NodeIndex n) const {
    const std::int32_t d = domain[n];
    return d >= 0 ? d : domain_or_empty_of_absent();
  }
  // domain_or_empty() of a node without the label.
  std::int32_t domain_or_empty_of_absent() const {
    return empty_value_domain >= 0 ? empty_value_domain : domain_count();
  }
};

class DomainColumns {
 public:
  // The column of `key` over `nodes`, built on first use.
  const DomainColumn& column(const state::ClusterState& cluster, StringId key);
  std::size_t size() const { return columns_.size(); }

 private:
  std::vector<std::unique_ptr<DomainColumn>> columns_;  // unique_ptr: addresses stay stable
};

}  // namespace podium::plugins::podtopologyspread
