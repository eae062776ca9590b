#include "generator/synthetic_cluster.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "podium/framework/tie_breaker.hpp"

namespace podium::datasets {
namespace {

using framework::bounded;
using framework::splitmix64;

struct NodeShape {
  const char* instance_type;
  std::int64_t cores;
  std::int64_t memory_gib;
};

// Ten shapes, drawn uniformly: mean 47.2 cores and 272 GiB per node.
constexpr std::array<NodeShape, 10> kNodeShapes{{{"c-8x32", 8, 32},
                                                 {"c-16x64", 16, 64},
                                                 {"c-32x128", 32, 128},
                                                 {"c-48x192", 48, 192},
                                                 {"c-64x256", 64, 256},
                                                 {"c-96x384", 96, 384},
                                                 {"m-16x128", 16, 128},
                                                 {"m-32x256", 32, 256},
                                                 {"m-64x512", 64, 512},
                                                 {"m-96x768", 96, 768}}};

struct PodShape {
  std::int64_t cpu_milli;
  std::int64_t memory_mib;
  std::uint32_t weight;  // out of 100
};

// Weighted toward small pods: mean 1.11 cores and 2.93 GiB per pod.
constexpr std::array<PodShape, 9> kPodMenu{{{100, 128, 10},
                                            {250, 512, 15},
                                            {500, 1024, 20},
                                            {1000, 2048, 20},
                                            {1000, 4096, 10},
                                            {2000, 4096, 10},
                                            {2000, 8192, 7},
                                            {4000, 8192, 5},
                                            {4000, 16384, 3}}};

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint32_t below(std::uint32_t bound) { return bounded(state_ = splitmix64(state_), bound); }
  double unit() { return static_cast<double>(splitmix64(state_ += 1) >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

io::Quantity milli(std::int64_t m) { return io::Quantity::from_milli(m); }
io::Quantity units(std::int64_t u) { return io::Quantity::from_units(u); }

const PodShape& draw_menu(Random& rng) {
  std::uint32_t roll = rng.below(100);
  for (const auto& s : kPodMenu) {
    if (roll < s.weight) return s;
    roll -= s.weight;
  }
  return kPodMenu.back();
}

}  // namespace

io::ClusterObjects generate_cluster(const GeneratorOptions& opt) {
  if (opt.pod_shapes == 0 || opt.pod_shapes > 64) throw std::invalid_argument("--pod-shapes must be in [1, 64]");
  if (opt.gpu_fraction < 0 || opt.gpu_fraction > 1) throw std::invalid_argument("--gpu-fraction must be in [0, 1]");
  validate(opt.constraints);
  Random rng(opt.seed);
  io::ClusterObjects out;
  out.nodes.reserve(opt.nodes);
  const char* zones[] = {"region-1a", "region-1b", "region-1c"};
  for (std::uint32_t i = 0; i < opt.nodes; ++i) {
    const NodeShape& shape = kNodeShapes[rng.below(kNodeShapes.size())];
    io::NodeObject node;
    node.name = "node-" + std::to_string(i);
    node.labels = {{"kubernetes.io/hostname", node.name},
                   {"kubernetes.io/os", "linux"},
                   {"node.kubernetes.io/instance-type", shape.instance_type},
                   {"topology.kubernetes.io/region", "region-1"},
                   {"topology.kubernetes.io/zone", zones[i % 3]}};
    // A kubelet-like reserve: 80m + 1% of the cores, 512Mi + 1% of the memory.
    const std::int64_t cpu = shape.cores * 1000 - 80 - shape.cores * 10;
    const std::int64_t mem_mib = shape.memory_gib * 1024 - 512 - shape.memory_gib * 10;
    node.allocatable = {{"cpu", milli(cpu)},
                        {"memory", units(mem_mib << 20)},
                        {"ephemeral-storage", units(std::int64_t{100} << 30)},
                        {"pods", units(110)}};
    if (rng.unit() < opt.gpu_fraction) node.allocatable.emplace_back("nvidia.com/gpu", units(8));
    out.nodes.push_back(std::move(node));
  }

  // The shape menu, widened to pod_shapes distinct shapes by small cpu offsets.
  out.pods.reserve(opt.pods);
  for (std::uint32_t i = 0; i < opt.pods; ++i) {
    io::PodObject pod;
    pod.namespace_ = "bench";
    pod.name = "pod-" + std::to_string(i);
    pod.uid = "uid-" + std::to_string(i);
    pod.labels = {{"app", "app-" + std::to_string(i % 100)}};
    pod.creation_timestamp_ns = 1'700'000'000'000'000'000LL + std::int64_t{i} * 1'000'000;
    io::Container c;
    c.name = "main";
    c.image = "registry.example/app:1";
    const bool best_effort = rng.below(100) < 5;
    if (!best_effort) {
      // BestEffort is one shape; the menu's nine shapes get (pod_shapes - 1) / 9 cpu
      // variants each, so at most pod_shapes shapes exist. Fewer than ten shapes: the
      // first (pod_shapes - 1) menu entries, drawn uniformly.
      const std::uint32_t menu_shapes = std::max<std::uint32_t>(1, opt.pod_shapes - 1);
      const PodShape& base =
          menu_shapes < kPodMenu.size() ? kPodMenu[rng.below(menu_shapes)] : draw_menu(rng);
      std::int64_t cpu_m = base.cpu_milli;
      std::int64_t mem_mib = base.memory_mib;
      if (opt.distinct_requests) {
        cpu_m += i / 4096;  // (i / 4096, i % 4096) is unique per pod
        mem_mib += i % 4096;
      } else if (menu_shapes >= kPodMenu.size()) {
        cpu_m += 10 * rng.below(menu_shapes / static_cast<std::uint32_t>(kPodMenu.size()));
      }
      c.requests = {{"cpu", milli(cpu_m)}, {"memory", units(mem_mib << 20)}};
      if (opt.gpu_fraction > 0 && rng.unit() < opt.gpu_fraction * 0.5) c.requests.emplace_back("nvidia.com/gpu", units(1));
    }
    pod.containers.push_back(std::move(c));
    out.pods.push_back(std::move(pod));
  }
  add_constraints(out, opt.constraints, opt.seed);
  return out;
}

}  // namespace podium::datasets
