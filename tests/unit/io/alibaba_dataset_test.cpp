// The real Alibaba GPU cluster node list (cluster-trace-gpu-v2023, 1,213 `---` separated
// v1/Node documents; see shared/datasets/alibaba-gpu-v2023/README.md for the totals).
// Skipped when the shared datasets are not checked out next to the repository.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

const std::string kNodeYaml = PODIUM_SOURCE_DIR "/../shared/datasets/alibaba-gpu-v2023/openb_node_list_gpu_node.yaml";

std::int64_t value_of(const ResourceList& list, const std::string& name, bool milli = false) {
  for (const auto& [n, q] : list) {
    if (n == name) return milli ? *q.milli_value() : *q.value();
  }
  ADD_FAILURE() << "no " << name;
  return 0;
}

TEST(AlibabaGpuNodeList, LoadsAllNodesWithTheDocumentedTotals) {
  if (!std::filesystem::exists(kNodeYaml)) GTEST_SKIP() << kNodeYaml << " not present";
  ClusterObjects o;
  load_objects_file(kNodeYaml, o);
  EXPECT_NO_THROW(validate_objects(o));
  ASSERT_EQ(o.nodes.size(), 1213u);
  EXPECT_TRUE(o.pods.empty());

  std::int64_t milli_cpu = 0, memory_bytes = 0, gpus = 0, gpu_milli = 0, pods = 0;
  std::map<std::string, int> by_model;
  std::map<std::int64_t, int> by_gpu_count;
  for (const NodeObject& n : o.nodes) {
    milli_cpu += value_of(n.allocatable, "cpu", /*milli=*/true);
    memory_bytes += value_of(n.allocatable, "memory");
    const std::int64_t g = value_of(n.allocatable, "alibabacloud.com/gpu-count");
    gpus += g;
    ++by_gpu_count[g];
    gpu_milli += value_of(n.allocatable, "alibabacloud.com/gpu-milli");
    pods += value_of(n.allocatable, "pods");
    for (const auto& [k, v] : n.labels) {
      if (k == "alibabacloud.com/gpu-card-model") ++by_model[v];
    }
    // The GPU-sharing reader sees the same devices and model (io/gpu_share.hpp).
    ASSERT_TRUE(n.gpu_share.has_value()) << n.name;
    EXPECT_EQ(n.gpu_share->gpu_count, g) << n.name;
    EXPECT_FALSE(n.gpu_share->model.empty()) << n.name;
  }
  EXPECT_EQ(milli_cpu, 107'018'000);
  EXPECT_EQ(memory_bytes, 503'828'480LL * 1024 * 1024);
  EXPECT_EQ(gpus, 6'212);
  EXPECT_EQ(gpu_milli, 6'212'000);
  EXPECT_EQ(pods, 1213LL * 1001);
  EXPECT_EQ(by_gpu_count, (std::map<std::int64_t, int>{{1, 24}, {2, 518}, {4, 54}, {8, 617}}));
  EXPECT_EQ(by_model, (std::map<std::string, int>{
                          {"G2", 549}, {"T4", 404}, {"P100", 134}, {"V100M16", 55}, {"G3", 39}, {"V100M32", 30}, {"A10", 2}}));

  EXPECT_EQ(o.nodes.front().name, "openb-node-0000");
  EXPECT_EQ(o.nodes.front().source.path, "doc[0]");
  EXPECT_EQ(o.nodes.back().name, "openb-node-1212");
  EXPECT_EQ(o.nodes.back().source.path, "doc[1212]");
}

}  // namespace
}  // namespace podium::io
