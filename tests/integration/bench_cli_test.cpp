// `podium bench` end to end: outputs in each format, side-by-side algorithms, and the exit
// status contract (0 pass, 1 wrong answer with the report still written, 2 bad input with
// nothing written).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";
const std::string kWorkloads = PODIUM_SOURCE_DIR "/bench/workloads/";
const std::string kData = PODIUM_SOURCE_DIR "/tests/data/bench/";

struct Result {
  int exit_code;
  std::string out;  // stdout only
};

Result run(const std::string& args) {
  Result r{0, {}};
  FILE* pipe = ::popen((kPodium + " " + args + " 2>/dev/null").c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::filesystem::path temp_out(const char* name) {
  auto p = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove(p);
  return p;
}

TEST(PodiumBench, JsonIsSchedulerPerfDataItemsWithOneColumnPerAlgorithm) {
  const auto r = run("bench " + kWorkloads + "unschedulable.yaml --label short --algorithm default,MostAllocated "
                     "--format json --threads 1 --timing-samples 4");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "v1");
  int throughput_items = 0;
  std::set<std::string> algorithms;
  for (const auto& item : j["dataItems"]) {
    ASSERT_TRUE(item.contains("data") && item.contains("unit") && item.contains("labels"));
    if (item["labels"]["Metric"] == "SchedulingThroughput") {
      ++throughput_items;
      EXPECT_EQ(item["unit"], "pods/s");
      EXPECT_GT(item["data"]["Average"].get<double>(), 0);
      algorithms.insert(item["labels"]["algorithm"].get<std::string>());
      EXPECT_EQ(item["labels"]["Name"], "Unschedulable/500Nodes");
    }
    if (item["labels"]["Metric"] == "PodOutcomes") {
      EXPECT_EQ(item["data"]["Unschedulable"], 200);
      EXPECT_EQ(item["data"]["Scheduled"], 1000);
    }
  }
  EXPECT_EQ(throughput_items, 2);
  EXPECT_EQ(algorithms, (std::set<std::string>{"default", "MostAllocated"}));
}

TEST(PodiumBench, TableAndCsvWriteTheSameRuns) {
  const auto table = run("bench " + kWorkloads + "scheduling_basic.yaml --label short --threads 1 --timing-samples 2");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("SchedulingBasic/500Nodes"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("PASS"), std::string::npos);
  const auto out = temp_out("podium_bench_test.csv");
  const auto csv = run("bench " + kWorkloads + "scheduling_basic.yaml --label short --threads 1 --format csv --out " +
                       out.string());
  ASSERT_EQ(csv.exit_code, 0);
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "name,algorithm,seed,threads,nodes,repetition,metric,item_labels,field,value,unit");
  std::stringstream rest;
  rest << in.rdbuf();
  EXPECT_NE(rest.str().find("SchedulingBasic/500Nodes,default,1,1,500,0,SchedulingThroughput,,Average,"), std::string::npos);
}

TEST(PodiumBench, AWrongAnswerExitsOneAndStillWritesTheReport) {
  const auto out = temp_out("podium_bench_wrong.json");
  const auto r = run("bench " + kData + "wrong_answer.yaml --format json --out " + out.string());
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_TRUE(std::filesystem::exists(out));
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  bool saw_failure = false;
  for (const auto& item : j["dataItems"])
    if (item["labels"]["Metric"] == "BenchmarkResult") {
      EXPECT_EQ(item["data"]["Passed"], 0);
      saw_failure = item["labels"]["failures"].get<std::string>().find("expected 0 unschedulable") != std::string::npos;
    }
  EXPECT_TRUE(saw_failure);
}

TEST(PodiumBench, BadWorkloadFileExitsTwoNamingFileAndKeyAndWritesNothing) {
  const auto out = temp_out("podium_bench_bad.json");
  std::string text;
  FILE* pipe = ::popen((kPodium + " bench " + kData + "unknown_op.yaml --out " + out.string() + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) text += buf.data();
  const int status = ::pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(text.find("unknown_op.yaml: [0].workloadTemplate[1].opcode: unknown opcode \"createPod\""), std::string::npos)
      << text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(PodiumBench, ConfigFilesAndBuiltinsRunSideBySide) {
  const auto r = run("bench " + kWorkloads + "scheduling_basic.yaml --label short --config " + kData +
                     "sample_half.yaml --algorithm default --format json --timing-samples 0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> algorithms;
  for (const auto& item : j["dataItems"])
    if (item["labels"]["Metric"] == "SchedulingThroughput") algorithms.insert(item["labels"]["algorithm"].get<std::string>());
  EXPECT_EQ(algorithms, (std::set<std::string>{"sample_half", "default"}));
}

TEST(PodiumBench, UnknownAlgorithmIsABadInput) {
  const auto r = run("bench " + kWorkloads + "scheduling_basic.yaml --label short --algorithm NoSuchThing");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
}

TEST(PodiumBench, NoMatchingWorkloadIsABadInput) {
  EXPECT_EQ(run("bench " + kWorkloads + "scheduling_basic.yaml --label no-such-label").exit_code, 2);
}

}  // namespace
