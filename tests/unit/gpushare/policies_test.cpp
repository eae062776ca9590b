// Each policy's score and choice on small hand-built clusters, numbers worked from the
// artifact's formulas (engine/src/gpushare/policies/*.cpp cite them).
#include <gtest/gtest.h>

#include "podium/gpushare/policy.hpp"

namespace {

using namespace podium::gpushare;

GpuPod share(std::int32_t milli, std::int64_t cpu) { return GpuPod{cpu, 0, 1, milli, 0, false, 0}; }
GpuPod whole(std::int32_t gpus, std::int64_t cpu) { return GpuPod{cpu, 0, gpus, kMilliPerGpu, 0, false, 0}; }

// A: 32 cores, 4 idle GPUs. B: 32 cores, a share pod (500, 4 cores) on device 0 and a
// whole-GPU pod (8 cores) on device 1: 20 cores, devices [500, 0, 1000, 1000].
struct TwoNodes {
  GpuCluster cluster;
  NodeIndex a, b;
  TwoNodes() {
    const auto t4 = cluster.intern_model("T4");
    a = cluster.add_node("a", 32000, 1 << 20, 4, t4);
    b = cluster.add_node("b", 32000, 1 << 20, 4, t4);
    cluster.bind(b, share(500, 4000), 0b0001);
    cluster.bind(b, whole(1, 8000), 0b0010);
  }
};

std::unique_ptr<GpuPolicy> policy(const std::string& name, std::size_t nodes = 3) {
  static const std::vector<TypicalPod> none;
  return make_policy(name, PolicyContext{&none, nodes});
}

TEST(BestFit, ScoresTheWasteLeftOnCpuAndGpu) {
  TwoNodes t;
  auto p = policy("best-fit");
  // A: (1 - (28000/128000*0.5 + 3600/8000*0.5)) * 100 = 66.56 -> 66.
  EXPECT_EQ(p->score(t.cluster, t.a, share(400, 4000)).score, 66);
  // B: (1 - (16000/128000*0.5 + 2100/8000*0.5)) * 100 = 80.6 -> 80; device 0 is the tightest.
  const NodeScore b = p->score(t.cluster, t.b, share(400, 4000));
  EXPECT_EQ(b.score, 80);
  EXPECT_EQ(b.devices, 0b0001);
  EXPECT_TRUE(p->min_max_normalized());
}

TEST(DotProduct, PrefersTheNodeLeastAlignedWithThePod) {
  TwoNodes t;
  auto p = policy("dot-product");
  // Pod (16000/128000, 1000/8000) = (0.125, 0.125).
  // A: node (0.25, 0.5): dot 0.09375 -> (1 - 0.046875) * 100 = 95.
  // B: node (0.15625, 0.3125): dot 0.05859 -> (1 - 0.0293) * 100 = 97.
  EXPECT_EQ(p->score(t.cluster, t.a, whole(1, 16000)).score, 95);
  EXPECT_EQ(p->score(t.cluster, t.b, whole(1, 16000)).score, 97);
}

TEST(GpuPacking, PrefersPartlyUsedDevicesThenUsedNodesThenIdleNodes) {
  TwoNodes t;
  auto p = policy("gpu-packing");
  // B, share pod: fits device 0 (500 free, 50%): 100 - 50/10 = 95.
  const NodeScore b = p->score(t.cluster, t.b, share(400, 4000));
  EXPECT_EQ(b.score, 95);
  EXPECT_EQ(b.devices, 0b0001);
  // B, whole GPU: takes an idle device on a used node: 50 - 1 = 49.
  EXPECT_EQ(p->score(t.cluster, t.b, whole(1, 4000)).score, 49);
  // A: every device idle: max(33 - 4, 4) = 29.
  EXPECT_EQ(p->score(t.cluster, t.a, share(400, 4000)).score, 29);
  // CPU-only pods: 0 everywhere.
  EXPECT_EQ(p->score(t.cluster, t.b, GpuPod{1000, 0, 0, 0, 0, false, 0}).score, 0);
}

TEST(GpuClustering, KeepsPodsOfOneGpuKindTogether) {
  TwoNodes t;
  const auto c = t.cluster.add_node("c", 32000, 1 << 20, 4, 0);
  auto p = policy("gpu-clustering");
  p->bound(t.b, share(500, 4000), +1);
  p->bound(t.b, whole(1, 8000), +1);
  t.cluster.bind(c, share(300, 1000), 0b0001);
  p->bound(c, share(300, 1000), +1);
  // g = 25 * (8000 - free) / 8000 in integers.
  // C holds only share pods: 75 + 25*4300/8000 = 75 + 13 = 88.
  EXPECT_EQ(p->score(t.cluster, c, share(400, 1000)).score, 88);
  // B holds share and 1-gpu pods: 50 + 25*5500/8000 = 50 + 17 = 67.
  EXPECT_EQ(p->score(t.cluster, t.b, share(400, 1000)).score, 67);
  // A holds nothing: 25 + 25*4000/8000 = 37.
  EXPECT_EQ(p->score(t.cluster, t.a, share(400, 1000)).score, 37);
  // A 2-GPU pod is another kind everywhere it finds pods: C gives 0 + 13.
  EXPECT_EQ(p->score(t.cluster, c, whole(2, 1000)).score, 13);
}

TEST(Fgd, ChoosesTheDeviceWhereFragmentationGrowsLeast) {
  // The hand-worked node of fragmentation_test: 10 cores left, devices [1000, 300, 600, 0].
  const std::vector<TypicalPod> typical{TypicalPod{share(500, 4000), 0.5}, TypicalPod{whole(1, 8000), 0.3},
                                        TypicalPod{GpuPod{2000, 0, 0, 0, 0, false, 0}, 0.2}};
  GpuCluster c;
  const auto n = c.add_node("n", 12000, 1 << 20, 4, c.intern_model("T4"));
  c.bind(n, share(700, 500), 0b0010);
  c.bind(n, share(400, 500), 0b0100);
  c.bind(n, whole(1, 1000), 0b1000);
  auto p = make_policy("fgd", PolicyContext{&typical, 1});
  // F before = 800. Placing share 300 (1 core): on device 1 F = 500 -> sigmoid(0.3) = 57;
  // on device 2 F = 800 -> 50; on device 0 F = 950 -> sigmoid(-0.15) = 46.
  const NodeScore s = p->score(c, n, share(300, 1000));
  EXPECT_EQ(s.devices, 0b0010);
  EXPECT_EQ(s.score, 57);
}

TEST(KubeDefault, GivesASharePodAWholeDeviceAndSpreadsByLeastAllocated) {
  TwoNodes t;
  auto p = policy("default");
  const GpuPod whole_device = p->effective(share(400, 4000));
  EXPECT_EQ(whole_device.num_gpu, 1);
  EXPECT_EQ(whole_device.gpu_milli, 1000);
  // LeastAllocated (cpu, memory) + BalancedAllocation: the emptier A wins.
  EXPECT_GT(p->score(t.cluster, t.a, whole_device).score, p->score(t.cluster, t.b, whole_device).score);
  EXPECT_EQ(p->score(t.cluster, t.b, whole_device).devices, 0b0100);
}

TEST(Random, DrawsOnlyDevicesWithRoom) {
  TwoNodes t;
  auto p = policy("random");
  EXPECT_TRUE(p->uniform_random());
  for (std::uint64_t r = 0; r < 64; ++r) {
    const DeviceSet d = p->random_devices(t.cluster, t.b, share(600, 1000), r * 0x9E3779B97F4A7C15ULL);
    EXPECT_TRUE(d == 0b0100 || d == 0b1000) << int(d);
  }
}

TEST(Policies, UnknownNameIsRejectedWithTheKnownList) {
  EXPECT_THROW(policy("nope"), std::invalid_argument);
  for (const auto& name : policy_names()) EXPECT_EQ(policy(name)->name(), name);
}

}  // namespace
