#pragma once
// A scheduling profile: which plugins run at each extension point, in which order, with
// which score weights (upstream KubeSchedulerProfile after defaulting).

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/framework/registry.hpp"

namespace podium::framework {

struct ScoreEntry {
  ScorePlugin* plugin;
  std::int64_t weight;
};

// What a profile asks for, before plugins exist.
struct ProfileSpec {
  std::string scheduler_name = "default-scheduler";
  std::vector<std::string> filters;                          // in run order
  std::vector<std::pair<std::string, std::int64_t>> scores;  // name, weight
  std::map<std::string, std::any, std::less<>> args;         // plugin name -> typed args
  // percentageOfNodesToScore: nullopt (or 100) scores every node, Podium's default.
  std::optional<std::int32_t> percentage_of_nodes_to_score;
  // DefaultPreemption runs at PostFilter (upstream's only in-tree PostFilter plugin): a
  // profile that disables it there never preempts for its pods.
  bool default_preemption = true;
};

// Upstream's default profile (pkg/scheduler/apis/config/v1/default_plugins.go, v1.35)
// restricted to the plugins Podium implements, in upstream's order and weights.
ProfileSpec default_profile_spec();

class Profile {
 public:
  std::string scheduler_name;
  std::vector<FilterPlugin*> filters;
  std::vector<ScoreEntry> scores;
  std::size_t slot_count = 0;
  std::optional<std::int32_t> percentage_of_nodes_to_score;
  bool default_preemption = true;  // ProfileSpec::default_preemption

  std::vector<std::unique_ptr<Plugin>> owned;  // one instance per plugin name
};

// Instantiates a spec. Throws std::invalid_argument naming the plugin for an unknown plugin,
// a plugin listed at an extension point it does not implement, or invalid args. The
// default registry holds the built-ins and any plugins registered out of tree.
Profile build_profile(const ProfileSpec& spec, const ClusterState& cluster,
                      const Registry& registry = Registry::global());

}  // namespace podium::framework
