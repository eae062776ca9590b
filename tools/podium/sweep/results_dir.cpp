// Manifest and task records of a sweep results directory (results_dir.hpp).

#include "results_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"

namespace podium::sweep {
namespace {

using Json = nlohmann::ordered_json;

std::string join(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

Json manifest_json(const Spec& spec) {
  Json axes = Json::array();
  for (const auto& a : spec.axes) axes.push_back({{"name", a.name}, {"option", a.option}, {"values", a.values}});
  Json tasks = Json::array();
  const std::size_t n = task_count(spec);
  for (std::size_t i = 0; i < n; ++i) {
    const Task t = task_at(spec, i);
    Json params = Json::object();
    for (const auto& [k, v] : task_parameters(spec, t)) params[k] = v;
    tasks.push_back({{"index", i}, {"stem", t.stem}, {"parameters", params}});
  }
  return {{"kind", "PodiumSweep"}, {"name", spec.name},   {"command", spec.command},
          {"args", spec.args},     {"axes", axes},        {"repetitions", spec.repetitions},
          {"outputOption", spec.output_option},           {"taskCount", n},
          {"tasks", tasks}};
}

std::optional<Json> read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    return Json::parse(in);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string output_path(const std::string& results, const Task& task) { return join(results, task.stem + ".json"); }
std::string log_path(const std::string& results, const Task& task) { return join(results, task.stem + ".log"); }
std::string record_path(const std::string& results, const Task& task) { return join(results, task.stem + ".task.json"); }
std::string manifest_path(const std::string& results) { return join(results, "sweep.json"); }

void ensure_manifest(const Spec& spec, const std::string& results) {
  std::error_code ec;
  std::filesystem::create_directories(results, ec);
  if (ec) throw std::runtime_error(results + ": cannot create the results directory: " + ec.message());
  const Json want = manifest_json(spec);
  const std::string path = manifest_path(results);
  if (std::filesystem::exists(path)) {
    const auto have = read_json(path);
    if (have && *have == want) return;
    if (have && have->value("kind", "") == "PodiumSweep")
      throw InputError(spec.file, "",
                       path + " belongs to a different sweep (another spec, or this one edited since): use another "
                              "--results directory, or delete it to start over");
  }
  // Several array tasks may start at once; each writes the same bytes, atomically.
  write_file_atomically(path, [&](std::ostream& out) { out << want.dump(1) << "\n"; });
}

void write_record(const Spec& spec, const Task& task, const std::vector<std::string>& argv, int exit_status,
                  double seconds, const std::string& results) {
  Json params = Json::object();
  for (const auto& [k, v] : task_parameters(spec, task)) params[k] = v;
  const Json record = {{"kind", "PodiumSweepTask"},
                       {"sweep", spec.name},
                       {"index", task.index},
                       {"parameters", params},
                       {"argv", argv},
                       {"exitStatus", exit_status},
                       {"seconds", seconds},
                       {"output", task.stem + ".json"}};
  write_file_atomically(record_path(results, task), [&](std::ostream& out) { out << record.dump(1) << "\n"; });
}

std::optional<Record> read_record(const std::string& path) {
  const auto j = read_json(path);
  if (!j || !j->is_object() || j->value("kind", "") != "PodiumSweepTask") return std::nullopt;
  try {
    Record r;
    r.index = j->at("index").get<std::size_t>();
    r.exit_status = j->at("exitStatus").get<int>();
    r.seconds = j->at("seconds").get<double>();
    return r;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

bool task_finished(const std::string& results, const Task& task) {
  const auto r = read_record(record_path(results, task));
  return r && r->index == task.index && finished(*r) && std::filesystem::exists(output_path(results, task));
}

}  // namespace podium::sweep
