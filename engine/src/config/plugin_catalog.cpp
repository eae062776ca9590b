#include "config/plugin_catalog.hpp"

#include <algorithm>

namespace podium::config::detail {
namespace {

constexpr std::string_view kRemoved[] = {"AzureDiskLimits", "CinderLimits", "EBSLimits", "GCEPDLimits"};

}  // namespace

const std::vector<std::string_view>& plugin_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const PluginInfo& info : plugins::plugin_descriptors()) out.push_back(info.name);
    return out;
  }();
  return names;
}

bool is_removed_plugin(std::string_view name) {
  return std::find(std::begin(kRemoved), std::end(kRemoved), name) != std::end(kRemoved);
}

std::span<const DefaultPlugin> default_multi_point() {
  static const std::vector<DefaultPlugin> defaults = [] {
    std::vector<DefaultPlugin> out;
    for (const PluginInfo& info : plugins::plugin_descriptors())
      if (info.in_default_profile) out.push_back({info.name, info.default_weight});
    return out;
  }();
  return defaults;
}

}  // namespace podium::config::detail
