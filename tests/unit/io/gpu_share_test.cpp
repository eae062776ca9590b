// GPU sharing in Kubernetes objects (io/gpu_share.hpp): what the loader reads from the
// alibabacloud.com/gpu-* spelling, and each way it rejects it (file + JSON path + message).

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

std::string node_json(const std::string& allocatable, const std::string& labels = "{}") {
  return R"({"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n", "labels": )" + labels +
         R"(}, "status": {"allocatable": {"cpu": "8", )" + allocatable + "}}}]}";
}

std::string pod_json(const std::string& annotations) {
  return R"({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p", "annotations": {)" + annotations +
         R"(}}, "spec": {"containers": [{"name": "c"}]}}]})";
}

ClusterObjects load(const std::string& text) {
  ClusterObjects out;
  load_objects_text(text, "c.json", out);
  return out;
}

TEST(GpuShareObjects, ANodeCarriesItsDeviceCountAndModel) {
  const auto o = load(node_json(R"("alibabacloud.com/gpu-count": "4", "alibabacloud.com/gpu-milli": "4000")",
                                R"({"alibabacloud.com/gpu-card-model": "V100M16"})"));
  ASSERT_TRUE(o.nodes[0].gpu_share);
  EXPECT_EQ(o.nodes[0].gpu_share->gpu_count, 4);
  EXPECT_EQ(o.nodes[0].gpu_share->model, "V100M16");
}

TEST(GpuShareObjects, NodesAndPodsWithoutTheSpellingHaveNone) {
  EXPECT_FALSE(load(node_json(R"("nvidia.com/gpu": "4")")).nodes[0].gpu_share);
  const auto o = load(pod_json(R"("team": "a", "alibabacloud.com/other": "x")"));
  EXPECT_FALSE(o.pods[0].gpu_share);
  EXPECT_TRUE(o.pods[0].gpu_annotations.empty());
  EXPECT_FALSE(load(pod_json(R"("alibabacloud.com/gpu-count": "0")")).pods[0].gpu_share);
}

TEST(GpuShareObjects, APodAsksForAShareOrWholeDevicesWithAllowedModels) {
  auto o = load(pod_json(R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "250",
                            "alibabacloud.com/gpu-card-model": "T4|P100|T4")"));
  ASSERT_TRUE(o.pods[0].gpu_share);
  EXPECT_EQ(o.pods[0].gpu_share->num_gpu, 1);
  EXPECT_EQ(o.pods[0].gpu_share->gpu_milli, 250);
  EXPECT_EQ(o.pods[0].gpu_share->models, (std::vector<std::string>{"T4", "P100"}));
  EXPECT_TRUE(o.pods[0].gpu_share->devices.empty());

  o = load(pod_json(R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-index": "3-0")"));
  ASSERT_TRUE(o.pods[0].gpu_share);
  EXPECT_EQ(o.pods[0].gpu_share->gpu_milli, 1000);  // whole devices by default
  EXPECT_TRUE(o.pods[0].gpu_share->models.empty());
  EXPECT_EQ(o.pods[0].gpu_share->devices, (std::vector<std::int32_t>{0, 3}));
}

struct ErrorCase {
  const char* name;
  std::string text;
  std::string location;
  std::string message;
};

TEST(GpuShareObjects, BadFieldsAreErrorsNamingTheFileAndPath) {
  const std::string alloc = R"(items[0].status.allocatable["alibabacloud.com/)";
  const std::string ann = R"(items[0].metadata.annotations["alibabacloud.com/)";
  const ErrorCase cases[] = {
      {"fractional node GPU count", node_json(R"("alibabacloud.com/gpu-count": "1.5")"), alloc + "gpu-count\"]",
       "whole number of devices"},
      {"more than 8 devices", node_json(R"("alibabacloud.com/gpu-count": "16")"), alloc + "gpu-count\"]", "0..8"},
      {"milli not count x 1000", node_json(R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-milli": "1000")"),
       alloc + "gpu-milli\"]", "must be 2000"},
      {"node milli without count", node_json(R"("alibabacloud.com/gpu-milli": "1000")"), alloc + "gpu-milli\"]",
       "without alibabacloud.com/gpu-count"},
      {"pod count not a number", pod_json(R"("alibabacloud.com/gpu-count": "one")"), ann + "gpu-count\"]",
       "not a whole number"},
      {"pod milli out of range", pod_json(R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-milli": "1500")"),
       ann + "gpu-milli\"]", "1..1000"},
      {"a fraction on a multi-GPU pod",
       pod_json(R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-milli": "500")"), ann + "gpu-milli\"]",
       "only allowed with alibabacloud.com/gpu-count 1"},
      {"pod milli without count", pod_json(R"("alibabacloud.com/gpu-milli": "500")"), ann + "gpu-milli\"]",
       "without alibabacloud.com/gpu-count"},
      {"empty model in the list", pod_json(R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-card-model": "T4|")"),
       ann + "gpu-card-model\"]", "empty model name"},
      {"index count differs", pod_json(R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-index": "1")"),
       ann + "gpu-index\"]", "names 1 device(s), the pod asks for 2"},
      {"index repeats a device", pod_json(R"("alibabacloud.com/gpu-count": "2", "alibabacloud.com/gpu-index": "1-1")"),
       ann + "gpu-index\"]", "twice"},
      {"index out of range", pod_json(R"("alibabacloud.com/gpu-count": "1", "alibabacloud.com/gpu-index": "8")"),
       ann + "gpu-index\"]", "device indices 0..7"},
  };
  for (const ErrorCase& tc : cases) {
    SCOPED_TRACE(tc.name);
    try {
      load(tc.text);
      ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "c.json");
      EXPECT_EQ(e.location(), tc.location);
      EXPECT_NE(e.message().find(tc.message), std::string::npos) << e.message();
    }
  }
}

}  // namespace
}  // namespace podium::io
