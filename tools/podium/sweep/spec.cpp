// Sweep specs: strict reading (unknown keys, wrong types and empty axes are errors naming
// the file, the key and the line) and the mixed-radix expansion of the grid.

#include "spec.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "podium/common/input_error.hpp"
#include "podium/common/yaml_reader.hpp"

namespace podium::sweep {
namespace {

// Subcommands a sweep may run and the option through which each writes its output file.
// `replay` is accepted before it exists in this build: its task then fails with podium's
// own usage error, reported by merge like any failed task.
struct KnownCommand {
  const char* name;
  const char* output_option;
};
constexpr KnownCommand kCommands[] = {
    {"bench", "--out"}, {"schedule", "--output"}, {"plan", "--output"}, {"replay", "--out"}, {"generate", "--output"}};

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 40 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_axis_name(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

// A value in a file name: the last path component without its extension for paths, and
// anything but [A-Za-z0-9.+_] turned into '_', at most 40 characters; the index in front
// keeps names unique whatever this folds together.
std::string slug(const std::string& value) {
  std::string v = value;
  if (const auto slash = v.find_last_of('/'); slash != std::string::npos && slash + 1 < v.size()) {
    v = v.substr(slash + 1);
    if (const auto dot = v.find_last_of('.'); dot != std::string::npos && dot > 0) v = v.substr(0, dot);
  }
  std::string out;
  for (char c : v) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '+' || c == '_';
    out += keep ? c : '_';
  }
  if (out.size() > 40) out.resize(40);
  return out.empty() ? "_" : out;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "", "cannot open the sweep spec");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A YAML scalar as an argv token (numbers and booleans as written).
std::string token(const yaml::Value& v) {
  if (!v.is_scalar()) v.fail("expected a scalar (a string or a number)");
  return v.scalar();
}

Axis read_axis(const yaml::Value& v, std::set<std::string>& names) {
  const auto o = v.object({"name", "option", "values"});
  Axis axis;
  if (!o.has("name")) v.fail("missing required key name");
  axis.name = o["name"].string();
  if (!valid_axis_name(axis.name)) o["name"].fail("an axis name is 1-40 of [A-Za-z0-9_-]");
  if (axis.name == "repetition") o["name"].fail("\"repetition\" is reserved (use the repetitions key)");
  if (!names.insert(axis.name).second) o["name"].fail("duplicate axis name \"" + axis.name + "\"");
  if (o.has("option")) {
    axis.option = o["option"].string();
    if (axis.option.size() < 2 || axis.option[0] != '-')
      o["option"].fail("expected a podium option such as --seed (leave option out for a positional argument)");
  }
  if (!o["values"].is_list() || o["values"].items().empty()) o["values"].fail("expected a non-empty list of values");
  std::set<std::string> seen;
  for (const yaml::Value& item : o["values"].items()) {
    axis.values.push_back(token(item));
    if (!seen.insert(axis.values.back()).second) item.fail("duplicate value \"" + axis.values.back() + "\"");
  }
  return axis;
}

}  // namespace

Spec load_spec(const std::string& file) {
  const std::string text = read_text(file);
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
  const yaml::Value root = yaml::Value::root(file, doc);
  if (!root.is_object()) root.fail("expected a mapping (name, command, args, axes, repetitions, outputOption, results)");
  const auto o = root.object({"name", "command", "args", "axes", "repetitions", "outputOption", "results"});
  Spec spec;
  spec.file = file;
  for (const char* k : {"name", "command", "axes"})
    if (!o.has(k)) root.fail(std::string("missing required key ") + k);
  spec.name = o["name"].string();
  if (!valid_name(spec.name))
    o["name"].fail("a sweep name is 1-40 of [a-z0-9-], not starting or ending with '-' (it names Slurm and Kubernetes jobs)");
  spec.command = o["command"].string();
  const KnownCommand* known = nullptr;
  for (const auto& c : kCommands)
    if (spec.command == c.name) known = &c;
  if (known == nullptr) o["command"].fail("unknown command \"" + spec.command + "\" (bench, schedule, plan, replay, generate)");
  if (o.has("args")) {
    if (!o["args"].is_list()) o["args"].fail("expected a list of arguments");
    for (const yaml::Value& a : o["args"].items()) spec.args.push_back(token(a));
  }
  if (!o["axes"].is_list() || o["axes"].items().empty()) o["axes"].fail("expected a non-empty list of axes");
  std::set<std::string> names;
  for (const yaml::Value& a : o["axes"].items()) spec.axes.push_back(read_axis(a, names));
  if (o.has("repetitions")) {
    const auto r = o["repetitions"].int64();
    if (r < 1 || r > 1000) o["repetitions"].fail("expected 1..1000");
    spec.repetitions = static_cast<int>(r);
  }
  spec.output_option = o.has("outputOption") ? o["outputOption"].string() : known->output_option;
  if (spec.output_option.size() < 2 || spec.output_option[0] != '-')
    o["outputOption"].fail("expected an option such as --out");
  for (const auto& a : spec.args)
    if (a == spec.output_option)
      o["args"].fail(spec.output_option + " is given by the sweep (each task writes its own output file)");
  spec.results = o.has("results") ? o["results"].string() : "build/sweeps/" + spec.name;
  if (spec.results.empty()) o["results"].fail("expected a directory");
  // Guard against grids nobody meant (and size_t overflow in the expansion).
  std::size_t n = static_cast<std::size_t>(spec.repetitions);
  for (const auto& axis : spec.axes) {
    n *= axis.values.size();
    if (n > 1'000'000) o["axes"].fail("the grid has more than 1,000,000 tasks");
  }
  return spec;
}

std::size_t task_count(const Spec& spec) {
  std::size_t n = static_cast<std::size_t>(spec.repetitions);
  for (const auto& axis : spec.axes) n *= axis.values.size();
  return n;
}

Task task_at(const Spec& spec, std::size_t index) {
  const std::size_t n = task_count(spec);
  if (index >= n)
    throw std::out_of_range("task index " + std::to_string(index) + " is out of range: the sweep has tasks 0.." +
                            std::to_string(n - 1));
  Task t;
  t.index = index;
  // Mixed radix, last digit fastest: repetitions innermost, then the last axis.
  std::size_t rest = index;
  t.repetition = static_cast<int>(rest % static_cast<std::size_t>(spec.repetitions));
  rest /= static_cast<std::size_t>(spec.repetitions);
  t.values.resize(spec.axes.size());
  for (std::size_t a = spec.axes.size(); a-- > 0;) {
    const auto& values = spec.axes[a].values;
    t.values[a] = values[rest % values.size()];
    rest /= values.size();
  }
  const std::size_t width = std::max<std::size_t>(4, std::to_string(n - 1).size());
  std::string number = std::to_string(index);
  t.stem = std::string(width - number.size(), '0') + number;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) t.stem += "-" + spec.axes[a].name + "=" + slug(t.values[a]);
  if (spec.repetitions > 1) t.stem += "-repetition=" + std::to_string(t.repetition);
  return t;
}

std::vector<std::string> task_argv(const Spec& spec, const Task& task, const std::string& output) {
  std::vector<std::string> argv{spec.command};
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    if (spec.axes[a].option.empty()) argv.push_back(task.values[a]);
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    if (!spec.axes[a].option.empty()) {
      argv.push_back(spec.axes[a].option);
      argv.push_back(task.values[a]);
    }
  argv.push_back(spec.output_option);
  argv.push_back(output);
  return argv;
}

std::vector<std::pair<std::string, std::string>> task_parameters(const Spec& spec, const Task& task) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) out.emplace_back(spec.axes[a].name, task.values[a]);
  if (spec.repetitions > 1) out.emplace_back("repetition", std::to_string(task.repetition));
  return out;
}

}  // namespace podium::sweep
