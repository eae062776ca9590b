// `podium plan` end to end: the answer and its JSON, "do they fit?", and the exits for a
// pod no template node takes (1) and for bad input (2, naming the file).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "../support/run_podium.hpp"

namespace {

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";

// Stdout and stderr together.
podium::testing::PodiumRun run(const std::string& args) { return podium::testing::run_podium(args); }

// One directory per test: ctest runs the tests of this file as parallel processes, and
// several write a pods.json / node.json of their own.
std::filesystem::path dir() {
  auto d = std::filesystem::temp_directory_path() / "podium_plan_cli_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::create_directories(d);
  return d;
}

std::string write(const std::string& name, const nlohmann::json& j) {
  const auto path = dir() / name;
  std::ofstream(path) << j.dump();
  return path.string();
}

nlohmann::json pod(const std::string& name, const std::string& cpu, const std::string& memory) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec", {{"containers", {{{"name", "c"}, {"resources", {{"requests", {{"cpu", cpu}, {"memory", memory}}}}}}}}}}};
}

nlohmann::json node(const std::string& name, const std::string& cpu, const std::string& memory) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
          {"status", {{"allocatable", {{"cpu", cpu}, {"memory", memory}, {"pods", "110"}}}}}};
}

nlohmann::json list(const std::vector<nlohmann::json>& items) {
  return {{"apiVersion", "v1"}, {"kind", "List"}, {"items", nlohmann::json(items)}};
}

std::string hundred_pods() {
  std::vector<nlohmann::json> items;
  for (int i = 0; i < 100; ++i) items.push_back(pod("p" + std::to_string(i), "1", "1Gi"));
  return write("pods.json", list(items));
}

TEST(PodiumPlan, AnswersTheNodeCountAndWritesTheProbes) {
  const auto out = dir() / "plan.json";
  std::filesystem::remove(out);
  const auto r = run("plan --pods " + hundred_pods() + " --node-template " + write("node.json", node("m4", "4", "16Gi")) +
                     " --algorithm first-fit --threads 1 --output " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("add 25 nodes shaped like m4"), std::string::npos) << r.out;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["nodes_added"], 25);
  EXPECT_EQ(j["algorithm"], "first-fit");
  EXPECT_EQ(j["pods"], 100);
  EXPECT_EQ(j["placed"], 100);
  EXPECT_EQ(j["lower_bound"], 25);
  EXPECT_EQ(j["lower_bound_resource"], "cpu");
  ASSERT_EQ(j["probes"].size(), 1U);
  EXPECT_EQ(j["probes"][0]["nodes_added"], 25);
  EXPECT_EQ(j["probes"][0]["placed"], 100);
  EXPECT_TRUE(j["probes"][0].contains("seconds"));
}

TEST(PodiumPlan, ThePlanFillsASnapshotFirst) {
  // 30 free cores in the snapshot: 70 one-core pods left, 18 four-core nodes.
  const auto snapshot = write("snapshot.json", list({node("s1", "30", "64Gi")}));
  const auto r = run("plan --pods " + hundred_pods() + " --cluster " + snapshot + " --node-template " +
                     write("node.json", node("m4", "4", "16Gi")) + " --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));  // JSON on stdout, summary after
  EXPECT_EQ(j["nodes_added"], 18);
  EXPECT_EQ(j["lower_bound"], 18);
  EXPECT_EQ(j["lower_bound_basis"], "template and snapshot free room");
}

TEST(PodiumPlan, APodTooBigForTheTemplateExitsOneWithItsReason) {
  const auto pods = write("big.json", list({pod("small", "1", "1Gi"), pod("huge", "8", "1Gi")}));
  const auto r = run("plan --pods " + pods + " --node-template " + write("node.json", node("m4", "4", "16Gi")));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("no answer: 1 pod fits no empty node shaped like m4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default/huge: 0/1 nodes are available: 1 Insufficient cpu."), std::string::npos) << r.out;
}

TEST(PodiumPlan, DoTheyFitListsTheUnplacedWithReasons) {
  const auto out = dir() / "fit.json";
  const auto pods = write("fit_pods.json", list({pod("a", "1", "1Gi"), pod("huge", "8", "1Gi")}));
  const auto r = run("plan --pods " + pods + " --cluster " + write("one.json", list({node("n1", "4", "16Gi")})) +
                     " --output " + out.string());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("does not fit: 1 of 2 pods placed"), std::string::npos) << r.out;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["fits"], false);
  EXPECT_EQ(j["placed"], 1);
  ASSERT_EQ(j["unplaced"].size(), 1U);
  EXPECT_EQ(j["unplaced"][0]["pod"], "default/huge");
  EXPECT_EQ(j["unplaced"][0]["reason"], "0/1 nodes are available: 1 Insufficient cpu.");
  ASSERT_EQ(j["placements"].size(), 2U);
  EXPECT_EQ(j["placements"][0]["node"], "n1");
}

TEST(PodiumPlan, ATemplateWithTwoNodesIsBadInputNamingTheFile) {
  const auto bad = write("two_nodes.json", list({node("a", "4", "16Gi"), node("b", "4", "16Gi")}));
  const auto r = run("plan --pods " + hundred_pods() + " --node-template " + bad);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(bad + ": a node template holds exactly one Node; found 2"), std::string::npos) << r.out;
}

TEST(PodiumPlan, AMissingFileIsBadInputNamingTheFile) {
  const auto r = run("plan --pods /nonexistent/pods.json --node-template " + write("node.json", node("m4", "4", "16Gi")));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/nonexistent/pods.json: no such file"), std::string::npos) << r.out;
}

TEST(PodiumPlan, ABoundPodToPlanForIsBadInput) {
  nlohmann::json bound = pod("bound", "1", "1Gi");
  bound["spec"]["nodeName"] = "n1";
  const auto r = run("plan --pods " + write("bound.json", list({bound})) + " --cluster " +
                     write("one.json", list({node("n1", "4", "16Gi")})) + " --node-template " +
                     write("node.json", node("m4", "4", "16Gi")));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("spec.nodeName bypasses the scheduler"), std::string::npos) << r.out;
}

}  // namespace
