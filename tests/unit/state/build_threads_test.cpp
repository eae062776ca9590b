// build_cluster_state with BuildOptions::threads > 1 computes the pods' requests on several
// threads (contiguous ranges of pods); the state must be the one a single thread builds:
// the same records, strings, resource columns and node totals, at any thread count.

#include <gtest/gtest.h>

#include <string>

#include "podium/state/cluster_builder.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "same_record.hpp"

namespace podium::state {
namespace {

void expect_same_state(const ClusterState& a, const ClusterState& b) {
  ASSERT_EQ(a.pods.size(), b.pods.size());
  ASSERT_EQ(a.strings.size(), b.strings.size());
  for (StringId id = 0; id < a.strings.size(); ++id) ASSERT_EQ(a.strings.text(id), b.strings.text(id));
  ASSERT_EQ(a.resources.size(), b.resources.size());
  for (std::size_t r = 0; r < a.resources.size(); ++r) {
    const auto id = static_cast<ResourceId>(r);
    EXPECT_EQ(a.resources.name(id), b.resources.name(id));
    EXPECT_EQ(a.nodes.allocatable[r], b.nodes.allocatable[r]);
    EXPECT_EQ(a.nodes.requested[r], b.nodes.requested[r]);
  }
  EXPECT_EQ(a.nodes.nonzero_cpu, b.nodes.nonzero_cpu);
  EXPECT_EQ(a.nodes.nonzero_memory, b.nodes.nonzero_memory);
  EXPECT_EQ(a.nodes.pod_count, b.nodes.pod_count);
  for (std::size_t p = 0; p < a.pods.size(); ++p) {
    SCOPED_TRACE(a.pods[p].key);
    expect_same_record(a.pods[p], b.pods[p]);
  }
}

TEST(BuildThreads, EveryThreadCountBuildsTheSingleThreadState) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    // Enough pods for three threads' ranges (the builder keeps small clusters on one thread).
    const testing::RandomClusterShape shape{.nodes = 80, .pending_pods = 7000, .bound_pods = 300};
    io::ClusterObjects objects = testing::random_spread_cluster_objects(seed, shape);
    testing::add_random_pod_affinity(objects, seed);
    // A pod-level request and an overhead on some pods, so every path of io::pod_requests runs.
    for (std::size_t i = 0; i < objects.pods.size(); i += 97) {
      objects.pods[i].overhead.emplace_back("memory", io::parse_quantity("64Mi").value());
      if (i % 2 == 0)
        objects.pods[i].pod_level_requests = io::ResourceList{{"cpu", io::parse_quantity("1500m").value()}};
    }
    const ClusterState serial = build_cluster_state(objects, BuildOptions{.threads = 1});
    const ClusterState plain = build_cluster_state(objects);
    expect_same_state(serial, plain);
    for (const int threads : {2, 3, 0}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      expect_same_state(serial, build_cluster_state(objects, BuildOptions{.threads = threads}));
    }
  }
}

}  // namespace
}  // namespace podium::state
