// Node sampling end to end: with percentageOfNodesToScore set, the engine (batched,
// parallel walk) places every pod exactly as the reference oracle (a plain node-by-node
// walk over its own rendition of upstream's zone-interleaved node list) does, at any
// thread count — and differently from scoring every node, so the comparison has teeth.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "../../support/random_cluster.hpp"
#include "podium/framework/profile.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;

// A random cluster whose nodes carry topology zones of uneven sizes (so the interleaved
// walk differs from input order and zones run out at different times).
io::ClusterObjects zoned_random_cluster(std::uint64_t seed) {
  auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 1000, .pending_pods = 700, .bound_pods = 200});
  std::uint64_t s = seed;
  for (auto& node : objects.nodes) {
    s = framework::splitmix64(s);
    const char* zones[] = {"us-1a", "us-1a", "us-1a", "us-1b", "us-1b", "us-1c"};
    node.labels.emplace_back("topology.kubernetes.io/zone", zones[framework::bounded(s, 6)]);
  }
  return objects;
}

std::vector<state::NodeIndex> engine_nodes(const io::ClusterObjects& objects, std::uint64_t seed, int threads,
                                           std::optional<std::int32_t> percentage) {
  auto cluster = state::build_cluster_state(objects);
  auto spec = framework::default_profile_spec();
  spec.percentage_of_nodes_to_score = percentage;
  const auto profile = framework::build_profile(spec, cluster);
  std::vector<state::NodeIndex> nodes;
  for (const auto& p : scheduler::schedule_pending(cluster, {&profile, 1}, {seed, threads}).placements)
    nodes.push_back(p.node);
  return nodes;
}

std::vector<state::NodeIndex> reference_nodes(const io::ClusterObjects& objects, std::uint64_t seed,
                                              std::optional<std::int32_t> percentage) {
  const auto cluster = state::build_cluster_state(objects);
  reference::ReferenceOptions options;
  options.seed = seed;
  options.percentage_of_nodes_to_score = percentage;
  std::vector<state::NodeIndex> nodes;
  for (const auto& p : reference::reference_schedule(cluster, options)) nodes.push_back(p.node);
  return nodes;
}

struct ParityCase {
  const char* name;
  std::uint64_t seed;
  std::int32_t percentage;  // 0: upstream's adaptive percentage (42% of 1,000 nodes)
};

class SampledParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(SampledParity, EnginePlacesLikeTheReferenceAtAnyThreadCount) {
  const auto& c = GetParam();
  const auto objects = zoned_random_cluster(c.seed);
  const auto expected = reference_nodes(objects, c.seed, c.percentage);
  for (const int threads : {1, 2, 4}) EXPECT_EQ(engine_nodes(objects, c.seed, threads, c.percentage), expected) << threads;
  // Sampling must change something, or the comparison above proves nothing about it.
  EXPECT_NE(expected, reference_nodes(objects, c.seed, std::nullopt));
}

INSTANTIATE_TEST_SUITE_P(
    RandomClusters, SampledParity,
    ::testing::Values(ParityCase{"ThirtyPercent", 3, 30}, ParityCase{"Adaptive", 4, 0},
                      ParityCase{"TenPercentFloorsAtAHundredNodes", 5, 5}),
    [](const ::testing::TestParamInfo<ParityCase>& c) { return std::string(c.param.name); });

}  // namespace
