#include "podium/gpushare/fragmentation.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace podium::gpushare {

std::vector<TypicalPod> typical_pods(const std::vector<GpuPod>& pods, const StringInterner& specs,
                                     const TypicalPodsOptions& options) {
  // The artifact keys shapes by (MilliCpu, MilliGpu, GpuNumber, GpuType text); memory is
  // not part of a shape.
  using ShapeKey = std::tuple<std::int64_t, std::int32_t, std::int32_t, std::string>;
  std::map<ShapeKey, std::pair<double, const GpuPod*>> counts;
  double total = 0;
  for (const GpuPod& pod : pods) {
    if (!options.include_cpu_pods && pod.num_gpu == 0) continue;
    auto& entry = counts[ShapeKey{pod.cpu_milli, pod.gpu_milli, pod.num_gpu, specs.text(pod.spec)}];
    entry.first += 1;
    entry.second = &pod;
    total += 1;
  }
  struct Row {
    ShapeKey key;
    double count;
    const GpuPod* pod;
  };
  std::vector<Row> rows;
  rows.reserve(counts.size());
  for (auto& [key, value] : counts) rows.push_back(Row{key, value.first, value.second});
  // sort.Reverse(TargetPodList): count descending, then PodResource.Less reversed.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.key > b.key;
  });
  // Take shapes one at a time until they cover the threshold share of pods.
  const double expected = options.popularity_threshold * total;
  double covered = 0;
  std::size_t kept = 0;
  while (covered < expected && kept < rows.size()) covered += rows[kept++].count;
  std::vector<TypicalPod> typical;
  typical.reserve(kept);
  for (std::size_t i = 0; i < kept; ++i) {
    GpuPod shape = *rows[i].pod;
    shape.memory_mib = 0;
    typical.push_back(TypicalPod{shape, rows[i].count / covered});
  }
  return typical;
}

double fragmentation_of(std::int16_t model, std::int64_t cpu_free, std::span<const std::int32_t> devices,
                        const std::vector<TypicalPod>& typical) {
  std::int64_t idle = 0;
  for (const std::int32_t free : devices) idle += free;
  double frag = 0;
  for (const TypicalPod& t : typical) {
    const GpuPod& pod = t.shape;
    // GetNodePodFrag: no GPU asked (XL/XR), model not allowed (NoAccess), or lacking CPU or
    // devices (Q1, Q2, Q4): every idle milli-GPU counts as fragment.
    if (pod.gpu_milli == 0 || !GpuCluster::model_allowed(model, pod) || cpu_free < pod.cpu_milli) {
      frag += t.frequency * static_cast<double>(idle);
      continue;
    }
    int fitting = 0;
    std::int64_t too_small = 0;
    for (const std::int32_t free : devices) {
      if (free >= pod.gpu_milli)
        ++fitting;
      else
        too_small += free;
    }
    // Q3 (fits): only the devices too small for it (GetGpuFragMilliByNodeResAndPodRes).
    frag += t.frequency * static_cast<double>(fitting >= pod.num_gpu ? too_small : idle);
  }
  return frag;
}

double node_fragmentation(const GpuCluster& cluster, NodeIndex node, const std::vector<TypicalPod>& typical) {
  return fragmentation_of(cluster.model(node), cluster.cpu_free(node), cluster.devices(node), typical);
}

FragmentationMemo::FragmentationMemo(std::vector<TypicalPod> typical) : typical_(std::move(typical)) {
  for (const TypicalPod& t : typical_) cpu_thresholds_.push_back(t.shape.cpu_milli);
  std::sort(cpu_thresholds_.begin(), cpu_thresholds_.end());
  cpu_thresholds_.erase(std::unique(cpu_thresholds_.begin(), cpu_thresholds_.end()), cpu_thresholds_.end());
}

std::size_t FragmentationMemo::KeyHash::operator()(const Key& k) const noexcept {
  std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::uint16_t>(k.model)) << 16 |
                    static_cast<std::uint16_t>(k.cpu_rank);
  for (const std::int16_t d : k.devices) h = (h ^ static_cast<std::uint16_t>(d)) * 0x100000001B3ULL;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

double FragmentationMemo::of(std::int16_t model, std::int64_t cpu_free,
                             std::span<const std::int32_t, kMaxGpusPerNode> devices) {
  Key key{};
  key.model = model;
  // Only "CPU left >= t.cpu" matters to F, so the CPU left enters the key as the number of
  // distinct typical CPU requests it covers.
  key.cpu_rank = static_cast<std::int16_t>(
      std::upper_bound(cpu_thresholds_.begin(), cpu_thresholds_.end(), cpu_free) - cpu_thresholds_.begin());
  for (std::size_t d = 0; d < devices.size(); ++d) key.devices[d] = static_cast<std::int16_t>(devices[d]);
  std::sort(key.devices.begin(), key.devices.end(), std::greater<>());
  const auto [it, inserted] = memo_.try_emplace(key, 0.0);
  // The sum runs over the sorted device list so equal keys give bit-identical values.
  if (inserted) {
    std::array<std::int32_t, kMaxGpusPerNode> sorted{};
    for (std::size_t d = 0; d < sorted.size(); ++d) sorted[d] = key.devices[d];
    it->second = fragmentation_of(model, cpu_free, sorted, typical_);
  }
  return it->second;
}

}  // namespace podium::gpushare
