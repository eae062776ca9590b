// GPU sharing fields of nodes and pods (podium/io/gpu_share.hpp): validation with errors
// that name the file and the JSON path of the field.

#include "podium/io/gpu_share.hpp"

#include <algorithm>
#include <charconv>

#include "io/json_path.hpp"
#include "podium/common/input_error.hpp"

namespace podium::io {
namespace {

std::string field_path(const SourceRef& source, std::string_view map, std::string_view key) {
  return detail::join_path(source.path, std::string(map) + "[\"" + std::string(key) + "\"]");
}

const std::string* find_value(const StringMap& map, std::string_view key) {
  for (const auto& [k, v] : map)
    if (k == key) return &v;
  return nullptr;
}

const Quantity* find_quantity(const ResourceList& list, std::string_view key) {
  for (const auto& [k, q] : list)
    if (k == key) return &q;
  return nullptr;
}

// A whole decimal number in [lo, hi], or nullopt.
std::optional<std::int32_t> parse_int(std::string_view text, std::int32_t lo, std::int32_t hi) {
  std::int32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) return std::nullopt;
  return value;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::optional<NodeGpuShare> read_node_gpu_share(const NodeObject& node) {
  const Quantity* count = find_quantity(node.allocatable, kGpuCountKey);
  const Quantity* milli = find_quantity(node.allocatable, kGpuMilliKey);
  // Errors name status.allocatable, where the loader read the list (capacity only when
  // allocatable is absent; the message says which resource either way).
  if (count == nullptr) {
    if (milli != nullptr)
      throw InputError(node.source.file, field_path(node.source, "status.allocatable", kGpuMilliKey),
                       "node \"" + node.name + "\" gives " + std::string(kGpuMilliKey) + " without " +
                           std::string(kGpuCountKey));
    return std::nullopt;
  }
  NodeGpuShare share;
  constexpr Quantity::Nanos kUnit = 1'000'000'000;
  if (count->nanos() % kUnit != 0 || count->nanos() < 0 || count->nanos() > kUnit * kMaxGpusPerNodeObject)
    throw InputError(node.source.file, field_path(node.source, "status.allocatable", kGpuCountKey),
                     "node \"" + node.name + "\": GPU count must be a whole number of devices in 0.." +
                         std::to_string(kMaxGpusPerNodeObject));
  share.gpu_count = static_cast<std::int32_t>(count->nanos() / kUnit);
  if (milli != nullptr && milli->nanos() != Quantity::Nanos{share.gpu_count} * 1000 * kUnit)
    throw InputError(node.source.file, field_path(node.source, "status.allocatable", kGpuMilliKey),
                     "node \"" + node.name + "\": " + std::string(kGpuMilliKey) + " must be " +
                         std::to_string(share.gpu_count * 1000) + " (" + std::string(kGpuCountKey) + " x 1000)");
  if (const std::string* model = find_value(node.labels, kGpuModelKey)) share.model = *model;
  return share;
}

std::optional<PodGpuShare> read_pod_gpu_share(const PodObject& pod) {
  const StringMap& a = pod.gpu_annotations;
  const std::string* count = find_value(a, kGpuCountKey);
  const std::string* milli = find_value(a, kGpuMilliKey);
  const std::string* model = find_value(a, kGpuModelKey);
  const std::string* index = find_value(a, kGpuIndexKey);
  const auto fail = [&](std::string_view key, const std::string& message) {
    throw InputError(pod.source.file, field_path(pod.source, "metadata.annotations", key),
                     "pod \"" + pod.key() + "\": " + message);
  };
  if (count == nullptr) {
    for (const std::string_view key : {kGpuMilliKey, kGpuModelKey, kGpuIndexKey})
      if (find_value(a, key) != nullptr) fail(key, "given without " + std::string(kGpuCountKey));
    return std::nullopt;
  }
  const auto num_gpu = parse_int(*count, 0, kMaxGpusPerNodeObject);
  if (!num_gpu) fail(kGpuCountKey, "\"" + *count + "\" is not a whole number in 0.." + std::to_string(kMaxGpusPerNodeObject));
  if (*num_gpu == 0) {
    if (milli != nullptr || model != nullptr || index != nullptr)
      fail(kGpuCountKey, "0 GPUs, but " + std::string(kGpuMilliKey) + ", -card-model or -index is given");
    return std::nullopt;
  }
  PodGpuShare share;
  share.num_gpu = *num_gpu;
  share.gpu_milli = 1000;
  if (milli != nullptr) {
    const auto m = parse_int(*milli, 1, 1000);
    if (!m) fail(kGpuMilliKey, "\"" + *milli + "\" is not a whole number of milli-GPU in 1..1000");
    share.gpu_milli = *m;
  }
  if (share.num_gpu > 1 && share.gpu_milli < 1000)
    fail(kGpuMilliKey, "a fraction of a GPU (" + *milli + ") is only allowed with " + std::string(kGpuCountKey) + " 1");
  if (model != nullptr) {
    share.models = split(*model, '|');
    for (const std::string& m : share.models)
      if (m.empty()) fail(kGpuModelKey, "\"" + *model + "\" has an empty model name");
    // Kept in the order written (the text is FGD's typical-pod key, as the trace's
    // gpu_spec column is), repeats dropped.
    for (std::size_t i = share.models.size(); i-- > 1;)
      if (std::find(share.models.begin(), share.models.begin() + static_cast<long>(i), share.models[i]) !=
          share.models.begin() + static_cast<long>(i))
        share.models.erase(share.models.begin() + static_cast<long>(i));
  }
  if (index != nullptr) {
    // Device indices joined by '-' (so "0-3" is devices 0 and 3), one per GPU asked.
    for (const std::string& part : split(*index, '-')) {
      const auto d = parse_int(part, 0, kMaxGpusPerNodeObject - 1);
      if (!d) fail(kGpuIndexKey, "\"" + *index + "\" is not a '-'-separated list of device indices 0..7");
      if (std::find(share.devices.begin(), share.devices.end(), *d) != share.devices.end())
        fail(kGpuIndexKey, "\"" + *index + "\" names device " + part + " twice");
      share.devices.push_back(*d);
    }
    if (static_cast<std::int32_t>(share.devices.size()) != share.num_gpu)
      fail(kGpuIndexKey, "\"" + *index + "\" names " + std::to_string(share.devices.size()) + " device(s), the pod asks for " +
                             std::to_string(share.num_gpu));
    std::sort(share.devices.begin(), share.devices.end());
  }
  return share;
}

}  // namespace podium::io
