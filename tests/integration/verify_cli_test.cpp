// `podium verify` end to end: a valid list (exit 0), a violating one (exit 1, one line per
// violation), bad JSON (exit 2 naming the file and the JSON path), and schedule's own
// output on a generated cluster with constraints verified as is.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "../support/run_podium.hpp"

namespace {

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";
const std::string kData = PODIUM_SOURCE_DIR "/tests/data/verify/";

// Stdout and stderr together.
podium::testing::PodiumRun run(const std::string& args) { return podium::testing::run_podium(args); }

TEST(PodiumVerify, AcceptsAValidListWithAOneLineSummary) {
  const auto r = run("verify --cluster " + kData + "cluster.json --placements " + kData + "placements_ok.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "ok: 2 placements checked, 1 unplaced\n");
}

TEST(PodiumVerify, NamesPodNodeAndRuleOfEachViolationAndExitsOne) {
  const auto r = run("verify --cluster " + kData + "cluster.json --placements " + kData + "placements_bad.json");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("d/w2 on n1: required pod anti-affinity with d/w1 (kubernetes.io/hostname)\n"),
            std::string::npos)
      << r.out;
}

TEST(PodiumVerify, ReportsJsonWhenAsked) {
  const auto r = run("verify --cluster " + kData + "cluster.json --placements " + kData +
                     "placements_bad.json --format json 2>/dev/null");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["checked"], 2);
  ASSERT_EQ(j["violations"].size(), 1U);
  EXPECT_EQ(j["violations"][0]["pod"], "d/w2");
  EXPECT_EQ(j["violations"][0]["node"], "n1");
  EXPECT_EQ(j["violations"][0]["rule"], "InterPodAffinity");
}

TEST(PodiumVerify, ReadsThePlacementsOrTheClusterFromStandardInput) {
  // `podium schedule ... | podium verify --cluster C --placements -`
  auto r = run("verify --cluster " + kData + "cluster.json --placements - < " + kData + "placements_bad.json");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("d/w2 on n1: required pod anti-affinity"), std::string::npos) << r.out;
  r = run("verify --cluster - --placements " + kData + "placements_ok.json < " + kData + "cluster.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "ok: 2 placements checked, 1 unplaced\n");
  // Bad input read from standard input is named <stdin>.
  r = run("verify --cluster " + kData + "cluster.json --placements - < " + kData + "placements_broken.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("<stdin>: placements[1].node"), std::string::npos) << r.out;
}

TEST(PodiumVerify, RefusesStandardInputForTwoOptions) {
  const auto r = run("verify --cluster - --placements - < " + kData + "cluster.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("standard input can be given to one option only"), std::string::npos) << r.out;
}

TEST(PodiumVerify, BadJsonNamesTheFileAndPathAndExitsTwo) {
  const auto r = run("verify --cluster " + kData + "cluster.json --placements " + kData + "placements_broken.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("placements_broken.json: placements[1].node: want a string or null, got an array"),
            std::string::npos)
      << r.out;
}

TEST(PodiumVerify, AcceptsWhatScheduleWritesForAConstrainedCluster) {
  const auto dir = std::filesystem::temp_directory_path() / ("podium_verify_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cluster = (dir / "cluster.json").string();
  const std::string placements = (dir / "placements.json").string();
  ASSERT_EQ(run("generate --nodes 40 --pods 500 --seed 5 --taint-nodes 0.2 --tolerate-pods 0.3 --label-nodes 0.3 "
                "--node-affinity-pods 0.2 --spread-groups 0.3 --anti-affinity-groups 0.2 --output " + cluster)
                .exit_code,
            0);
  ASSERT_EQ(run("schedule --cluster " + cluster + " --threads 2 --output " + placements).exit_code, 0);
  const auto r = run("verify --cluster " + cluster + " --placements " + placements);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("ok: ", 0), 0U) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
