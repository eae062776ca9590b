#include "podium/gpushare/gpu_cluster.hpp"

#include <bit>
#include <cassert>
#include <stdexcept>

namespace podium::gpushare {

std::int16_t GpuCluster::intern_model(std::string_view model) {
  const StringId id = models_.intern(model);
  if (id >= static_cast<StringId>(kMaxGpuModels))
    throw std::length_error("more than " + std::to_string(kMaxGpuModels) + " GPU models");
  return static_cast<std::int16_t>(id);
}

std::int16_t GpuCluster::find_model(std::string_view model) const {
  const auto id = models_.find(model);
  return id ? static_cast<std::int16_t>(*id) : kNoModel;
}

NodeIndex GpuCluster::add_node(std::string name, std::int64_t cpu_milli, std::int64_t memory_mib, int gpus,
                               std::int16_t model) {
  if (gpus < 0 || gpus > kMaxGpusPerNode) throw std::out_of_range("a node holds 0.." + std::to_string(kMaxGpusPerNode) + " GPUs");
  const auto n = static_cast<NodeIndex>(names_.size());
  names_.push_back(std::move(name));
  cpu_capacity_.push_back(cpu_milli);
  cpu_free_.push_back(cpu_milli);
  memory_capacity_.push_back(memory_mib);
  memory_free_.push_back(memory_mib);
  gpu_count_.push_back(static_cast<std::uint8_t>(gpus));
  model_.push_back(gpus > 0 ? model : kNoModel);
  for (int d = 0; d < kMaxGpusPerNode; ++d) device_free_.push_back(d < gpus ? kMilliPerGpu : 0);
  version_.push_back(0);
  gpu_capacity_milli_ += std::int64_t{gpus} * kMilliPerGpu;
  return n;
}

std::int64_t GpuCluster::gpu_free_milli(NodeIndex n) const {
  std::int64_t sum = 0;
  for (const std::int32_t free : devices(n)) sum += free;
  return sum;
}

bool GpuCluster::model_allowed(std::int16_t node_model, const GpuPod& pod) {
  if (!pod.model_constrained) return true;
  return node_model != kNoModel && ((pod.allowed_models >> node_model) & 1U) != 0;
}

bool GpuCluster::fits(NodeIndex n, const GpuPod& pod) const {
  if (cpu_free_[n] < pod.cpu_milli || memory_free_[n] < pod.memory_mib) return false;
  return devices_fit(n, pod);
}

bool GpuCluster::devices_fit(NodeIndex n, const GpuPod& pod) const {
  if (pod.num_gpu == 0) return true;
  if (gpu_count_[n] == 0 || !model_allowed(model_[n], pod)) return false;
  int fitting = 0;
  for (const std::int32_t free : devices(n)) fitting += free >= pod.gpu_milli ? 1 : 0;
  return fitting >= pod.num_gpu;
}

void GpuCluster::bind(NodeIndex n, const GpuPod& pod, DeviceSet devices) {
  assert(std::popcount(static_cast<unsigned>(devices)) == pod.num_gpu);
  cpu_free_[n] -= pod.cpu_milli;
  memory_free_[n] -= pod.memory_mib;
  for (int d = 0; d < kMaxGpusPerNode; ++d) {
    if (((devices >> d) & 1U) == 0) continue;
    std::int32_t& free = device_free_[std::size_t{n} * kMaxGpusPerNode + static_cast<std::size_t>(d)];
    assert(d < gpu_count_[n] && free >= pod.gpu_milli);
    free -= pod.gpu_milli;
  }
  gpu_allocated_milli_ += pod.total_gpu_milli();
  ++version_[n];
}

void GpuCluster::unbind(NodeIndex n, const GpuPod& pod, DeviceSet devices) {
  cpu_free_[n] += pod.cpu_milli;
  memory_free_[n] += pod.memory_mib;
  for (int d = 0; d < kMaxGpusPerNode; ++d)
    if (((devices >> d) & 1U) != 0) device_free_[std::size_t{n} * kMaxGpusPerNode + static_cast<std::size_t>(d)] += pod.gpu_milli;
  gpu_allocated_milli_ -= pod.total_gpu_milli();
  ++version_[n];
}

DeviceSet best_fit_devices(std::span<const std::int32_t, kMaxGpusPerNode> devices, int gpu_count, const GpuPod& pod) {
  if (pod.num_gpu == 0) return 0;
  if (!pod.shares_gpu()) return exclusive_devices(devices, gpu_count, pod);
  int best = -1;
  for (int d = 0; d < gpu_count; ++d)
    if (devices[static_cast<std::size_t>(d)] >= pod.gpu_milli &&
        (best < 0 || devices[static_cast<std::size_t>(d)] < devices[static_cast<std::size_t>(best)]))
      best = d;
  return best < 0 ? DeviceSet{0} : static_cast<DeviceSet>(1U << best);
}

DeviceSet exclusive_devices(std::span<const std::int32_t, kMaxGpusPerNode> devices, int gpu_count, const GpuPod& pod) {
  unsigned set = 0;
  int needed = pod.num_gpu;
  for (int d = 0; d < gpu_count && needed > 0; ++d)
    if (devices[static_cast<std::size_t>(d)] == kMilliPerGpu) {
      set |= 1U << d;
      --needed;
    }
  return needed == 0 ? static_cast<DeviceSet>(set) : DeviceSet{0};
}

}  // namespace podium::gpushare
