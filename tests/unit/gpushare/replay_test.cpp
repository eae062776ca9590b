// Replays on a small mixed cluster: every policy's placements pass the independent
// placement check, a seed fixes the answer, arrival stops at --until, and the check
// rejects a placement that overfills a device.
#include <gtest/gtest.h>

#include <algorithm>

#include "podium/gpushare/replay.hpp"

namespace {

using namespace podium;
using namespace podium::gpushare;

struct Workload {
  GpuCluster cluster;
  std::vector<GpuPod> pods;
  StringInterner specs;
  Workload() {
    const auto t4 = cluster.intern_model("T4");
    const auto v100 = cluster.intern_model("V100M16");
    for (int i = 0; i < 12; ++i)
      cluster.add_node(std::string("n").append(std::to_string(i)), 32000 + 8000 * (i % 3), 262144, i % 3 == 0 ? 8 : (i % 3 == 1 ? 4 : 2),
                       i % 2 == 0 ? t4 : v100);
    specs.intern("");
    const StringId v100_only = specs.intern("V100M16");
    for (int i = 0; i < 120; ++i) {
      GpuPod p{1000 + 500 * (i % 7), 2048 + 512 * (i % 5), 0, 0, 0, false, 0};
      if (i % 5 == 0) {
      } else if (i % 5 == 1) {
        p.num_gpu = 1, p.gpu_milli = 200 + 50 * (i % 13);
      } else if (i % 5 == 4 && i % 3 == 0) {
        p.num_gpu = 2 + 2 * (i % 2), p.gpu_milli = 1000;
      } else {
        p.num_gpu = 1, p.gpu_milli = 1000;
      }
      if (i % 11 == 0 && p.num_gpu > 0) {
        p.model_constrained = true;
        p.allowed_models = std::uint64_t{1} << v100;
        p.spec = v100_only;
      }
      pods.push_back(p);
    }
  }
};

TEST(ReplayArrivals, EveryPolicysPlacementsPassThePlacementCheck) {
  Workload w;
  const auto typical = typical_pods(w.pods, w.specs);
  for (const auto& name : policy_names()) {
    ReplayOptions options;
    options.seed = 3;
    const ReplayResult r = replay_arrivals(w.cluster, w.pods, typical, name, options);
    EXPECT_EQ(r.algorithm, name);
    EXPECT_GT(r.pods_placed, 0) << name;
    EXPECT_EQ(static_cast<std::size_t>(r.pods_placed + r.pods_failed), r.placements.size()) << name;
    EXPECT_EQ(verify_placements(w.cluster, w.pods, r.placements), std::nullopt) << name;
    EXPECT_LE(r.gpu_allocation_ratio, 1.0) << name;
    // The cluster saturates: 1.3x demand cannot all be placed.
    EXPECT_GT(r.pods_failed, 0) << name;
    ASSERT_FALSE(r.curve.empty()) << name;
    // One point per whole percent crossed (a big pod may cross several at once).
    for (std::size_t i = 0; i < r.curve.size(); ++i) {
      EXPECT_GE(r.curve[i].arrived_ratio, (static_cast<double>(i) + 1) / 100 - 1e-12);
      EXPECT_LE(r.curve[i].allocated_ratio, r.curve[i].arrived_ratio + 1e-12);
    }
  }
}

TEST(ReplayArrivals, TheSeedFixesTheAnswerAndOtherSeedsDiffer) {
  Workload w;
  const auto typical = typical_pods(w.pods, w.specs);
  ReplayOptions options;
  options.seed = 5;
  const auto a = replay_arrivals(w.cluster, w.pods, typical, "fgd", options);
  const auto b = replay_arrivals(w.cluster, w.pods, typical, "fgd", options);
  options.seed = 6;
  const auto c = replay_arrivals(w.cluster, w.pods, typical, "fgd", options);
  auto key = [](const ReplayResult& r) {
    std::vector<std::tuple<std::uint32_t, NodeIndex, int>> k;
    for (const auto& p : r.placements) k.emplace_back(p.pod, p.node, p.devices);
    return k;
  };
  EXPECT_EQ(key(a), key(b));
  EXPECT_NE(key(a), key(c));
}

TEST(ReplayArrivals, ArrivalStopsAtUntilAndInOrderKeepsFileOrder) {
  Workload w;
  const auto typical = typical_pods(w.pods, w.specs);
  ReplayOptions options;
  options.until = 0.25;
  options.in_order = true;
  const auto r = replay_arrivals(w.cluster, w.pods, typical, "best-fit", options);
  EXPECT_LE(r.arrived_ratio, 0.25 + 1e-9);
  for (std::size_t i = 0; i < r.placements.size(); ++i) EXPECT_EQ(r.placements[i].pod, i);
}

TEST(ReplayEvents, PodsLeaveAtTheirDeletionTime) {
  Workload w;
  std::vector<PodTimes> times;
  for (std::size_t i = 0; i < w.pods.size(); ++i)
    times.push_back(PodTimes{static_cast<std::int64_t>(i * 10), static_cast<std::int64_t>(i * 10 + 35)});
  const auto typical = typical_pods(w.pods, w.specs);
  const auto r = replay_events(w.cluster, w.pods, times, typical, "fgd", 1, 20);
  // At most four pods overlap at any time: all fit.
  EXPECT_EQ(r.pods_failed, 0);
  EXPECT_EQ(r.pods_placed, static_cast<std::int64_t>(w.pods.size()));
  ASSERT_EQ(r.timeline.size(), 20U);
  for (const auto& p : r.timeline) EXPECT_LE(p.pods_running, 4);
  EXPECT_EQ(r.timeline.back().pods_running, 0);
  EXPECT_NEAR(r.timeline.back().allocated_ratio, 0.0, 1e-12);
}

TEST(VerifyPlacements, RejectsAnOverfilledDeviceAndAWrongDeviceCount) {
  GpuCluster c;
  c.add_node("n", 32000, 65536, 2, c.intern_model("T4"));
  const std::vector<GpuPod> pods{GpuPod{1000, 0, 1, 600, 0, false, 0}, GpuPod{1000, 0, 1, 600, 0, false, 0},
                                 GpuPod{1000, 0, 2, 1000, 0, false, 0}};
  EXPECT_EQ(verify_placements(c, pods, {{0, 0, 0b01, 600}, {1, 0, 0b10, 600}}), std::nullopt);
  const auto overfilled = verify_placements(c, pods, {{0, 0, 0b01, 600}, {1, 0, 0b01, 600}});
  ASSERT_TRUE(overfilled);
  EXPECT_NE(overfilled->find("over capacity"), std::string::npos) << *overfilled;
  EXPECT_TRUE(verify_placements(c, pods, {{2, 0, 0b01, 1000}}));
  EXPECT_TRUE(verify_placements(c, pods, {{0, 0, 0b100, 600}}));  // no device 2
}

}  // namespace
