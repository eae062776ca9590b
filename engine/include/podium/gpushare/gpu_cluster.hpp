#pragma once
// GPU sharing: nodes that carry GPUs as individual devices, and pods that ask for whole
// GPUs or a fraction of one (the model of the FGD paper, Weng et al., ATC'23, and of its
// artifact hkust-adsl/kubernetes-scheduler-simulator, pkg/type/resource.go NodeResource /
// PodResource).
//
// Layout: one structure of arrays, one row per node, and per-device free capacity in one
// flat column with a fixed stride of kMaxGpusPerNode (8, the largest openb node):
//
//   cpu_free    [n0][n1][n2]...                 milli-CPU left
//   memory_free [n0][n1][n2]...                 MiB left
//   gpu_count   [n0][n1][n2]...                 devices on the node (0..8)
//   model       [n0][n1][n2]...                 interned GPU model, kNoModel on CPU nodes
//   device_free [n0d0..n0d7][n1d0..n1d7]...      milli-GPU left per device (1000 = idle)
//
// A row's unused device slots (d >= gpu_count) hold 0, so sums over the stride are sums
// over the node's devices. Only bind() and unbind() write the free columns. Not
// thread-safe for writing; concurrent reads of a table nobody writes are safe.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "podium/common/string_interner.hpp"

namespace podium::gpushare {

inline constexpr std::int32_t kMilliPerGpu = 1000;
inline constexpr int kMaxGpusPerNode = 8;
inline constexpr int kMaxGpuModels = 64;  // allowed-model sets are 64-bit masks
inline constexpr std::int16_t kNoModel = -1;

using NodeIndex = std::uint32_t;
// The devices a pod holds on its node: bit d = device d.
using DeviceSet = std::uint8_t;
static_assert(kMaxGpusPerNode <= 8, "DeviceSet is one byte: one bit per device");

// What a pod asks for. A GPU-sharing pod has num_gpu == 1 and gpu_milli < 1000 (the
// fraction of one device); a multi-GPU pod always asks for whole devices (gpu_milli 1000).
struct GpuPod {
  std::int64_t cpu_milli = 0;
  std::int64_t memory_mib = 0;
  std::int32_t num_gpu = 0;
  std::int32_t gpu_milli = 0;        // per requested GPU
  std::uint64_t allowed_models = 0;  // bit m = model m allowed; meaningful only if constrained
  bool model_constrained = false;    // false: any GPU model
  StringId spec = 0;                 // the raw allowed-model text, interned (typical-pod key)

  bool shares_gpu() const { return num_gpu == 1 && gpu_milli < kMilliPerGpu; }
  std::int64_t total_gpu_milli() const { return std::int64_t{num_gpu} * gpu_milli; }
};

class GpuCluster {
 public:
  // GPU models, interned; ids are model numbers (< kMaxGpuModels).
  std::int16_t intern_model(std::string_view model);
  std::int16_t find_model(std::string_view model) const;  // kNoModel if absent
  const std::string& model_name(std::int16_t model) const { return models_.text(static_cast<StringId>(model)); }
  std::size_t model_count() const { return models_.size(); }

  NodeIndex add_node(std::string name, std::int64_t cpu_milli, std::int64_t memory_mib, int gpus, std::int16_t model);

  std::size_t size() const { return names_.size(); }
  const std::string& name(NodeIndex n) const { return names_[n]; }
  std::int64_t cpu_capacity(NodeIndex n) const { return cpu_capacity_[n]; }
  std::int64_t cpu_free(NodeIndex n) const { return cpu_free_[n]; }
  std::int64_t memory_capacity(NodeIndex n) const { return memory_capacity_[n]; }
  std::int64_t memory_free(NodeIndex n) const { return memory_free_[n]; }
  int gpu_count(NodeIndex n) const { return gpu_count_[n]; }
  std::int16_t model(NodeIndex n) const { return model_[n]; }
  std::span<const std::int32_t, kMaxGpusPerNode> devices(NodeIndex n) const {
    return std::span<const std::int32_t, kMaxGpusPerNode>(device_free_.data() + std::size_t{n} * kMaxGpusPerNode,
                                                          kMaxGpusPerNode);
  }
  std::int64_t gpu_free_milli(NodeIndex n) const;
  std::int64_t gpu_capacity_milli() const { return gpu_capacity_milli_; }
  std::int64_t gpu_allocated_milli() const { return gpu_allocated_milli_; }
  // Bumped by every bind/unbind of the node: equal versions mean an unchanged row.
  std::uint32_t version(NodeIndex n) const { return version_[n]; }

  // The pod may run on the node: CPU, memory, GPU model, and per-device GPU capacity
  // (Open-Gpu-Share's Filter and NodeResourcesFit in the artifact).
  bool fits(NodeIndex n, const GpuPod& pod) const;
  // The GPU part of fits() alone: model and per-device room (the engine's GpuShare filter;
  // CPU and memory are NodeResourcesFit's there).
  bool devices_fit(NodeIndex n, const GpuPod& pod) const;
  // The node's GPU model is one the pod accepts (artifact: IsNodeAccessibleToPodByType).
  static bool model_allowed(std::int16_t node_model, const GpuPod& pod);

  // Takes the pod's resources; `devices` must name exactly num_gpu devices with room.
  void bind(NodeIndex n, const GpuPod& pod, DeviceSet devices);
  // Returns them (event-driven replay: a pod leaves).
  void unbind(NodeIndex n, const GpuPod& pod, DeviceSet devices);

 private:
  StringInterner models_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> cpu_capacity_, cpu_free_, memory_capacity_, memory_free_;
  std::vector<std::uint8_t> gpu_count_;
  std::vector<std::int16_t> model_;
  std::vector<std::int32_t> device_free_;
  std::vector<std::uint32_t> version_;
  std::int64_t gpu_capacity_milli_ = 0;
  std::int64_t gpu_allocated_milli_ = 0;
};

// Device choices shared by the policies (artifact: plugin/open_gpu_share.go).
//   * A sharing pod goes to the tightest device that still fits, lowest index on ties
//     (allocateGpuIdBasedOnBestFit).
//   * A whole-GPU pod takes the lowest-indexed fully idle devices (AllocateExclusiveGpuId).
// Returns 0 when the node cannot hold the pod's GPUs.
DeviceSet best_fit_devices(std::span<const std::int32_t, kMaxGpusPerNode> devices, int gpu_count, const GpuPod& pod);
DeviceSet exclusive_devices(std::span<const std::int32_t, kMaxGpusPerNode> devices, int gpu_count, const GpuPod& pod);

}  // namespace podium::gpushare
