// The `podium` binary end to end: score and schedule on hand-written clusters, and bad
// input reported with file and JSON path, a non-zero exit and no output file.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "../support/run_podium.hpp"

namespace {

const std::string kPodium = PODIUM_BINARY_DIR "/tools/podium/podium";
const std::string kData = PODIUM_SOURCE_DIR "/tests/data/cli/";
std::string kWorkloads() { return PODIUM_SOURCE_DIR "/tests/data/bench/wrong_answer.yaml"; }

// Stdout and stderr together.
podium::testing::PodiumRun run(const std::string& args) { return podium::testing::run_podium(args); }

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

TEST(PodiumSchedule, MaxAttemptsRetriesAPodWhenABindCouldMakeItFit) {
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_retry.json";
  for (const std::string attempts : {"", "--max-attempts 1", "--max-attempts 0", "--max-attempts 2"}) {
    std::filesystem::remove(out);
    const auto r = run("schedule --cluster " + kData + "affinity_retry.yaml " + attempts + " --output " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    ASSERT_EQ(j["placements"].size(), 2U) << attempts;  // one entry per pod, its last attempt
    const bool retries = attempts == "--max-attempts 0" || attempts == "--max-attempts 2";
    if (!retries) {
      EXPECT_EQ(j["placements"][0]["pod"], "default/follower");
      EXPECT_TRUE(j["placements"][0]["node"].is_null());
      EXPECT_EQ(j["placements"][0]["attempts"], 1);
      EXPECT_EQ(j["metrics"]["retries"], 0);
      EXPECT_EQ(j["metrics"]["unschedulable"], 1);
      continue;
    }
    // Entries in the order of the final attempts: db, then the follower beside it.
    EXPECT_EQ(j["placements"][0]["pod"], "default/db");
    EXPECT_EQ(j["placements"][1]["pod"], "default/follower");
    EXPECT_EQ(j["placements"][1]["node"], j["placements"][0]["node"]) << attempts;
    EXPECT_EQ(j["placements"][1]["attempts"], 2);
    EXPECT_EQ(j["metrics"]["retries"], 1);
    EXPECT_EQ(j["metrics"]["placed_on_retry"], 1);
    EXPECT_EQ(j["metrics"]["unschedulable"], 0);
    const auto v = run("verify --cluster " + kData + "affinity_retry.yaml --placements " + out.string());
    EXPECT_EQ(v.exit_code, 0) << v.out;
  }
  EXPECT_EQ(run("schedule --engine reference --max-attempts 0 --cluster " + kData + "affinity_retry.yaml").exit_code, 2);
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

// A generated cluster big enough for sampling to matter (upstream samples from 100 nodes).
std::string generated_cluster(int nodes, int pods) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("podium_cli_test_generated_" + std::to_string(nodes) + "_" + std::to_string(pods) + "_" +
                     std::to_string(::getpid()) + ".json");
  const auto r = run("generate --nodes " + std::to_string(nodes) + " --pods " + std::to_string(pods) +
                     " --seed 3 --output " + path.string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return path.string();
}

std::vector<nlohmann::json> placements(const std::string& args) {
  // Unique per process and call: ctest runs tests in parallel processes.
  static int calls = 0;
  const auto out = std::filesystem::temp_directory_path() /
                   ("podium_cli_test_placements_" + std::to_string(::getpid()) + "_" + std::to_string(calls++) + ".json");
  std::filesystem::remove(out);
  const auto r = run("schedule " + args + " --threads 2 --output " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  return j["placements"].get<std::vector<nlohmann::json>>();
}

TEST(PodiumSchedule, EmulatesNodeSamplingWhenTheConfigAsksForIt) {
  const std::string cluster = "--cluster " + generated_cluster(300, 400);
  const auto full = placements(cluster);
  const auto sampled = placements(cluster + " --config " + kData + "sampling.yaml");  // 50%: 150 nodes
  ASSERT_EQ(full.size(), 400U);
  ASSERT_EQ(sampled.size(), 400U);
  EXPECT_NE(full, sampled) << "scoring half of the nodes places pods elsewhere";
  // Deterministic: the walk's start index is the only state sampling adds.
  EXPECT_EQ(placements(cluster + " --config " + kData + "sampling.yaml"), sampled);
}

TEST(PodiumScore, SaysWhichFeasibleNodesTheSamplingWalkScored) {
  const auto r = run("score --cluster " + generated_cluster(300, 0) + " --pod " + kData + "pod.json --config " + kData +
                     "sampling.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sampling"]["nodesToFind"], 150);
  std::size_t sampled = 0;
  for (const auto& node : j["nodes"]) {
    if (!node["feasible"].get<bool>()) continue;
    ASSERT_TRUE(node.contains("sampled")) << node;
    EXPECT_EQ(node["sampled"].get<bool>(), node.contains("scores")) << node;
    sampled += node["sampled"].get<bool>() ? 1 : 0;
    if (node["name"] == j["selected"]) {
      EXPECT_TRUE(node["sampled"].get<bool>());
    }
  }
  EXPECT_EQ(sampled, 150U);
  EXPECT_EQ(j["sampling"]["nodesScored"], 150);
  EXPECT_GE(j["sampling"]["nodesExamined"].get<int>(), 150);
}

TEST(PodiumScore, ReportsNoSamplingWhenEveryNodeIsScored) {
  const auto r = run("score --cluster " + generated_cluster(300, 0) + " --pod " + kData + "pod.json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("sampling"));
  for (const auto& node : j["nodes"]) EXPECT_FALSE(node.contains("sampled"));
}

TEST(PodiumGenerate, ConstraintFlagsReachTheScheduler) {
  // Every node tainted NoSchedule, half of the pods tolerating it: exactly those place.
  const auto cluster =
      std::filesystem::temp_directory_path() / ("podium_cli_test_tainted_" + std::to_string(::getpid()) + ".json");
  const auto g = run("generate --nodes 120 --pods 200 --seed 5 --taint-nodes 1 --tolerate-pods 0.5 --output " +
                     cluster.string());
  ASSERT_EQ(g.exit_code, 0) << g.out;
  std::size_t placed = 0;
  for (const auto& p : placements("--cluster " + cluster.string())) {
    if (!p["node"].is_null()) {
      ++placed;
    } else {
      EXPECT_EQ(p["reason"], "0/120 nodes are available: 120 node(s) had untolerated taint(s).");
    }
  }
  EXPECT_EQ(placed, 100U);
}

TEST(PodiumGenerate, RejectsAShareOutsideZeroToOne) {
  const auto r = run("generate --nodes 10 --pods 10 --spread-groups 1.5");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("--spread-groups"), std::string::npos) << r.out;
}

TEST(PodiumSchedule, PlacesPodGroupsAllOrNothing) {
  const auto r = run("schedule --cluster " + kData + "small_cluster.json --pods " + kData + "pod_groups.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_pod;
  std::vector<std::string> order;
  for (const auto& p : j["placements"]) {
    by_pod[p["pod"]] = p;
    order.push_back(p["pod"]);
  }
  // The group is tried where its first member queues, its members back to back.
  const auto at = [&](const std::string& pod) { return std::find(order.begin(), order.end(), pod) - order.begin(); };
  EXPECT_EQ(at("team-a/train-1"), at("team-a/train-0") + 1);
  EXPECT_EQ(at("team-a/train-2"), at("team-a/train-0") + 2);
  EXPECT_LT(at("team-a/train-2"), at("default/solo"));
  for (const char* pod : {"team-a/train-0", "team-a/train-1", "team-a/train-2"}) {
    SCOPED_TRACE(pod);
    EXPECT_TRUE(by_pod[pod]["node"].is_null());
    EXPECT_EQ(by_pod[pod]["reason"], "pod group team-a/train: 1/3 members fit (minMember 3)");
  }
  for (const char* pod : {"team-a/infer-0", "team-a/infer-1", "default/solo"}) EXPECT_TRUE(by_pod[pod]["node"].is_string()) << pod;
  EXPECT_EQ(j["metrics"]["gangs_placed"], 1);
  EXPECT_EQ(j["metrics"]["gangs_rejected"], 1);

  const auto ref = run("schedule --engine reference --cluster " + kData + "small_cluster.json --pods " + kData +
                       "pod_groups.yaml");
  EXPECT_EQ(ref.exit_code, 2) << ref.out;
  EXPECT_NE(ref.out.find("the reference engine does not implement pod groups"), std::string::npos) << ref.out;
}

TEST(PodiumSchedule, PreemptionFreesAndKeepsGpuDevices) {
  // The dry run puts the reprieved victim back on its own device, the eviction frees the
  // victim's device, and verify's replay frees it too (gpu_preemption.yaml).
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_gpu_preemption.json";
  for (const char* algorithm : {"default", "fgd"}) {
    SCOPED_TRACE(algorithm);
    const auto r = run("schedule --algorithm " + std::string(algorithm) + " --cluster " + kData +
                       "gpu_preemption.yaml --output " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    ASSERT_EQ(j["placements"].size(), 2U) << j.dump();
    EXPECT_EQ(j["placements"][0]["pod"], "d/a");
    EXPECT_EQ(j["placements"][0]["evicted_by"], "d/hi");
    EXPECT_EQ(j["placements"][1]["pod"], "d/hi");
    EXPECT_EQ(j["placements"][1]["node"], "g1");
    EXPECT_EQ(j["placements"][1]["nominated"], true);
    EXPECT_EQ(j["placements"][1]["victims"], nlohmann::json::array({"d/a"}));
    EXPECT_EQ(j["placements"][1]["gpus"], nlohmann::json::array({0}));
    const auto v = run("verify --cluster " + kData + "gpu_preemption.yaml --placements " + out.string());
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_NE(v.out.find("ok: 1 placements checked, 0 unplaced, 1 evicted"), std::string::npos) << v.out;
  }
}

TEST(PodiumSchedule, PreemptsAndVerifyReplaysTheEvictions) {
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_preemption.json";
  for (const char* engine : {"engine", "reference"}) {
    SCOPED_TRACE(engine);
    const auto r = run("schedule --engine " + std::string(engine) + " --cluster " + kData + "preemption.yaml --output " +
                       out.string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    ASSERT_EQ(j["placements"].size(), 2U);
    EXPECT_EQ(j["placements"][0]["pod"], "d/c");
    EXPECT_TRUE(j["placements"][0]["node"].is_null());
    EXPECT_EQ(j["placements"][0]["evicted_by"], "d/hi");
    EXPECT_EQ(j["placements"][1]["node"], "n2");
    EXPECT_EQ(j["placements"][1]["nominated"], true);
    EXPECT_EQ(j["placements"][1]["victims"], nlohmann::json::array({"d/c"}));
    EXPECT_EQ(j["metrics"]["preemptions"], 1);
    EXPECT_EQ(j["metrics"]["victims"], 1);
    EXPECT_EQ(j["metrics"]["scheduled"], 1);
    const auto v = run("verify --cluster " + kData + "preemption.yaml --placements " + out.string());
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_NE(v.out.find("ok: 1 placements checked, 0 unplaced, 1 evicted"), std::string::npos) << v.out;
  }
  const auto off = run("schedule --no-preemption --cluster " + kData + "preemption.yaml");
  ASSERT_EQ(off.exit_code, 0) << off.out;
  const auto j = nlohmann::json::parse(off.out);
  ASSERT_EQ(j["placements"].size(), 1U);
  EXPECT_TRUE(j["placements"][0]["node"].is_null());
  EXPECT_EQ(j["metrics"]["preemptions"], 0);
}

TEST(PodiumSchedule, RequeueVictimsListsTheRecreatedPodAfterItsEviction) {
  // d/c, evicted for d/hi, comes back as a fresh pod: 3 cpu fit on neither node now, and
  // nothing below its priority 5 runs anywhere, so it stays pending (its own entry, after
  // its eviction). The reference oracle's passes give the same list; verify replays it.
  const auto out = std::filesystem::temp_directory_path() / "podium_cli_test_requeue.json";
  std::vector<nlohmann::json> lists;
  for (const char* engine : {"engine", "reference"}) {
    SCOPED_TRACE(engine);
    const auto r = run("schedule --requeue-victims --engine " + std::string(engine) + " --cluster " + kData +
                       "preemption.yaml --output " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::ifstream in(out);
    const auto j = nlohmann::json::parse(in);
    ASSERT_EQ(j["placements"].size(), 3U);
    EXPECT_EQ(j["placements"][0]["evicted_by"], "d/hi");
    EXPECT_EQ(j["placements"][1]["pod"], "d/hi");
    EXPECT_EQ(j["placements"][2]["pod"], "d/c");
    EXPECT_TRUE(j["placements"][2]["node"].is_null());
    if (std::string(engine) == "engine")  // the reference writes "unschedulable", not the FitError
      EXPECT_NE(j["placements"][2]["reason"].get<std::string>().find("Insufficient cpu"), std::string::npos)
          << j["placements"][2];
    lists.push_back(j["placements"]);
    const auto v = run("verify --cluster " + kData + "preemption.yaml --placements " + out.string());
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_NE(v.out.find("1 unplaced, 1 evicted"), std::string::npos) << v.out;
  }
  lists[0][2].erase("reason");
  lists[1][2].erase("reason");
  EXPECT_EQ(lists[0], lists[1]);
}

TEST(PodiumSchedule, RejectsInvalidDefaultPreemptionArgs) {
  const auto config = std::filesystem::temp_directory_path() / "podium_cli_test_preemption_args.yaml";
  std::ofstream(config) << "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
                           "profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n"
                           "    args: {minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0}\n";
  const auto r = run("schedule --cluster " + kData + "preemption.yaml --config " + config.string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("profiles[0].pluginConfig[0].args.minCandidateNodesPercentage"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cannot be zero at the same time as minCandidateNodesAbsolute"), std::string::npos) << r.out;
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
                      BadInput{"bad_pod_group.json",
                               "items[1].metadata.labels[\"scheduling.x-k8s.io/pod-group\"]: pod \"default/p\" names "
                               "pod group \"missing\", but no PodGroup \"default/missing\" is defined"},
                      BadInput{"bad_priority_class.json",
                               "items[1].spec.priorityClassName: pod \"default/p\" names PriorityClass \"gold\", "
                               "which is not defined"},
                      BadInput{"malformed.json", "podium: error"}));

}  // namespace

// ---- issue 14: strict, friendly input handling -----------------------------------------

namespace issue14 {

std::filesystem::path temp(const std::string& name) { return std::filesystem::temp_directory_path() / name; }

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = temp(name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

const std::string kCluster = kData + "small_cluster.json";

TEST(PodiumThreads, OutOfRangeIsAUsageErrorForEveryCommand) {
  for (const char* t : {"65537", "-5", "2147483648", "1025"}) {
    SCOPED_TRACE(t);
    auto r = run("schedule --cluster " + kCluster + " --threads " + t);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("--threads"), std::string::npos) << r.out;
    r = run("bench " + kWorkloads() + " --threads " + t);
    EXPECT_EQ(r.exit_code, 2) << r.out;
  }
  EXPECT_EQ(run("schedule --cluster " + kCluster + " --threads 0").exit_code, 0);
  EXPECT_EQ(run("schedule --cluster " + kCluster + " --threads 1024").exit_code, 0);
}

TEST(PodiumExitCodes, Cli11ErrorsExit2AndHelpExits0) {
  auto r = run("schedule --cluster /nonexistent/cluster.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = run("bench " + kWorkloads() + " --format foo");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(run("schedule --help").exit_code, 0);
}

TEST(PodiumStdout, AWriteErrorIsNotSuccess) {
  for (const std::string cmd : {"schedule --cluster " + kCluster, "score --cluster " + kCluster + " --pod " + kData + "pod.json",
                                "bench " + kWorkloads() + " --timing-samples 0"}) {
    SCOPED_TRACE(cmd);
    // stderr goes to the pipe, stdout to the full device.
    podium::testing::PodiumRun r;
    FILE* pipe = ::popen(("sh -c '" + kPodium + " " + cmd + " >/dev/full' 2>&1").c_str(), "r");
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("writing standard output failed"), std::string::npos) << r.out;
  }
}

TEST(PodiumOutput, WritesThroughASymlinkAndRefusesADirectory) {
  const auto target = temp("podium_issue14_target.json");
  const auto link = temp("podium_issue14_link.json");
  std::filesystem::remove(link);
  std::ofstream(target) << "old";
  std::filesystem::create_symlink(target, link);
  auto r = run("schedule --cluster " + kCluster + " --output " + link.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  std::ifstream in(target);
  EXPECT_TRUE(nlohmann::json::parse(in).contains("placements"));
  std::filesystem::remove(link);
  std::filesystem::remove(target);

  r = run("schedule --cluster " + kCluster + " --output " + std::filesystem::temp_directory_path().string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(": is a directory"), std::string::npos) << r.out;

  // A device is written in place, its errors reported.
  r = run("schedule --cluster " + kCluster + " --output /dev/full");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/dev/full: write failed"), std::string::npos) << r.out;
}

TEST(PodiumStdin, DashReadsStandardInput) {
  auto r = run("schedule --cluster - --pods " + kData + "pending.yaml < " + kCluster);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["placements"].size(), 2U);
  r = run("score --cluster " + kCluster + " --pod - < " + kData + "pod.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = run("schedule --cluster - < /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("<stdin>: empty input"), std::string::npos) << r.out;
}

TEST(PodiumInput, RejectsWhatUsedToReadAsAnEmptyCluster) {
  for (const std::string text : {"", "{}", "kind: Lisst\n", "items: [{}]\n", "items: [null]\n"}) {
    SCOPED_TRACE(text);
    const auto file = write_temp("podium_issue14_empty.yaml", text);
    const auto r = run("schedule --cluster " + file);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(file), std::string::npos) << r.out;
  }
}

TEST(PodiumReference, HonoursSchedulerNameLikeTheEngine) {
  const auto config = write_temp("podium_issue14_other.yaml",
                                 "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
                                 "profiles:\n- schedulerName: other-scheduler\n");
  const auto engine = run("schedule --cluster " + kCluster + " --pods " + kData + "pending.yaml --config " + config);
  const auto reference = run("schedule --cluster " + kCluster + " --pods " + kData + "pending.yaml --config " + config +
                             " --engine reference");
  ASSERT_EQ(engine.exit_code, 0) << engine.out;
  ASSERT_EQ(reference.exit_code, 0) << reference.out;
  const auto e = nlohmann::json::parse(engine.out)["placements"];
  const auto f = nlohmann::json::parse(reference.out)["placements"];
  ASSERT_EQ(e.size(), 2U);
  EXPECT_EQ(e, f);
  EXPECT_TRUE(f[0]["node"].is_null());
  EXPECT_EQ(f[0]["reason"], "no profile for schedulerName \"default-scheduler\"");
}

const std::string kTinyWorkload = R"(- name: Tiny
  workloadTemplate:
  - opcode: createNodes
    countParam: $nodes
  - opcode: createPods
    count: 2
    collectMetrics: true
  workloads:
  - name: w
    params: {nodes: 2}
    expect: {unschedulable: 0}
)";

TEST(PodiumBench, RefusesTooManyNodesAndLocatesTemplateErrors) {
  std::string huge = kTinyWorkload;
  huge.replace(huge.find("nodes: 2}"), 9, "nodes: 6000000000000}");
  auto r = run("bench " + write_temp("podium_issue14_huge.yaml", huge));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("[0].workloadTemplate[0].countParam: 6000000000000 nodes, too many"), std::string::npos) << r.out;

  std::string bad = kTinyWorkload;
  bad.replace(bad.find("    countParam: $nodes\n"), 23, "    countParam: $nodes\n    nodeTemplate:\n      metadata: oops\n");
  r = run("bench " + write_temp("podium_issue14_tmpl.yaml", bad));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("[0].workloadTemplate[0].nodeTemplate.metadata: expected an object, got a scalar (line 6)"),
            std::string::npos)
      << r.out;

  // A bad topologyKey in the second test case is found before the first one runs.
  std::string two = kTinyWorkload + kTinyWorkload;
  two.replace(two.rfind("name: Tiny"), 10, "name: Tiny2");
  two.replace(two.rfind("    collectMetrics: true\n"), 25,
              "    collectMetrics: true\n    podTemplate:\n      spec:\n        topologySpreadConstraints:\n"
              "        - {maxSkew: 1, topologyKey: \"\", whenUnsatisfiable: DoNotSchedule}\n");
  r = run("bench " + write_temp("podium_issue14_two.yaml", two));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out.find("PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("topologyKey"), std::string::npos) << r.out;
}

TEST(PodiumBench, SigtermWritesTheFinishedRunsAndNoTempFile) {
  const auto file = write_temp("podium_issue14_sig.yaml", kTinyWorkload);
  const auto out = temp("podium_issue14_sig_dir");
  std::filesystem::remove_all(out);
  std::filesystem::create_directory(out);
  const auto report = out / "report.json";
  FILE* pipe = ::popen(("timeout 60 sh -c '" + kPodium + " bench " + file +
                        " --repetitions 1000000 --timing-samples 0 --format json --out " + report.string() +
                        " 2>/dev/null & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo rc=$?'")
                           .c_str(),
                       "r");
  std::string text;
  std::array<char, 256> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) text += buf.data();
  ::pclose(pipe);
  EXPECT_NE(text.find("rc=143"), std::string::npos) << text;
  std::ifstream in(report);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["interrupted"], true);
  EXPECT_FALSE(j["dataItems"].empty());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(out)) ++files;
  EXPECT_EQ(files, 1U) << "a temporary file was left behind";
  std::filesystem::remove_all(out);
}

}  // namespace issue14
