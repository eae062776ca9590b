// Merging a sweep's results directory into one DataItems table (merge.hpp).

#include "merge.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "podium/common/input_error.hpp"
#include "results_dir.hpp"

namespace podium::sweep {
namespace {

using Json = nlohmann::ordered_json;

Json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open");
  try {
    return Json::parse(in);
  } catch (const Json::parse_error& e) {
    throw InputError(path, "byte " + std::to_string(e.byte), std::string("invalid JSON: ") + e.what());
  }
}

std::string label_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Numeric leaves of an object, nested keys joined with '.'; arrays are left out.
void numeric_leaves(const Json& v, const std::string& prefix, Json& data) {
  for (const auto& [k, x] : v.items()) {
    const std::string key = prefix.empty() ? k : prefix + "." + k;
    if (x.is_number()) data[key] = x;
    else if (x.is_boolean()) data[key] = x.get<bool>() ? 1 : 0;
    else if (x.is_object()) numeric_leaves(x, key, data);
  }
}

struct TaskInfo {
  std::size_t index;
  std::string stem;
  Json parameters;
};

// The items of one task's output, labelled with its index and parameters.
void append_items(const std::string& command, const TaskInfo& t, const Json& output, const std::string& path,
                  Json& items) {
  auto label = [&](Json& labels) {
    labels["sweepTask"] = std::to_string(t.index);
    for (const auto& [k, v] : t.parameters.items())
      if (!labels.contains(k)) labels[k] = v;
  };
  if (output.is_object() && output.contains("dataItems")) {
    if (!output["dataItems"].is_array()) throw InputError(path, "dataItems", "expected an array");
    for (Json item : output["dataItems"]) {
      if (!item.is_object() || !item.contains("labels") || !item["labels"].is_object())
        throw InputError(path, "dataItems", "expected items with a labels object");
      label(item["labels"]);
      items.push_back(std::move(item));
    }
    return;
  }
  if (!output.is_object()) throw InputError(path, "", "expected a JSON object");
  Json item = {{"data", Json::object()}, {"unit", ""}, {"labels", {{"Metric", command}}}};
  numeric_leaves(output, "", item["data"]);
  // `podium replay` reports one object per (algorithm, pod list) under `results`: each is an
  // item of its own, its numbers beside the run's, its strings (algorithm, pods_file) labels.
  if (output.contains("results") && output["results"].is_array()) {
    for (std::size_t i = 0; i < output["results"].size(); ++i) {
      const Json& result = output["results"][i];
      if (!result.is_object()) throw InputError(path, "results[" + std::to_string(i) + "]", "expected an object");
      Json per_result = item;
      numeric_leaves(result, "", per_result["data"]);
      for (const auto& [k, v] : result.items())
        if (v.is_string()) per_result["labels"][k] = v;
      label(per_result["labels"]);
      items.push_back(std::move(per_result));
    }
    return;
  }
  label(item["labels"]);
  items.push_back(std::move(item));
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One row per (item, data field): task, the axes, Metric, the item's other labels, field,
// value, unit.
void write_csv(std::ostream& out, const Json& axes, const Json& items) {
  std::vector<std::string> axis_names;
  for (const auto& a : axes) axis_names.push_back(a["name"].get<std::string>());
  out << "task";
  for (const auto& a : axis_names) out << "," << csv_field(a);
  out << ",metric,labels,field,value,unit\n";
  for (const auto& item : items) {
    const Json& labels = item["labels"];
    std::string own;
    for (const auto& [k, v] : labels.items()) {
      if (k == "Metric" || k == "sweepTask") continue;
      if (std::find(axis_names.begin(), axis_names.end(), k) != axis_names.end()) continue;
      own += (own.empty() ? "" : ";") + k + "=" + label_text(v);
    }
    const Json data = item.value("data", Json::object());  // a copy: items() would outlive a temporary
    for (const auto& [field, value] : data.items()) {
      out << label_text(labels.value("sweepTask", Json("")));
      for (const auto& a : axis_names) out << "," << csv_field(labels.contains(a) ? label_text(labels[a]) : "");
      out << "," << csv_field(label_text(labels.value("Metric", Json("")))) << "," << csv_field(own) << ","
          << csv_field(field) << "," << value.dump() << "," << csv_field(label_text(item.value("unit", Json("")))) << "\n";
    }
  }
}

}  // namespace

MergeSummary merge_results(const std::string& dir, std::ostream& json, std::ostream* csv) {
  const std::string manifest_file = manifest_path(dir);
  if (!std::filesystem::is_regular_file(manifest_file))
    throw InputError(dir, "", "no sweep.json: not a sweep results directory (podium sweep run/task write it)");
  const Json manifest = read_json_file(manifest_file);
  if (!manifest.is_object() || manifest.value("kind", "") != "PodiumSweep" || !manifest.contains("tasks"))
    throw InputError(manifest_file, "kind", "not a podium sweep manifest");
  const std::string command = manifest.value("command", "");

  MergeSummary summary;
  Json items = Json::array();
  Json missing = Json::array(), failed = Json::array(), skipped = Json::array();
  for (const auto& t : manifest["tasks"]) {
    const TaskInfo info{t.at("index").get<std::size_t>(), t.at("stem").get<std::string>(), t.at("parameters")};
    ++summary.tasks;
    const auto record = read_record((std::filesystem::path(dir) / (info.stem + ".task.json")).string());
    if (!record || record->index != info.index) {
      summary.missing.push_back(info.index);
      missing.push_back({{"index", info.index}, {"stem", info.stem}});
      continue;
    }
    if (record->exit_status == 77) {
      summary.skipped.push_back(info.index);
      skipped.push_back({{"index", info.index}, {"stem", info.stem}});
    } else if (record->exit_status != 0) {
      summary.failed.push_back(info.index);
      failed.push_back({{"index", info.index}, {"stem", info.stem}, {"exitStatus", record->exit_status},
                        {"log", info.stem + ".log"}});
    }
    // A failed task's output is kept when there is one (bench writes its report, with the
    // failed check, before exiting 1); its items say Passed = 0.
    const std::string output = (std::filesystem::path(dir) / (info.stem + ".json")).string();
    if (!std::filesystem::is_regular_file(output)) continue;
    append_items(command, info, read_json_file(output), output, items);
    ++summary.merged;
  }
  Json axes = Json::array();
  for (const auto& a : manifest.value("axes", Json::array()))
    axes.push_back({{"name", a.at("name")}, {"option", a.value("option", "")}, {"values", a.at("values")}});
  const Json doc = {{"version", "v1"},
                    {"sweep",
                     {{"name", manifest.value("name", "")},
                      {"command", command},
                      {"args", manifest.value("args", Json::array())},
                      {"axes", axes},
                      {"repetitions", manifest.value("repetitions", 1)},
                      {"taskCount", summary.tasks},
                      {"merged", summary.merged},
                      {"missing", missing},
                      {"failed", failed},
                      {"skipped", skipped}}},
                    {"dataItems", items}};
  json << doc.dump(1) << "\n";
  if (csv != nullptr) write_csv(*csv, axes, items);
  return summary;
}

}  // namespace podium::sweep
