#pragma once
// GPU sharing in Kubernetes objects, in the spelling of the FGD paper's simulator
// (hkust-adsl/kubernetes-scheduler-simulator, Open-Gpu-Share; docs/FORMATS.md "GPU sharing
// in Kubernetes objects"):
//
//   Node  status.allocatable (or capacity)  alibabacloud.com/gpu-count: <devices, 0..8>
//                                            alibabacloud.com/gpu-milli: <devices x 1000> (optional)
//         metadata.labels                   alibabacloud.com/gpu-card-model: <model>
//   Pod   metadata.annotations              alibabacloud.com/gpu-count: <GPUs asked, 1..8>
//                                            alibabacloud.com/gpu-milli: <milli-GPU per GPU, 1..1000;
//                                                                         default 1000>
//                                            alibabacloud.com/gpu-card-model: <model>|<model>...
//                                            alibabacloud.com/gpu-index: <d>-<d>... (bound pods:
//                                                                         the devices they hold)
//
// A node "carries GPU sharing" when it names gpu-count; a pod when it names gpu-count >= 1.
// The readers validate and throw podium::InputError naming the file and the JSON path of
// the offending field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "podium/io/objects.hpp"

namespace podium::io {

inline constexpr std::string_view kGpuCountKey = "alibabacloud.com/gpu-count";
inline constexpr std::string_view kGpuMilliKey = "alibabacloud.com/gpu-milli";
inline constexpr std::string_view kGpuModelKey = "alibabacloud.com/gpu-card-model";
inline constexpr std::string_view kGpuIndexKey = "alibabacloud.com/gpu-index";
// Only annotations with this prefix are kept by the loader (PodObject::gpu_annotations).
inline constexpr std::string_view kGpuAnnotationPrefix = "alibabacloud.com/gpu-";
inline constexpr std::int32_t kMaxGpusPerNodeObject = 8;  // = gpushare::kMaxGpusPerNode

// Both return nullopt for an object without GPU sharing. Throw InputError.
std::optional<NodeGpuShare> read_node_gpu_share(const NodeObject& node);
std::optional<PodGpuShare> read_pod_gpu_share(const PodObject& pod);

}  // namespace podium::io
