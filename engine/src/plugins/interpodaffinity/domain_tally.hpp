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
    const bool is = count[domain] > 0;
    if (!was && is) {
      position[domain] = static_cast<std::int32_t>(occupied.size());
      occupied.push_back(domain);
    } else if (was && !is) {
      const auto at = static_cast<std::size_t>(position[domain]);
      occupied[at] = occupied.back();
      position[occupied[at]] = static_cast<std::int32_t>(at);
      occupied.pop_back();
      position[domain] = -1;
    }
  }
};

}  // namespace podium::plugins::interpodaffinity::detail
