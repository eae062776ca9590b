#include "plugins/interpodaffinity/match_counters.hpp"

#include <algorithm>

namespace podium::plugins::interpodaffinity::detail {

MatchCounters::Slot& MatchCounters::claim_slot(const std::string& key) {
  std::size_t index = slots_.size();
  if (slots_.size() < capacity_) {
    slots_.push_back(std::make_unique<Slot>());
  } else {
    // Evict the least recently used counter this cycle has not handed out.
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i]->last_cycle == cycle_) continue;
      if (index == slots_.size() || slots_[i]->last_cycle < slots_[index]->last_cycle) index = i;
    }
    if (index == slots_.size()) {
      slots_.push_back(std::make_unique<Slot>());  // every counter is in use by this cycle
    } else {
      by_key_.erase(slots_[index]->key);
    }
  }
  by_key_[key] = index;
  Slot& slot = *slots_[index];
  slot.key = key;
  return slot;
}

void MatchCounters::Slot::add(state::NodeIndex node, std::int32_t delta, const TopologyColumns& topology) {
  const bool was = count[node] > 0;
  count[node] += delta;
  follow_occupancy(node, was, count[node] > 0, occupied, position);
  for (const auto& [t, tally] : tallies) {
    const std::int32_t d = topology.domains(t)[node];
    if (d >= 0) tally->add(static_cast<std::uint32_t>(d), delta);
  }
}

MatchCounters::Slot& MatchCounters::slot_for(const std::string& key, std::span<const PodMatcher> matchers,
                                             const state::ClusterState& cluster) {
  if (const auto it = by_key_.find(key); it != by_key_.end()) {
    Slot& slot = *slots_[it->second];
    slot.last_cycle = cycle_;
    return slot;
  }
  Slot& slot = claim_slot(key);
  slot.matchers.assign(matchers.begin(), matchers.end());
  slot.count.assign(node_count_, 0);
  slot.position.assign(node_count_, -1);
  slot.occupied.clear();
  slot.tallies.clear();
  slot.last_cycle = cycle_;
  for (const state::PodRecord& pod : cluster.pods)
    if (pod.bound_node != state::kNoNode && slot.matches(pod)) slot.add(pod.bound_node, +1, topology_);
  return slot;
}

MatchCounters::View MatchCounters::counts(const std::string& key, std::span<const PodMatcher> matchers,
                                          const state::ClusterState& cluster) {
  const Slot& slot = slot_for(key, matchers, cluster);
  return {slot.count.data(), slot.occupied};
}

const DomainTally& MatchCounters::by_domain(const std::string& key, std::span<const PodMatcher> matchers,
                                            const state::ClusterState& cluster, std::uint32_t topology) {
  Slot& slot = slot_for(key, matchers, cluster);
  for (const auto& [t, tally] : slot.tallies)
    if (t == topology) return *tally;
  auto tally = std::make_unique<DomainTally>();
  tally->reset(topology_.domain_count(topology));
  const std::int32_t* domain = topology_.domains(topology);
  for (const state::NodeIndex n : slot.occupied)
    if (domain[n] >= 0) tally->add(static_cast<std::uint32_t>(domain[n]), slot.count[n]);
  return *slot.tallies.emplace_back(topology, std::move(tally)).second;
}

void MatchCounters::apply(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta) {
  for (const auto& slot : slots_)
    if (slot->matches(pod)) slot->add(node, delta, topology_);
}

}  // namespace podium::plugins::interpodaffinity::detail
