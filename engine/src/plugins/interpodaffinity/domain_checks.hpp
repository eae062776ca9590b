#pragma once
// What PreFilter / PreScore hand to Filter / Score for one kind of check: per source of
// per-domain counts, the topology's per-node domain column and the counts, read per node
// as value[domain[n]] (domain -1: the node lacks the key).
//
//   sources of a cycle (a kept term's DomainTally, weight)      DomainChecks
//     zone:     [existing entry A]                          ─►  kept:   { zone, A.count, w }
//     hostname: [own term 1, own term 2, ..., > kKeptSources] ─► summed: { hostname, sums }
//
// A topology with at most kKeptSources sources reads the sources' own live int32 columns
// (DomainTally, kept current by bind / unbind), so the cycle costs O(sources) whatever the
// number of occupied domains; with more, the sources are added up once into DomainSums
// (O(their occupied domains)) so that Filter / Score read one column instead of many.
// Reading the sources apart is exact for every use here: Score adds the columns, and the
// anti-affinity checks ask "sum > 0" over counts that are never negative, which is "some
// source > 0". Required affinity has one source per key (the pod's conjunction counter).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "plugins/interpodaffinity/domain_sums.hpp"
#include "plugins/interpodaffinity/domain_tally.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

template <class T>
struct DomainColumn {
  const std::int32_t* domain;  // by NodeIndex, -1: the node lacks the key
  const T* value;              // by domain id
  std::int64_t weight;         // Score's factor (kept columns only; summed ones carry it already)
  bool by_node = false;        // domain[n] == n for every node (TopologyColumns::by_node)
};

struct DomainChecks {
  std::vector<DomainColumn<std::int32_t>> kept;    // a source's own column
  std::vector<DomainColumn<std::int64_t>> summed;  // several sources added up this cycle
  // kept is ordered by domain column (CheckBuilder::build): columns of one key are adjacent.

  void clear() {
    kept.clear();
    summed.clear();
  }
  bool empty() const { return kept.empty() && summed.empty(); }
  // Some column > 0 in node n's domain (the anti-affinity checks).
  bool any_positive(state::NodeIndex n) const {
    for (const auto& c : kept)
      if (const std::int32_t d = c.domain[n]; d >= 0 && c.value[d] > 0) return true;
    for (const auto& c : summed)
      if (const std::int32_t d = c.domain[n]; d >= 0 && c.value[d] > 0) return true;
    return false;
  }
};

// Collects one cycle's sources and turns them into DomainChecks. Scratch owned by the plugin
// (scheduling thread only).
class CheckBuilder {
 public:
  static constexpr std::size_t kKeptSources = 4;

  void clear() { sources_.clear(); }
  bool empty() const { return sources_.empty(); }
  // `tally` must outlive the checks built from it (a kept term or counter: the cycle).
  void add(std::uint32_t topology, const DomainTally& tally, std::int64_t weight) {
    sources_.push_back({topology, &tally, weight});
  }
  // Replaces `out` with checks over the sources added since clear(); `sums` is the
  // scratch the summed columns live in until its next reset(). Clears the sources.
  void build(DomainChecks& out, DomainSums& sums, const TopologyColumns& topology) {
    out.clear();
    sums.reset();
    per_topology_.assign(topology.size(), 0);
    for (const Source& s : sources_) ++per_topology_[s.topology];
    for (const Source& s : sources_) {
      if (per_topology_[s.topology] <= kKeptSources) {
        out.kept.push_back({topology.domains(s.topology), s.tally->count.data(), s.weight, topology.by_node(s.topology)});
        continue;
      }
      DomainSums::Column& column = sums.touch(s.topology, topology);
      for (const std::uint32_t d : s.tally->occupied) column.add(d, s.weight * s.tally->count[d]);
    }
    for (const std::uint32_t t : sums.touched()) out.summed.push_back({topology.domains(t), sums.column(t).sums.data(), 1});
    // Kept columns of one key next to each other: Score reads a node's domain once for them.
    std::stable_sort(out.kept.begin(), out.kept.end(),
                     [](const auto& a, const auto& b) { return std::less<>()(a.domain, b.domain); });
    sources_.clear();
  }

 private:
  struct Source {
    std::uint32_t topology;
    const DomainTally* tally;
    std::int64_t weight;
  };
  std::vector<Source> sources_;
  std::vector<std::uint32_t> per_topology_;  // scratch: sources per topology index
};

}  // namespace podium::plugins::interpodaffinity::detail
