#pragma once
// Per-node counts of bound pods that match a conjunction of PodMatchers: the incoming
// pod's required affinity terms together (upstream counts an existing pod only if it
// matches *all* of them, podMatchesAllAffinityTerms), or one anti-affinity / preferred
// term. Upstream walks every pod of every node per scheduling cycle; here a counter is
// registered the first time some pod needs it (one scan of the bound pods) and then kept
// current by on_bind/on_unbind, so a cycle reads it in O(nodes).
//
//   counter slot s:  key (signature of its matchers)   matchers [m0, m1, ...]
//                    count    : [ n0 | n1 | n2 | ... ]  int32 per node, pods matching all
//                    occupied : [ 7, 2, 40 ]            the nodes with count > 0, any order
//                    position : [ -1 | 1 | -1 | ... ]   int32 per node, index into occupied
//
//                    tallies  : topology t -> DomainTally   per-domain counts of t's key,
//                                                           registered by the first by_domain(t)
//
// A cycle walks `occupied` (swap-and-pop on the way out), so its cost follows the nodes
// that hold matching pods, not the cluster size; one that reads a tally (by_domain) costs
// O(1) once the tally is registered: apply() keeps it current like the per-node counts.
//
// Memory is bounded: at most `capacity` counters (so about 64 MiB of columns at most, with
// one node-sized tally each);
// registering one more evicts the least recently used counter that the current cycle has
// not asked for, which a later cycle simply registers again (one more scan).
//
// Thread-safety: none. counts() and apply() run on the scheduling thread; the columns
// they return are read-only for the rest of the cycle.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "plugins/interpodaffinity/domain_tally.hpp"
#include "plugins/interpodaffinity/terms.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"
#include "podium/common/aligned_vector.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

class MatchCounters {
 public:
  MatchCounters(const TopologyColumns& topology, std::size_t node_count, std::size_t capacity)
      : topology_(topology), node_count_(node_count), capacity_(capacity) {}

  // Starts a cycle: counters handed out from now on stay valid until the next begin_cycle().
  void begin_cycle() { ++cycle_; }
  struct View {
    const std::int32_t* count;                  // by NodeIndex
    std::span<const state::NodeIndex> occupied;  // the nodes with count > 0
  };
  // The per-node counts of bound pods matching every matcher; registers the counter (one
  // scan of cluster.pods) if it is not kept. `key` must identify the matchers
  // (counter_key()). The view stays valid until the next begin_cycle() or apply().
  View counts(const std::string& key, std::span<const PodMatcher> matchers, const state::ClusterState& cluster);
  // The same counter's pods summed per domain of `topology` (registered on first use: one
  // walk over the counter's occupied nodes). Stays valid, and current, while the counter
  // is kept: at least until the next begin_cycle().
  const DomainTally& by_domain(const std::string& key, std::span<const PodMatcher> matchers,
                               const state::ClusterState& cluster, std::uint32_t topology);
  // A pod was bound to (delta +1) or left (delta -1) node `node`.
  void apply(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta);

  std::size_t size() const { return slots_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  struct Slot {
    std::string key;
    std::vector<PodMatcher> matchers;
    AlignedVector<std::int32_t> count;
    std::vector<state::NodeIndex> occupied;
    std::vector<std::int32_t> position;  // by NodeIndex; -1 when count is 0
    std::vector<std::pair<std::uint32_t, std::unique_ptr<DomainTally>>> tallies;  // by topology
    std::uint64_t last_cycle = 0;
    void add(state::NodeIndex node, std::int32_t delta, const TopologyColumns& topology);
    bool matches(const state::PodRecord& pod) const {
      for (const PodMatcher& m : matchers)
        if (!m.matches(pod)) return false;
      return true;
    }
  };
  Slot& claim_slot(const std::string& key);
  Slot& slot_for(const std::string& key, std::span<const PodMatcher> matchers, const state::ClusterState& cluster);

  const TopologyColumns& topology_;
  std::size_t node_count_;
  std::size_t capacity_;
  std::uint64_t cycle_ = 1;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::unordered_map<std::string, std::size_t> by_key_;
};

}  // namespace podium::plugins::interpodaffinity::detail
