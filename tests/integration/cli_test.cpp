// The `podium` binary end to end: score and schedule on hand-written clusters, and bad
// input reported with file and JSON path, a non-zero exit and no output file.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";
const std::string kData = PODIUM_SOURCE_DIR "/tests/data/cli/";

struct Run {
  int exit_code;
  std::string out;  // stdout and stderr together
};

Run run(const std::string& args) {
  Run r{0, {}};
  FILE* pipe = ::popen((kPodium + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(PodiumScore, ExplainsEveryNodeInClusterOrder) {
  const auto r = run("score --cluster " + kData + "small_cluster.json --pod " + kData + "pod.json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["pod"], "shop/web");
  ASSERT_EQ(j["nodes"].size(), 3U);
  // n1: 4 cpu / 8Gi with 1 cpu / 2Gi bound (the Succeeded pod is ignored); pod 1 cpu / 1Gi.
  // LeastAllocated (50 + 62) / 2 = 56; BalancedAllocation 0.5 vs 0.375 -> 93.
  EXPECT_EQ(j["nodes"][0]["name"], "n1");
  EXPECT_EQ(j["nodes"][0]["feasible"], true);
  EXPECT_EQ(j["nodes"][0]["scores"]["NodeResourcesFit"], 56);
  EXPECT_EQ(j["nodes"][0]["scores"]["NodeResourcesBalancedAllocation"], 93);
  // TaintToleration 100 (no node has a PreferNoSchedule taint) x 3, ImageLocality 0.
  EXPECT_EQ(j["nodes"][0]["scores"]["TaintToleration"], 100);
  EXPECT_EQ(j["nodes"][0]["total"], 3 * 100 + 149);
  // n2: 1 cpu, free; LeastAllocated cpu 0, memory 87 (87.5) -> 43; Balanced |1 - 0.125|/2 -> 56.
  EXPECT_EQ(j["nodes"][1]["scores"]["NodeResourcesFit"], 43);
  EXPECT_EQ(j["nodes"][1]["scores"]["NodeResourcesBalancedAllocation"], 56);
  EXPECT_EQ(j["nodes"][2]["feasible"], false);
  EXPECT_EQ(j["nodes"][2]["plugin"], "NodeUnschedulable");
  EXPECT_EQ(j["nodes"][2]["reason"], "node(s) were unschedulable");
  EXPECT_EQ(j["selected"], "n1");
}

TEST(PodiumSchedule, PlacesPendingPodsAndExplainsTheUnplaceable) {
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_placements.json";
  std::filesystem::remove(out);
  const auto r = run("schedule --cluster " + kData + "small_cluster.json --pods " + kData + "pending.yaml --output " +
                     out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["placements"].size(), 2U);
  EXPECT_EQ(j["placements"][0]["pod"], "default/a");
  EXPECT_EQ(j["placements"][0]["node"], "n1");
  EXPECT_EQ(j["placements"][1]["pod"], "default/huge");
  EXPECT_TRUE(j["placements"][1]["node"].is_null());
  EXPECT_EQ(j["placements"][1]["reason"],
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.");
  EXPECT_EQ(j["metrics"]["scheduled"], 1);
  EXPECT_EQ(j["metrics"]["unschedulable"], 1);
  for (const char* k : {"load_seconds", "schedule_seconds", "pods_per_second"}) EXPECT_TRUE(j["metrics"].contains(k));
  for (const char* k : {"p50", "p90", "p99", "max"}) EXPECT_TRUE(j["metrics"]["latency_us"].contains(k));
}

TEST(PodiumScore, UsesTheConfiguredScoringStrategy) {
  const auto r = run("score --cluster " + kData + "small_cluster.json --pod " + kData + "pod.json --config " + kData +
                     "most_allocated.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  // MostAllocated on n1: cpu 2000/4000 -> 50, memory 3Gi/8Gi -> 37 (37.5): (50 + 37) / 2 = 43.
  EXPECT_EQ(j["nodes"][0]["scores"]["NodeResourcesFit"], 43);
  // n2: cpu 1000/1000 -> 100, memory 1Gi/8Gi -> 12 (12.5): 56.
  EXPECT_EQ(j["nodes"][1]["scores"]["NodeResourcesFit"], 56);
}

TEST(PodiumSchedule, RefusesNodeSamplingItDoesNotEmulateYet) {
  const auto r = run("schedule --cluster " + kData + "small_cluster.json --config " + kData + "sampling.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("sampling.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("percentageOfNodesToScore"), std::string::npos) << r.out;
}

struct BadInput {
  const char* file;
  const char* expected;  // must appear in the message
};

class PodiumBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(PodiumBadInput, FailsWithFileAndPathAndWritesNothing) {
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_bad.json";
  std::filesystem::remove(out);
  const auto r = run(std::string("schedule --cluster ") + kData + GetParam().file + " --output " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(GetParam().file), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(GetParam().expected), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out));
}

INSTANTIATE_TEST_SUITE_P(
    Files, PodiumBadInput,
    ::testing::Values(BadInput{"bad_quantity.json", "items[1].spec.containers[0].resources.requests.cpu"},
                      BadInput{"bad_unknown_node.json", "items[1].spec.nodeName"},
                      BadInput{"malformed.json", "podium: error"}));

}  // namespace
