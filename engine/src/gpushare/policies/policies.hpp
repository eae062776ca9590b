#pragma once
// One factory per policy file (engine/src/gpushare/policies/<name>.cpp).
#include <memory>

#include "podium/gpushare/policy.hpp"

namespace podium::gpushare::policies {

std::unique_ptr<GpuPolicy> make_fgd(const PolicyContext& context);
std::unique_ptr<GpuPolicy> make_best_fit();
std::unique_ptr<GpuPolicy> make_dot_product();
std::unique_ptr<GpuPolicy> make_gpu_packing();
std::unique_ptr<GpuPolicy> make_gpu_clustering(const PolicyContext& context);
std::unique_ptr<GpuPolicy> make_random();
std::unique_ptr<GpuPolicy> make_kube_default();

// The artifact's score range (k8s framework.MaxNodeScore) and normalisation constants
// (open-gpu-share/utils/const.go MaxSpecCpu, MaxSpecGpu).
inline constexpr std::int64_t kMaxScore = 100;
inline constexpr double kMaxSpecCpu = 128000;
inline constexpr double kMaxSpecGpu = 8000;

}  // namespace podium::gpushare::policies
