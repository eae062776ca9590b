#include "config/plugin_sets.hpp"

#include <algorithm>

#include "podium/common/input_error.hpp"

namespace podium::config::detail {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A plugin name in an enabled list, checked against upstream's registry and Podium's.
// `point` is the section it is enabled at (nullptr: multiPoint).
void check_enabled_name(const Value& at, const std::string& name, const Point* point) {
  if (name == "*") at.fail("\"*\" can only be used in a disabled list");
  if (is_removed_plugin(name))
    at.fail("plugin " + name + " was removed from kubescheduler.config.k8s.io/v1 (invalid in this version)");
  const PluginInfo* info = find_plugin(name);
  if (!info) at.fail(with_suggestion("unknown plugin \"" + name + "\"", closest_match(name, plugin_names())));
  switch (info->support) {
    case Support::kUnmodelled:
      at.fail("plugin " + name + " is not implemented by Podium (alpha and off by default upstream in v1.35)");
    case Support::kModelled:
      if (!info->is_implemented()) at.fail("plugin " + name + " is not implemented by Podium");
      break;
    case Support::kInert:
      break;
  }
  if (point && !info->implements(*point))
    at.fail("plugin " + name + " does not implement the " + std::string(point_name(*point)) +
            " extension point");
}

void check_disabled_name(const Value& at, const std::string& name) {
  if (name == "*" || is_removed_plugin(name) || find_plugin(name)) return;
  at.fail(with_suggestion("unknown plugin \"" + name + "\"", closest_match(name, plugin_names())));
}

PluginSet read_plugin_set(const Value& value, const Point* point) {
  PluginSet set;
  const Object o = value.object({"enabled", "disabled"});
  for (const char* which : {"enabled", "disabled"}) {
    const bool enabled = std::string_view(which) == "enabled";
    for (const Value& item : o[which].items()) {
      const Object plugin = item.object({"name", "weight"});
      const Value name_value = plugin["name"];
      if (!name_value.present()) name_value.fail("Required value: a plugin name");
      PluginEntry entry{name_value.string(), 0, item.path()};
      if (const Value weight = plugin["weight"]; weight.present()) {
        entry.weight = weight.int32();
        // Upstream takes a negative weight at face value; Podium's scores are unsigned.
        if (entry.weight < 0) weight.fail("must not be negative");
      }
      if (enabled) {
        check_enabled_name(name_value, entry.name, point);
        // updatePluginList: "plugin already registered".
        if (point)
          for (const PluginEntry& earlier : set.enabled)
            if (earlier.name == entry.name)
              name_value.fail("plugin " + entry.name + " is enabled twice at " + std::string(point_name(*point)) +
                              " (first at " + earlier.path + ")");
        set.enabled.push_back(std::move(entry));
      } else {
        check_disabled_name(name_value, entry.name);
        set.disabled.push_back(std::move(entry));
      }
    }
  }
  return set;
}

// mergePluginSet(defaults, custom). The defaults have no disabled entries in v1.
PluginSet merge_plugin_set(const std::vector<PluginEntry>& defaults, const PluginSet& custom) {
  PluginSet merged;
  merged.disabled = custom.disabled;
  std::vector<bool> replaced(custom.enabled.size(), false);
  if (!custom.disables_all()) {
    for (const PluginEntry& def : defaults) {
      if (custom.disables(def.name)) continue;
      // The last custom entry of that name replaces the default in place (upstream keeps
      // a name -> index map, so a later duplicate wins; the earlier one is appended and
      // then reported as a double registration).
      std::size_t index = custom.enabled.size();
      for (std::size_t i = 0; i < custom.enabled.size(); ++i)
        if (custom.enabled[i].name == def.name) index = i;
      if (index < custom.enabled.size()) {
        merged.enabled.push_back(custom.enabled[index]);
        replaced[index] = true;
      } else {
        merged.enabled.push_back(def);
      }
    }
  }
  for (std::size_t i = 0; i < custom.enabled.size(); ++i)
    if (!replaced[i]) merged.enabled.push_back(custom.enabled[i]);
  return merged;
}

std::vector<std::string> names_of(const std::vector<PluginEntry>& entries) {
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (const PluginEntry& e : entries) out.push_back(e.name);
  return out;
}

}  // namespace

bool PluginSet::disables(std::string_view name) const {
  return std::any_of(disabled.begin(), disabled.end(), [&](const PluginEntry& e) { return e.name == name; });
}

bool ResolvedPlugins::runs(Point p, std::string_view name) const {
  return contains(enabled[static_cast<std::size_t>(p)], name);
}

std::int64_t ResolvedPlugins::weight_of(std::string_view name) const {
  for (const auto& [plugin, weight] : score_weights)
    if (plugin == name) return weight;
  return 0;
}

ProfilePlugins read_plugins(const Value& plugins) {
  ProfilePlugins out;
  const Object o = plugins.object({"preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore", "score",
                                   "reserve", "permit", "preBind", "bind", "postBind", "multiPoint"});
  out.multi_point = read_plugin_set(o["multiPoint"], nullptr);
  for (std::size_t p = 0; p < kPointCount; ++p) {
    const Point point = static_cast<Point>(p);
    out.points[p] = read_plugin_set(o[point_name(point)], &point);
  }
  return out;
}

ResolvedPlugins resolve_plugins(const ProfilePlugins& custom, const std::string& file, const std::string& plugins_path) {
  std::vector<PluginEntry> defaults;
  for (const DefaultPlugin& d : default_multi_point()) defaults.push_back({std::string(d.name), d.weight, {}});
  const PluginSet multi_point = merge_plugin_set(defaults, custom.multi_point);

  ResolvedPlugins out;
  for (std::size_t p = 0; p < kPointCount; ++p) {
    const Point point = static_cast<Point>(p);
    const PluginSet& own = custom.points[p];
    const std::vector<std::string> own_names = names_of(own.enabled);
    std::vector<std::string>& list = out.enabled[p];
    if (multi_point.enabled.empty() || own.disables_all()) {
      list = own_names;
      continue;
    }
    std::vector<std::string> overrides;
    std::vector<std::string> from_multi_point;
    for (const PluginEntry& e : multi_point.enabled) {
      if (!find_plugin(e.name)->implements(point) || own.disables(e.name)) continue;
      if (contains(own_names, e.name)) {
        if (!contains(overrides, e.name)) overrides.push_back(e.name);
        continue;
      }
      if (contains(from_multi_point, e.name))
        throw InputError(file, e.path.empty() ? child_path(plugins_path, "multiPoint") : e.path,
                         "plugin " + e.name + " is enabled twice in multiPoint (both reach " +
                             std::string(point_name(point)) + ")");
      from_multi_point.push_back(e.name);
    }
    for (const std::string& name : own_names)
      if (contains(overrides, name)) list.push_back(name);
    list.insert(list.end(), from_multi_point.begin(), from_multi_point.end());
    for (const std::string& name : own_names)
      if (!contains(overrides, name)) list.push_back(name);
  }

  // getScoreWeights: score.enabled first, then MultiPoint; the first entry of a name wins.
  auto add_weights = [&](const std::vector<PluginEntry>& entries) {
    for (const PluginEntry& e : entries) {
      if (!find_plugin(e.name)->implements(Point::kScore)) continue;
      const bool seen = std::any_of(out.score_weights.begin(), out.score_weights.end(),
                                    [&](const auto& w) { return w.first == e.name; });
      if (!seen) out.score_weights.emplace_back(e.name, e.weight == 0 ? 1 : e.weight);
    }
  };
  add_weights(custom.points[static_cast<std::size_t>(Point::kScore)].enabled);
  add_weights(multi_point.enabled);
  return out;
}

void fill_profile_plugins(const ResolvedPlugins& resolved, framework::ProfileSpec& spec, const std::string& file,
                          const std::string& plugins_path) {
  // Podium runs only the plugins it implements. The inert ones (volumes, claims, gates,
  // preemption, queue order, binding) are no-ops for the pods it models, and defaults it
  // does not implement yet are left out rather than faked; read_plugins already refused
  // any of those the user enabled by name.
  auto runs_in_podium = [](const std::string& name) { return find_plugin(name)->is_implemented(); };
  spec.filters.clear();
  spec.scores.clear();
  for (const std::string& name : resolved.enabled[static_cast<std::size_t>(Point::kFilter)])
    if (runs_in_podium(name)) spec.filters.push_back(name);
  for (const std::string& name : resolved.enabled[static_cast<std::size_t>(Point::kScore)])
    if (runs_in_podium(name)) spec.scores.emplace_back(name, resolved.weight_of(name));

  // Podium's plugins fold PreFilter into Filter and PreScore into Score. Where upstream
  // gives the same placements when the two are split (the plugin recomputes the missing
  // state, or the pre-point only prepares state nobody reads) the split is accepted; where
  // it does not, the profile is refused rather than approximated (PluginInfo's flags).
  auto refuse = [&](std::string_view section, const std::string& message) {
    throw InputError(file, child_path(plugins_path, section), message);
  };
  for (const std::string& name : spec.filters) {
    if (find_plugin(name)->filter_needs_prefilter && !resolved.runs(Point::kPreFilter, name))
      refuse("preFilter", name + " is enabled at filter but not at preFilter; upstream its Filter then fails "
                               "every pod with an Error status, which Podium does not model");
  }
  spec.default_preemption = resolved.runs(Point::kPostFilter, "DefaultPreemption");
  for (const auto& [name, weight] : spec.scores) {
    if (find_plugin(name)->score_needs_prescore && !resolved.runs(Point::kPreScore, name))
      refuse("preScore", name + " is enabled at score but not at preScore; upstream its Score then fails "
                              "every pod with an Error status, which Podium does not model");
  }
  for (const std::string& name : resolved.enabled[static_cast<std::size_t>(Point::kPreFilter)]) {
    const PluginInfo& info = *find_plugin(name);
    if (info.is_implemented() && info.prefilter_narrows && !resolved.runs(Point::kFilter, name))
      refuse("filter", name + " is disabled at filter but still enabled at preFilter, where it can narrow the "
                              "candidate nodes on its own; Podium cannot model the split (disable it at both)");
  }
}

std::string queue_sort_signature(const ProfilePlugins& plugins) {
  const PluginSet& set = plugins.points[static_cast<std::size_t>(Point::kQueueSort)];
  std::string out;
  for (const PluginEntry& e : set.enabled) out += "+" + e.name + "/" + std::to_string(e.weight);
  for (const PluginEntry& e : set.disabled) out += "-" + e.name;
  return out;
}

}  // namespace podium::config::detail
