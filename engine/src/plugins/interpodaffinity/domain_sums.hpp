#pragma once
// Scratch for one cycle: an int64 per domain of each topology key a cycle touches — the
// dense form of upstream's topologyToMatchedTermCount / scoreMap for one pod.
//
//   topology t ─► Column { sums  : [ 0 | 3 | 0 | 0 | -2 | ... ]  by domain id
//                          dirty : [ 1, 4 ] }                      domains written this cycle
//
// A column is sized once (the first time its topology is touched) and afterwards only its
// dirty domains are zeroed again by reset(), so a cycle costs what it writes, not the
// number of domains. Columns live behind unique_ptr: their addresses stay valid while
// other topologies are touched, so Filter / Score may keep pointers into them until the
// next reset(). Used on the scheduling thread (PreFilter / PreScore write, Filter / Score
// read afterwards).

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "plugins/interpodaffinity/topology_columns.hpp"

namespace podium::plugins::interpodaffinity::detail {

class DomainSums {
 public:
  struct Column {
    std::vector<std::int64_t> sums;  // by domain id
    std::vector<std::uint32_t> dirty;
    void add(std::uint32_t domain, std::int64_t value) {
      if (sums[domain] == 0) dirty.push_back(domain);  // may repeat: zeroing twice is harmless
      sums[domain] += value;
    }
  };

  // Zeroes what the last cycle wrote and forgets which topologies it touched.
  void reset() {
    for (const std::uint32_t t : touched_) {
      Column& c = *columns_[t];
      for (const std::uint32_t d : c.dirty) c.sums[d] = 0;
      c.dirty.clear();
      active_[t] = 0;
    }
    touched_.clear();
  }
  // The column of `topology`, listed in touched() from now until reset().
  Column& touch(std::uint32_t topology, const TopologyColumns& columns) {
    if (topology >= columns_.size()) {
      columns_.resize(topology + 1);
      active_.resize(topology + 1, 0);
    }
    if (!columns_[topology]) {
      columns_[topology] = std::make_unique<Column>();
      columns_[topology]->sums.assign(columns.domain_count(topology), 0);
    }
    if (!active_[topology]) {
      active_[topology] = 1;
      touched_.push_back(topology);
    }
    return *columns_[topology];
  }
  const Column& column(std::uint32_t topology) const { return *columns_[topology]; }
  std::span<const std::uint32_t> touched() const { return touched_; }

 private:
  std::vector<std::unique_ptr<Column>> columns_;  // by topology index
  std::vector<std::uint8_t> active_;
  std::vector<std::uint32_t> touched_;
};

}  // namespace podium::plugins::interpodaffinity::detail
