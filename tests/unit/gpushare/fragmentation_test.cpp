// FGD's fragmentation measure on nodes worked by hand, and the typical-pod summary.
#include <gtest/gtest.h>

#include <array>

#include "podium/gpushare/fragmentation.hpp"

namespace {

using namespace podium;
using namespace podium::gpushare;

// t1: share 500 (4 cores) 50%; t2: one whole GPU (8 cores) 30%; t3: CPU only 20%.
std::vector<TypicalPod> three_typical() {
  return {TypicalPod{GpuPod{4000, 0, 1, 500, 0, false, 0}, 0.5}, TypicalPod{GpuPod{8000, 0, 1, 1000, 0, false, 0}, 0.3},
          TypicalPod{GpuPod{2000, 0, 0, 0, 0, false, 0}, 0.2}};
}

constexpr std::array<std::int32_t, kMaxGpusPerNode> kDevices{1000, 300, 600, 0, 0, 0, 0, 0};

TEST(Fragmentation, CountsTheDevicesTooSmallForEachTypicalPodThatFits) {
  // idle 1900. t1 fits (1000, 600): too small 300 -> 0.5*300 = 150. t2 fits (1000): too
  // small 300+600 -> 0.3*900 = 270. t3 asks no GPU: all idle -> 0.2*1900 = 380.
  EXPECT_DOUBLE_EQ(fragmentation_of(0, 10000, kDevices, three_typical()), 800.0);
}

TEST(Fragmentation, ATypicalPodLackingCpuMakesEveryIdleGpuAFragment) {
  // 6 cores left: t2 (8 cores) cannot run -> 0.3*1900 = 570 instead of 270.
  EXPECT_DOUBLE_EQ(fragmentation_of(0, 6000, kDevices, three_typical()), 1100.0);
}

TEST(Fragmentation, ATypicalPodBarredFromTheModelMakesEveryIdleGpuAFragment) {
  auto typical = three_typical();
  typical[0].shape.model_constrained = true;
  typical[0].shape.allowed_models = 0b10;  // model 1 only; the node has model 0
  EXPECT_DOUBLE_EQ(fragmentation_of(0, 10000, kDevices, typical), 0.5 * 1900 + 270 + 380);
}

TEST(Fragmentation, TheMemoGivesTheSameValueAndSharesEqualStates) {
  FragmentationMemo memo(three_typical());
  EXPECT_DOUBLE_EQ(memo.of(0, 10000, kDevices), 800.0);
  // Same multiset of devices, CPU above the same thresholds: one entry.
  constexpr std::array<std::int32_t, kMaxGpusPerNode> permuted{600, 0, 1000, 300, 0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(memo.of(0, 9000, permuted), 800.0);
  EXPECT_EQ(memo.size(), 1U);
  EXPECT_DOUBLE_EQ(memo.of(0, 6000, kDevices), 1100.0);
  EXPECT_EQ(memo.size(), 2U);
}

TEST(TypicalPods, MostFrequentShapesCoverTheThresholdAndAreRenormalised) {
  StringInterner specs;
  specs.intern("");
  std::vector<GpuPod> pods;
  auto add = [&](int count, GpuPod p) {
    for (int i = 0; i < count; ++i) pods.push_back(p);
  };
  add(60, GpuPod{4000, 100, 1, 500, 0, false, 0});
  add(30, GpuPod{8000, 200, 1, 1000, 0, false, 0});
  add(6, GpuPod{2000, 300, 0, 0, 0, false, 0});
  add(4, GpuPod{1000, 300, 0, 0, 0, false, 0});
  // 60 + 30 = 90% < 95%, + 6 = 96%: three shapes, frequencies 60/96, 30/96, 6/96.
  const auto typical = typical_pods(pods, specs);
  ASSERT_EQ(typical.size(), 3U);
  EXPECT_EQ(typical[0].shape.gpu_milli, 500);
  EXPECT_DOUBLE_EQ(typical[0].frequency, 60.0 / 96);
  EXPECT_DOUBLE_EQ(typical[1].frequency, 30.0 / 96);
  EXPECT_DOUBLE_EQ(typical[2].frequency, 6.0 / 96);
  EXPECT_EQ(typical[2].shape.cpu_milli, 2000);
}

TEST(TypicalPods, EqualCountsPutTheLargerShapeFirst) {
  StringInterner specs;
  specs.intern("");
  std::vector<GpuPod> pods{GpuPod{1000, 0, 1, 500, 0, false, 0}, GpuPod{2000, 0, 1, 500, 0, false, 0}};
  const auto typical = typical_pods(pods, specs);
  ASSERT_EQ(typical.size(), 2U);
  EXPECT_EQ(typical[0].shape.cpu_milli, 2000);  // sort.Reverse of PodResource.Less
}

}  // namespace
