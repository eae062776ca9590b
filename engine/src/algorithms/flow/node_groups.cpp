#include "algorithms/flow/node_groups.hpp"

#include <algorithm>
#include <unordered_map>

#include "podium/framework/tie_breaker.hpp"

namespace podium::algorithms::flow {

NodeGroups group_nodes(const WindowClasses& classes, std::span<const std::uint32_t> active,
                       const FreeCapacity& capacity) {
  NodeGroups out;
  const std::size_t width = active.size();
  out.active = width;
  std::vector<std::int64_t> fit(width);
  std::vector<std::int64_t> total(width);
  std::vector<std::vector<state::NodeIndex>> members;
  // Hash of a node's key → the groups with that hash (equal keys compared in full).
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_hash;

  for (state::NodeIndex n = 0; n < classes.node_count; ++n) {
    const std::int64_t slots = capacity.slots(n);
    if (slots < 1) continue;
    bool usable = false;
    std::uint64_t hash = framework::splitmix64(static_cast<std::uint64_t>(slots));
    for (std::size_t a = 0; a < width; ++a) {
      const std::size_t c = active[a];
      const std::int64_t t = classes.totals_of(c)[n];
      const std::int64_t k = t == framework::Framework::kInfeasible
                                 ? 0
                                 : capacity.fits_alone(classes.classes[c].demand, n);
      fit[a] = k;
      total[a] = k > 0 ? t : 0;  // an unusable node's total does not matter
      usable = usable || k > 0;
      hash = framework::splitmix64(hash ^ static_cast<std::uint64_t>(k));
      hash = framework::splitmix64(hash ^ static_cast<std::uint64_t>(total[a]));
    }
    if (!usable) continue;

    auto& candidates = by_hash[hash];
    std::uint32_t group = static_cast<std::uint32_t>(out.slots.size());
    for (const std::uint32_t g : candidates) {
      if (out.slots[g] == slots && std::equal(fit.begin(), fit.end(), out.fit.begin() + g * width) &&
          std::equal(total.begin(), total.end(), out.total.begin() + g * width)) {
        group = g;
        break;
      }
    }
    if (group == out.slots.size()) {
      candidates.push_back(group);
      out.slots.push_back(slots);
      out.fit.insert(out.fit.end(), fit.begin(), fit.end());
      out.total.insert(out.total.end(), total.begin(), total.end());
      members.emplace_back();
    }
    members[group].push_back(n);
  }

  for (const auto& m : members) {
    out.nodes.insert(out.nodes.end(), m.begin(), m.end());
    out.offsets.push_back(static_cast<std::uint32_t>(out.nodes.size()));
  }
  return out;
}

}  // namespace podium::algorithms::flow
