// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) -> ProfileSpecs, with
// upstream v1.35 semantics:
//   decoding     staging/src/k8s.io/kube-scheduler/config/v1/types.go (strict: unknown or
//                repeated fields are errors; see podium/common/yaml_reader.hpp)
//   defaulting   pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_KubeSchedulerConfiguration,
//                setDefaults_KubeSchedulerProfile) and default_plugins.go (plugin_sets.hpp)
//   validation   pkg/scheduler/apis/config/validation/validation.go and
//                validation_pluginargs.go (plugin_args.hpp)
//   framework    pkg/scheduler/framework/runtime/framework.go (MultiPoint expansion,
//                score weights; plugin_sets.hpp)
//
// Fields that do not change where pods land (clientConnection, leaderElection,
// parallelism, backoffs, profiling, delayCacheUntilActive) are checked for type and range
// and otherwise ignored. Extenders are refused: they are remote HTTP services.

#include "podium/config/scheduler_config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "config/plugin_args.hpp"
#include "config/plugin_catalog.hpp"
#include "config/plugin_sets.hpp"
#include "config/yaml_value.hpp"
#include "podium/common/input_error.hpp"
#include "podium/common/input_file.hpp"

namespace podium::config {
namespace {

using detail::Object;
using detail::Value;

constexpr std::string_view kApiVersion = "kubescheduler.config.k8s.io/v1";
constexpr std::string_view kKind = "KubeSchedulerConfiguration";
constexpr std::string_view kDefaultSchedulerName = "default-scheduler";  // v1.DefaultSchedulerName

// validatePercentageOfNodesToScore.
std::optional<std::int32_t> read_percentage(const Value& value) {
  if (!value.present()) return std::nullopt;
  const std::int32_t pct = value.int32();
  if (pct < 0 || pct > 100) value.fail("not in valid range [0-100]");
  return pct;
}

void read_ignored_fields(const Object& root) {
  if (const Value v = root["parallelism"]; v.present() && v.int32() <= 0)
    v.fail("should be an integer value greater than zero");
  // Defaults 1 and 10 (SetDefaults_KubeSchedulerConfiguration).
  std::int64_t initial_backoff = 1;
  if (const Value v = root["podInitialBackoffSeconds"]; v.present()) {
    initial_backoff = v.int64();
    if (initial_backoff <= 0) v.fail("must be greater than 0");
  }
  if (const Value v = root["podMaxBackoffSeconds"]; v.present() && v.int64() < initial_backoff)
    v.fail("must be greater than or equal to podInitialBackoffSeconds");
  for (const char* flag : {"enableProfiling", "enableContentionProfiling", "delayCacheUntilActive"})
    if (const Value v = root[flag]; v.present()) (void)v.boolean();
  // A real scheduler's connection settings (component-base config/v1alpha1): field names
  // checked, values not looked into.
  (void)root["clientConnection"].object({"kubeconfig", "acceptContentTypes", "contentType", "qps", "burst"});
  (void)root["leaderElection"].object({"leaderElect", "leaseDuration", "renewDeadline", "retryPeriod", "resourceLock",
                                       "resourceName", "resourceNamespace"});
}

struct ParsedProfile {
  framework::ProfileSpec spec;
  detail::ProfilePlugins plugins;
};

// frameworkImpl's NewFramework refuses to start a profile without exactly one QueueSort
// plugin or without a Bind plugin; Podium runs neither (queue order and binding are its
// own), but a profile upstream cannot start is not one to answer for. Same messages.
void require_queue_sort_and_bind(const detail::ResolvedPlugins& resolved, const std::string& scheduler_name,
                                 const std::string& file, const std::string& plugins_path) {
  using plugins::Point;
  const std::size_t sorts = resolved.enabled[static_cast<std::size_t>(Point::kQueueSort)].size();
  if (sorts != 1)
    throw InputError(file, detail::child_path(plugins_path, "queueSort"),
                     "only one queue sort plugin required for profile with scheduler name \"" + scheduler_name +
                         "\", but got " + std::to_string(sorts));
  if (resolved.enabled[static_cast<std::size_t>(Point::kBind)].empty())
    throw InputError(file, detail::child_path(plugins_path, "bind"),
                     "at least one bind plugin is needed for profile with scheduler name \"" + scheduler_name + "\"");
}

ParsedProfile read_profile(const Value& value, std::optional<std::string> default_name,
                           std::optional<std::int32_t> global_percentage) {
  const Object o = value.object({"schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"});
  ParsedProfile out;
  framework::ProfileSpec& spec = out.spec;

  // Only a lone profile gets the default name; validation wants every profile named.
  if (const Value name = o["schedulerName"]; name.present()) {
    spec.scheduler_name = name.string();
    if (spec.scheduler_name.empty()) name.fail("Required value: a profile needs a non-empty schedulerName");
  } else if (default_name) {
    spec.scheduler_name = *default_name;
  } else {
    o["schedulerName"].fail("Required value: every profile needs a schedulerName when there are several");
  }

  // A profile's own value (0 included, meaning upstream's adaptive percentage) overrides
  // the top-level one.
  spec.percentage_of_nodes_to_score = read_percentage(o["percentageOfNodesToScore"]);
  if (!spec.percentage_of_nodes_to_score) spec.percentage_of_nodes_to_score = global_percentage;

  const std::string plugins_path = detail::child_path(value.path(), "plugins");
  out.plugins = detail::read_plugins(o["plugins"]);
  const detail::ResolvedPlugins resolved = detail::resolve_plugins(out.plugins, value.file(), plugins_path);
  require_queue_sort_and_bind(resolved, spec.scheduler_name, value.file(), plugins_path);
  detail::fill_profile_plugins(resolved, spec, value.file(), plugins_path);

  // pluginConfig: one entry per plugin; every name must be a plugin upstream knows.
  const std::vector<Value> configs = o["pluginConfig"].items();
  for (std::size_t j = 0; j < configs.size(); ++j) {
    const Object c = configs[j].object({"name", "args"});
    const Value name_value = c["name"];
    if (!name_value.present()) name_value.fail("Required value: a plugin name");
    const std::string name = name_value.string();
    if (detail::is_removed_plugin(name))
      name_value.fail("plugin " + name + " was removed from kubescheduler.config.k8s.io/v1 (invalid in this version)");
    const detail::PluginInfo* info = detail::find_plugin(name);
    if (!info)
      name_value.fail(detail::with_suggestion("unknown plugin \"" + name + "\"",
                                              detail::closest_match(name, detail::plugin_names())));
    for (std::size_t k = 0; k < j; ++k)
      if (configs[k].object({"name", "args"})["name"].string() == name)
        configs[j].fail("Duplicate value: \"" + name + "\" (already configured at " + configs[k].path() + ")");
    std::any args = detail::read_plugin_args(*info, c["args"]);
    if (args.has_value()) spec.args[name] = std::move(args);
  }
  return out;
}

}  // namespace

SchedulerConfiguration default_scheduler_config() {
  // Exactly what a file with only apiVersion and kind yields.
  static const SchedulerConfiguration defaults = parse_scheduler_config(
      std::string("apiVersion: ") + std::string(kApiVersion) + "\nkind: " + std::string(kKind) + "\n",
      "<default configuration>");
  return defaults;
}

SchedulerConfiguration parse_scheduler_config(const std::string& text, const std::string& file_name) {
  yaml::check_utf8(text, file_name);
  std::vector<YAML::Node> documents;
  try {
    documents = yaml::load_all(text);
  } catch (const YAML::ParserException& e) {
    const std::string location = e.mark.is_null() ? std::string() : "line " + std::to_string(e.mark.line + 1);
    const std::string column = e.mark.is_null() ? std::string() : " (column " + std::to_string(e.mark.column + 1) + ")";
    throw InputError(file_name, location, "malformed YAML: " + e.msg + column);
  }
  if (documents.empty()) throw InputError(file_name, "", "empty file; expected a KubeSchedulerConfiguration");
  yaml::check_alias_expansion(documents, text.size(), file_name);
  if (documents.size() > 1)
    throw InputError(file_name, "", "expected one KubeSchedulerConfiguration document, found " +
                                        std::to_string(documents.size()));
  const Value root = Value::root(file_name, documents.front());
  if (!root.is_object()) root.fail("expected a KubeSchedulerConfiguration object");

  // apiVersion and kind first: with another version every other complaint is noise.
  if (const Value v = root.peek("apiVersion"); !v.present() || v.string() != kApiVersion)
    v.fail("must be " + std::string(kApiVersion) + (v.present() ? ", got " + v.string() : std::string(" (missing)")));
  if (const Value v = root.peek("kind"); !v.present() || v.string() != kKind)
    v.fail("must be " + std::string(kKind) + (v.present() ? ", got " + v.string() : std::string(" (missing)")));
  if (root.peek("featureGates").present())
    root.peek("featureGates")
        .fail("unknown field (feature gates are kube-scheduler command-line flags, not configuration fields)");

  const Object o = root.object({"apiVersion", "kind", "parallelism", "leaderElection", "clientConnection",
                                "enableProfiling", "enableContentionProfiling", "percentageOfNodesToScore",
                                "podInitialBackoffSeconds", "podMaxBackoffSeconds", "profiles", "extenders",
                                "delayCacheUntilActive"});
  read_ignored_fields(o);
  if (const Value extenders = o["extenders"]; !extenders.items().empty())
    extenders.fail("scheduler extenders are not supported by Podium (they are remote HTTP services)");
  const std::optional<std::int32_t> percentage = read_percentage(o["percentageOfNodesToScore"]);

  // No profiles means one default profile.
  std::vector<Value> profiles = o["profiles"].items();
  const bool lone = profiles.size() <= 1;
  std::optional<std::string> default_name;
  if (lone) default_name = std::string(kDefaultSchedulerName);

  SchedulerConfiguration config;
  std::vector<ParsedProfile> parsed;
  if (profiles.empty()) {
    parsed.push_back(read_profile(o["profiles"].absent("profiles[0]"), default_name, percentage));
  } else {
    for (const Value& profile : profiles) parsed.push_back(read_profile(profile, default_name, percentage));
  }
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k)
      if (config.profiles[k].scheduler_name == parsed[i].spec.scheduler_name)
        throw InputError(file_name, profiles[i].path() + ".schedulerName",
                         "Duplicate value: \"" + parsed[i].spec.scheduler_name + "\" (also " + profiles[k].path() +
                             ".schedulerName)");
    // validateCommonQueueSort.
    if (i > 0 && detail::queue_sort_signature(parsed[i].plugins) != detail::queue_sort_signature(parsed[0].plugins))
      throw InputError(file_name, profiles[i].path() + ".plugins.queueSort", "must be the same for all profiles");
    // One DefaultPreemptionArgs for every profile (SchedulerConfiguration::default_preemption).
    DefaultPreemptionArgs preemption;
    if (const auto it = parsed[i].spec.args.find("DefaultPreemption"); it != parsed[i].spec.args.end())
      preemption = std::any_cast<DefaultPreemptionArgs>(it->second);
    if (i == 0) {
      config.default_preemption = preemption;
    } else if (preemption != config.default_preemption) {
      throw InputError(file_name, profiles[i].path() + ".pluginConfig",
                       "DefaultPreemption args differ from profiles[0]'s; Podium applies one DefaultPreemptionArgs to "
                       "every profile");
    }
    config.profiles.push_back(std::move(parsed[i].spec));
  }
  return config;
}

SchedulerConfiguration load_scheduler_config(const std::string& path) {
  return parse_scheduler_config(read_input(path), input_name(path));
}

}  // namespace podium::config
