// The builtin registry: every plugin of the descriptor table (descriptors.cpp) that Podium
// implements, wired by name (upstream pkg/scheduler/framework/plugins/registry.go).

#include "podium/framework/registry.hpp"
#include "podium/plugins/descriptors.hpp"

namespace podium::framework {

const Registry& Registry::builtin() {
  static const Registry registry = [] {
    Registry r;
    for (const plugins::PluginDescriptor& d : plugins::plugin_descriptors())
      if (d.is_implemented()) r.add(std::string(d.name), d.factory);
    return r;
  }();
  return registry;
}

Registry& Registry::global() {
  static Registry registry = builtin();
  return registry;
}

}  // namespace podium::framework
