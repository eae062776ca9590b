#include "config/plugin_args.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/default_preemption_args.hpp"
#include "config/inter_pod_affinity_args.hpp"
#include "config/pod_topology_spread_args.hpp"
#include "podium/common/input_error.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"

namespace podium::config::detail {
namespace {

namespace nr = plugins::noderesources;
namespace na = plugins::nodeaffinity;

constexpr std::string_view kApiVersion = "kubescheduler.config.k8s.io/v1";

// The TypeMeta keys an args object may carry: kind, if given, must name this plugin's
// args (upstream decodes by it and then rejects a mismatch), apiVersion must be v1.
void check_type_meta(const Object& o, const PluginInfo& plugin) {
  if (const Value kind = o["kind"]; kind.present()) {
    const std::string k = kind.string();
    if (!plugin.args_kind.empty() && k != plugin.args_kind)
      kind.fail("must be " + std::string(plugin.args_kind) + " for plugin " + std::string(plugin.name) + ", got " + k);
  }
  if (const Value api = o["apiVersion"]; api.present() && api.string() != kApiVersion)
    api.fail("must be " + std::string(kApiVersion) + ", got " + api.string());
}

// The allowed keys of an args object: TypeMeta plus the kind's fields.
std::vector<std::string_view> args_keys(const PluginInfo& plugin) {
  std::vector<std::string_view> keys = {"kind", "apiVersion"};
  keys.insert(keys.end(), plugin.args_fields.begin(), plugin.args_fields.end());
  return keys;
}

// Rethrows a plugin module's std::invalid_argument ("relative.path: message") as an
// InputError located under `base`.
[[noreturn]] void rethrow_under(const Value& base, const std::invalid_argument& e) {
  const std::string what = e.what();
  const auto colon = what.find(": ");
  const std::string head = colon == std::string::npos ? std::string() : what.substr(0, colon);
  const bool is_path = !head.empty() && head.find(' ') == std::string::npos;
  if (!is_path) base.fail(what);
  throw InputError(base.file(), child_path(base.path(), head), what.substr(colon + 2));
}

// k8s.io/apimachinery validation.IsQualifiedName: [prefix/]name, name <= 63 characters of
// [A-Za-z0-9_.-] starting and ending alphanumeric, prefix a DNS-1123 subdomain.
std::string qualified_name_problem(std::string_view value) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  std::string_view name = value;
  if (const auto slash = value.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) return "prefix part must be non-empty";
    if (prefix.size() > 253) return "prefix part must be no more than 253 characters";
    const bool ok_chars = std::all_of(prefix.begin(), prefix.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
    if (!ok_chars || !alnum(prefix.front()) || !alnum(prefix.back()))
      return "prefix part must be a lowercase RFC 1123 subdomain";
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  const bool ok_chars = std::all_of(name.begin(), name.end(), [&](char c) {
    return alnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (!ok_chars || !alnum(name.front()) || !alnum(name.back()))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
           "alphanumeric character";
  return {};
}

// []ResourceSpec with upstream's defaulting: an empty list is cpu and memory, weight 1;
// a weight of 0 or none is 1.
std::vector<nr::ResourceSpec> read_resources(const Value& list) {
  std::vector<nr::ResourceSpec> out;
  for (const Value& item : list.items()) {
    const Object o = item.object({"name", "weight"});
    nr::ResourceSpec spec;
    if (!o["name"].present()) o["name"].fail("Required value: a resource name");
    spec.name = o["name"].string();
    spec.weight = o["weight"].present() ? o["weight"].int64() : 0;
    if (spec.weight == 0) spec.weight = 1;
    out.push_back(std::move(spec));
  }
  if (out.empty()) out = {{"cpu", 1}, {"memory", 1}};
  return out;
}

// validateFunctionShape.
std::vector<nr::UtilizationShapePoint> read_shape(const Value& shape) {
  const std::vector<Value> items = shape.items();
  if (items.empty()) shape.fail("Required value: at least one point must be specified");
  std::vector<nr::UtilizationShapePoint> out;
  for (const Value& item : items) {
    const Object o = item.object({"utilization", "score"});
    nr::UtilizationShapePoint point;
    if (o["utilization"].present()) point.utilization = o["utilization"].int32();
    if (o["score"].present()) point.score = o["score"].int32();
    if (point.utilization < 0 || point.utilization > 100) o["utilization"].fail("not in valid range [0, 100]");
    if (point.score < 0 || point.score > 10) o["score"].fail("not in valid range [0, 10]");
    if (!out.empty() && out.back().utilization >= point.utilization)
      o["utilization"].fail("values must be sorted in increasing order");
    out.push_back(point);
  }
  return out;
}

nr::FitArgs read_fit_args(const PluginInfo& plugin, const Value& args) {
  const Object o = args.object(args_keys(plugin));
  check_type_meta(o, plugin);
  nr::FitArgs a;
  if (const Value list = o["ignoredResources"]; list.present()) {
    a.ignored_resources = list.strings();
    const auto items = list.items();
    for (std::size_t i = 0; i < items.size(); ++i)
      if (auto problem = qualified_name_problem(a.ignored_resources[i]); !problem.empty()) items[i].fail(problem);
  }
  if (const Value list = o["ignoredResourceGroups"]; list.present()) {
    a.ignored_resource_groups = list.strings();
    const auto items = list.items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (a.ignored_resource_groups[i].find('/') != std::string::npos)
        items[i].fail("resource group name can't contain '/'");
      if (auto problem = qualified_name_problem(a.ignored_resource_groups[i]); !problem.empty())
        items[i].fail(problem);
    }
  }
  // A missing scoringStrategy defaults to LeastAllocated over cpu and memory; a given
  // one must name its type (upstream defaults the whole struct, never the type alone).
  if (const Value strategy = o["scoringStrategy"]; strategy.present()) {
    const Object s = strategy.object({"type", "resources", "requestedToCapacityRatio"});
    const std::string type = s["type"].present() ? s["type"].string() : std::string();
    if (type == "LeastAllocated") {
      a.strategy = nr::ScoringStrategyType::kLeastAllocated;
    } else if (type == "MostAllocated") {
      a.strategy = nr::ScoringStrategyType::kMostAllocated;
    } else if (type == "RequestedToCapacityRatio") {
      a.strategy = nr::ScoringStrategyType::kRequestedToCapacityRatio;
    } else {
      s["type"].fail("Unsupported value: \"" + type +
                     "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
    }
    a.resources = read_resources(s["resources"]);
    const auto items = s["resources"].items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& r = a.resources[i];
      if (r.weight <= 0 || r.weight > 100)
        items[i].object({"name", "weight"})["weight"].fail("resource weight of " + r.name +
                                                           " not in valid range (0, 100]");
    }
    const Value rtcr = s["requestedToCapacityRatio"];
    if (a.strategy == nr::ScoringStrategyType::kRequestedToCapacityRatio) {
      if (!rtcr.present()) rtcr.fail("Required value: must be specified when type is RequestedToCapacityRatio");
      a.shape = read_shape(rtcr.object({"shape"})["shape"]);
    } else if (rtcr.present()) {
      rtcr.fail("Forbidden: must be nil when type is not RequestedToCapacityRatio");
    }
  }
  try {
    nr::validate(a);
  } catch (const std::invalid_argument& e) {
    rethrow_under(args, e);
  }
  return a;
}

nr::BalancedAllocationArgs read_balanced_allocation_args(const PluginInfo& plugin, const Value& args) {
  const Object o = args.object(args_keys(plugin));
  check_type_meta(o, plugin);
  nr::BalancedAllocationArgs a;
  a.resources = read_resources(o["resources"]);
  const auto items = o["resources"].items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Object r = items[i].object({"name", "weight"});
    for (std::size_t j = 0; j < i; ++j)
      if (a.resources[j].name == a.resources[i].name) r["name"].fail("Duplicate value: \"" + a.resources[i].name + "\"");
    // ValidateNodeResourcesBalancedAllocationArgs: the balance is unweighted.
    if (a.resources[i].weight != 1) r["weight"].fail("must be 1");
  }
  try {
    nr::validate(a);
  } catch (const std::invalid_argument& e) {
    rethrow_under(args, e);
  }
  return a;
}

// core/v1 NodeSelectorTerm.
io::NodeSelectorTerm read_node_selector_term(const Value& value) {
  const Object o = value.object({"matchExpressions", "matchFields"});
  io::NodeSelectorTerm term;
  for (const char* which : {"matchExpressions", "matchFields"}) {
    auto& out = std::string_view(which) == "matchExpressions" ? term.match_expressions : term.match_fields;
    for (const Value& item : o[which].items()) {
      const Object r = item.object({"key", "operator", "values"});
      io::NodeSelectorRequirement req;
      if (r["key"].present()) req.key = r["key"].string();
      if (r["operator"].present()) req.op = r["operator"].string();
      if (r["values"].present()) req.values = r["values"].strings();
      out.push_back(std::move(req));
    }
  }
  return term;
}

// core/v1 NodeAffinity.
io::NodeAffinity read_node_affinity(const Value& value) {
  const Object o =
      value.object({"requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"});
  io::NodeAffinity affinity;
  if (const Value required = o["requiredDuringSchedulingIgnoredDuringExecution"]; required.present()) {
    affinity.required.emplace();
    for (const Value& term : required.object({"nodeSelectorTerms"})["nodeSelectorTerms"].items())
      affinity.required->push_back(read_node_selector_term(term));
  }
  for (const Value& item : o["preferredDuringSchedulingIgnoredDuringExecution"].items()) {
    const Object p = item.object({"weight", "preference"});
    io::PreferredSchedulingTerm term;
    if (p["weight"].present()) term.weight = p["weight"].int32();
    term.preference = read_node_selector_term(p["preference"]);
    affinity.preferred.push_back(std::move(term));
  }
  return affinity;
}

na::NodeAffinityArgs read_node_affinity_args(const PluginInfo& plugin, const Value& args) {
  const Object o = args.object(args_keys(plugin));
  check_type_meta(o, plugin);
  na::NodeAffinityArgs a;
  if (const Value added = o["addedAffinity"]; added.present()) a.added_affinity = read_node_affinity(added);
  try {
    na::validate(a);
  } catch (const std::invalid_argument& e) {
    rethrow_under(args, e);
  }
  return a;
}

plugins::podtopologyspread::PodTopologySpreadArgs read_spread_args(const PluginInfo& plugin, const Value& args) {
  const Object o = args.object(args_keys(plugin));
  check_type_meta(o, plugin);
  auto a = read_pod_topology_spread_args(o);
  try {
    plugins::podtopologyspread::validate(a);
  } catch (const std::invalid_argument& e) {
    rethrow_under(args, e);
  }
  return a;
}

}  // namespace

std::any read_plugin_args(const PluginInfo& plugin, const Value& args) {
  if (plugin.name == "NodeResourcesFit") return read_fit_args(plugin, args);
  if (plugin.name == "NodeResourcesBalancedAllocation") return read_balanced_allocation_args(plugin, args);
  if (plugin.name == "NodeAffinity") return read_node_affinity_args(plugin, args);
  if (plugin.name == "PodTopologySpread") return read_spread_args(plugin, args);
  if (plugin.name == "InterPodAffinity") {
    const Object o = args.object(args_keys(plugin));
    check_type_meta(o, plugin);
    return read_inter_pod_affinity_args(o);
  }
  if (plugin.name == "DefaultPreemption") {
    const Object o = args.object(args_keys(plugin));
    check_type_meta(o, plugin);
    return read_default_preemption_args(o);
  }
  if (plugin.args_kind.empty()) {
    // Upstream has no args kind for this plugin: it keeps whatever is given as opaque
    // data and the plugin never reads it.
    return {};
  }
  // Args of plugins Podium does not run (yet): the kind and its top-level fields are
  // checked, as upstream's strict decoding would; the values are not used.
  const Object o = args.object(args_keys(plugin));
  check_type_meta(o, plugin);
  return {};
}

}  // namespace podium::config::detail
