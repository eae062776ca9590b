#include "podium/framework/profile.hpp"

#include <stdexcept>

#include "podium/plugins/descriptors.hpp"
#include "podium/plugins/gpushare/gpu_share.hpp"

namespace podium::framework {

ProfileSpec default_profile_spec() {
  ProfileSpec spec;
  // Filter and score order of upstream's default profile (its multiPoint list) and its
  // weights, from the descriptor table; plugins Podium does not implement yet are absent,
  // never silently passed.
  for (const plugins::PluginDescriptor& d : plugins::plugin_descriptors())
    if (d.default_filter()) spec.filters.emplace_back(d.name);
  for (const plugins::PluginDescriptor& d : plugins::plugin_descriptors())
    if (d.default_score()) spec.scores.emplace_back(std::string(d.name), d.default_weight);
  return spec;
}

Profile build_profile(const ProfileSpec& spec, const ClusterState& cluster, const Registry& registry) {
  Profile profile;
  profile.scheduler_name = spec.scheduler_name;
  profile.percentage_of_nodes_to_score = spec.percentage_of_nodes_to_score;
  profile.default_preemption = spec.default_preemption;
  std::map<std::string, Plugin*, std::less<>> by_name;
  auto instance = [&](const std::string& name) -> Plugin* {
    if (auto it = by_name.find(name); it != by_name.end()) return it->second;
    const auto args_it = spec.args.find(name);
    auto plugin = registry.create(name, args_it == spec.args.end() ? std::any{} : args_it->second, cluster);
    plugin->set_slot(profile.owned.size());
    Plugin* raw = plugin.get();
    profile.owned.push_back(std::move(plugin));
    by_name.emplace(name, raw);
    return raw;
  };
  for (const auto& name : spec.filters) {
    auto* filter = dynamic_cast<FilterPlugin*>(instance(name));
    if (!filter) throw std::invalid_argument("plugin \"" + name + "\" does not implement Filter");
    profile.filters.push_back(filter);
  }
  for (const auto& [name, weight] : spec.scores) {
    auto* scorer = dynamic_cast<ScorePlugin*>(instance(name));
    if (!scorer) throw std::invalid_argument("plugin \"" + name + "\" does not implement Score");
    if (weight < 0) throw std::invalid_argument("plugin \"" + name + "\" has a negative score weight");
    profile.scores.push_back({scorer, weight});
  }
  // GPU sharing is a property of the cluster, not a profile choice: a cluster that carries
  // it gets the per-device filter in every profile (plugins/gpushare/gpu_share.hpp).
  if (cluster.gpu && !by_name.contains(plugins::GpuShare::kName)) {
    auto plugin = std::make_unique<plugins::GpuShare>();
    plugin->set_slot(profile.owned.size());
    profile.filters.push_back(plugin.get());
    profile.owned.push_back(std::move(plugin));
  }
  profile.slot_count = profile.owned.size();
  return profile;
}

}  // namespace podium::framework
