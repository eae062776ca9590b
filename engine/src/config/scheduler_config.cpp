// KubeSchedulerConfiguration v1 (pkg/scheduler/apis/config/v1): profiles, plugin sets
// merged onto the defaults (default_plugins.go mergePlugins: a disabled "*" drops every
// default, enabled plugins are appended, an enabled default with a weight overrides its
// weight), multiPoint enabling a plugin at every point it implements, pluginConfig args
// for the implemented plugins, and percentageOfNodesToScore.

#include "podium/config/scheduler_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "podium/common/input_error.hpp"
#include "podium/framework/registry.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"
#include "podium/plugins/noderesources/args.hpp"

namespace podium::config {
namespace {

namespace nr = plugins::noderesources;
namespace na = plugins::nodeaffinity;

// Upstream's default plugins that model objects Podium has no notion of (volumes, claims,
// gates, preemption, binding): for pods without them they pass every node and score 0, so
// dropping them changes no placement.
const std::set<std::string, std::less<>> kInertUpstreamPlugins = {
    "PrioritySort", "SchedulingGates", "VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone",
    "DynamicResources", "DefaultPreemption", "DefaultBinder"};

// The extension points of the implemented plugins that multiPoint reaches.
const std::set<std::string, std::less<>> kFilterPlugins = {"NodeUnschedulable", "NodeName",  "TaintToleration",
                                                           "NodeAffinity",      "NodePorts", "NodeResourcesFit"};
const std::set<std::string, std::less<>> kScorePlugins = {"TaintToleration", "NodeAffinity", "NodeResourcesFit",
                                                          "NodeResourcesBalancedAllocation", "ImageLocality"};

// Default plugins Podium implements or will implement, with upstream's default weights.
const std::set<std::string, std::less<>> kKnownUpstreamPlugins = {
    "NodeUnschedulable", "NodeName",         "TaintToleration", "NodeAffinity",
    "NodePorts",         "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity",
    "NodeResourcesBalancedAllocation",       "ImageLocality"};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw InputError(file_, path, message);
  }

  void only_keys(const YAML::Node& node, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap()) fail(path, "expected an object");
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(path.empty() ? key : path + "." + key, "unknown field");
    }
  }

  template <class T>
  T scalar(const YAML::Node& node, const std::string& path) const {
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(path, "wrong type");
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

std::vector<nr::ResourceSpec> read_resources(const Reader& r, const YAML::Node& node, const std::string& path) {
  std::vector<nr::ResourceSpec> out;
  if (!node.IsSequence()) r.fail(path, "expected a list");
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    r.only_keys(node[i], at, {"name", "weight"});
    nr::ResourceSpec spec;
    spec.name = r.scalar<std::string>(node[i]["name"], at + ".name");
    if (node[i]["weight"]) spec.weight = r.scalar<std::int64_t>(node[i]["weight"], at + ".weight");
    out.push_back(spec);
  }
  return out;
}

std::vector<std::string> read_strings(const Reader& r, const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) r.fail(path, "expected a list");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) out.push_back(r.scalar<std::string>(node[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

// core/v1 NodeSelectorTerm, as the API server would accept it in NodeAffinityArgs.
io::NodeSelectorTerm read_node_selector_term(const Reader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"matchExpressions", "matchFields"});
  io::NodeSelectorTerm term;
  for (const char* which : {"matchExpressions", "matchFields"}) {
    const auto list = node[which];
    if (!list) continue;
    const std::string at = path + "." + which;
    if (!list.IsSequence()) r.fail(at, "expected a list");
    auto& out = std::string(which) == "matchExpressions" ? term.match_expressions : term.match_fields;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item = at + "[" + std::to_string(i) + "]";
      r.only_keys(list[i], item, {"key", "operator", "values"});
      io::NodeSelectorRequirement req;
      if (list[i]["key"]) req.key = r.scalar<std::string>(list[i]["key"], item + ".key");
      if (list[i]["operator"]) req.op = r.scalar<std::string>(list[i]["operator"], item + ".operator");
      if (list[i]["values"]) req.values = read_strings(r, list[i]["values"], item + ".values");
      out.push_back(std::move(req));
    }
  }
  return term;
}

io::NodeAffinity read_node_affinity(const Reader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"});
  io::NodeAffinity a;
  if (const auto req = node["requiredDuringSchedulingIgnoredDuringExecution"]) {
    const std::string at = path + ".requiredDuringSchedulingIgnoredDuringExecution";
    r.only_keys(req, at, {"nodeSelectorTerms"});
    a.required.emplace();
    if (const auto terms = req["nodeSelectorTerms"]) {
      if (!terms.IsSequence()) r.fail(at + ".nodeSelectorTerms", "expected a list");
      for (std::size_t i = 0; i < terms.size(); ++i)
        a.required->push_back(read_node_selector_term(r, terms[i], at + ".nodeSelectorTerms[" + std::to_string(i) + "]"));
    }
  }
  if (const auto pref = node["preferredDuringSchedulingIgnoredDuringExecution"]) {
    const std::string at = path + ".preferredDuringSchedulingIgnoredDuringExecution";
    if (!pref.IsSequence()) r.fail(at, "expected a list");
    for (std::size_t i = 0; i < pref.size(); ++i) {
      const std::string item = at + "[" + std::to_string(i) + "]";
      r.only_keys(pref[i], item, {"weight", "preference"});
      io::PreferredSchedulingTerm term;
      if (pref[i]["weight"]) term.weight = r.scalar<std::int32_t>(pref[i]["weight"], item + ".weight");
      if (pref[i]["preference"]) term.preference = read_node_selector_term(r, pref[i]["preference"], item + ".preference");
      a.preferred.push_back(std::move(term));
    }
  }
  return a;
}

std::any read_args(const Reader& r, const std::string& plugin, const YAML::Node& args, const std::string& path) {
  if (plugin == "NodeResourcesFit") {
    r.only_keys(args, path, {"kind", "apiVersion", "ignoredResources", "ignoredResourceGroups", "scoringStrategy"});
    nr::FitArgs a;
    if (args["ignoredResources"]) a.ignored_resources = r.scalar<std::vector<std::string>>(args["ignoredResources"], path + ".ignoredResources");
    if (args["ignoredResourceGroups"])
      a.ignored_resource_groups = r.scalar<std::vector<std::string>>(args["ignoredResourceGroups"], path + ".ignoredResourceGroups");
    if (const auto s = args["scoringStrategy"]) {
      const std::string at = path + ".scoringStrategy";
      r.only_keys(s, at, {"type", "resources", "requestedToCapacityRatio"});
      const auto type = s["type"] ? r.scalar<std::string>(s["type"], at + ".type") : "LeastAllocated";
      if (type == "LeastAllocated") a.strategy = nr::ScoringStrategyType::kLeastAllocated;
      else if (type == "MostAllocated") a.strategy = nr::ScoringStrategyType::kMostAllocated;
      else if (type == "RequestedToCapacityRatio") a.strategy = nr::ScoringStrategyType::kRequestedToCapacityRatio;
      else r.fail(at + ".type", "unknown scoring strategy \"" + type + "\"");
      if (s["resources"]) a.resources = read_resources(r, s["resources"], at + ".resources");
      if (const auto rtcr = s["requestedToCapacityRatio"]) {
        r.only_keys(rtcr, at + ".requestedToCapacityRatio", {"shape"});
        const auto shape = rtcr["shape"];
        for (std::size_t i = 0; shape && i < shape.size(); ++i) {
          const std::string p = at + ".requestedToCapacityRatio.shape[" + std::to_string(i) + "]";
          r.only_keys(shape[i], p, {"utilization", "score"});
          a.shape.push_back({r.scalar<std::int32_t>(shape[i]["utilization"], p + ".utilization"),
                             r.scalar<std::int32_t>(shape[i]["score"], p + ".score")});
        }
      }
    }
    try {
      nr::validate(a);
    } catch (const std::invalid_argument& e) {
      r.fail(path, e.what());
    }
    return a;
  }
  if (plugin == "NodeResourcesBalancedAllocation") {
    r.only_keys(args, path, {"kind", "apiVersion", "resources"});
    nr::BalancedAllocationArgs a;
    if (args["resources"]) a.resources = read_resources(r, args["resources"], path + ".resources");
    try {
      nr::validate(a);
    } catch (const std::invalid_argument& e) {
      r.fail(path, e.what());
    }
    return a;
  }
  if (plugin == "NodeAffinity") {
    r.only_keys(args, path, {"kind", "apiVersion", "addedAffinity"});
    na::NodeAffinityArgs a;
    if (args["addedAffinity"]) a.added_affinity = read_node_affinity(r, args["addedAffinity"], path + ".addedAffinity");
    try {
      na::validate(a);
    } catch (const std::invalid_argument& e) {
      r.fail(path, e.what());
    }
    return a;
  }
  r.fail(path, "args for " + plugin + " are not supported by Podium yet");
}

struct PluginSet {
  std::vector<std::pair<std::string, std::int64_t>> enabled;  // weight 0: default
  std::vector<std::string> disabled;
};

PluginSet read_plugin_set(const Reader& r, const YAML::Node& node, const std::string& path) {
  PluginSet set;
  r.only_keys(node, path, {"enabled", "disabled"});
  for (const char* which : {"enabled", "disabled"}) {
    const auto list = node[which];
    if (!list) continue;
    if (!list.IsSequence()) r.fail(path + "." + which, "expected a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = path + "." + which + "[" + std::to_string(i) + "]";
      r.only_keys(list[i], at, {"name", "weight"});
      const auto name = r.scalar<std::string>(list[i]["name"], at + ".name");
      if (name != "*" && !kInertUpstreamPlugins.count(name) && !kKnownUpstreamPlugins.count(name))
        r.fail(at + ".name", "unknown plugin \"" + name + "\"");
      if (std::string(which) == "enabled") {
        const std::int64_t weight = list[i]["weight"] ? r.scalar<std::int64_t>(list[i]["weight"], at + ".weight") : 0;
        if (weight < 0) r.fail(at + ".weight", "must not be negative");
        if (!kInertUpstreamPlugins.count(name) && !framework::Registry::builtin().contains(name))
          r.fail(at + ".name", "plugin " + name + " is not implemented by Podium yet");
        set.enabled.emplace_back(name, weight);
      } else {
        set.disabled.push_back(name);
      }
    }
  }
  return set;
}

// mergePluginSet: defaults minus disabled ("*": all); a default that is also enabled keeps
// its place but takes the custom entry whole (so its weight, possibly unset), then the other
// enabled plugins are appended. An unset score weight becomes 1 afterwards, as the
// framework runtime does (getScoreWeights: "a weight of zero is not permitted").
std::vector<std::pair<std::string, std::int64_t>> merge(const std::vector<std::pair<std::string, std::int64_t>>& defaults,
                                                        const PluginSet& custom) {
  const bool all_disabled = std::find(custom.disabled.begin(), custom.disabled.end(), "*") != custom.disabled.end();
  std::vector<std::pair<std::string, std::int64_t>> out;
  std::set<std::string> placed;
  for (const auto& [name, weight] : defaults) {
    if (all_disabled || std::find(custom.disabled.begin(), custom.disabled.end(), name) != custom.disabled.end())
      continue;
    std::int64_t w = weight;
    for (const auto& [en, ew] : custom.enabled)
      if (en == name) {
        w = ew;  // the custom entry replaces the default one whole: no weight means 0, then 1
        placed.insert(name);
      }
    out.emplace_back(name, w);
  }
  for (const auto& [name, weight] : custom.enabled) {
    if (placed.count(name) || kInertUpstreamPlugins.count(name)) continue;
    out.emplace_back(name, weight);
  }
  return out;
}

framework::ProfileSpec read_profile(const Reader& r, const YAML::Node& node, const std::string& path,
                                    std::optional<std::int32_t> global_percentage) {
  r.only_keys(node, path, {"schedulerName", "plugins", "pluginConfig", "percentageOfNodesToScore"});
  framework::ProfileSpec spec = framework::default_profile_spec();
  if (node["schedulerName"]) spec.scheduler_name = r.scalar<std::string>(node["schedulerName"], path + ".schedulerName");
  spec.percentage_of_nodes_to_score = global_percentage;
  if (node["percentageOfNodesToScore"])
    spec.percentage_of_nodes_to_score = r.scalar<std::int32_t>(node["percentageOfNodesToScore"], path + ".percentageOfNodesToScore");
  if (const auto plugins = node["plugins"]) {
    const std::string at = path + ".plugins";
    r.only_keys(plugins, at, {"preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore", "score",
                              "reserve", "permit", "preBind", "bind", "postBind", "multiPoint"});
    std::vector<std::pair<std::string, std::int64_t>> filters;
    for (const auto& f : spec.filters) filters.emplace_back(f, 0);
    PluginSet multi;
    if (plugins["multiPoint"]) multi = read_plugin_set(r, plugins["multiPoint"], at + ".multiPoint");
    PluginSet filter_set = plugins["filter"] ? read_plugin_set(r, plugins["filter"], at + ".filter") : PluginSet{};
    PluginSet score_set = plugins["score"] ? read_plugin_set(r, plugins["score"], at + ".score") : PluginSet{};
    for (const char* other : {"preEnqueue", "queueSort", "preFilter", "postFilter", "preScore", "reserve", "permit",
                              "preBind", "bind", "postBind"})
      if (plugins[other]) (void)read_plugin_set(r, plugins[other], at + "." + other);
    // multiPoint: enabling reaches every point the plugin implements; disabling likewise.
    for (const auto& [name, weight] : multi.enabled) {
      if (kFilterPlugins.count(name)) filter_set.enabled.emplace_back(name, 0);
      if (kScorePlugins.count(name)) score_set.enabled.emplace_back(name, weight);
    }
    for (const auto& name : multi.disabled) {
      filter_set.disabled.push_back(name);
      score_set.disabled.push_back(name);
    }
    spec.filters.clear();
    for (const auto& [name, w] : merge(filters, filter_set)) spec.filters.push_back(name);
    spec.scores = merge(spec.scores, score_set);
    for (auto& [name, weight] : spec.scores)
      if (weight == 0) weight = 1;  // upstream defaults a missing score weight to 1
  }
  if (const auto configs = node["pluginConfig"]) {
    for (std::size_t i = 0; i < configs.size(); ++i) {
      const std::string at = path + ".pluginConfig[" + std::to_string(i) + "]";
      r.only_keys(configs[i], at, {"name", "args"});
      const auto name = r.scalar<std::string>(configs[i]["name"], at + ".name");
      if (!kKnownUpstreamPlugins.count(name) && !kInertUpstreamPlugins.count(name))
        r.fail(at + ".name", "unknown plugin \"" + name + "\"");
      if (configs[i]["args"]) spec.args[name] = read_args(r, name, configs[i]["args"], at + ".args");
    }
  }
  return spec;
}

}  // namespace

SchedulerConfiguration default_scheduler_config() { return {{framework::default_profile_spec()}}; }

SchedulerConfiguration parse_scheduler_config(const std::string& text, const std::string& file_name) {
  const Reader r(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(file_name, "line " + std::to_string(e.mark.line + 1), e.msg);
  }
  if (!root.IsMap()) r.fail("", "expected a KubeSchedulerConfiguration object");
  r.only_keys(root, "", {"apiVersion", "kind", "profiles", "percentageOfNodesToScore", "parallelism",
                         "clientConnection", "leaderElection", "podInitialBackoffSeconds", "podMaxBackoffSeconds",
                         "enableProfiling", "enableContentionProfiling", "delayCacheUntilActive", "extenders"});
  if (!root["apiVersion"] || root["apiVersion"].as<std::string>() != "kubescheduler.config.k8s.io/v1")
    r.fail("apiVersion", "must be kubescheduler.config.k8s.io/v1");
  if (!root["kind"] || root["kind"].as<std::string>() != "KubeSchedulerConfiguration")
    r.fail("kind", "must be KubeSchedulerConfiguration");
  if (root["extenders"] && root["extenders"].size() > 0) r.fail("extenders", "scheduler extenders are not supported");
  std::optional<std::int32_t> percentage;
  if (root["percentageOfNodesToScore"]) {
    percentage = r.scalar<std::int32_t>(root["percentageOfNodesToScore"], "percentageOfNodesToScore");
    if (*percentage < 0 || *percentage > 100) r.fail("percentageOfNodesToScore", "must be in the range [0, 100]");
  }
  SchedulerConfiguration config;
  const auto profiles = root["profiles"];
  if (!profiles || profiles.size() == 0) {
    config.profiles.push_back(framework::default_profile_spec());
    config.profiles.back().percentage_of_nodes_to_score = percentage;
    return config;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const std::string at = "profiles[" + std::to_string(i) + "]";
    auto spec = read_profile(r, profiles[i], at, percentage);
    if (!names.insert(spec.scheduler_name).second) r.fail(at + ".schedulerName", "duplicate profile name");
    config.profiles.push_back(std::move(spec));
  }
  return config;
}

SchedulerConfiguration load_scheduler_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot read file");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_scheduler_config(buf.str(), path);
}

}  // namespace podium::config
