#include "podium/framework/tie_breaker.hpp"

#include <numeric>
#include <utility>

namespace podium::framework {

TieBreaker::TieBreaker(std::size_t node_count, std::uint64_t seed)
    : node_count_(static_cast<std::uint32_t>(node_count)), seed_(seed), rank_(node_count) {
  // Fisher-Yates over ring positions, driven by splitmix64 so every platform agrees.
  std::vector<std::uint32_t> order(node_count);
  std::iota(order.begin(), order.end(), 0U);
  std::uint64_t stream = seed ^ 0x5A17'0D1E'7E57'1ABLL;
  for (std::size_t i = node_count; i > 1; --i) {
    stream = splitmix64(stream);
    const std::uint32_t j = bounded(stream, static_cast<std::uint32_t>(i));
    std::swap(order[i - 1], order[j]);
  }
  for (std::uint32_t pos = 0; pos < node_count; ++pos) rank_[order[pos]] = pos;
  node_at_rank_ = std::move(order);  // order[pos] is the node at ring position pos
}

std::uint32_t TieBreaker::start_for(std::uint64_t decision_index) const {
  if (node_count_ == 0) return 0;
  return bounded(splitmix64(seed_ * 0x2545F4914F6CDD1DULL + decision_index), node_count_);
}

}  // namespace podium::framework
