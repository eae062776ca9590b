#include "harness/workload.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "podium/common/input_error.hpp"
#include "podium/common/input_file.hpp"
#include "podium/common/yaml_reader.hpp"
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

// The reading context of one workload expansion: the parameters in force and which of
// them were used. The file and the key paths travel with each yaml::Value.
struct Reader {
  std::string base_dir;
  const Params* params = nullptr;
  std::string params_owner;  // e.g. "workloads[1] (5000Nodes)", for messages
  std::set<std::string>* used = nullptr;

  // The keys of a mapping; an unknown key names the allowed ones.
  static yaml::Object keys(const yaml::Value& map, std::initializer_list<std::string_view> allowed) {
    if (!map.is_object()) map.fail("expected a mapping");
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return map.object(allowed, "allowed here: " + list);
  }

  // An integer, or `$name` naming a workload parameter.
  std::int64_t integer(const yaml::Value& v) const {
    const std::string text = v.scalar();
    if (!text.empty() && text[0] == '$') {
      const std::string name = text.substr(1);
      const auto it = params->find(name);
      if (it == params->end()) v.fail("parameter $" + name + " is not defined in " + params_owner + ".params");
      used->insert(name);
      return it->second;
    }
    std::int64_t n = 0;
    if (yaml::parse_int64(text, n) != yaml::IntParse::kOk) v.fail("expected an integer or a $parameter, got \"" + text + "\"");
    return n;
  }

  std::int64_t non_negative(const yaml::Value& v) const {
    const auto n = integer(v);
    if (n < 0) v.fail("must not be negative, got " + std::to_string(n));
    return n;
  }

  static double number(const yaml::Value& v) {
    const std::string text = v.scalar();
    try {
      std::size_t used_chars = 0;
      const double n = std::stod(text, &used_chars);
      if (used_chars == text.size()) return n;
    } catch (const std::exception&) {
    }
    v.fail("expected a number, got \"" + text + "\"");
  }

  // YAML 1.1 words, as the shared reader (and scheduler_perf's sigs.k8s.io/yaml) read them.
  static bool boolean(const yaml::Value& v) {
    const std::string text = v.scalar();
    const int b = yaml::yaml11_bool(text);
    if (b < 0) v.fail("expected true or false, got \"" + text + "\"");
    return b == 1;
  }

  // A list of scalars (read as text).
  static std::vector<std::string> strings(const yaml::Value& v) {
    if (!v.is_list()) v.fail("expected a list of strings");
    std::vector<std::string> out;
    for (const yaml::Value& item : v.items()) out.push_back(item.scalar());
    return out;
  }

  // The `count` of an op: `count: N` or scheduler_perf's `countParam: $name`.
  std::optional<std::int64_t> count(const yaml::Value& at, const yaml::Object& op, bool required) const {
    const yaml::Value c = op["count"], param = op["countParam"];
    if (c.present() && param.present()) param.fail("give either count or countParam, not both");
    if (c.present()) return non_negative(c);
    if (param.present()) {
      const std::string text = param.scalar();
      if (text.empty() || text[0] != '$') param.fail("expected a $parameter, got \"" + text + "\"");
      return non_negative(param);
    }
    if (required) at.fail("missing required key count (or countParam)");
    return std::nullopt;
  }

  // One Node or Pod object from `<prefix>Template` (inline) or `<prefix>TemplatePath` (a
  // file beside the workload file), or the default template when neither is given.
  io::ClusterObjects template_objects(const yaml::Value& at, const yaml::Object& op, const char* inline_key,
                                      const char* path_key, const char* kind, const char* default_text) const {
    const yaml::Value inline_value = op[inline_key], path_value = op[path_key];
    if (inline_value.present() && path_value.present())
      path_value.fail(std::string("give either ") + inline_key + " or " + path_key + ", not both");
    const std::string& file = at.file();
    YAML::Node doc;
    std::string source;      // the file the template's own key paths refer to
    const yaml::Value* where = &at;  // the key in the workload file
    if (path_value.present()) {
      where = &path_value;
      const std::filesystem::path full = std::filesystem::path(base_dir) / path_value.scalar();
      source = full.string();
      std::string text;
      try {
        text = read_input(source);
      } catch (const InputError&) {
        path_value.fail("cannot read template file " + source);
      }
      yaml::check_utf8(text, source);  // errors in a template file name that file, as below
      try {
        doc = YAML::Load(text);
      } catch (const YAML::Exception& e) {
        path_value.fail("template file " + source + " is not valid YAML: " + e.what());
      }
      yaml::check_alias_expansion({doc}, text.size(), source);
    } else if (inline_value.present()) {
      where = &inline_value;
      doc = inline_value.node();
      source = file;
    } else {
      doc = YAML::Load(default_text);
      source = "<default " + std::string(kind) + " template>";
    }
    // The key path of the template's key, empty for the default template (as before).
    const std::string where_path = where == &at ? std::string() : where->path();
    if (!doc.IsMap()) where->fail(std::string("the template must be one ") + kind + " object (a mapping)");
    // Templates need no name or kind: every copy is renamed, and the kind is implied.
    if (doc["kind"] && doc["kind"].IsScalar() && doc["kind"].Scalar() != kind)
      where->fail(std::string("the template must be a ") + kind + ", got kind " + doc["kind"].Scalar());
    // Read in place, so that errors carry the template's own path and line.
    io::ClusterObjects objects;
    try {
      io::load_template_object(doc, kind, source, source == file ? where_path : std::string(), objects);
    } catch (const InputError& e) {
      if (source == file) throw;
      throw InputError(e.file(), e.location(), e.message() + " (template given at " + file + ": " + where_path + ")");
    }
    for (auto& n : objects.nodes)
      if (n.name.empty()) n.name = "template";
    for (auto& p : objects.pods)
      if (p.name.empty()) p.name = "template";
    return objects;
  }

  io::PodObject pod_template(const yaml::Value& at, const yaml::Object& op) const {
    auto objects = template_objects(at, op, "podTemplate", "podTemplatePath", "Pod", kDefaultPod);
    if (objects.pods.size() != 1) at.fail("the pod template must hold exactly one Pod");
    auto pod = std::move(objects.pods.front());
    if (!pod.node_name.empty()) at.fail("the pod template must not set spec.nodeName (pods are created pending)");
    return pod;
  }

  io::NodeObject node_template(const yaml::Value& at, const yaml::Object& op) const {
    auto objects = template_objects(at, op, "nodeTemplate", "nodeTemplatePath", "Node", kDefaultNode);
    if (objects.nodes.size() != 1) at.fail("the node template must hold exactly one Node");
    return std::move(objects.nodes.front());
  }
};

bool has_cpu_and_memory_request(const io::PodObject& pod) {
  if (pod.containers.empty()) return false;
  const auto& requests = pod.containers.front().requests;
  auto has = [&](const char* name) {
    return std::any_of(requests.begin(), requests.end(), [&](const auto& r) { return r.first == name; });
  };
  return has("cpu") && has("memory");
}

OpCode parse_opcode(const yaml::Value& op) {
  if (!op.is_object()) op.fail("expected a mapping");
  const yaml::Value opcode = op.peek("opcode");
  if (!opcode.present()) op.fail("missing required key opcode");
  const std::string name = opcode.scalar();
  for (OpCode c : {OpCode::kCreateNodes, OpCode::kCreatePods, OpCode::kDeletePods, OpCode::kChurn, OpCode::kBarrier,
                   OpCode::kSleep})
    if (name == opcode_name(c)) return c;
  opcode.fail("unknown opcode \"" + name + "\" (known: createNodes, createPods, deletePods, churn, barrier, sleep)");
}

Op parse_op(const Reader& r, const yaml::Value& node, std::size_t index) {
  Op op;
  op.where = node.path();
  op.code = parse_opcode(node);
  switch (op.code) {
    case OpCode::kCreateNodes: {
      const auto o = Reader::keys(node, {"opcode", "count", "countParam", "nodeTemplate", "nodeTemplatePath", "shapes", "zones"});
      op.count = r.count(node, o, true);
      if (*op.count > kMaxWorkloadNodes)
        o[o.has("count") ? "count" : "countParam"].fail(std::to_string(*op.count) + " nodes, too many (at most " +
                                                        std::to_string(kMaxWorkloadNodes) + " per workload)");
      op.node_template = r.node_template(node, o);
      if (const yaml::Value shapes = o["shapes"]; shapes.present()) {
        const auto s = shapes.scalar();
        if (s != "mixed" && s != "template")
          shapes.fail("expected \"mixed\" (the generator's ten node shapes) or \"template\", got \"" + s + "\"");
        op.mixed_shapes = s == "mixed";
      }
      if (o.has("zones")) op.zones = r.non_negative(o["zones"]);
      break;
    }
    case OpCode::kCreatePods: {
      const auto o = Reader::keys(node, {"opcode", "count", "countParam", "podTemplate", "podTemplatePath", "podTemplates",
                                         "namespace", "collectMetrics", "shapes"});
      op.count = r.count(node, o, true);
      if (const yaml::Value mix = o["podTemplates"]; mix.present()) {
        for (const char* single : {"podTemplate", "podTemplatePath", "shapes"})
          if (o.has(single)) o[single].fail(std::string("give either podTemplates or ") + single + ", not both");
        if (!mix.is_list() || mix.items().empty())
          mix.fail("expected a non-empty list of {weight, podTemplate or podTemplatePath}");
        for (const yaml::Value& item : mix.items()) {
          const auto t = Reader::keys(item, {"weight", "podTemplate", "podTemplatePath"});
          if (!t.has("podTemplate") && !t.has("podTemplatePath")) item.fail("missing required key podTemplate (or podTemplatePath)");
          std::int64_t weight = 1;
          if (t.has("weight")) {
            weight = r.integer(t["weight"]);
            if (weight <= 0) t["weight"].fail("must be positive, got " + std::to_string(weight));
          }
          op.pod_templates.push_back(r.pod_template(item, t));
          op.pod_template_weights.push_back(weight);
        }
      } else {
        op.pod_template = r.pod_template(node, o);
      }
      if (const yaml::Value shapes = o["shapes"]; shapes.present()) {
        const auto s = shapes.scalar();
        if (s != "distinct" && s != "template")
          shapes.fail("expected \"distinct\" (every pod its own cpu/memory request) or \"template\", got \"" + s + "\"");
        op.distinct_requests = s == "distinct";
        if (op.distinct_requests && !has_cpu_and_memory_request(op.pod_template))
          shapes.fail("\"distinct\" varies the first container's cpu and memory requests: the pod template must have both");
      }
      op.namespace_ = o.has("namespace") ? o["namespace"].scalar() : "namespace-" + std::to_string(index);
      if (o.has("collectMetrics")) op.collect_metrics = Reader::boolean(o["collectMetrics"]);
      break;
    }
    case OpCode::kDeletePods: {
      const auto o = Reader::keys(node, {"opcode", "count", "countParam", "namespace"});
      op.count = r.count(node, o, false);
      if (!o.has("namespace")) node.fail("missing required key namespace");
      op.namespace_ = o["namespace"].scalar();
      break;
    }
    case OpCode::kChurn: {
      const auto o = Reader::keys(node, {"opcode", "mode", "number", "intervalPods", "intervalMilliseconds", "podTemplate",
                                         "podTemplatePath", "namespace"});
      if (o.has("intervalMilliseconds"))
        o["intervalMilliseconds"].fail(
            "Podium simulates without a clock: give intervalPods (churn every N scheduling decisions) instead");
      if (!o.has("mode")) node.fail("missing required key mode (create or recreate)");
      const auto mode = o["mode"].scalar();
      if (mode != "create" && mode != "recreate") o["mode"].fail("expected create or recreate, got \"" + mode + "\"");
      op.churn_recreate = mode == "recreate";
      if (!o.has("number")) node.fail("missing required key number");
      op.churn_number = r.non_negative(o["number"]);
      if (!o.has("intervalPods")) node.fail("missing required key intervalPods");
      op.churn_interval_pods = r.integer(o["intervalPods"]);
      if (op.churn_interval_pods <= 0) o["intervalPods"].fail("must be positive");
      op.pod_template = r.pod_template(node, o);
      op.namespace_ = o.has("namespace") ? o["namespace"].scalar() : "churn-" + std::to_string(index);
      break;
    }
    case OpCode::kBarrier:
      (void)Reader::keys(node, {"opcode"});
      break;
    case OpCode::kSleep: {
      const auto o = Reader::keys(node, {"opcode", "duration"});
      if (!o.has("duration")) node.fail("missing required key duration");
      op.sleep_seconds = Reader::number(o["duration"]);
      break;
    }
  }
  return op;
}

}  // namespace

std::size_t next_weighted_template(std::span<const std::int64_t> weights, std::vector<std::int64_t>& credit) {
  // Every template gains its weight; the richest (first on a tie) is chosen and pays the total.
  std::int64_t total = 0;
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    credit[i] += weights[i];
    total += weights[i];
    if (credit[i] > credit[chosen]) chosen = i;
  }
  credit[chosen] -= total;
  return chosen;
}

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
  yaml::check_utf8(text, file_name);
  std::vector<YAML::Node> documents;
  try {
    // Every document, not YAML::Load's first one only: a second document (or anything left
    // after the first) would otherwise be ignored without a word.
    documents = yaml::load_all(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file_name, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
  if (documents.size() > 1)
    throw InputError(file_name, "line " + std::to_string(yaml::line_of(documents[1])),
                     "expected one document (a list of test cases), found " + std::to_string(documents.size()));
  yaml::check_alias_expansion(documents, text.size(), file_name);
  const YAML::Node doc = documents.empty() ? YAML::Node() : documents.front();
  const yaml::Value root = yaml::Value::root(file_name, doc);
  if (!root.is_list()) root.fail("expected a list of test cases (each with name, workloadTemplate, workloads)");
  std::vector<Workload> out;
  std::set<std::string> case_names;
  for (const yaml::Value& tc_value : root.items()) {
    const auto tc = Reader::keys(tc_value, {"name", "labels", "requiredPlugins", "workloadTemplate", "workloads"});
    for (const char* k : {"name", "workloadTemplate", "workloads"})
      if (!tc.has(k)) tc_value.fail(std::string("missing required key ") + k);
    const std::string case_name = tc["name"].scalar();
    if (!case_names.insert(case_name).second) tc["name"].fail("duplicate test case name \"" + case_name + "\"");
    const auto case_labels = tc.has("labels") ? Reader::strings(tc["labels"]) : std::vector<std::string>{};
    const auto required = tc.has("requiredPlugins") ? Reader::strings(tc["requiredPlugins"]) : std::vector<std::string>{};
    const yaml::Value tmpl_value = tc["workloadTemplate"];
    if (!tmpl_value.is_list() || tmpl_value.items().empty()) tmpl_value.fail("expected a non-empty list of operations");
    const std::vector<yaml::Value> tmpl = tmpl_value.items();
    const yaml::Value wls_value = tc["workloads"];
    if (!wls_value.is_list() || wls_value.items().empty()) wls_value.fail("expected a non-empty list of workloads");
    std::set<std::string> names;
    std::size_t w = 0;
    for (const yaml::Value& wl_value : wls_value.items()) {
      const auto wl = Reader::keys(wl_value, {"name", "labels", "params", "expect", "threshold", "requeueVictims"});
      if (!wl.has("name")) wl_value.fail("missing required key name");
      Workload workload;
      workload.file = file_name;
      workload.test_case = case_name;
      workload.name = wl["name"].scalar();
      if (!names.insert(workload.name).second) wl["name"].fail("duplicate workload name \"" + workload.name + "\"");
      workload.labels = case_labels;
      if (wl.has("labels"))
        for (auto& l : Reader::strings(wl["labels"])) workload.labels.push_back(std::move(l));
      workload.required_plugins = required;

      Params params;
      const yaml::Value params_value = wl["params"];
      if (params_value.present() && !params_value.is_object())
        params_value.fail("expected a mapping of parameter name to integer");
      for (const auto& [name, value] : params_value.fields()) {
        const std::string number = value.scalar();
        std::int64_t v = 0;
        if (yaml::parse_int64(number, v) != yaml::IntParse::kOk || v < 0)
          value.fail("expected a non-negative integer, got \"" + number + "\"");
        params.emplace(name, v);
        workload.params.emplace_back(name, v);
      }
      std::set<std::string> used;
      const Reader r{base_dir, &params, "workloads[" + std::to_string(w) + "] (" + workload.name + ")", &used};
      for (std::size_t o = 0; o < tmpl.size(); ++o) workload.ops.push_back(parse_op(r, tmpl[o], o));

      // Every workload states its answer; a benchmark without one cannot fail.
      if (!wl.has("expect")) wl_value.fail("missing required key expect (e.g. expect: {unschedulable: 0})");
      const auto expect = Reader::keys(wl["expect"], {"unschedulable", "placedOnRetry", "preemptions", "victims"});
      if (!expect.has("unschedulable")) wl["expect"].fail("missing required key unschedulable");
      workload.expected_unschedulable = r.non_negative(expect["unschedulable"]);
      if (expect.has("placedOnRetry")) workload.expected_placed_on_retry = r.non_negative(expect["placedOnRetry"]);
      if (expect.has("preemptions")) workload.expected_preemptions = r.non_negative(expect["preemptions"]);
      if (expect.has("victims")) workload.expected_victims = r.non_negative(expect["victims"]);
      if (const yaml::Value threshold = wl["threshold"]; threshold.present()) {
        workload.threshold = Reader::number(threshold);
        if (*workload.threshold < 0) threshold.fail("must not be negative");
      }
      if (wl.has("requeueVictims")) workload.requeue_victims = Reader::boolean(wl["requeueVictims"]);
      for (const auto& [name, value] : params_value.fields())
        if (!used.contains(name)) value.fail("parameter is not used by the workloadTemplate or expect");

      // createNodes may come after pod steps: those nodes join the cluster when their op runs
      // (runner.cpp, RunContext::add_nodes).
      bool measured = false;
      for (const Op& op : workload.ops) measured = measured || (op.code == OpCode::kCreatePods && op.collect_metrics);
      if (!measured) tmpl_value.fail("no createPods operation has collectMetrics: true");
      out.push_back(std::move(workload));
      ++w;
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
