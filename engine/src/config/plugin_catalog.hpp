#pragma once
// What a KubeSchedulerConfiguration may name: upstream's in-tree plugins as the plugin
// descriptor table records them (podium/plugins/descriptors.hpp: extension points, default
// plugin list and weights, typed args kinds and fields), seen from the config reader, plus
// the plugins the v1 API removed.
//
// Immutable tables; thread-safe.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "podium/plugins/descriptors.hpp"

namespace podium::config::detail {

using plugins::bit;
using plugins::kPointCount;
using plugins::kPointNames;
using plugins::Point;
using plugins::point_name;
using plugins::Support;
using PluginInfo = plugins::PluginDescriptor;

// nullptr for a name upstream v1.35 does not register.
inline const PluginInfo* find_plugin(std::string_view name) { return plugins::find_descriptor(name); }

// Every plugin name, for "did you mean" suggestions.
const std::vector<std::string_view>& plugin_names();

// Plugins removed from the v1 API (validation.go invalidPluginsByVersion): enabling one
// is an error upstream; disabling one is a no-op.
bool is_removed_plugin(std::string_view name);

struct DefaultPlugin {
  std::string_view name;
  std::int32_t weight;  // 0: none given (not a score plugin, or weight defaulted later)
};

// getDefaultPlugins().MultiPoint.Enabled, in order.
std::span<const DefaultPlugin> default_multi_point();

}  // namespace podium::config::detail
