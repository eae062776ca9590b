// Each built-in algorithm's choice pinned on small hand-built clusters: which feasible node
// it takes, how it breaks ties, and that the profile's filters still decide feasibility.

#include <gtest/gtest.h>

#include "../../support/cluster_fixture.hpp"
#include "support.hpp"

namespace {

using namespace podium;
using podium::testing::bound;
using podium::testing::node;
using podium::testing::pod;
using podium::testing::run_algorithm;

io::ClusterObjects objects(std::vector<io::NodeObject> nodes, std::vector<io::PodObject> pods) {
  io::ClusterObjects o;
  o.nodes = std::move(nodes);
  o.pods = std::move(pods);
  return o;
}

io::NodeObject cordoned(io::NodeObject n) {
  n.unschedulable = true;
  return n;
}

TEST(FirstFit, TakesTheFirstNodeTheFiltersAccept) {
  // n0 is cordoned, n1 too small: n2 is the first feasible node, even though n3 is emptier.
  const auto run = run_algorithm(objects({cordoned(node("n0", "8", "8Gi")), node("n1", "1", "8Gi"),
                                          node("n2", "4", "8Gi"), node("n3", "64", "256Gi")},
                                         {pod("p", "2", "1Gi")}),
                                 "first-fit");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n2"});
}

TEST(FirstFit, FillsANodeBeforeMovingOn) {
  const auto run = run_algorithm(
      objects({node("n0", "4", "8Gi"), node("n1", "4", "8Gi")},
              {pod("a", "2", "1Gi"), pod("b", "2", "1Gi"), pod("c", "2", "1Gi")}),
      "first-fit");
  EXPECT_EQ(run.nodes, (std::vector<std::string>{"n0", "n0", "n1"}));
}

TEST(BestFit, TakesTheNodeLeftFullestAfterPlacement) {
  // Remaining after a 1-cpu/1Gi pod: n0 (8 cpu, 8Gi, 6 cpu used): 1/8 + 7/8 = 1.0;
  // n1 (4 cpu, 4Gi, empty): 3/4 + 3/4 = 1.5; n2 (2 cpu, 16Gi, empty): 1/2 + 15/16 = 1.4375.
  const auto run = run_algorithm(
      objects({node("n0", "8", "8Gi"), node("n1", "4", "4Gi"), node("n2", "2", "16Gi")},
              {bound(pod("old", "6", ""), "n0"), pod("p", "1", "1Gi")}),
      "best-fit");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n0"});
}

TEST(BestFit, BreaksTiesByNodeOrder) {
  const auto run = run_algorithm(objects({node("n0", "4", "8Gi"), node("n1", "4", "8Gi"), node("n2", "4", "8Gi")},
                                         {pod("a", "1", "1Gi"), pod("b", "1", "1Gi")}),
                                 "best-fit");
  // Both pods land on n0: after the first, n0 is the tightest.
  EXPECT_EQ(run.nodes, (std::vector<std::string>{"n0", "n0"}));
}

TEST(BestFit, CountsExtendedResourcesThePodRequests) {
  // By cpu and memory alone n1 is tighter (1/2 + 3/4 = 1.25 against 3/4 + 7/8 = 1.625); the
  // pod's GPU counts too: n0 keeps 0 of 1 GPU (1.625 in all), n1 7 of 8 (2.125).
  const auto run = run_algorithm(
      objects({node("n0", "4", "8Gi", 110, {{"nvidia.com/gpu", "1"}}), node("n1", "2", "4Gi", 110, {{"nvidia.com/gpu", "8"}})},
              {pod("p", "1", "1Gi", {{"nvidia.com/gpu", "1"}})}),
      "best-fit");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n0"});
}

TEST(WorstFit, TakesTheNodeLeftEmptiest) {
  const auto run = run_algorithm(
      objects({node("n0", "8", "8Gi"), node("n1", "4", "4Gi"), node("n2", "2", "16Gi")},
              {bound(pod("old", "6", ""), "n0"), pod("p", "1", "1Gi")}),
      "worst-fit");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n1"});
}

TEST(WorstFit, SpreadsIdenticalPodsOverIdenticalNodes) {
  const auto run = run_algorithm(objects({node("n0", "4", "8Gi"), node("n1", "4", "8Gi"), node("n2", "4", "8Gi")},
                                         {pod("a", "1", "1Gi"), pod("b", "1", "1Gi"), pod("c", "1", "1Gi")}),
                                 "worst-fit");
  EXPECT_EQ(run.nodes, (std::vector<std::string>{"n0", "n1", "n2"}));
}

TEST(Tetris, TakesTheNodeWhoseFreeResourcesAlignWithTheDemand) {
  // A cpu-heavy pod (3 cpu, 1Gi). Alignment = sum demand/cap * free/cap:
  //   n0 (4 cpu, 32Gi):  3/4*4/4 + 1/32*32/32 = 0.78125
  //   n1 (16 cpu, 4Gi):  3/16*16/16 + 1/4*4/4 = 0.4375
  //   n2 (8 cpu, 8Gi, 4 cpu used): 3/8*4/8 + 1/8*8/8 = 0.3125
  const auto run = run_algorithm(
      objects({node("n0", "4", "32Gi"), node("n1", "16", "4Gi"), node("n2", "8", "8Gi")},
              {bound(pod("old", "4", ""), "n2"), pod("p", "3", "1Gi")}),
      "tetris");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n0"});
}

TEST(Tetris, ScoresARequestlessPodWithTheScorersDefaults) {
  // 100m / 200Mi: n1, with more free memory relative to its size, aligns better.
  const auto run = run_algorithm(
      objects({node("n0", "4", "4Gi"), node("n1", "4", "4Gi")}, {bound(pod("old", "", "3Gi"), "n0"), pod("p", "", "")}),
      "tetris");
  EXPECT_EQ(run.nodes, std::vector<std::string>{"n1"});
}

TEST(Random, IsSeededAndTheSameAtAnyThreadCount) {
  std::vector<io::NodeObject> nodes;
  for (int i = 0; i < 50; ++i) nodes.push_back(node("n" + std::to_string(i), "64", "256Gi"));
  std::vector<io::PodObject> pods;
  for (int i = 0; i < 40; ++i) pods.push_back(pod("p" + std::to_string(i), "1", "1Gi"));
  const auto o = objects(nodes, pods);
  const auto one = run_algorithm(o, "random", 7, 1).nodes;
  EXPECT_EQ(run_algorithm(o, "random", 7, 2).nodes, one);
  EXPECT_EQ(run_algorithm(o, "random", 7, 2, scheduler::ParallelMode::kOptimistic).nodes, one);
  EXPECT_NE(run_algorithm(o, "random", 8, 1).nodes, one);
  // 40 draws over 50 nodes: a uniform choice hits many distinct nodes.
  EXPECT_GT(std::set<std::string>(one.begin(), one.end()).size(), 20U);
}

TEST(PowerOfK, WithOneProbeTakesARandomFeasibleNode) {
  // Only n1 and n3 are feasible; k=1 must pick one of them, seeded.
  const auto o = objects({node("n0", "1", "1Gi"), node("n1", "8", "8Gi"), node("n2", "1", "1Gi"), node("n3", "8", "8Gi")},
                         {pod("p", "2", "1Gi")});
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) seen.insert(run_algorithm(o, "power-of-k:k=1", seed).nodes[0]);
  EXPECT_EQ(seen, (std::set<std::string>{"n1", "n3"}));
}

TEST(PowerOfK, WithEveryNodeProbedDecidesLikeTheDefaultProfile) {
  // Probing every feasible node, the scores normalize over the whole feasible list: that is
  // the default decision, tie rule included.
  std::vector<io::NodeObject> nodes;
  for (int i = 0; i < 30; ++i) nodes.push_back(node("n" + std::to_string(i), std::to_string(4 + i % 5), "16Gi"));
  std::vector<io::PodObject> pods;
  for (int i = 0; i < 60; ++i) pods.push_back(pod("p" + std::to_string(i), i % 3 ? "500m" : "1", "1Gi"));
  const auto o = objects(nodes, pods);
  EXPECT_EQ(run_algorithm(o, "power-of-k:k=1000").nodes, run_algorithm(o, "default").nodes);
}

TEST(EveryAlgorithm, LeavesAPodNoNodeAcceptsUnplacedWithKubesReason) {
  for (const auto& name : algorithms::AlgorithmRegistry::global().names()) {
    const auto run = run_algorithm(objects({node("n0", "1", "1Gi"), cordoned(node("n1", "8", "8Gi"))},
                                           {pod("big", "2", "1Gi")}),
                                   name);
    ASSERT_EQ(run.nodes, std::vector<std::string>{""}) << name;
    EXPECT_EQ(run.result.placements[0].reason,
              "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.")
        << name;
  }
}

}  // namespace
