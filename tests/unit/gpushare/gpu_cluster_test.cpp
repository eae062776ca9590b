// GpuCluster: the per-device filter (CPU, memory, model, devices with room), the device
// choices the policies share, and bind/unbind bookkeeping.
#include <gtest/gtest.h>

#include "podium/gpushare/gpu_cluster.hpp"

namespace {

using namespace podium::gpushare;

GpuPod share(std::int32_t milli, std::int64_t cpu = 1000) { return GpuPod{cpu, 1024, 1, milli, 0, false, 0}; }
GpuPod whole(std::int32_t gpus, std::int64_t cpu = 1000) { return GpuPod{cpu, 1024, gpus, kMilliPerGpu, 0, false, 0}; }

TEST(GpuCluster, ANewNodeHasEveryDeviceIdleAndUnusedSlotsEmpty) {
  GpuCluster c;
  const auto n = c.add_node("a", 32000, 65536, 2, c.intern_model("T4"));
  EXPECT_EQ(c.devices(n)[0], 1000);
  EXPECT_EQ(c.devices(n)[1], 1000);
  EXPECT_EQ(c.devices(n)[2], 0);
  EXPECT_EQ(c.gpu_free_milli(n), 2000);
  EXPECT_EQ(c.gpu_capacity_milli(), 2000);
}

TEST(GpuCluster, ASharePodFitsOnlyWhereOneDeviceHasRoom) {
  GpuCluster c;
  const auto n = c.add_node("a", 32000, 65536, 2, c.intern_model("T4"));
  c.bind(n, share(600), 0b01);
  c.bind(n, share(600), 0b10);
  // 800 milli-GPU free in total, but no single device has 500.
  EXPECT_EQ(c.gpu_free_milli(n), 800);
  EXPECT_FALSE(c.fits(n, share(500)));
  EXPECT_TRUE(c.fits(n, share(400)));
}

TEST(GpuCluster, AWholeGpuPodNeedsThatManyIdleDevices) {
  GpuCluster c;
  const auto n = c.add_node("a", 32000, 65536, 4, c.intern_model("T4"));
  c.bind(n, share(100), 0b0001);
  EXPECT_TRUE(c.fits(n, whole(3)));
  EXPECT_FALSE(c.fits(n, whole(4)));
  EXPECT_EQ(exclusive_devices(c.devices(n), c.gpu_count(n), whole(3)), 0b1110);
}

TEST(GpuCluster, CpuMemoryAndModelAreFiltered) {
  GpuCluster c;
  const auto t4 = c.intern_model("T4");
  const auto v100 = c.intern_model("V100M16");
  const auto n = c.add_node("a", 8000, 4096, 1, t4);
  EXPECT_FALSE(c.fits(n, share(100, 9000)));
  GpuPod big_memory = share(100);
  big_memory.memory_mib = 5000;
  EXPECT_FALSE(c.fits(n, big_memory));
  GpuPod wants_v100 = share(100);
  wants_v100.model_constrained = true;
  wants_v100.allowed_models = std::uint64_t{1} << v100;
  EXPECT_FALSE(c.fits(n, wants_v100));
  wants_v100.allowed_models |= std::uint64_t{1} << t4;
  EXPECT_TRUE(c.fits(n, wants_v100));
}

TEST(GpuCluster, AGpuPodNeverFitsACpuNode) {
  GpuCluster c;
  const auto n = c.add_node("cpu", 64000, 65536, 0, kNoModel);
  EXPECT_FALSE(c.fits(n, share(100)));
  EXPECT_TRUE(c.fits(n, GpuPod{1000, 1024, 0, 0, 0, false, 0}));
}

TEST(GpuCluster, BestFitDevicePicksTheTightestDeviceLowestIndexOnTies) {
  GpuCluster c;
  const auto n = c.add_node("a", 64000, 65536, 4, c.intern_model("T4"));
  c.bind(n, share(300), 0b0010);  // [1000, 700, 1000, 1000]
  c.bind(n, share(300), 0b0100);  // [1000, 700, 700, 1000]
  EXPECT_EQ(best_fit_devices(c.devices(n), c.gpu_count(n), share(500)), 0b0010);
  EXPECT_EQ(best_fit_devices(c.devices(n), c.gpu_count(n), share(800)), 0b0001);
  EXPECT_EQ(best_fit_devices(c.devices(n), c.gpu_count(n), whole(2)), 0b1001);
}

TEST(GpuCluster, UnbindRestoresTheRowAndBumpsTheVersion) {
  GpuCluster c;
  const auto n = c.add_node("a", 64000, 65536, 2, c.intern_model("T4"));
  const auto v0 = c.version(n);
  c.bind(n, share(250, 4000), 0b10);
  EXPECT_EQ(c.cpu_free(n), 60000);
  EXPECT_EQ(c.devices(n)[1], 750);
  EXPECT_EQ(c.gpu_allocated_milli(), 250);
  c.unbind(n, share(250, 4000), 0b10);
  EXPECT_EQ(c.cpu_free(n), 64000);
  EXPECT_EQ(c.devices(n)[1], 1000);
  EXPECT_EQ(c.gpu_allocated_milli(), 0);
  EXPECT_EQ(c.version(n), v0 + 2);
}

}  // namespace
