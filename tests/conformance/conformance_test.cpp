// Kube parity, end to end: every case under tests/conformance/cases/<group>/<case>/ is a
// hand-built cluster (cluster.yaml), one pod (pod.yaml), optionally a
// KubeSchedulerConfiguration (config.yaml), and the numbers kube-scheduler gives for it
// (expected.json), worked out by hand from upstream's formulas. The test runs the real
// `podium score` binary on the case and compares every node's verdict, every score
// plugin's normalized score (the set of plugins that ran, too) and every weighted total.
//
// expected.json:
//   {"description": "what the case pins, in a sentence (and the arithmetic)",
//    "nodes": {"<node>": {"scores": {"<ScorePlugin>": 0-100, ...}, "total": n}
//            | {"rejected_by": "<FilterPlugin>"}},   every node of the cluster
//    "selected": "<node>" | null}                    optional

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";
const fs::path kCases = fs::path(PODIUM_SOURCE_DIR) / "tests" / "conformance" / "cases";

struct CommandResult {
  int exit_code = 0;
  std::string out;
};

CommandResult run_podium(const std::string& args) {
  CommandResult r;
  FILE* pipe = ::popen((kPodium + " " + args + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Case directories relative to kCases ("group/case"), sorted, found at startup.
std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (!fs::is_directory(kCases)) return names;
  for (const auto& entry : fs::recursive_directory_iterator(kCases))
    if (entry.is_regular_file() && entry.path().filename() == "expected.json")
      names.push_back(fs::relative(entry.path().parent_path(), kCases).generic_string());
  std::sort(names.begin(), names.end());
  return names;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, PodiumScoreGivesKubeSchedulersNumbers) {
  const fs::path dir = kCases / GetParam();
  std::ifstream expected_file(dir / "expected.json");
  ASSERT_TRUE(expected_file) << "cannot read " << (dir / "expected.json");
  const json expected = json::parse(expected_file);
  ASSERT_TRUE(expected.contains("description")) << "every case says what it pins";
  SCOPED_TRACE(expected["description"].get<std::string>());

  std::string args = "score --cluster " + (dir / "cluster.yaml").string() + " --pod " + (dir / "pod.yaml").string();
  if (fs::exists(dir / "config.yaml")) args += " --config " + (dir / "config.yaml").string();
  const CommandResult r = run_podium(args);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json got = json::parse(r.out);

  const json& want_nodes = expected.at("nodes");
  ASSERT_EQ(got.at("nodes").size(), want_nodes.size()) << "expected.json must list every node\n" << r.out;
  for (const json& node : got.at("nodes")) {
    const std::string name = node.at("name");
    ASSERT_TRUE(want_nodes.contains(name)) << "node " << name << " missing from expected.json";
    const json& want = want_nodes.at(name);
    SCOPED_TRACE("node " + name);
    if (want.contains("rejected_by")) {
      ASSERT_FALSE(node.at("feasible").get<bool>()) << node.dump();
      EXPECT_EQ(node.at("plugin"), want.at("rejected_by")) << node.dump();
      continue;
    }
    ASSERT_TRUE(node.at("feasible").get<bool>()) << node.dump();
    EXPECT_EQ(node.at("scores"), want.at("scores")) << "per-plugin normalized scores (and which plugins ran)";
    EXPECT_EQ(node.at("total"), want.at("total"));
  }
  if (expected.contains("selected")) EXPECT_EQ(got.at("selected"), expected.at("selected"));
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, Conformance, ::testing::ValuesIn(case_names()), test_name);

// A missing or empty cases folder must fail, not pass vacuously.
TEST(ConformanceCases, AreFound) { EXPECT_GE(case_names().size(), 8U); }

}  // namespace
