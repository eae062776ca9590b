#include "podium/framework/registry.hpp"

#include <stdexcept>

namespace podium::framework {

void Registry::add(std::string name, PluginFactory factory) {
  const auto [it, inserted] = factories_.emplace(std::move(name), std::move(factory));
  if (!inserted) throw std::logic_error("plugin registered twice: " + it->first);
}

std::unique_ptr<Plugin> Registry::create(std::string_view name, const std::any& args,
                                         const ClusterState& cluster) const {
  const auto it = factories_.find(name);
  if (it == factories_.end()) throw std::invalid_argument("unknown plugin \"" + std::string(name) + "\"");
  return it->second(args, cluster);
}

}  // namespace podium::framework
