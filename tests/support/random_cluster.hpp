#pragma once
// Seeded random clusters that exercise every path of the implemented profile: mixed node
// shapes, cordoned nodes, extended resources, bound pods, request-less pods, pods that fit
// nowhere, priorities and sidecar/init containers; and, drawn from a second stream so the
// resource draws stay the same with them off, node labels, taints and images against
// tolerations, nodeSelectors, required and preferred node affinity (every operator, node
// names), host ports and container images. Deterministic for a seed.

#include <cstdint>
#include <initializer_list>
#include <string>

#include "cluster_fixture.hpp"
#include "podium/framework/tie_breaker.hpp"

namespace podium::testing {

struct RandomClusterShape {
  int nodes = 60;
  int pending_pods = 400;
  int bound_pods = 40;
  // Hard constraints and images: labels, NoSchedule/NoExecute taints, tolerations,
  // nodeSelector, required node affinity, host ports, container images. All node-local.
  bool constraints = true;
  // Soft constraints: PreferNoSchedule taints and preferred node affinity, which make
  // TaintToleration and NodeAffinity normalize their scores over the feasible nodes.
  bool preferences = true;
};

inline io::ClusterObjects random_cluster_objects(std::uint64_t seed, RandomClusterShape shape = {}) {
  std::uint64_t s = seed;
  auto next = [&](std::uint32_t bound) {
    s = framework::splitmix64(s);
    return framework::bounded(s, bound);
  };
  std::uint64_t t = seed ^ 0x5eedc0ffee123457ULL;  // the constraints' own stream
  auto draw = [&](std::uint32_t bound) {
    t = framework::splitmix64(t);
    return framework::bounded(t, bound);
  };
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[draw(static_cast<std::uint32_t>(options.size()))]);
  };
  constexpr std::int64_t kMiB = 1024 * 1024;
  const std::int64_t image_sizes[] = {5 * kMiB, 30 * kMiB, 50 * kMiB, 300 * kMiB, 800 * kMiB, 1500 * kMiB};
  io::ClusterObjects out;
  const char* cpus[] = {"2", "4", "8", "16", "3500m"};
  const char* mems[] = {"4Gi", "8Gi", "16Gi", "32Gi", "7.5Gi"};
  for (int i = 0; i < shape.nodes; ++i) {
    auto n = node("node-" + std::to_string(i), cpus[next(5)], mems[next(5)], static_cast<int>(8 + next(30)));
    if (next(10) == 0) n.allocatable.emplace_back("nvidia.com/gpu", q(std::to_string(1 + next(4))));
    if (next(25) == 0) n.unschedulable = true;
    if (shape.constraints) {
      n.labels = {{"zone", pick({"a", "b", "c"})}, {"gen", std::to_string(1 + draw(9))}};
      if (draw(3) == 0) n.labels.emplace_back("disk", "ssd");
      if (draw(10) == 0) n.labels.emplace_back("spot", "");
      if (draw(8) == 0) n.taints.push_back({"dedicated", "gpu", "NoSchedule"});
      if (draw(15) == 0) n.taints.push_back({"maintenance", "", "NoExecute"});
      if (shape.preferences && draw(4) == 0) n.taints.push_back({"noisy", pick({"", "x"}), "PreferNoSchedule"});
      if (shape.preferences && draw(10) == 0) n.taints.push_back({"old", "", "PreferNoSchedule"});
      for (int k = 0; k < 6; ++k) {
        if (draw(3) != 0) continue;
        io::NodeImage image;
        image.names = {"img/" + std::to_string(k) + ":latest"};
        if (draw(2) == 0) image.names.push_back("img/" + std::to_string(k) + ":v1");
        image.size_bytes = image_sizes[k];
        n.images.push_back(std::move(image));
      }
    }
    out.nodes.push_back(std::move(n));
  }
  auto requirement = [&]() -> io::NodeSelectorRequirement {
    switch (draw(8)) {
      case 0: return {"zone", "In", {pick({"a", "b", "c"}), pick({"a", "b", "c"})}};
      case 1: return {"zone", "NotIn", {pick({"a", "b", "c"})}};
      case 2: return {"disk", pick({"Exists", "DoesNotExist"}), {}};
      case 3: return {"gen", "Gt", {std::to_string(draw(9))}};
      case 4: return {"gen", "Lt", {std::to_string(2 + draw(9))}};
      case 5: return {"spot", pick({"Exists", "DoesNotExist"}), {}};
      case 6: return {"gen", "In", {std::to_string(1 + draw(9))}};
      default: return {"gen", "Gt", {"-1"}};  // not a label value: the term never matches
    }
  };
  auto selector_term = [&]() {
    io::NodeSelectorTerm term;
    const auto count = 1 + draw(2);
    for (std::uint32_t k = 0; k < count; ++k) term.match_expressions.push_back(requirement());
    if (draw(25) == 0)
      term.match_fields.push_back({"metadata.name", pick({"In", "NotIn"}),
                                   {"node-" + std::to_string(draw(static_cast<std::uint32_t>(shape.nodes)))}});
    return term;
  };
  auto add_constraints = [&](io::PodObject& p) {
    if (draw(6) == 0) p.tolerations.push_back({"dedicated", "Equal", "gpu", "NoSchedule", std::nullopt});
    if (draw(10) == 0) p.tolerations.push_back({"maintenance", "Exists", "", "", std::nullopt});
    if (shape.preferences && draw(6) == 0)
      p.tolerations.push_back({"noisy", "Exists", "", pick({"", "PreferNoSchedule"}), std::nullopt});
    if (draw(8) == 0) p.node_selector = {{"zone", pick({"a", "b", "c"})}};
    if (draw(7) == 0) {
      p.affinity.emplace().node_affinity.emplace().required.emplace();
      const auto terms = 1 + draw(2);
      for (std::uint32_t k = 0; k < terms; ++k) p.affinity->node_affinity->required->push_back(selector_term());
    }
    if (shape.preferences && draw(5) == 0) {
      if (!p.affinity) p.affinity.emplace();
      if (!p.affinity->node_affinity) p.affinity->node_affinity.emplace();
      const auto terms = 1 + draw(3);
      for (std::uint32_t k = 0; k < terms; ++k)
        p.affinity->node_affinity->preferred.push_back({static_cast<std::int32_t>(draw(101)), selector_term()});
    }
    if (draw(12) == 0) {
      io::ContainerPort port;
      const std::int32_t numbers[] = {80, 443, 8080};
      port.host_port = port.container_port = numbers[draw(3)];
      port.protocol = pick({"TCP", "TCP", "UDP"});
      port.host_ip = pick({"", "", "10.0.0.1", "10.0.0.2"});
      p.containers.front().ports.push_back(port);
    }
    p.containers.front().image = pick({"img/0", "img/1:v1", "img/2", "img/3", "img/4:latest", "img/5", "other/x"});
    if (draw(4) == 0) {
      io::Container helper;
      helper.name = "helper";
      helper.image = pick({"img/3", "img/5:v1", "other/y"});
      p.containers.push_back(helper);
    }
  };
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
    if (shape.constraints) add_constraints(p);
    if (i < shape.bound_pods) p = bound(std::move(p), "node-" + std::to_string(next(static_cast<std::uint32_t>(shape.nodes))));
    out.pods.push_back(std::move(p));
  }
  return out;
}

}  // namespace podium::testing
