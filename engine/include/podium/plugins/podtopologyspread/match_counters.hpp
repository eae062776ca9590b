#pragma once
// Per-node counts of bound pods matching a (namespace, label selector): what upstream's
// countPodsMatchSelector computes by walking NodeInfo.Pods on every node for every pod
// being scheduled, kept here as columns and updated incrementally on each bind.
//
//   entry (ns "default", selector app=web):  counts [ 2 | 0 | 1 | ... ]   int32 per NodeIndex
//   entry (ns "prod",    selector tier In (db, cache)): counts [ ... ]
//
// An entry is registered the first time a pod needs it, with one scan of the bound pods
// that carry its selector's first `In` label (an index of bound pods by label, kept by
// on_bind/on_unbind; every bound pod when the selector has no `In`); afterwards on_bind/on_unbind keep it exact by testing the moving pod against
// every entry (a namespace compare and a selector match each). The number of entries is
// capped: past `capacity`, the least recently used entry is dropped (it is rebuilt by a
// scan if needed again). Entries acquired since the last begin_cycle() are never dropped,
// so the spans a PreFilter/PreScore hands to Filter/Score stay valid for that pod.
//
// An entry may also keep the sums of its counts per domain of a topology column (asked
// for with a column): upstream sums matching pods over a domain's nodes in every
// PreFilter/PreScore; here the sums are built by one pass over the nodes when first asked
// for and moved by on_bind/on_unbind with the counts, so a cycle reads them in O(domains).
//
// An everything-selector (labelSelector: {}) counts nothing, as countPodsMatchSelector's
// `selector.Empty()` early return decides; a nil selector matches nothing. Both share a
// column of zeros and take no entry.
//
// Thread-safety: acquire/begin_cycle/on_bind/on_unbind on the scheduling thread only; the
// returned spans are read concurrently by Filter/Score workers, never while those run.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "podium/plugins/podtopologyspread/domain_columns.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::podtopologyspread {

class MatchCounters {
 public:
  explicit MatchCounters(std::size_t capacity = 64) : capacity_(capacity < 1 ? 1 : capacity) {}

  // Starts a scheduling cycle's acquisitions (see the protection rule above).
  void begin_cycle() { cycle_start_ = ++clock_; }
  // The per-node counts of bound pods in `namespace_id` that `selector` matches.
  std::span<const std::int32_t> acquire(const state::ClusterState& cluster, StringId namespace_id,
                                        const state::LabelSelectorRecord& selector);

  // acquire() with the sums of those counts per domain of `column`: sums[d] for each
  // domain id d, and sums[column.domain_count()] over the nodes without the label. Valid
  // as long as the counts are.
  struct WithSums {
    std::span<const std::int32_t> counts;
    std::span<const std::int64_t> sums;
  };
  WithSums acquire_with_sums(const state::ClusterState& cluster, StringId namespace_id,
                             const state::LabelSelectorRecord& selector, const DomainColumn& column);

  void on_bind(const state::ClusterState& cluster, state::PodIndex pod, state::NodeIndex node);
  void on_unbind(const state::ClusterState& cluster, state::PodIndex pod, state::NodeIndex node);

  std::size_t entries() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  struct DomainSums {
    const DomainColumn* column = nullptr;  // columns never move (DomainColumns owns them)
    std::vector<std::int64_t> sums;        // by domain id, then one slot for nodes without the key
  };
  struct Entry {
    StringId namespace_id = 0;
    state::LabelSelectorRecord selector;
    std::string key;
    std::vector<std::int32_t> counts;
    std::vector<DomainSums> by_column;  // few: one per topology key the selector is spread over
    std::uint64_t last_used = 0;
  };
  Entry* find_or_add(const state::ClusterState& cluster, StringId namespace_id,
                     const state::LabelSelectorRecord& selector);
  void add(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta);
  void evict_one();
  void index_bound_pods(const state::ClusterState& cluster);
  void index_pod(const state::PodRecord& pod, state::PodIndex p, bool bound);
  // The bound pods a new entry must look at: those with the selector's first In label.
  const std::vector<state::PodIndex>& candidates(const state::LabelSelectorRecord& selector,
                                                 std::vector<state::PodIndex>& scratch) const;

  std::size_t capacity_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::unordered_map<std::string, Entry*> by_key_;
  std::vector<std::int32_t> zeros_;
  std::vector<std::int64_t> zero_sums_;
  // Bound pods by label (key << 32 | value), and all of them; built on the first acquire.
  std::unordered_map<std::uint64_t, std::vector<state::PodIndex>> bound_by_label_;
  std::vector<state::PodIndex> bound_;
  bool indexed_ = false;
  std::uint64_t clock_ = 0;
  std::uint64_t cycle_start_ = 0;
};

}  // namespace podium::plugins::podtopologyspread
