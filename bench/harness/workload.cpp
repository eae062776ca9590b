#include "harness/workload.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "podium/common/input_error.hpp"
#include "podium/common/input_file.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::bench {
namespace {

// scheduler_perf's templates/node-default.yaml and pod-default.yaml, in substance: a
// 4-core, 32Gi, 110-pod node and a 100m / 500Mi pause pod.
constexpr const char* kDefaultNode = R"(apiVersion: v1
kind: Node
metadata: {name: template}
status:
  capacity: {pods: "110", cpu: "4", memory: 32Gi}
)";
constexpr const char* kDefaultPod = R"(apiVersion: v1
kind: Pod
metadata: {name: template}
spec:
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.10
    resources:
      requests: {cpu: 100m, memory: 500Mi}
)";

using Params = std::map<std::string, std::int64_t, std::less<>>;

// The reading context of one workload expansion: the file, the parameters in force and
// which of them were used.
struct Reader {
  std::string file;
  std::string base_dir;
  const Params* params = nullptr;
  std::string params_owner;  // e.g. "workloads[1] (5000Nodes)", for messages
  std::set<std::string>* used = nullptr;

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw InputError(file, path, message);
  }

  void check_keys(const YAML::Node& map, const std::string& path, std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(path, "expected a mapping");
    for (const auto& entry : map) {
      const auto key = entry.first.as<std::string>();
      bool ok = false;
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(join(path, key), "unknown key \"" + key + "\" (allowed here: " + list + ")");
      }
    }
  }

  static std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

  std::string scalar(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(path, "expected a scalar");
    return node.Scalar();
  }

  // An integer, or `$name` naming a workload parameter.
  std::int64_t integer(const YAML::Node& node, const std::string& path) const {
    const std::string text = scalar(node, path);
    if (!text.empty() && text[0] == '$') {
      const std::string name = text.substr(1);
      const auto it = params->find(name);
      if (it == params->end()) fail(path, "parameter $" + name + " is not defined in " + params_owner + ".params");
      used->insert(name);
      return it->second;
    }
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) fail(path, "expected an integer or a $parameter, got \"" + text + "\"");
    return v;
  }

  std::int64_t non_negative(const YAML::Node& node, const std::string& path) const {
    const auto v = integer(node, path);
    if (v < 0) fail(path, "must not be negative, got " + std::to_string(v));
    return v;
  }

  double number(const YAML::Node& node, const std::string& path) const {
    const std::string text = scalar(node, path);
    try {
      std::size_t used_chars = 0;
      const double v = std::stod(text, &used_chars);
      if (used_chars == text.size()) return v;
    } catch (const std::exception&) {
    }
    fail(path, "expected a number, got \"" + text + "\"");
  }

  bool boolean(const YAML::Node& node, const std::string& path) const {
    const std::string text = scalar(node, path);
    if (text == "true") return true;
    if (text == "false") return false;
    fail(path, "expected true or false, got \"" + text + "\"");
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& path) const {
    if (!node.IsSequence()) fail(path, "expected a list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(scalar(node[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }

  // The `count` of an op: `count: N` or scheduler_perf's `countParam: $name`.
  std::optional<std::int64_t> count(const YAML::Node& op, const std::string& path, bool required) const {
    if (op["count"] && op["countParam"]) fail(join(path, "countParam"), "give either count or countParam, not both");
    if (op["count"]) return non_negative(op["count"], join(path, "count"));
    if (op["countParam"]) {
      const std::string text = scalar(op["countParam"], join(path, "countParam"));
      if (text.empty() || text[0] != '$') fail(join(path, "countParam"), "expected a $parameter, got \"" + text + "\"");
      return non_negative(op["countParam"], join(path, "countParam"));
    }
    if (required) fail(path, "missing required key count (or countParam)");
    return std::nullopt;
  }

  // One Node or Pod object from `<prefix>Template` (inline) or `<prefix>TemplatePath` (a
  // file beside the workload file), or the default template when neither is given.
  io::ClusterObjects template_objects(const YAML::Node& op, const std::string& path, const char* inline_key,
                                      const char* path_key, const char* kind, const char* default_text) const {
    if (op[inline_key] && op[path_key]) fail(join(path, path_key), std::string("give either ") + inline_key + " or " + path_key + ", not both");
    YAML::Node doc;
    std::string source;  // the file the template's own key paths refer to
    std::string where;   // key path in the workload file
    if (op[path_key]) {
      where = join(path, path_key);
      const std::string rel = scalar(op[path_key], where);
      const std::filesystem::path full = std::filesystem::path(base_dir) / rel;
      source = full.string();
      try {
        doc = YAML::LoadFile(source);
      } catch (const YAML::BadFile&) {
        fail(where, "cannot read template file " + source);
      } catch (const YAML::Exception& e) {
        fail(where, "template file " + source + " is not valid YAML: " + e.what());
      }
    } else if (op[inline_key]) {
      where = join(path, inline_key);
      doc = op[inline_key];
      source = file;
    } else {
      doc = YAML::Load(default_text);
      source = "<default " + std::string(kind) + " template>";
    }
    if (!doc.IsMap()) fail(where, std::string("the template must be one ") + kind + " object (a mapping)");
    // Templates need no name or kind: every copy is renamed, and the kind is implied.
    if (doc["kind"] && doc["kind"].IsScalar() && doc["kind"].Scalar() != kind)
      fail(where, std::string("the template must be a ") + kind + ", got kind " + doc["kind"].Scalar());
    // Read in place, so that errors carry the template's own path and line.
    io::ClusterObjects objects;
    try {
      io::load_template_object(doc, kind, source, source == file ? where : std::string(), objects);
    } catch (const InputError& e) {
      if (source == file) throw;
      throw InputError(e.file(), e.location(), e.message() + " (template given at " + file + ": " + where + ")");
    }
    for (auto& n : objects.nodes)
      if (n.name.empty()) n.name = "template";
    for (auto& p : objects.pods)
      if (p.name.empty()) p.name = "template";
    return objects;
  }

  io::PodObject pod_template(const YAML::Node& op, const std::string& path) const {
    auto objects = template_objects(op, path, "podTemplate", "podTemplatePath", "Pod", kDefaultPod);
    if (objects.pods.size() != 1) fail(path, "the pod template must hold exactly one Pod");
    auto pod = std::move(objects.pods.front());
    if (!pod.node_name.empty()) fail(path, "the pod template must not set spec.nodeName (pods are created pending)");
    return pod;
  }

  io::NodeObject node_template(const YAML::Node& op, const std::string& path) const {
    auto objects = template_objects(op, path, "nodeTemplate", "nodeTemplatePath", "Node", kDefaultNode);
    if (objects.nodes.size() != 1) fail(path, "the node template must hold exactly one Node");
    return std::move(objects.nodes.front());
  }
};

OpCode parse_opcode(const Reader& r, const YAML::Node& op, const std::string& path) {
  if (!op["opcode"]) r.fail(path, "missing required key opcode");
  const std::string name = r.scalar(op["opcode"], Reader::join(path, "opcode"));
  for (OpCode c : {OpCode::kCreateNodes, OpCode::kCreatePods, OpCode::kDeletePods, OpCode::kChurn, OpCode::kBarrier,
                   OpCode::kSleep})
    if (name == opcode_name(c)) return c;
  r.fail(Reader::join(path, "opcode"),
         "unknown opcode \"" + name + "\" (known: createNodes, createPods, deletePods, churn, barrier, sleep)");
}

Op parse_op(const Reader& r, const YAML::Node& node, const std::string& path, std::size_t index) {
  Op op;
  op.where = path;
  op.code = parse_opcode(r, node, path);
  const auto key = [&](const char* k) { return Reader::join(path, k); };
  switch (op.code) {
    case OpCode::kCreateNodes:
      r.check_keys(node, path, {"opcode", "count", "countParam", "nodeTemplate", "nodeTemplatePath", "shapes", "zones"});
      op.count = r.count(node, path, true);
      if (*op.count > kMaxWorkloadNodes)
        r.fail(key(node["count"] ? "count" : "countParam"), std::to_string(*op.count) + " nodes, too many (at most " +
                                                                std::to_string(kMaxWorkloadNodes) + " per workload)");
      op.node_template = r.node_template(node, path);
      if (node["shapes"]) {
        const auto s = r.scalar(node["shapes"], key("shapes"));
        if (s != "mixed" && s != "template")
          r.fail(key("shapes"), "expected \"mixed\" (the generator's ten node shapes) or \"template\", got \"" + s + "\"");
        op.mixed_shapes = s == "mixed";
      }
      if (node["zones"]) op.zones = r.non_negative(node["zones"], key("zones"));
      break;
    case OpCode::kCreatePods:
      r.check_keys(node, path, {"opcode", "count", "countParam", "podTemplate", "podTemplatePath", "namespace",
                                "collectMetrics"});
      op.count = r.count(node, path, true);
      op.pod_template = r.pod_template(node, path);
      op.namespace_ = node["namespace"] ? r.scalar(node["namespace"], key("namespace")) : "namespace-" + std::to_string(index);
      if (node["collectMetrics"]) op.collect_metrics = r.boolean(node["collectMetrics"], key("collectMetrics"));
      break;
    case OpCode::kDeletePods:
      r.check_keys(node, path, {"opcode", "count", "countParam", "namespace"});
      op.count = r.count(node, path, false);
      if (!node["namespace"]) r.fail(path, "missing required key namespace");
      op.namespace_ = r.scalar(node["namespace"], key("namespace"));
      break;
    case OpCode::kChurn: {
      r.check_keys(node, path, {"opcode", "mode", "number", "intervalPods", "intervalMilliseconds", "podTemplate",
                                "podTemplatePath", "namespace"});
      if (node["intervalMilliseconds"])
        r.fail(key("intervalMilliseconds"),
               "Podium simulates without a clock: give intervalPods (churn every N scheduling decisions) instead");
      if (!node["mode"]) r.fail(path, "missing required key mode (create or recreate)");
      const auto mode = r.scalar(node["mode"], key("mode"));
      if (mode != "create" && mode != "recreate") r.fail(key("mode"), "expected create or recreate, got \"" + mode + "\"");
      op.churn_recreate = mode == "recreate";
      if (!node["number"]) r.fail(path, "missing required key number");
      op.churn_number = r.non_negative(node["number"], key("number"));
      if (!node["intervalPods"]) r.fail(path, "missing required key intervalPods");
      op.churn_interval_pods = r.integer(node["intervalPods"], key("intervalPods"));
      if (op.churn_interval_pods <= 0) r.fail(key("intervalPods"), "must be positive");
      op.pod_template = r.pod_template(node, path);
      op.namespace_ = node["namespace"] ? r.scalar(node["namespace"], key("namespace")) : "churn-" + std::to_string(index);
      break;
    }
    case OpCode::kBarrier:
      r.check_keys(node, path, {"opcode"});
      break;
    case OpCode::kSleep:
      r.check_keys(node, path, {"opcode", "duration"});
      if (!node["duration"]) r.fail(path, "missing required key duration");
      op.sleep_seconds = r.number(node["duration"], key("duration"));
      break;
  }
  return op;
}

}  // namespace

const char* opcode_name(OpCode code) {
  switch (code) {
    case OpCode::kCreateNodes: return "createNodes";
    case OpCode::kCreatePods: return "createPods";
    case OpCode::kDeletePods: return "deletePods";
    case OpCode::kChurn: return "churn";
    case OpCode::kBarrier: return "barrier";
    case OpCode::kSleep: return "sleep";
  }
  return "?";
}

std::vector<Workload> parse_workload_text(const std::string& text, const std::string& file_name,
                                          const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file_name, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
  const Reader top{file_name, base_dir, nullptr, "", nullptr};
  if (!root.IsSequence()) top.fail("", "expected a list of test cases (each with name, workloadTemplate, workloads)");
  std::vector<Workload> out;
  std::set<std::string> case_names;
  for (std::size_t c = 0; c < root.size(); ++c) {
    const YAML::Node tc = root[c];
    const std::string cpath = "[" + std::to_string(c) + "]";
    top.check_keys(tc, cpath, {"name", "labels", "requiredPlugins", "workloadTemplate", "workloads"});
    for (const char* k : {"name", "workloadTemplate", "workloads"})
      if (!tc[k]) top.fail(cpath, std::string("missing required key ") + k);
    const std::string case_name = top.scalar(tc["name"], cpath + ".name");
    if (!case_names.insert(case_name).second) top.fail(cpath + ".name", "duplicate test case name \"" + case_name + "\"");
    const auto case_labels = tc["labels"] ? top.strings(tc["labels"], cpath + ".labels") : std::vector<std::string>{};
    const auto required = tc["requiredPlugins"] ? top.strings(tc["requiredPlugins"], cpath + ".requiredPlugins")
                                                : std::vector<std::string>{};
    const YAML::Node tmpl = tc["workloadTemplate"];
    if (!tmpl.IsSequence() || tmpl.size() == 0) top.fail(cpath + ".workloadTemplate", "expected a non-empty list of operations");
    const YAML::Node wls = tc["workloads"];
    if (!wls.IsSequence() || wls.size() == 0) top.fail(cpath + ".workloads", "expected a non-empty list of workloads");
    std::set<std::string> names;
    for (std::size_t w = 0; w < wls.size(); ++w) {
      const YAML::Node wl = wls[w];
      const std::string wpath = cpath + ".workloads[" + std::to_string(w) + "]";
      top.check_keys(wl, wpath, {"name", "labels", "params", "expect", "threshold"});
      if (!wl["name"]) top.fail(wpath, "missing required key name");
      Workload workload;
      workload.file = file_name;
      workload.test_case = case_name;
      workload.name = top.scalar(wl["name"], wpath + ".name");
      if (!names.insert(workload.name).second) top.fail(wpath + ".name", "duplicate workload name \"" + workload.name + "\"");
      workload.labels = case_labels;
      if (wl["labels"])
        for (auto& l : top.strings(wl["labels"], wpath + ".labels")) workload.labels.push_back(std::move(l));
      workload.required_plugins = required;

      Params params;
      if (wl["params"]) {
        if (!wl["params"].IsMap()) top.fail(wpath + ".params", "expected a mapping of parameter name to integer");
        for (const auto& entry : wl["params"]) {
          const auto name = entry.first.as<std::string>();
          const std::string ppath = wpath + ".params." + name;
          const std::string value = top.scalar(entry.second, ppath);
          std::int64_t v = 0;
          const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
          if (ec != std::errc{} || end != value.data() + value.size() || v < 0)
            top.fail(ppath, "expected a non-negative integer, got \"" + value + "\"");
          params.emplace(name, v);
          workload.params.emplace_back(name, v);
        }
      }
      std::set<std::string> used;
      const Reader r{file_name, base_dir, &params, "workloads[" + std::to_string(w) + "] (" + workload.name + ")", &used};
      for (std::size_t o = 0; o < tmpl.size(); ++o)
        workload.ops.push_back(parse_op(r, tmpl[o], cpath + ".workloadTemplate[" + std::to_string(o) + "]", o));

      // Every workload states its answer; a benchmark without one cannot fail.
      if (!wl["expect"]) top.fail(wpath, "missing required key expect (e.g. expect: {unschedulable: 0})");
      r.check_keys(wl["expect"], wpath + ".expect", {"unschedulable"});
      if (!wl["expect"]["unschedulable"]) top.fail(wpath + ".expect", "missing required key unschedulable");
      workload.expected_unschedulable = r.non_negative(wl["expect"]["unschedulable"], wpath + ".expect.unschedulable");
      if (wl["threshold"]) {
        workload.threshold = r.number(wl["threshold"], wpath + ".threshold");
        if (*workload.threshold < 0) top.fail(wpath + ".threshold", "must not be negative");
      }
      for (const auto& [name, value] : params)
        if (!used.contains(name))
          top.fail(wpath + ".params." + name, "parameter is not used by the workloadTemplate or expect");

      bool measured = false, pods_seen = false;
      for (std::size_t o = 0; o < workload.ops.size(); ++o) {
        const Op& op = workload.ops[o];
        measured = measured || (op.code == OpCode::kCreatePods && op.collect_metrics);
        // Nodes exist from the start of the run, so a later createNodes would be visible to
        // earlier pods: refuse it rather than measure something else.
        if (op.code == OpCode::kCreateNodes && pods_seen)
          top.fail(op.where, "createNodes after createPods or churn is not supported: create every node first");
        pods_seen = pods_seen || op.code == OpCode::kCreatePods || op.code == OpCode::kChurn;
      }
      if (!measured) top.fail(cpath + ".workloadTemplate", "no createPods operation has collectMetrics: true");
      out.push_back(std::move(workload));
    }
  }
  return out;
}

std::vector<Workload> load_workload_file(const std::string& path) {
  // `-`: standard input; template paths are then relative to the working directory.
  const std::string base = path == "-" ? std::string(".") : std::filesystem::path(path).parent_path().string();
  return parse_workload_text(read_input(path), input_name(path), base);
}

bool labels_match(const std::vector<std::string>& labels, const std::string& filter) {
  std::stringstream items(filter);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    const bool negate = item[0] == '-';
    const std::string label = negate ? item.substr(1) : item;
    const bool has = std::find(labels.begin(), labels.end(), label) != labels.end();
    if (has == negate) return false;
  }
  return true;
}

}  // namespace podium::bench
