// `podium replay` as a user runs it: --help documents every flag, a bad CSV row exits 2
// naming file and line, and the JSON carries the documented fields for every algorithm.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/run_podium.hpp"

namespace {

using podium::testing::run_podium;

const std::string kData = PODIUM_SOURCE_DIR "/datasets/openb/data/";
const std::string kNodes = kData + "openb_node_list_gpu_node.csv";

TEST(ReplayCli, HelpDocumentsEveryFlag) {
  const auto r = run_podium("replay --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--nodes", "--pods", "--algorithm", "--seed", "--seeds", "--until", "--in-order", "--mode",
                           "--placements", "--threads", "--out"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

TEST(ReplayCli, ABadRowExitsTwoNamingFileAndLine) {
  const auto path = (std::filesystem::temp_directory_path() / "podium_replay_bad_row.csv").string();
  std::ofstream(path) << "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,10,1,500\np1,1000,10,1,1500\n";
  const auto r = run_podium("replay --nodes " + kNodes + " --pods " + path);
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(path + ": line 3: gpu_milli: 1500 is outside 0..1000"), std::string::npos) << r.out;
}

TEST(ReplayCli, AnUnknownAlgorithmIsAUsageError) {
  const auto r = run_podium("replay --nodes " + kNodes + " --pods " + kData + "openb_pod_list_default.csv --algorithm nope");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown algorithm 'nope'"), std::string::npos) << r.out;
}

TEST(ReplayCli, EveryAlgorithmReportsTheDocumentedFields) {
  const auto out = (std::filesystem::temp_directory_path() / "podium_replay_fields.json").string();
  const auto r = run_podium("replay --nodes " + kNodes + " --pods " + kData +
                            "openb_pod_list_default.csv --algorithm fgd,best-fit,dot-product,gpu-packing,gpu-clustering,"
                            "random,default --seeds 1-2 --until 0.3 --threads 2 --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  EXPECT_EQ(j.at("gpu_capacity_milli"), 6212000);
  ASSERT_EQ(j.at("results").size(), 7U);
  for (const auto& result : j.at("results")) {
    SCOPED_TRACE(result.value("algorithm", "?"));
    for (const char* key : {"algorithm", "pods_placed", "pods_failed", "gpu_allocation_ratio", "curve", "seconds_mean",
                            "unallocated_percent_at_100", "runs"})
      EXPECT_TRUE(result.contains(key)) << key;
    EXPECT_EQ(result.at("runs").size(), 2U);
    // 30% of the GPU capacity arrives: almost everything fits (a rare 8-GPU pod asking for
    // more cores than most nodes have may not).
    EXPECT_GT(result.at("pods_placed").get<double>(), 2000);
    EXPECT_LT(result.at("pods_failed").get<double>(), 10);
    EXPECT_NEAR(result.at("gpu_allocation_ratio").get<double>(), 0.3, 0.02);
    EXPECT_LE(result.at("gpu_allocation_ratio").get<double>(), result.at("arrived_ratio").get<double>() + 1e-9);
    // One point per whole percent of capacity arrived; arrival stops before passing 30%.
    ASSERT_GE(result.at("curve").size(), 29U);
    ASSERT_LE(result.at("curve").size(), 30U);
    for (const auto& p : result.at("curve")) {
      EXPECT_TRUE(p.contains("arrived_ratio") && p.contains("allocated_ratio") && p.contains("fragmented_gpu_milli"));
      EXPECT_LE(p.at("allocated_ratio").get<double>(), p.at("arrived_ratio").get<double>() + 1e-9);
    }
  }
}

TEST(ReplayCli, EventModeFollowsTheTraceTimes) {
  const auto r = run_podium("replay --nodes " + kNodes + " --pods " + kData +
                                "openb_pod_list_default.csv --algorithm fgd --mode events",
                            /*with_stderr=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& result = j.at("results").at(0);
  EXPECT_EQ(result.at("pods_placed").get<int>() + result.at("pods_failed").get<int>(), 8152);
  EXPECT_EQ(result.at("timeline").size(), 100U);
  EXPECT_GT(result.at("gpu_allocation_ratio").get<double>(), 0.0);
}

TEST(ReplayCli, EventModeNeedsTheTimeColumns) {
  const auto r = run_podium("replay --nodes " + kNodes + " --pods " + kData +
                            "openb_pod_list_multigpu50.csv --mode events");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--mode events needs creation_time"), std::string::npos) << r.out;
}

}  // namespace
