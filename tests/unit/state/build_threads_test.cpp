// build_cluster_state with BuildOptions::threads > 1 computes the pods' requests on several
// threads (contiguous ranges of pods); the state must be the one a single thread builds:
// the same records, strings, resource columns and node totals, at any thread count.

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/state/cluster_builder.hpp"
#include "../../support/cluster_fixture.hpp"
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

// A request too large for int64 in its unit names the pod's first such field, and the pod
// first in input order, at any thread count (the checks stay serial, in pod order).
TEST(BuildThreads, ATooLargeRequestNamesItsFieldAtEveryThreadCount) {
  io::ClusterObjects objects;
  objects.nodes.push_back(testing::node("n1", "4", "8Gi"));
  for (int i = 0; i < 6000; ++i) objects.pods.push_back(testing::pod("p" + std::to_string(i), "100m", "64Mi"));
  auto with_source = [](io::PodObject p, std::size_t i) {
    p.source = io::SourceRef{"c.json", "items[" + std::to_string(i) + "]"};
    return p;
  };
  // cpu 10P is 10^19 millicores; memory 10E is over 2^63 bytes. Pod 4500's cpu is read
  // before its memory; pod 5000 only has the memory too large.
  objects.pods[4500] = with_source(testing::pod("big", "10P", "10E"), 4500);
  objects.pods[5000] = with_source(testing::pod("bigger", "1", "10E"), 5000);
  for (const int threads : {1, 2, 0}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    try {
      (void)build_cluster_state(objects, BuildOptions{.threads = threads});
      ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
      EXPECT_EQ(e.location(), "items[4500].spec (effective request for cpu)");
      EXPECT_EQ(e.message(), "quantity is too large");
    }
  }
  objects.pods[4500] = testing::pod("big", "1", "1Gi");
  try {
    (void)build_cluster_state(objects, BuildOptions{.threads = 2});
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location(), "items[5000].spec (effective request for memory)");
  }
}

// A pod's errors keep compile_pod's order at every thread count (the requests are summed
// on the build's threads, the checks stay serial): an error compile_pod reports before
// converting the requests (an unknown PriorityClass) wins over the same pod's quantity too
// large, and one it reports after (a toleration's operator) loses to it; an earlier pod's
// error wins over both. (It guards moving more of compile_pod onto the threads: stop 23's
// load4 tried the unit conversion there, docs/BENCHMARKS.md "Loading (stop 23; load4)".)
TEST(BuildThreads, ErrorsKeepCompilePodsOrderAtEveryThreadCount) {
  io::ClusterObjects objects;
  objects.nodes.push_back(testing::node("n1", "4", "8Gi"));
  for (int i = 0; i < 6000; ++i) objects.pods.push_back(testing::pod("p" + std::to_string(i), "100m", "64Mi"));
  for (std::size_t i = 0; i < objects.pods.size(); ++i)
    objects.pods[i].source = io::SourceRef{"c.json", "items[" + std::to_string(i) + "]"};
  auto expect_error = [&](const std::string& location, const std::string& message) {
    for (const int threads : {1, 2, 3, 0}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      try {
        (void)build_cluster_state(objects, BuildOptions{.threads = threads});
        ADD_FAILURE() << "no error";
      } catch (const InputError& e) {
        EXPECT_EQ(e.location(), location);
        EXPECT_EQ(e.message().substr(0, message.size()), message);
      }
    }
  };
  // Pod 5000: memory too large and a bad toleration operator (checked after the units).
  objects.pods[5000] = testing::pod("big", "1", "10E");
  objects.pods[5000].source = io::SourceRef{"c.json", "items[5000]"};
  objects.pods[5000].tolerations.push_back(io::Toleration{.key = "k", .op = "Sometimes"});
  expect_error("items[5000].spec (effective request for memory)", "quantity is too large");
  // Pod 5000 also names a PriorityClass that does not exist (checked before the units).
  objects.pods[5000].priority_class_name = "missing";
  expect_error("items[5000].spec.priorityClassName", "");
  // Pod 3000 (in another thread's range at 2 and 3 threads): a bad toleration alone.
  objects.pods[3000].tolerations.push_back(io::Toleration{.key = "k", .op = "Sometimes"});
  expect_error("items[3000].spec.tolerations[0].operator", "unknown toleration operator");
}

}  // namespace
}  // namespace podium::state
