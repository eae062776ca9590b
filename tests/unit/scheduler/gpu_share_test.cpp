// GPU sharing inside the engine (issue 11 item 1): a cluster whose objects carry the
// alibabacloud.com/gpu-* spelling gets per-device columns and the GpuShare filter; every
// placement passes `podium verify`'s own per-device replay, the parallel modes agree with
// one thread, and a cluster without GPU sharing is left exactly as it was.

#include <gtest/gtest.h>

#include <string>

#include "../../support/random_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/algorithms/algorithm.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;

// `nodes` nodes of 2 or 4 GPUs (models A and B) and `pods` pods cycling through shares,
// whole and multi-GPU requests, some constrained to model B.
io::ClusterObjects gpu_cluster(int nodes, int pods) {
  std::string text = R"({"kind": "List", "items": [)";
  for (int n = 0; n < nodes; ++n) {
    const int gpus = n % 2 == 0 ? 2 : 4;
    text += std::string(n ? "," : "") + R"({"kind": "Node", "metadata": {"name": "n)" + std::to_string(n) +
            R"(", "labels": {"alibabacloud.com/gpu-card-model": ")" + (n % 3 == 0 ? "B" : "A") +
            R"("}}, "status": {"allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110",
               "alibabacloud.com/gpu-count": ")" + std::to_string(gpus) + R"("}}})";
  }
  const char* shapes[] = {R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "300")",
                          R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "550")",
                          R"("alibabacloud.com/gpu-count": "1")",
                          R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-card-model": "B")",
                          R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "250", "alibabacloud.com/gpu-card-model": "B|C")",
                          R"("team": "cpu-only")"};
  for (int p = 0; p < pods; ++p)
    text += R"(,{"kind": "Pod", "metadata": {"name": "p)" + std::to_string(p) + R"(", "annotations": {)" +
            shapes[p % 6] + R"(}}, "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]}})";
  text += "]}";
  io::ClusterObjects objects;
  io::load_objects_text(text, "gpu.json", objects);
  return objects;
}

scheduler::ScheduleResult run(const io::ClusterObjects& objects, state::ClusterState& cluster, const std::string& algorithm,
                              int threads, scheduler::ParallelMode mode) {
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  scheduler::SchedulerOptions options;
  options.seed = 3;
  options.threads = threads;
  options.mode = mode;
  options.algorithm = algorithms::make_algorithm(algorithms::parse_algorithm_spec(algorithm));
  (void)objects;
  return scheduler::schedule_pending(cluster, {&profile, 1}, options);
}

TEST(GpuShareEngine, OnlyAClusterWithGpuSharingGetsTheTableAndTheFilter) {
  auto with = state::build_cluster_state(gpu_cluster(4, 6));
  ASSERT_TRUE(with.gpu.has_value());
  EXPECT_EQ(with.gpu->size(), 4U);
  EXPECT_EQ(with.gpu->gpu_capacity_milli(), 12000);
  const auto profile = framework::build_profile(framework::default_profile_spec(), with);
  EXPECT_EQ(profile.filters.back()->name(), "GpuShare");

  auto without = state::build_cluster_state(podium::testing::random_cluster_objects(5, {.nodes = 10, .pending_pods = 20}));
  EXPECT_FALSE(without.gpu.has_value());
  for (const auto* f : framework::build_profile(framework::default_profile_spec(), without).filters)
    EXPECT_NE(f->name(), "GpuShare");
}

TEST(GpuShareEngine, EveryAlgorithmsPlacementsPassTheIndependentDeviceCheck) {
  const auto objects = gpu_cluster(12, 120);  // 36 GPUs, more asked than fit
  for (const char* algorithm : {"default", "fgd", "dot-product", "gpu-packing", "gpu-clustering", "best-fit", "random"}) {
    SCOPED_TRACE(algorithm);
    auto cluster = state::build_cluster_state(objects);
    const auto result = run(objects, cluster, algorithm, 1, scheduler::ParallelMode::kSequentialEquivalent);
    std::size_t placed = 0, unplaced = 0;
    for (const auto& p : result.placements) (p.node == state::kNoNode ? unplaced : placed) += 1;
    EXPECT_GT(placed, 40U);
    EXPECT_GT(unplaced, 0U);
    EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result));
    // The device columns hold exactly what the bound pods took.
    std::int64_t held = 0;
    for (const auto& pod : cluster.pods)
      if (pod.bound_node != state::kNoNode) held += pod.gpu.total_gpu_milli();
    EXPECT_EQ(cluster.gpu->gpu_allocated_milli(), held);
  }
}

TEST(GpuShareEngine, ParallelModesPlaceAsOneThread) {
  const auto objects = gpu_cluster(12, 120);
  for (const char* algorithm : {"default", "fgd"}) {
    auto one = state::build_cluster_state(objects);
    const auto expected = run(objects, one, algorithm, 1, scheduler::ParallelMode::kSequentialEquivalent);
    for (const auto mode : {scheduler::ParallelMode::kSequentialEquivalent, scheduler::ParallelMode::kOptimistic}) {
      auto many = state::build_cluster_state(objects);
      const auto got = run(objects, many, algorithm, 2, mode);
      ASSERT_EQ(got.placements.size(), expected.placements.size());
      for (std::size_t i = 0; i < got.placements.size(); ++i) {
        EXPECT_EQ(got.placements[i].node, expected.placements[i].node) << algorithm << " " << i;
        EXPECT_EQ(many.pods[got.placements[i].pod].gpu_devices, one.pods[expected.placements[i].pod].gpu_devices);
      }
    }
  }
}

TEST(GpuShareEngine, ABoundPodHoldsItsNamedDevicesAndAnUnfittingOneIsAnInputError) {
  std::string text = R"({"kind": "List", "items": [
    {"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "8", "pods": "10", "alibabacloud.com/gpu-count": "2"}}},
    {"kind": "Pod", "metadata": {"name": "a", "annotations": {"alibabacloud.com/gpu-count": "1",
      "alibabacloud.com/gpu-milli": "700", "alibabacloud.com/gpu-index": "1"}}, "spec": {"nodeName": "n"}},
    {"kind": "Pod", "metadata": {"name": "b", "annotations": {"alibabacloud.com/gpu-count": "1",
      "alibabacloud.com/gpu-milli": "500"}}}]})";
  io::ClusterObjects objects;
  io::load_objects_text(text, "c.json", objects);
  auto cluster = state::build_cluster_state(objects);
  EXPECT_EQ(cluster.gpu->devices(0)[1], 300);
  const auto result = run(objects, cluster, "default", 1, scheduler::ParallelMode::kSequentialEquivalent);
  ASSERT_EQ(result.placements.size(), 1U);
  EXPECT_EQ(result.placements[0].node, 0U);
  EXPECT_EQ(cluster.pods[result.placements[0].pod].gpu_devices, 1U);  // device 1 has only 300 left
  EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result));

  const std::string overfull = R"({"kind": "List", "items": [
    {"kind": "Node", "metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "8", "alibabacloud.com/gpu-count": "1"}}},
    {"kind": "Pod", "metadata": {"name": "a", "annotations": {"alibabacloud.com/gpu-count": "2"}}, "spec": {"nodeName": "n"}}]})";
  io::ClusterObjects bad;
  io::load_objects_text(overfull, "c.json", bad);
  try {
    (void)state::build_cluster_state(bad);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location(), R"(items[1].metadata.annotations["alibabacloud.com/gpu-count"])");
    EXPECT_NE(e.message().find("whose GPU devices cannot hold it"), std::string::npos) << e.message();
  }
}

}  // namespace
