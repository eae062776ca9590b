#pragma once
// A profile's `plugins` section turned into the plugin list of every extension point, the
// way kube-scheduler does it in two steps:
//
//   1. defaulting (pkg/scheduler/apis/config/v1/default_plugins.go, mergePlugins /
//      mergePluginSet): each custom PluginSet is merged onto the default one. All v1
//      defaults live in MultiPoint, so only MultiPoint has defaults to merge with:
//        - disabled "*" drops every default; disabled X drops default X;
//        - an enabled X that is also a default replaces the default entry in place
//          (keeping its position, taking the custom entry whole: no weight means none);
//        - the other enabled entries are appended in the order given.
//   2. framework construction (pkg/scheduler/framework/runtime/framework.go, NewFramework
//      / updatePluginList / expandMultiPointPlugins / getScoreWeights), per point P:
//        - the plugins enabled at P itself, in order (each must implement P, once);
//        - unless P disables "*", every MultiPoint plugin that implements P and that P
//          does not disable is added. One also enabled at P is an override: it keeps P's
//          entry. Order: overrides (in P's order), then MultiPoint plugins (MultiPoint
//          order), then the rest of P's own list;
//        - score weights: first from score.enabled, then from MultiPoint; 0 or absent -> 1.
//
// Not thread-safe; parsing-thread only.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/plugin_catalog.hpp"
#include "config/yaml_value.hpp"
#include "podium/framework/profile.hpp"

namespace podium::config::detail {

struct PluginEntry {
  std::string name;
  std::int32_t weight = 0;  // 0: none given
  std::string path;         // where the user wrote it; empty for upstream's defaults
};

struct PluginSet {
  std::vector<PluginEntry> enabled;
  std::vector<PluginEntry> disabled;

  bool disables(std::string_view name) const;
  bool disables_all() const { return disables("*"); }
};

struct ProfilePlugins {
  PluginSet multi_point;
  std::array<PluginSet, kPointCount> points;
};

// Reads KubeSchedulerProfile.plugins (absent: nothing customised). Checks every name
// (unknown, removed, unmodelled or not yet implemented by Podium when enabled), weights,
// that a plugin enabled at a point implements it, and duplicates within a point.
ProfilePlugins read_plugins(const Value& plugins);

// Steps 1 and 2 above: the run order at every point and the score weights.
struct ResolvedPlugins {
  std::array<std::vector<std::string>, kPointCount> enabled;
  std::vector<std::pair<std::string, std::int64_t>> score_weights;

  bool runs(Point p, std::string_view name) const;
  std::int64_t weight_of(std::string_view name) const;
};
ResolvedPlugins resolve_plugins(const ProfilePlugins& custom, const std::string& file, const std::string& plugins_path);

// Fills spec.filters and spec.scores with the plugins Podium runs, dropping the inert
// ones and the defaults Podium does not implement yet. Throws InputError (at
// `plugins_path`) where a profile splits a plugin's PreFilter from its Filter or its
// PreScore from its Score in a way Podium's one-step plugins cannot reproduce.
void fill_profile_plugins(const ResolvedPlugins& resolved, framework::ProfileSpec& spec, const std::string& file,
                          const std::string& plugins_path);

// A canonical text of the queueSort section, for upstream's "must be the same for all
// profiles" check.
std::string queue_sort_signature(const ProfilePlugins& plugins);

}  // namespace podium::config::detail
