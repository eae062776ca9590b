#include "openb/openb_csv.hpp"

#include <charconv>
#include <fstream>
#include <limits>
#include <string_view>

#include "podium/common/input_error.hpp"

namespace podium::datasets::openb {
namespace {

using gpushare::kMaxGpusPerNode;
using gpushare::kMilliPerGpu;

// One stream read line by line; every error names the file and line.
class CsvReader {
 public:
  CsvReader(std::istream& in, const std::string& path) : path_(path), in_(in) {}
  // The next non-empty line split at commas (no quoting: the trace has none); false at EOF.
  bool next(std::vector<std::string_view>& fields) {
    while (std::getline(in_, line_)) {
      ++line_number_;
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      if (line_.empty()) continue;
      if (line_.find('"') != std::string::npos) fail("quoted fields are not supported");
      fields.clear();
      std::string_view rest(line_);
      for (;;) {
        const auto comma = rest.find(',');
        fields.push_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return true;
    }
    if (in_.bad()) fail("read error");
    return false;
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(path_, "line " + std::to_string(line_number_), message);
  }
  std::int64_t integer(std::string_view text, std::string_view column, std::int64_t lo, std::int64_t hi) const {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
      fail(std::string(column) + ": '" + std::string(text) + "' is not an integer");
    if (value < lo || value > hi)
      fail(std::string(column) + ": " + std::to_string(value) + " is outside " + std::to_string(lo) + ".." +
           std::to_string(hi));
    return value;
  }
  std::size_t line_number() const { return line_number_; }

 private:
  std::string path_;
  std::istream& in_;
  std::string line_;
  std::size_t line_number_ = 0;
};

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 4;

void expect_header(CsvReader& csv, const std::vector<std::string_view>& got,
                   const std::vector<std::vector<std::string_view>>& allowed) {
  for (const auto& header : allowed)
    if (got == header) return;
  std::string expected;
  for (const auto& header : allowed) {
    if (!expected.empty()) expected += "' or '";
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (i > 0) expected += ',';
      expected += header[i];
    }
  }
  csv.fail("header must be '" + expected + "'");
}

std::ifstream open_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file");
  return in;
}

}  // namespace

gpushare::GpuCluster load_nodes(const std::string& path) {
  auto in = open_file(path);
  return parse_nodes(in, path);
}

PodList load_pods(const std::string& path, gpushare::GpuCluster& cluster) {
  auto in = open_file(path);
  return parse_pods(in, path, cluster);
}

gpushare::GpuCluster parse_nodes(std::istream& in, const std::string& file_name) {
  CsvReader csv(in, file_name);
  std::vector<std::string_view> f;
  if (!csv.next(f)) csv.fail("empty file: no header");
  expect_header(csv, f, {{"sn", "cpu_milli", "memory_mib", "gpu", "model"}});
  gpushare::GpuCluster cluster;
  while (csv.next(f)) {
    if (f.size() != 5) csv.fail("expected 5 columns, found " + std::to_string(f.size()));
    if (f[0].empty()) csv.fail("sn: empty node name");
    const std::int64_t cpu = csv.integer(f[1], "cpu_milli", 1, kMax);
    const std::int64_t memory = csv.integer(f[2], "memory_mib", 0, kMax);
    const auto gpus = static_cast<int>(csv.integer(f[3], "gpu", 0, kMaxGpusPerNode));
    if (gpus > 0 && f[4].empty()) csv.fail("model: empty on a node with GPUs");
    if (gpus == 0 && !f[4].empty()) csv.fail("model: '" + std::string(f[4]) + "' on a node without GPUs");
    std::int16_t model = gpushare::kNoModel;
    if (gpus > 0) {
      try {
        model = cluster.intern_model(f[4]);
      } catch (const std::length_error& e) {
        csv.fail(std::string("model: ") + e.what());
      }
    }
    cluster.add_node(std::string(f[0]), cpu, memory, gpus, model);
  }
  return cluster;
}

PodList parse_pods(std::istream& in, const std::string& file_name, gpushare::GpuCluster& cluster) {
  CsvReader csv(in, file_name);
  std::vector<std::string_view> f;
  if (!csv.next(f)) csv.fail("empty file: no header");
  expect_header(csv, f,
                {{"name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec", "qos", "pod_phase",
                  "creation_time", "deletion_time", "scheduled_time"},
                 {"name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"}});
  PodList list;
  const std::size_t columns = f.size();
  list.has_times = columns == 11;
  list.specs.intern("");
  while (csv.next(f)) {
    if (f.size() != columns)
      csv.fail("expected " + std::to_string(columns) + " columns, found " + std::to_string(f.size()));
    if (f[0].empty()) csv.fail("name: empty pod name");
    gpushare::GpuPod pod;
    pod.cpu_milli = csv.integer(f[1], "cpu_milli", 0, kMax);
    pod.memory_mib = csv.integer(f[2], "memory_mib", 0, kMax);
    pod.num_gpu = static_cast<std::int32_t>(csv.integer(f[3], "num_gpu", 0, kMaxGpusPerNode));
    pod.gpu_milli = static_cast<std::int32_t>(csv.integer(f[4], "gpu_milli", 0, kMilliPerGpu));
    if ((pod.num_gpu == 0) != (pod.gpu_milli == 0))
      csv.fail("num_gpu " + std::to_string(pod.num_gpu) + " with gpu_milli " + std::to_string(pod.gpu_milli) +
               ": both must be 0 or both positive");
    if (pod.num_gpu > 1 && pod.gpu_milli != kMilliPerGpu)
      csv.fail("gpu_milli: " + std::to_string(pod.gpu_milli) + " < 1000 with num_gpu " + std::to_string(pod.num_gpu) +
               " (a fraction of a GPU is only for single-GPU pods)");
    if (columns == 11) {
      // gpu_spec: `|`-separated allowed models; empty = any (repeats are harmless).
      const std::string_view spec = f[5];
      pod.spec = list.specs.intern(spec);
      if (!spec.empty()) {
        pod.model_constrained = true;
        std::string_view rest = spec;
        for (;;) {
          const auto bar = rest.find('|');
          const std::string_view model = rest.substr(0, bar);
          if (model.empty()) csv.fail("gpu_spec: empty model name in '" + std::string(spec) + "'");
          try {
            pod.allowed_models |= std::uint64_t{1} << cluster.intern_model(model);
          } catch (const std::length_error& e) {
            csv.fail(std::string("gpu_spec: ") + e.what());
          }
          if (bar == std::string_view::npos) break;
          rest.remove_prefix(bar + 1);
        }
      }
      const std::int64_t creation = csv.integer(f[8], "creation_time", 0, kMax);
      const std::int64_t deletion = csv.integer(f[9], "deletion_time", 0, kMax);
      if (deletion < creation)
        csv.fail("deletion_time " + std::to_string(deletion) + " is before creation_time " + std::to_string(creation));
      if (!f[10].empty()) csv.integer(f[10], "scheduled_time", 0, kMax);
      list.times.push_back(gpushare::PodTimes{creation, deletion});
    }
    list.names.emplace_back(f[0]);
    list.pods.push_back(pod);
  }
  return list;
}

}  // namespace podium::datasets::openb
