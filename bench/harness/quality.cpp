#include "harness/quality.hpp"

#include <algorithm>
#include <cmath>

namespace podium::bench {
namespace {

struct MeanStd {
  double mean = 0;
  double stddev = 0;
};

MeanStd mean_std(const std::vector<double>& v) {
  if (v.empty()) return {};
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  double sq = 0;
  for (double x : v) sq += (x - mean) * (x - mean);
  return {mean, std::sqrt(sq / static_cast<double>(v.size()))};  // population stddev
}

std::int64_t median_request(const state::ClusterState& cluster, std::span<const state::PodIndex> pods, state::ResourceId r) {
  if (pods.empty()) return 0;
  std::vector<std::int64_t> v;
  v.reserve(pods.size());
  for (const auto p : pods) v.push_back(cluster.pods[p].requests[r]);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

Quality measure_quality(const state::ClusterState& cluster, std::span<const state::PodIndex> measured) {
  Quality q;
  const auto& nodes = cluster.nodes;
  const auto cpu = *cluster.resources.find("cpu");
  const auto memory = *cluster.resources.find("memory");
  const auto gpu = cluster.resources.find("nvidia.com/gpu");
  auto util = [&](state::ResourceId r, std::size_t n) {
    const auto alloc = nodes.allocatable[r][n];
    return alloc > 0 ? static_cast<double>(nodes.requested[r][n]) / static_cast<double>(alloc) : 0.0;
  };
  std::vector<double> mem_util, gpu_util;
  q.cpu_util_by_node.reserve(nodes.size);
  for (std::size_t n = 0; n < nodes.size; ++n) {
    q.cpu_util_by_node.push_back(util(cpu, n));
    mem_util.push_back(util(memory, n));
    if (gpu && nodes.allocatable[*gpu][n] > 0) gpu_util.push_back(util(*gpu, n));
    q.nodes_used += nodes.pod_count[n] > 0 ? 1 : 0;
  }
  const auto c = mean_std(q.cpu_util_by_node);
  const auto m = mean_std(mem_util);
  q.cpu_util_mean = c.mean;
  q.cpu_util_stddev = c.stddev;
  q.memory_util_mean = m.mean;
  q.memory_util_stddev = m.stddev;
  q.has_gpu = !gpu_util.empty();
  if (q.has_gpu) {
    const auto g = mean_std(gpu_util);
    q.gpu_util_mean = g.mean;
    q.gpu_util_stddev = g.stddev;
  }

  const std::int64_t ref_cpu = median_request(cluster, measured, cpu);
  const std::int64_t ref_mem = median_request(cluster, measured, memory);
  double free_total = 0, free_stranded = 0;
  for (std::size_t n = 0; n < nodes.size; ++n) {
    const auto free_cpu = nodes.allocatable[cpu][n] - nodes.requested[cpu][n];
    const auto free_mem = nodes.allocatable[memory][n] - nodes.requested[memory][n];
    if (free_cpu <= 0) continue;
    free_total += static_cast<double>(free_cpu);
    const bool fits = free_cpu >= ref_cpu && free_mem >= ref_mem && nodes.pod_count[n] < nodes.allowed_pods[n] &&
                      !nodes.unschedulable[n];
    if (!fits) free_stranded += static_cast<double>(free_cpu);
  }
  q.fragmentation = free_total > 0 ? free_stranded / free_total : 0.0;
  return q;
}

}  // namespace podium::bench
