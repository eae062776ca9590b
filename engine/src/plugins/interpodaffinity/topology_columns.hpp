#pragma once
// Per topology key, which domain each node is in: the column InterPodAffinity's PreFilter
// and PreScore aggregate over instead of upstream's map[topologyPair] lookups.
//
//   key "zone"  ─► domain : [ 0 | 0 | 1 | -1 | 2 | 1 | ... ]   int32 per node, -1: no such label
//                  values : [ "a", "b", "c" ]                  domain id -> label value id
//
// A column is built the first time a term names its key (one pass over the nodes' labels)
// and never changes afterwards: node labels are fixed once the cluster is loaded. Columns
// live behind unique_ptr, so a pointer to one stays valid while others are added.
//
// Thread-safety: columns() / domains() may be read concurrently; index_of() adds a column
// and is called only from the scheduling thread (PreFilter, PreScore, on_bind).

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "podium/common/aligned_vector.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

class TopologyColumns {
 public:
  explicit TopologyColumns(const state::NodeTable& nodes) : nodes_(nodes) {}

  // The column of topology key `key`, built on first use.
  std::uint32_t index_of(StringId key);
  const std::int32_t* domains(std::uint32_t topology) const { return columns_[topology]->domain.data(); }
  std::uint32_t domain_count(std::uint32_t topology) const {
    return static_cast<std::uint32_t>(columns_[topology]->values.size());
  }
  // Node n is in domain n, for every node (a per-node key such as hostname, with node
  // order for domain order): Score may index the per-domain counts by node directly.
  bool by_node(std::uint32_t topology) const { return columns_[topology]->by_node; }
  StringId key(std::uint32_t topology) const { return columns_[topology]->key; }
  std::size_t size() const { return columns_.size(); }

 private:
  struct Column {
    StringId key = 0;
    AlignedVector<std::int32_t> domain;  // by NodeIndex
    std::vector<StringId> values;        // by domain id
    bool by_node = false;                // domain[n] == n for every n
  };
  const state::NodeTable& nodes_;
  std::vector<std::unique_ptr<Column>> columns_;
  std::unordered_map<StringId, std::uint32_t> by_key_;
};

}  // namespace podium::plugins::interpodaffinity::detail
