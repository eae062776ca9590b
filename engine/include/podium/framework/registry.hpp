#pragma once
// The plugin registry: one map from plugin name to factory, like upstream's
// pkg/scheduler/framework/plugins/registry.go. A duplicate name is a programming error.
// builtin() holds Podium's own plugins; global() starts as a copy of it and also takes
// plugins registered out of tree (podium/extension.hpp), which profiles built with the
// default registry can then name.

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "podium/framework/plugin.hpp"

namespace podium::framework {

// Builds a plugin from its typed args (e.g. noderesources::FitArgs inside the std::any, or
// an empty std::any for the defaults). Throws std::invalid_argument for invalid args.
using PluginFactory = std::function<std::unique_ptr<Plugin>(const std::any& args, const ClusterState& cluster)>;

class Registry {
 public:
  void add(std::string name, PluginFactory factory);  // throws std::logic_error on a duplicate
  bool contains(std::string_view name) const { return factories_.find(std::string(name)) != factories_.end(); }
  std::unique_ptr<Plugin> create(std::string_view name, const std::any& args, const ClusterState& cluster) const;

  // Every plugin Podium implements: the descriptors (podium/plugins/descriptors.hpp) with a
  // factory, wired in plugins/registry.cpp.
  static const Registry& builtin();
  // The process-wide registry: the built-ins plus any added out of tree. Not thread-safe
  // to add to while others read; register before building profiles.
  static Registry& global();

 private:
  std::map<std::string, PluginFactory, std::less<>> factories_;
};

}  // namespace podium::framework
