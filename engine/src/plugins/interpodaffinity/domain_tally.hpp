#pragma once
// A live per-domain count of one topology key: how many matching pods (or term carriers)
// sit in each domain, which domains hold any, and the total over domains. Kept current by
// add() on every bind / unbind, so a scheduling cycle can read it as is (Filter / Score
// index it by the node's domain) instead of summing it again.
//
//   count    : [ 0 | 3 | 0 | 1 | ... ]   int32 by domain id
//   occupied : [ 1, 3 ]                  domains with count > 0, any order
//   position : [ -1 | 0 | -1 | 1 | ... ] by domain: index into occupied, or -1
//   total    : 4                         pods counted, all on nodes that have the key
//
// Pods on nodes without the key are never added: upstream's topologyToMatchedTermCount /
// scoreMap only record pairs the node has. Thread-safety: none (scheduling thread).

#include <cstdint>
#include <vector>

namespace podium::plugins::interpodaffinity::detail {

// Keeps `occupied` (the indexes with a positive count, any order) and `position` (index ->
// its place in occupied, or -1) in step when one count goes from `was` > 0 to `is` > 0:
// append on the way in, swap-and-pop on the way out. Shared by the per-node counters.
template <class Index>
void follow_occupancy(Index index, bool was, bool is, std::vector<Index>& occupied, std::vector<std::int32_t>& position) {
  if (!was && is) {
    position[index] = static_cast<std::int32_t>(occupied.size());
    occupied.push_back(index);
  } else if (was && !is) {
    const auto at = static_cast<std::size_t>(position[index]);
    occupied[at] = occupied.back();
    position[occupied[at]] = static_cast<std::int32_t>(at);
    occupied.pop_back();
    position[index] = -1;
  }
}

struct DomainTally {
  std::vector<std::int32_t> count;
  std::vector<std::uint32_t> occupied;
  std::vector<std::int32_t> position;
  std::int64_t total = 0;

  void reset(std::size_t domains) {
    count.assign(domains, 0);
    position.assign(domains, -1);
    occupied.clear();
    total = 0;
  }
  void add(std::uint32_t domain, std::int32_t delta) {
    const bool was = count[domain] > 0;
    count[domain] += delta;
    total += delta;
    follow_occupancy(domain, was, count[domain] > 0, occupied, position);
  }
};

}  // namespace podium::plugins::interpodaffinity::detail
