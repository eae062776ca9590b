#pragma once
// What a KubeSchedulerConfiguration may name: upstream's in-tree plugins
// (pkg/scheduler/framework/plugins/registry.go, v1.35), the extension points each one
// implements (its `var _ fwk.XPlugin = ...` assertions), the default plugin list
// (pkg/scheduler/apis/config/v1/default_plugins.go, getDefaultPlugins with the feature
// gates at their v1.35 defaults), and the typed args each plugin accepts in pluginConfig
// (staging/src/k8s.io/kube-scheduler/config/v1/types_pluginargs.go).
//
// Immutable tables; thread-safe.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace podium::config::detail {

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

// How Podium treats a plugin the configuration names.
enum class Support : std::uint8_t {
  // Podium implements it, or will (Registry::builtin().contains() says which today).
  kModelled,
  // Upstream runs it, but for the pods Podium models (no volumes, no resource claims, no
  // scheduling gates, no preemption, binding by the committer) it passes every node and
  // scores none, so leaving it out changes no placement. Accepted and dropped.
  kInert,
  // Alpha and feature-gated upstream in v1.35; it changes placements in ways Podium does
  // not model, so naming it in an enabled list is an error.
  kUnmodelled,
};

struct PluginInfo {
  std::string_view name;
  std::uint16_t points;  // bit(Point) of every extension point it implements
  Support support;
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

  bool implements(Point p) const { return (points & bit(p)) != 0; }
};

// nullptr for a name upstream v1.35 does not register.
const PluginInfo* find_plugin(std::string_view name);

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
