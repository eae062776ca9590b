#pragma once
// Seeded random clusters that exercise every path of the resource profile: mixed node
// shapes, cordoned nodes, extended resources, bound pods, request-less pods, pods that fit
// nowhere, priorities and sidecar/init containers. Deterministic for a seed.

#include <cstdint>
#include <string>

#include "cluster_fixture.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::testing {

struct RandomClusterShape {
  int nodes = 60;
  int pending_pods = 400;
  int bound_pods = 40;
};

inline io::ClusterObjects random_cluster_objects(std::uint64_t seed, RandomClusterShape shape = {}) {
  std::uint64_t s = seed;
  auto next = [&](std::uint32_t bound) {
    s = framework::splitmix64(s);
    return framework::bounded(s, bound);
  };
  io::ClusterObjects out;
  const char* cpus[] = {"2", "4", "8", "16", "3500m"};
  const char* mems[] = {"4Gi", "8Gi", "16Gi", "32Gi", "7.5Gi"};
  for (int i = 0; i < shape.nodes; ++i) {
    auto n = node("node-" + std::to_string(i), cpus[next(5)], mems[next(5)], static_cast<int>(8 + next(30)));
    if (next(10) == 0) n.allocatable.emplace_back("nvidia.com/gpu", q(std::to_string(1 + next(4))));
    if (next(25) == 0) n.unschedulable = true;
    out.nodes.push_back(std::move(n));
  }
  const char* pcpu[] = {"", "100m", "250m", "500m", "1", "1500m", "2", "0.3"};
  const char* pmem[] = {"", "64Mi", "256Mi", "512Mi", "1Gi", "2Gi", "3Gi", "100M"};
  for (int i = 0; i < shape.bound_pods + shape.pending_pods; ++i) {
    auto p = pod("pod-" + std::to_string(i), pcpu[next(8)], pmem[next(8)]);
    if (next(12) == 0) p.containers.front().requests.emplace_back("nvidia.com/gpu", q("1"));
    if (next(15) == 0) {  // a sidecar plus a bigger plain init container
      io::Container side;
      side.name = "side";
      side.restart_policy_always = true;
      side.requests.emplace_back("cpu", q("100m"));
      io::Container init;
      init.name = "init";
      init.requests.emplace_back("memory", q("2Gi"));
      p.init_containers = {side, init};
    }
    if (next(50) == 0) p.containers.front().requests.emplace_back("cpu", q("64"));  // fits nowhere
    if (next(8) == 0) p.priority = static_cast<std::int32_t>(next(3)) * 100;
    p.creation_timestamp_ns = static_cast<std::int64_t>(i) * 1000;
    if (i < shape.bound_pods) p = bound(std::move(p), "node-" + std::to_string(next(static_cast<std::uint32_t>(shape.nodes))));
    out.pods.push_back(std::move(p));
  }
  return out;
}

}  // namespace podium::testing
