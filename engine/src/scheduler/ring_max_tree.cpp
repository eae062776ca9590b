#include "scheduler/ring_max_tree.hpp"

#include "common/multiversion.hpp"

namespace podium::scheduler {

namespace {

// One level of the batched refresh: entry i of the level is the max of its group of
// children. With at least as many changed leaves as entries the level is rebuilt whole
// (each entry once); else each changed leaf's ancestor is recomputed (repeats are harmless).
PODIUM_MULTIVERSION
void refresh_level(const std::int64_t* __restrict children, std::int64_t* __restrict entries, std::size_t size,
                   const std::uint32_t* __restrict nodes, std::size_t count, const std::uint32_t* __restrict rank,
                   unsigned shift) {
  if (count >= size) {
    for (std::size_t i = 0; i < size; ++i) entries[i] = RingMaxTree::max_of_group(children + i * RingMaxTree::kFanout);
    return;
  }
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = rank[nodes[k]] >> shift;
    entries[i] = RingMaxTree::max_of_group(children + i * RingMaxTree::kFanout);
  }
}

}  // namespace

void RingMaxTree::refresh_above(std::span<const std::uint32_t> nodes, const std::uint32_t* rank) {
  for (std::size_t level = 1; level < offsets_.size(); ++level)
    refresh_level(values_.data() + offsets_[level - 1], values_.data() + offsets_[level], sizes_[level], nodes.data(),
                  nodes.size(), rank, static_cast<unsigned>(kFanoutBits * level));
}

}  // namespace podium::scheduler
