#pragma once
// The one table of plugin facts: every plugin upstream v1.35 registers
// (pkg/scheduler/framework/plugins/registry.go), with the extension points it implements
// (its `var _ fwk.XPlugin = ...` assertions), whether and with which weight it sits in the
// default profile (pkg/scheduler/apis/config/v1/default_plugins.go, getDefaultPlugins with
// the feature gates at their v1.35 defaults), the typed args it accepts in pluginConfig
// (staging/src/k8s.io/kube-scheduler/config/v1/types_pluginargs.go), and, for the plugins
// Podium implements, the factory that builds it.
//
// Everything else reads this table: the registry (Registry::builtin), the default profile
// (framework::default_profile_spec), the KubeSchedulerConfiguration catalog
// (config/plugin_catalog.hpp) and the reference oracle's defaults (ReferenceOptions).
// The table is in upstream's default-plugin order, then the plugins outside the default
// profile; a duplicate name is a compile-time error (and check_unique_names says so at run
// time for any other table).
//
// Immutable; thread-safe.

#include <any>
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

// The per-point sections of `plugins` (KubeSchedulerProfile.Plugins), in upstream's order.
enum class Point : std::uint8_t {
  kPreEnqueue,
  kQueueSort,
  kPreFilter,
  kFilter,
  kPostFilter,
  kPreScore,
  kScore,
  kReserve,
  kPermit,
  kPreBind,
  kBind,
  kPostBind,
};
inline constexpr std::size_t kPointCount = 12;
inline constexpr std::array<std::string_view, kPointCount> kPointNames = {
    "preEnqueue", "queueSort", "preFilter", "filter",  "postFilter", "preScore",
    "score",      "reserve",   "permit",    "preBind", "bind",       "postBind"};

constexpr std::uint16_t bit(Point p) { return static_cast<std::uint16_t>(1U << static_cast<unsigned>(p)); }
constexpr std::string_view point_name(Point p) { return kPointNames[static_cast<std::size_t>(p)]; }

// How Podium treats a plugin a configuration names.
enum class Support : std::uint8_t {
  // Podium implements it (the descriptor has a factory), or will (no factory yet).
  kModelled,
  // Upstream runs it, but for the pods Podium models (no volumes, no resource claims, no
  // scheduling gates, no preemption, binding by the committer) it passes every node and
  // scores none, so leaving it out changes no placement. Accepted and dropped.
  kInert,
  // Alpha and feature-gated upstream in v1.35; it changes placements in ways Podium does
  // not model, so naming it in an enabled list is an error.
  kUnmodelled,
};

// Builds a plugin from its typed args (e.g. noderesources::FitArgs inside the std::any), or
// from the plugin's default args for an empty std::any. Throws std::invalid_argument for
// invalid args.
using PluginFactoryFn = std::unique_ptr<framework::Plugin> (*)(const std::any& args,
                                                               const state::ClusterState& cluster);

struct PluginDescriptor {
  std::string_view name;
  std::uint16_t points = 0;  // bit(Point) of every extension point it implements
  Support support = Support::kModelled;
  // nullptr: Podium does not run this plugin (inert, unmodelled, or not implemented yet).
  PluginFactoryFn factory = nullptr;
  // In getDefaultPlugins().MultiPoint; it then runs at every point it implements.
  bool in_default_profile = false;
  // Its weight there (0: none given: not a score plugin).
  std::int32_t default_weight = 0;
  // How the plugin behaves upstream when its pre-point is split from its main point
  // (pkg/scheduler/framework/plugins/*, v1.35). Podium's plugins do both in one step.
  //   filter_needs_prefilter: its Filter returns an Error status for every pod when its
  //     PreFilter did not run (it reads the PreFilter state with no fallback);
  //   score_needs_prescore: likewise for Score without PreScore;
  //   prefilter_narrows: its PreFilter alone can narrow the candidate nodes
  //     (NodeAffinity's PreFilterResult for matchFields on metadata.name).
  // Plugins without these flags fall back to computing the state themselves, which gives
  // the same result as running both points.
  bool filter_needs_prefilter = false;
  bool score_needs_prescore = false;
  bool prefilter_narrows = false;
  // pluginConfig: the args kind ("<Name>Args"; empty when the plugin takes none) and the
  // fields of that kind, besides kind and apiVersion.
  std::string_view args_kind = {};
  std::span<const std::string_view> args_fields = {};
  // The typed args the factory uses when a profile gives none (nullptr: takes no args, or
  // Podium drops them). The config reader decodes pluginConfig into the same type.
  std::any (*default_args)() = nullptr;

  constexpr bool implements(Point p) const { return (points & bit(p)) != 0; }
  constexpr bool is_implemented() const { return factory != nullptr; }
  // In the default profile's Filter / Score list (as far as Podium runs it).
  constexpr bool default_filter() const { return in_default_profile && is_implemented() && implements(Point::kFilter); }
  constexpr bool default_score() const { return in_default_profile && is_implemented() && implements(Point::kScore); }
  // Its weight in the default profile's Score list; 0 when it is not there.
  constexpr std::int64_t default_score_weight() const { return default_score() ? default_weight : 0; }
};

// The table, in the order described above.
std::span<const PluginDescriptor> plugin_descriptors();

// nullptr for a name upstream v1.35 does not register.
const PluginDescriptor* find_descriptor(std::string_view name);

// The descriptor of a plugin the table must hold (a programming error otherwise: throws
// std::logic_error). For the defaults of code that names a plugin, e.g. ReferenceOptions.
const PluginDescriptor& descriptor(std::string_view name);

// Throws std::logic_error naming the first name a table holds twice.
void check_unique_names(std::span<const PluginDescriptor> table);

// Whether every name in `table` is distinct (what the compile-time check of the built-in
// table evaluates).
constexpr bool unique_names(std::span<const PluginDescriptor> table) {
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (table[i].name == table[j].name) return false;
  return true;
}

}  // namespace podium::plugins
