// GPU sharing through the Kubernetes path (issue 11 item 1): a slice of the openb trace
// converted to Node and Pod objects in the documented alibabacloud.com/gpu-* spelling,
// scheduled with `podium schedule --algorithm fgd`, checked by `podium verify` (its own
// per-device replay), and compared pod by pod with `podium replay --in-order` on the same
// slice as CSV: where the semantics coincide (file order = queue order, the same typical
// pods, the same seeded tie order) FGD must pick the same node and devices for every pod.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/run_podium.hpp"

namespace {

using podium::testing::run_podium;
namespace fs = std::filesystem;

const std::string kData = PODIUM_SOURCE_DIR "/datasets/openb/data/";

std::vector<std::vector<std::string>> read_csv(const std::string& path, std::size_t rows, std::string& header) {
  std::ifstream in(path);
  std::getline(in, header);
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (out.size() < rows && std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    std::string cell;
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    out.push_back(cells);
  }
  return out;
}

struct Slice {
  fs::path dir;
  std::string nodes_csv, pods_csv, cluster_json;
  double gpu_demand_milli = 0, gpu_capacity_milli = 0;
};

// The first `node_rows` nodes and `pod_rows` pods, as CSV (for replay) and as one
// Kubernetes List (for schedule and verify).
Slice make_slice(std::size_t node_rows, std::size_t pod_rows) {
  Slice s;
  s.dir = fs::temp_directory_path() / ("podium_gpu_share_" + std::to_string(::getpid()));
  fs::create_directories(s.dir);
  s.nodes_csv = (s.dir / "nodes.csv").string();
  s.pods_csv = (s.dir / "pods.csv").string();
  s.cluster_json = (s.dir / "cluster.json").string();
  std::string node_header, pod_header;
  const auto nodes = read_csv(kData + "openb_node_list_gpu_node.csv", node_rows, node_header);
  const auto pods = read_csv(kData + "openb_pod_list_default.csv", pod_rows, pod_header);
  nlohmann::json items = nlohmann::json::array();
  std::ofstream ncsv(s.nodes_csv), pcsv(s.pods_csv);
  ncsv << node_header << "\n";
  for (const auto& n : nodes) {  // sn,cpu_milli,memory_mib,gpu,model
    ncsv << n[0] << "," << n[1] << "," << n[2] << "," << n[3] << "," << n[4] << "\n";
    s.gpu_capacity_milli += std::stod(n[3]) * 1000;
    items.push_back({{"kind", "Node"},
                     {"metadata", {{"name", n[0]}, {"labels", {{"alibabacloud.com/gpu-card-model", n[4]}}}}},
                     {"status",
                      {{"allocatable",
                        {{"cpu", n[1] + "m"},
                         {"memory", n[2] + "Mi"},
                         {"pods", "1001"},
                         {"alibabacloud.com/gpu-count", n[3]},
                         {"alibabacloud.com/gpu-milli", std::to_string(std::stoi(n[3]) * 1000)}}}}}});
  }
  pcsv << pod_header << "\n";
  for (const auto& p : pods) {  // name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,...
    for (std::size_t c = 0; c < p.size(); ++c) pcsv << (c ? "," : "") << p[c];
    pcsv << "\n";
    nlohmann::json annotations = nlohmann::json::object();
    if (std::stoi(p[3]) > 0) {
      annotations["alibabacloud.com/gpu-count"] = p[3];
      annotations["alibabacloud.com/gpu-milli"] = p[4];
      if (!p[5].empty()) annotations["alibabacloud.com/gpu-card-model"] = p[5];
      s.gpu_demand_milli += std::stod(p[3]) * std::stod(p[4]);
    }
    items.push_back(
        {{"kind", "Pod"},
         {"metadata", {{"name", p[0]}, {"namespace", "default"}, {"annotations", annotations}}},
         {"spec",
          {{"containers",
            {{{"name", "c"}, {"resources", {{"requests", {{"cpu", p[1] + "m"}, {"memory", p[2] + "Mi"}}}}}}}}}}});
  }
  std::ofstream(s.cluster_json) << nlohmann::json{{"kind", "List"}, {"items", items}}.dump();
  return s;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(GpuShareCli, FgdOnKubernetesObjectsVerifiesAndMatchesTheReplay) {
  // 40 nodes and 500 pods: enough that GPUs run out and FGD's choices matter.
  const Slice s = make_slice(40, 500);
  const std::string sched = (s.dir / "schedule.json").string(), replay = (s.dir / "replay.json").string();

  auto r = run_podium("schedule --cluster " + s.cluster_json + " --algorithm fgd --seed 7 --output " + sched);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = run_podium("verify --cluster " + s.cluster_json + " --placements " + sched);
  EXPECT_EQ(r.exit_code, 0) << r.out;

  // Every pod of the list arrives (the target is just above its GPU demand), in order.
  const double until = (s.gpu_demand_milli + 0.5) / s.gpu_capacity_milli;
  r = run_podium("replay --nodes " + s.nodes_csv + " --pods " + s.pods_csv + " --algorithm fgd --in-order --seed 7 " +
                 "--until " + std::to_string(until) + " --placements --out " + replay);
  ASSERT_EQ(r.exit_code, 0) << r.out;

  std::map<std::string, nlohmann::json> engine;
  std::size_t engine_gpu_pods = 0, engine_unplaced = 0;
  const nlohmann::json scheduled = read_json(sched);
  for (const auto& p : scheduled.at("placements")) {
    engine[p.at("pod").get<std::string>()] = p;
    engine_gpu_pods += p.contains("gpus") ? 1 : 0;
    engine_unplaced += p.at("node").is_null() ? 1 : 0;
  }
  ASSERT_EQ(engine.size(), 500U);
  EXPECT_GT(engine_gpu_pods, 100U);
  EXPECT_GT(engine_unplaced, 0U) << "the slice should overfill the 40 nodes";

  const auto placements = read_json(replay).at("results").at(0).at("runs").at(0).at("placements");
  ASSERT_GE(placements.size(), 500U);
  std::size_t compared = 0;
  for (std::size_t i = 0; i < 500; ++i) {
    const auto& want = placements[i];
    const std::string key = "default/" + want.at("pod").get<std::string>();
    SCOPED_TRACE(key);
    ASSERT_TRUE(engine.contains(key));
    const auto& got = engine[key];
    ASSERT_EQ(got.at("node"), want.at("node"));
    if (!want.at("node").is_null() && got.contains("gpus")) EXPECT_EQ(got.at("gpus"), want.at("devices"));
    ++compared;
  }
  EXPECT_EQ(compared, 500U);
  fs::remove_all(s.dir);
}

// The trace's own node YAML (1,213 nodes, ../shared/datasets; skipped without it) with the
// first 3,000 pods of the default list as pending Pod objects.
TEST(GpuShareCli, TheOpenbNodeYamlTakesFractionalPodsUnderFgdAndVerifies) {
  const std::string yaml = PODIUM_SOURCE_DIR "/../shared/datasets/alibaba-gpu-v2023/openb_node_list_gpu_node.yaml";
  if (!fs::exists(yaml)) GTEST_SKIP() << yaml << " not present";
  const Slice s = make_slice(0, 3000);
  const std::string sched = (s.dir / "schedule.json").string();
  auto r = run_podium("schedule --cluster " + yaml + " --pods " + s.cluster_json + " --algorithm fgd --output " + sched);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = run_podium("verify --cluster " + yaml + " --pods " + s.cluster_json + " --placements " + sched);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("ok: 3000 placements checked", 0), 0U) << r.out;
  fs::remove_all(s.dir);
}

TEST(GpuShareCli, VerifyRejectsAPlacementOnAFullDevice) {
  const Slice s = make_slice(1, 0);
  // One node; two pods asking for 600 milli-GPU each, both on device 0.
  auto cluster = read_json(s.cluster_json);
  const std::string node = cluster.at("items").at(0).at("metadata").at("name");
  for (const char* name : {"a", "b"})
    cluster["items"].push_back(
        {{"kind", "Pod"},
         {"metadata",
          {{"name", name}, {"annotations", {{"alibabacloud.com/gpu-count", "1"}, {"alibabacloud.com/gpu-milli", "600"}}}}},
         {"spec", {{"containers", {{{"name", "c"}}}}}}});
  std::ofstream(s.cluster_json) << cluster.dump();
  const std::string placements = (s.dir / "bad.json").string();
  std::ofstream(placements) << R"({"placements": [{"pod": "default/a", "node": ")" << node
                            << R"(", "gpus": [0]}, {"pod": "default/b", "node": ")" << node << R"(", "gpus": [0]}]})";
  const auto r = run_podium("verify --cluster " + s.cluster_json + " --placements " + placements);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("default/b on " + node + ": device 0 has 400 milli-GPU free, the pod asks for 600"),
            std::string::npos)
      << r.out;
  fs::remove_all(s.dir);
}

}  // namespace
