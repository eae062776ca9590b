// Capacity planning: the search on made-up probes, and plans on the engine whose answers
// are worked by hand (identical pods on identical nodes), for default, first-fit, best-fit.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "podium/algorithms/algorithm.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/planning/capacity_plan.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::planning {
namespace {

// --- The search alone --------------------------------------------------------------------

// Places everything from `threshold` nodes on; below it, one pod per missing node is left.
std::function<ProbeOutcome(std::size_t)> monotone(std::size_t threshold, std::vector<std::size_t>* probed = nullptr) {
  return [=](std::size_t n) {
    if (probed) probed->push_back(n);
    const std::size_t missing = n >= threshold ? 0 : threshold - n;
    return ProbeOutcome{1000 - missing, missing, missing};
  };
}

TEST(PlanSearch, ProbesTheLowerBoundFirstAndStopsThereWhenItPlacesEverything) {
  std::vector<std::size_t> probed;
  const auto r = search_node_count(25, {}, monotone(25, &probed));
  EXPECT_EQ(r.outcome, SearchOutcome::kFound);
  EXPECT_EQ(r.nodes_added, 25U);
  EXPECT_EQ(probed, (std::vector<std::size_t>{25}));
}

TEST(PlanSearch, FindsTheThresholdOfAMonotoneProbeFromAnyBound) {
  for (std::size_t threshold : {1, 2, 7, 100, 1742, 5000})
    for (std::size_t bound : {std::size_t{0}, threshold / 2, threshold}) {
      const auto r = search_node_count(bound, {}, monotone(threshold));
      EXPECT_EQ(r.outcome, SearchOutcome::kFound);
      EXPECT_EQ(r.nodes_added, threshold) << "bound " << bound;
    }
}

TEST(PlanSearch, HintsThatUnderestimateStillConvergeInLogarithmicallyManyProbes) {
  // Each failure hints one node only; the threshold is far away.
  auto probe = [](std::size_t n) {
    const std::size_t missing = n >= 100000 ? 0 : 100000 - n;
    return ProbeOutcome{0, missing, 1};
  };
  const auto r = search_node_count(10, {}, probe);
  EXPECT_EQ(r.nodes_added, 100000U);
  EXPECT_LT(r.probes.size(), 50U);
}

TEST(PlanSearch, TheAnswerOfANonMonotoneProbeIsAProbeThatPlacedEverything) {
  // Succeeds at 10 and from 14 on, fails at 11..13: the search may answer 10 or 14, never 12.
  auto probe = [](std::size_t n) {
    const std::size_t missing = n == 10 || n >= 14 ? 0 : n < 10 ? 14 - n : 1;
    return ProbeOutcome{20 - missing, missing, missing};
  };
  const auto r = search_node_count(3, {}, probe);
  ASSERT_EQ(r.outcome, SearchOutcome::kFound);
  bool probed_ok = false;
  for (const auto& p : r.probes) probed_ok = probed_ok || (p.nodes_added == r.nodes_added && p.unplaced == 0);
  EXPECT_TRUE(probed_ok);
  EXPECT_TRUE(r.nodes_added == 10 || r.nodes_added == 14);
}

TEST(PlanSearch, StopsAtTheCapWithTheLastProbe) {
  auto probe = [](std::size_t n) { return ProbeOutcome{n, 1000000 - n / 2, 1}; };
  const auto r = search_node_count(5, {.max_nodes = 300}, probe);
  EXPECT_EQ(r.outcome, SearchOutcome::kCapReached);
  EXPECT_EQ(r.nodes_added, 300U);
  EXPECT_EQ(r.probes.back().nodes_added, 300U);
}

TEST(PlanSearch, StallsWhenPodsNoTemplateNodeTakesAreLeft) {
  auto probe = [](std::size_t) { return ProbeOutcome{9, 1, 0}; };
  const auto r = search_node_count(5, {}, probe);
  EXPECT_EQ(r.outcome, SearchOutcome::kStalled);
  EXPECT_EQ(r.probes.size(), 1U);
}

TEST(PlanSearch, StallsWhenMoreNodesPlaceNoMorePods) {
  auto probe = [](std::size_t) { return ProbeOutcome{9, 3, 2}; };
  const auto r = search_node_count(5, {}, probe);
  EXPECT_EQ(r.outcome, SearchOutcome::kStalled);
  EXPECT_EQ(r.probes.size(), 2U);
}

// --- Plans on the engine -----------------------------------------------------------------

std::string pod_json(const std::string& name, const std::string& cpu, const std::string& memory,
                     const std::string& extra_spec = "", const std::string& node = "") {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","namespace":"default"},"spec":{)" +
         (node.empty() ? "" : R"("nodeName":")" + node + R"(",)") + extra_spec +
         R"("containers":[{"name":"c","image":"app:1","resources":{"requests":{"cpu":")" + cpu + R"(","memory":")" +
         memory + R"("}}}]}})";
}

std::string node_json(const std::string& name, const std::string& cpu, const std::string& memory,
                      const std::string& pods = "110", const std::string& extra_spec = "") {
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"(","labels":{"kubernetes.io/hostname":")" + name + R"(","topology.kubernetes.io/zone":"z1"}},"spec":{)" +
         extra_spec + R"(},"status":{"allocatable":{"cpu":")" + cpu + R"(","memory":")" + memory +
         R"(","pods":")" + pods + R"("},"images":[{"names":["app:1"],"sizeBytes":300000000}]}})";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = R"({"apiVersion":"v1","kind":"List","items":[)";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]}";
}

std::vector<std::string> identical_pods(int count, const std::string& cpu, const std::string& memory,
                                        const std::string& prefix = "p") {
  std::vector<std::string> pods;
  for (int i = 0; i < count; ++i) pods.push_back(pod_json(prefix + std::to_string(i), cpu, memory));
  return pods;
}

PlanInput make_input(const std::vector<std::string>& snapshot, const std::vector<std::string>& pods,
                     const std::string& node_template, const std::string& algorithm) {
  PlanInput in;
  if (!snapshot.empty()) io::load_objects_text(list(snapshot), "snapshot.json", in.objects);
  in.first_plan_pod = in.objects.pods.size();
  io::load_objects_text(list(pods), "pods.json", in.objects);
  if (!node_template.empty()) {
    io::ClusterObjects t;
    io::load_objects_text(node_template, "node.json", t);
    in.node_template = t.nodes.front();
  }
  in.config = config::default_scheduler_config();
  in.options.algorithm = algorithms::make_algorithm(algorithms::parse_algorithm_spec(algorithm));
  in.options.threads = 1;
  return in;
}

class PlanByHand : public ::testing::TestWithParam<const char*> {};

TEST_P(PlanByHand, CpuBoundHundredOneCorePodsNeedTwentyFiveFourCoreNodes) {
  Planner planner(make_input({}, identical_pods(100, "1", "1Gi"), node_json("t", "4", "16Gi"), GetParam()));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.nodes_added, 25U);
  EXPECT_EQ(r.pods, 100U);
  EXPECT_EQ(r.placed, 100U);
  EXPECT_EQ(r.lower_bound.nodes, 25U);
  EXPECT_EQ(r.lower_bound.resource, "cpu");
  ASSERT_EQ(r.probes.size(), 1U);  // the bound is the answer: one probe
}

TEST_P(PlanByHand, MemoryBoundPodsAreCountedInMemory) {
  // 100 x 4Gi on 16Gi nodes: 4 per node by memory (cpu would allow 40).
  Planner planner(make_input({}, identical_pods(100, "100m", "4Gi"), node_json("t", "4", "16Gi"), GetParam()));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.nodes_added, 25U);
  EXPECT_EQ(r.lower_bound.nodes, 25U);
  EXPECT_EQ(r.lower_bound.resource, "memory");
}

TEST_P(PlanByHand, PodCountBoundPodsAreCountedInPods) {
  // 100 tiny pods on nodes that allow 10 pods each.
  Planner planner(make_input({}, identical_pods(100, "10m", "10Mi"), node_json("t", "4", "16Gi", "10"), GetParam()));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.nodes_added, 10U);
  EXPECT_EQ(r.lower_bound.nodes, 10U);
  EXPECT_EQ(r.lower_bound.resource, "pods");
}

TEST_P(PlanByHand, FreeRoomInTheSnapshotReducesTheAnswer) {
  // Two 4-core snapshot nodes, one running a 2-core pod: 6 cores free, so 6 of the 100
  // one-core pods stay in the snapshot and 94 need ceil(94 / 4) = 24 new nodes.
  const std::vector<std::string> snapshot = {node_json("s1", "4", "16Gi"), node_json("s2", "4", "16Gi"),
                                             pod_json("running", "2", "1Gi", "", "s1")};
  Planner planner(make_input(snapshot, identical_pods(100, "1", "1Gi"), node_json("t", "4", "16Gi"), GetParam()));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.nodes_added, 24U);
  EXPECT_EQ(r.lower_bound.nodes, 24U);
  EXPECT_EQ(r.placed, 100U);
}

TEST_P(PlanByHand, TheBoundIsBelowTheAnswerWhenPodsDoNotPackExactly) {
  // Ten 3-core pods on 4-core nodes: the requests bound ceil(30 / 4) = 8, but only one
  // 3-core pod fits a node: 10 nodes.
  Planner planner(make_input({}, identical_pods(10, "3", "1Gi"), node_json("t", "4", "16Gi"), GetParam()));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.lower_bound.nodes, 8U);
  EXPECT_EQ(r.nodes_added, 10U);
  EXPECT_GT(r.probes.size(), 1U);
  EXPECT_EQ(r.probes.front().nodes_added, 8U);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, PlanByHand, ::testing::Values("default", "first-fit", "best-fit"));

TEST(Plan, APodTooBigForTheTemplateIsReportedWithItsReasonAndNoSearch) {
  std::vector<std::string> pods = identical_pods(3, "1", "1Gi");
  pods.push_back(pod_json("huge", "8", "1Gi"));
  Planner planner(make_input({}, pods, node_json("t", "4", "16Gi"), "default"));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kNeverFits);
  ASSERT_EQ(r.unplaced.size(), 1U);
  EXPECT_EQ(r.unplaced[0].pod, "default/huge");
  EXPECT_EQ(r.unplaced[0].reason, "0/1 nodes are available: 1 Insufficient cpu.");
  EXPECT_TRUE(r.probes.empty());
}

TEST(Plan, AnUntoleratedTemplateTaintMeansNoAnswer) {
  const std::string tainted =
      node_json("t", "4", "16Gi", "110", R"("taints":[{"key":"gpu","value":"yes","effect":"NoSchedule"}])");
  Planner planner(make_input({}, identical_pods(2, "1", "1Gi"), tainted, "default"));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kNeverFits);
  ASSERT_EQ(r.unplaced.size(), 2U);
  EXPECT_NE(r.unplaced[0].reason.find("untolerated taint"), std::string::npos) << r.unplaced[0].reason;
}

TEST(Plan, APodOnlyTheSnapshotCanTakeDoesNotStopThePlan) {
  // "big" fits no template node but fits the 16-core snapshot node.
  std::vector<std::string> pods = identical_pods(8, "1", "1Gi");
  pods.push_back(pod_json("big", "8", "1Gi"));
  Planner planner(make_input({node_json("s1", "16", "64Gi")}, pods, node_json("t", "4", "16Gi"), "default"));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.placed, 9U);
  EXPECT_LE(r.nodes_added, 1U);
}

TEST(Plan, APodNeitherTheSnapshotNorTheTemplateTakesStalls) {
  std::vector<std::string> pods = identical_pods(4, "1", "1Gi");
  pods.push_back(pod_json("big", "32", "1Gi"));
  Planner planner(make_input({node_json("s1", "16", "64Gi")}, pods, node_json("t", "4", "16Gi"), "default"));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kStalled);
  ASSERT_EQ(r.unplaced.size(), 1U);
  EXPECT_EQ(r.unplaced[0].pod, "default/big");
}

TEST(Plan, ThePlanPodsMustBePending) {
  std::vector<std::string> pods = {pod_json("bound", "1", "1Gi", "", "s1")};
  EXPECT_THROW(Planner(make_input({node_json("s1", "4", "16Gi")}, pods, node_json("t", "4", "16Gi"), "default")),
               InputError);
}

TEST(Plan, ASnapshotNodeWithTheAddedNodesNameFormIsRefused) {
  EXPECT_THROW(Planner(make_input({node_json("t-plan-3", "4", "16Gi")}, identical_pods(1, "1", "1Gi"),
                                  node_json("t", "4", "16Gi"), "default")),
               InputError);
}

TEST(Plan, DoTheyFitListsTheUnplacedPodsWithTheirReasons) {
  std::vector<std::string> pods = identical_pods(3, "1", "1Gi");
  pods.push_back(pod_json("huge", "8", "1Gi"));
  Planner planner(make_input({node_json("s1", "4", "16Gi")}, pods, "", "default"));
  const ProbeRun run = planner.probe(0);
  EXPECT_EQ(run.plan_pods, 4U);
  EXPECT_EQ(run.placed, 3U);
  ASSERT_EQ(run.unplaced.size(), 1U);
  EXPECT_EQ(run.cluster->pods[run.unplaced[0]].key, "default/huge");
  std::string reason;
  for (const auto& p : run.result.placements)
    if (p.pod == run.unplaced[0]) reason = p.reason;
  EXPECT_EQ(reason, "0/1 nodes are available: 1 Insufficient cpu.");
}

TEST(Plan, PendingSnapshotPodsCompeteButNeedNotBePlaced) {
  // The snapshot's own pending 3-core pod takes room first (older in the queue: file order).
  std::vector<std::string> snapshot = {node_json("s1", "4", "16Gi"), pod_json("waiting", "3", "1Gi")};
  Planner planner(make_input(snapshot, identical_pods(4, "1", "1Gi"), node_json("t", "4", "16Gi"), "default"));
  const PlanResult r = plan(planner, {});
  ASSERT_EQ(r.outcome, PlanOutcome::kFound);
  EXPECT_EQ(r.snapshot_pending, 1U);
  EXPECT_EQ(r.snapshot_pending_placed, 1U);
  EXPECT_EQ(r.nodes_added, 1U);  // 1 core left on s1, 3 pods on one new node
}

// A probe on the reused, re-sized state places exactly as a fresh build of the same nodes.
TEST(Plan, AProbeOnTheReusedStateEqualsAFreshBuild) {
  std::vector<std::string> pods;
  for (int i = 0; i < 60; ++i) {
    std::string name = "p";  // (not "p" + to_string: GCC 12 warns falsely there, -Wrestrict)
    name += std::to_string(i);
    pods.push_back(pod_json(name, std::to_string(100 + 37 * (i % 9)) + "m", std::to_string(200 + 300 * (i % 5)) + "Mi"));
  }
  const std::vector<std::string> snapshot = {node_json("s1", "2", "8Gi"), node_json("s2", "4", "4Gi"),
                                             pod_json("running", "1", "1Gi", "", "s2")};
  const std::string node_template = node_json("t", "2", "4Gi");
  Planner planner(make_input(snapshot, pods, node_template, "default"));
  ASSERT_TRUE(planner.reuses_state());
  (void)planner.probe(9);
  (void)planner.probe(3);
  const ProbeRun run = planner.probe(6);

  PlanInput fresh = make_input(snapshot, pods, node_template, "default");
  for (int i = 1; i <= 6; ++i) {
    io::NodeObject n = *fresh.node_template;
    n.name = planner.added_node_name(static_cast<std::size_t>(i));
    for (auto& [k, v] : n.labels)
      if (k == "kubernetes.io/hostname") v = n.name;
    fresh.objects.nodes.push_back(n);
  }
  state::ClusterState cluster = state::build_cluster_state(fresh.objects);
  std::vector<framework::Profile> profiles;
  for (const auto& spec : fresh.config.profiles) profiles.push_back(framework::build_profile(spec, cluster));
  const auto expected = scheduler::schedule_pending(cluster, profiles, fresh.options);

  ASSERT_EQ(run.result.placements.size(), expected.placements.size());
  for (std::size_t i = 0; i < expected.placements.size(); ++i) {
    const auto& a = run.result.placements[i];
    const auto& b = expected.placements[i];
    EXPECT_EQ(run.cluster->pods[a.pod].key, cluster.pods[b.pod].key);
    EXPECT_EQ(a.node == state::kNoNode ? "-" : run.cluster->nodes.names[a.node],
              b.node == state::kNoNode ? "-" : cluster.nodes.names[b.node]);
    EXPECT_EQ(a.reason, b.reason);
  }
}

}  // namespace
}  // namespace podium::planning
