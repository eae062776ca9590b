// The openb loader on every shipped CSV (row counts, units, GPU model totals as
// datasets/openb/data/README.md states them) and its errors on bad rows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "openb/openb_csv.hpp"
#include "podium/common/input_error.hpp"

namespace {

using namespace podium;
namespace openb = podium::datasets::openb;

const std::string kData = PODIUM_SOURCE_DIR "/datasets/openb/data/";

TEST(OpenbNodes, TheGpuNodeListHas1213NodesAnd6212Gpus) {
  const auto c = openb::load_nodes(kData + "openb_node_list_gpu_node.csv");
  ASSERT_EQ(c.size(), 1213U);
  EXPECT_EQ(c.gpu_capacity_milli(), 6212 * 1000);
  std::int64_t cpu = 0, memory = 0;
  std::map<std::string, int> nodes_by_model;
  std::map<int, int> nodes_by_gpus;
  for (gpushare::NodeIndex n = 0; n < c.size(); ++n) {
    cpu += c.cpu_capacity(n);
    memory += c.memory_capacity(n);
    ++nodes_by_model[c.model_name(c.model(n))];
    ++nodes_by_gpus[c.gpu_count(n)];
  }
  EXPECT_EQ(cpu, 107'018'000);
  EXPECT_EQ(memory, 503'828'480);
  EXPECT_EQ(nodes_by_model, (std::map<std::string, int>{
                                {"G2", 549}, {"T4", 404}, {"P100", 134}, {"V100M16", 55}, {"G3", 39}, {"V100M32", 30}, {"A10", 2}}));
  EXPECT_EQ(nodes_by_gpus, (std::map<int, int>{{1, 24}, {2, 518}, {4, 54}, {8, 617}}));
  EXPECT_EQ(c.name(0), "openb-node-0000");
}

TEST(OpenbNodes, TheAllNodeListAddsCpuOnlyNodes) {
  const auto c = openb::load_nodes(kData + "openb_node_list_all_node.csv");
  ASSERT_EQ(c.size(), 1523U);
  int cpu_only = 0;
  for (gpushare::NodeIndex n = 0; n < c.size(); ++n) cpu_only += c.gpu_count(n) == 0 ? 1 : 0;
  EXPECT_EQ(cpu_only, 310);
  EXPECT_EQ(c.gpu_capacity_milli(), 6212 * 1000);
}

struct Mix {
  int cpu_only = 0, fractional = 0, one = 0, two = 0, four = 0, eight = 0, constrained = 0;
  std::int64_t gpu_milli = 0;
};
Mix mix_of(const openb::PodList& list) {
  Mix m;
  for (const auto& p : list.pods) {
    m.gpu_milli += p.total_gpu_milli();
    m.constrained += p.model_constrained ? 1 : 0;
    if (p.num_gpu == 0) ++m.cpu_only;
    else if (p.shares_gpu()) ++m.fractional;
    else if (p.num_gpu == 1) ++m.one;
    else if (p.num_gpu == 2) ++m.two;
    else if (p.num_gpu == 4) ++m.four;
    else if (p.num_gpu == 8) ++m.eight;
  }
  return m;
}

TEST(OpenbPods, TheDefaultListHasTheReadmesMix) {
  auto c = openb::load_nodes(kData + "openb_node_list_gpu_node.csv");
  const auto list = openb::load_pods(kData + "openb_pod_list_default.csv", c);
  ASSERT_EQ(list.pods.size(), 8152U);
  EXPECT_TRUE(list.has_times);
  ASSERT_EQ(list.times.size(), 8152U);
  const Mix m = mix_of(list);
  EXPECT_EQ(m.cpu_only, 1088);
  EXPECT_EQ(m.fractional, 3078);
  EXPECT_EQ(m.one, 3911);
  EXPECT_EQ(m.two, 16);
  EXPECT_EQ(m.four, 15);
  EXPECT_EQ(m.eight, 44);
  EXPECT_EQ(m.gpu_milli, 6'086'800);  // 6,086.8 GPUs
  EXPECT_EQ(m.constrained, 0);
  // openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
  EXPECT_EQ(list.names[0], "openb-pod-0000");
  EXPECT_EQ(list.pods[0].cpu_milli, 12000);
  EXPECT_EQ(list.pods[0].memory_mib, 16384);
  EXPECT_EQ(list.times[0].deletion, 12537496);
}

TEST(OpenbPods, Gpuspec33ConstrainsModelsOn2388Pods) {
  auto c = openb::load_nodes(kData + "openb_node_list_gpu_node.csv");
  const auto list = openb::load_pods(kData + "openb_pod_list_gpuspec33.csv", c);
  ASSERT_EQ(list.pods.size(), 8152U);
  const Mix m = mix_of(list);
  EXPECT_EQ(m.constrained, 2388);
  EXPECT_EQ(m.gpu_milli, 6'086'800);
  // Every named model is one of the cluster's: no model was added by the pod list.
  EXPECT_EQ(c.model_count(), 7U);
}

TEST(OpenbPods, Multigpu50HasFiveColumnsAndNoTimes) {
  auto c = openb::load_nodes(kData + "openb_node_list_gpu_node.csv");
  const auto list = openb::load_pods(kData + "openb_pod_list_multigpu50.csv", c);
  ASSERT_EQ(list.pods.size(), 9061U);
  EXPECT_FALSE(list.has_times);
  EXPECT_TRUE(list.times.empty());
  const Mix m = mix_of(list);
  const std::int64_t multi = [&] {
    std::int64_t s = 0;
    for (const auto& p : list.pods) s += p.num_gpu > 1 ? p.total_gpu_milli() : 0;
    return s;
  }();
  // About half the GPU demand is multi-GPU pods (7.3% in the default list).
  EXPECT_NEAR(static_cast<double>(multi) / static_cast<double>(m.gpu_milli), 0.5, 0.03);
}

TEST(OpenbPods, Cpu050KeepsEveryGpuPodAnd375CpuPods) {
  auto c = openb::load_nodes(kData + "openb_node_list_gpu_node.csv");
  const auto list = openb::load_pods(kData + "openb_pod_list_cpu050.csv", c);
  ASSERT_EQ(list.pods.size(), 7439U);
  const Mix m = mix_of(list);
  EXPECT_EQ(m.cpu_only, 375);
  EXPECT_EQ(m.fractional + m.one + m.two + m.four + m.eight, 7064);
}

class BadCsv : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("podium_openb_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".csv"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

std::string error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

constexpr const char* kPodHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";

TEST_F(BadCsv, ANonNumberNamesFileLineAndColumn) {
  const auto path = write(std::string(kPodHeader) + "p0,1000,10,1,500,,LS,Running,0,5,0\np1,12x,10,0,0,,LS,Running,0,5,0\n");
  gpushare::GpuCluster c;
  EXPECT_EQ(error_of([&] { openb::load_pods(path, c); }), path + ": line 3: cpu_milli: '12x' is not an integer");
}

TEST_F(BadCsv, AFractionOnAMultiGpuPodIsRejected) {
  const auto path = write(std::string(kPodHeader) + "p0,1000,10,2,500,,LS,Running,0,5,0\n");
  gpushare::GpuCluster c;
  EXPECT_NE(error_of([&] { openb::load_pods(path, c); }).find("line 2: gpu_milli: 500 < 1000 with num_gpu 2"),
            std::string::npos);
}

TEST_F(BadCsv, AMissingColumnIsRejected) {
  const auto path = write(std::string(kPodHeader) + "p0,1000,10,1,500,,LS,Running,0,5\n");
  gpushare::GpuCluster c;
  EXPECT_EQ(error_of([&] { openb::load_pods(path, c); }), path + ": line 2: expected 11 columns, found 10");
}

TEST_F(BadCsv, DeletionBeforeCreationIsRejected) {
  const auto path = write(std::string(kPodHeader) + "p0,1000,10,0,0,,LS,Running,9,5,\n");
  gpushare::GpuCluster c;
  EXPECT_NE(error_of([&] { openb::load_pods(path, c); }).find("line 2: deletion_time 5 is before creation_time 9"),
            std::string::npos);
}

TEST_F(BadCsv, AWrongHeaderIsRejected) {
  const auto path = write("sn,cpu,memory_mib,gpu,model\nn0,1000,10,1,T4\n");
  EXPECT_NE(error_of([&] { openb::load_nodes(path); }).find("line 1: header must be 'sn,cpu_milli,memory_mib,gpu,model'"),
            std::string::npos);
}

TEST_F(BadCsv, AGpuNodeWithoutModelAndTooManyGpusAreRejected) {
  const auto no_model = write("sn,cpu_milli,memory_mib,gpu,model\nn0,1000,10,1,\n");
  EXPECT_EQ(error_of([&] { openb::load_nodes(no_model); }), no_model + ": line 2: model: empty on a node with GPUs");
  const auto too_many = write("sn,cpu_milli,memory_mib,gpu,model\nn0,1000,10,9,T4\n");
  EXPECT_EQ(error_of([&] { openb::load_nodes(too_many); }), too_many + ": line 2: gpu: 9 is outside 0..8");
}

TEST_F(BadCsv, AMissingFileIsAnInputError) {
  EXPECT_NE(error_of([&] { openb::load_nodes("/nonexistent/nodes.csv"); }).find("cannot open"), std::string::npos);
}

}  // namespace
