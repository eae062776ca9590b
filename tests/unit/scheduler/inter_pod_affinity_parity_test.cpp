// Engine == reference with inter-pod affinity: random clusters whose pods carry required
// and preferred pod affinity and anti-affinity (zone, hostname and missing keys,
// namespaces and namespaceSelectors), scheduled by the engine at 1, 2 and 4 threads and by
// the reference oracle, which walks every bound pod per decision.

#include <gtest/gtest.h>

#include <map>

#include "../../support/random_cluster.hpp"
#include "../../support/random_pod_affinity.hpp"
#include "../../support/placement_runs.hpp"
#include "podium/framework/framework.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;
using podium::testing::engine_nodes;
using podium::testing::reference_nodes;

io::ClusterObjects affinity_cluster(std::uint64_t seed, podium::testing::RandomClusterShape shape = {}) {
  auto objects = podium::testing::random_cluster_objects(seed, shape);
  podium::testing::add_random_pod_affinity(objects, seed);
  return objects;
}

TEST(InterPodAffinityParity, PlacesExactlyLikeTheReferenceAtAnyThreadCount) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const auto objects = affinity_cluster(seed);
    const auto expected = reference_nodes(objects, seed);
    EXPECT_EQ(engine_nodes(objects, seed, 1, framework::default_profile_spec(), false), expected) << "seed " << seed;
    EXPECT_EQ(engine_nodes(objects, seed, 1), expected) << "seed " << seed;
    EXPECT_EQ(engine_nodes(objects, seed, 2), expected) << "seed " << seed;
    EXPECT_EQ(engine_nodes(objects, seed, 4), expected) << "seed " << seed;
  }
}

TEST(InterPodAffinityParity, MatchesTheReferenceWithOtherArgsAndWeights) {
  framework::ProfileSpec spec = framework::default_profile_spec();
  plugins::interpodaffinity::InterPodAffinityArgs args{7, true};
  spec.args["InterPodAffinity"] = args;
  for (auto& [name, weight] : spec.scores)
    if (name == "InterPodAffinity") weight = 5;
  reference::ReferenceOptions ref;
  ref.inter_pod_affinity = args;
  ref.inter_pod_affinity_weight = 5;
  for (std::uint64_t seed = 20; seed < 24; ++seed) {
    const auto objects = affinity_cluster(seed);
    EXPECT_EQ(engine_nodes(objects, seed, 2, spec), reference_nodes(objects, seed, ref)) << "seed " << seed;
  }
}

TEST(InterPodAffinityParity, MatchesTheReferenceOnHostnameHeavyClustersWithManyBoundPods) {
  // More bound pods and nodes: the counters and the existing-term index carry real load.
  for (std::uint64_t seed = 40; seed < 43; ++seed) {
    const auto objects = affinity_cluster(seed, {.nodes = 150, .pending_pods = 500, .bound_pods = 300});
    EXPECT_EQ(engine_nodes(objects, seed, 2), reference_nodes(objects, seed)) << "seed " << seed;
  }
}

TEST(InterPodAffinityParity, RandomClustersExerciseEveryInterPodAffinityRejection) {
  // The parity above means little unless the filter rejects for each of its three reasons.
  std::map<std::string, std::size_t> seen;
  const char* reasons[] = {"didn't match pod affinity rules", "didn't match pod anti-affinity rules",
                           "didn't satisfy existing pods anti-affinity rules"};
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const auto objects = affinity_cluster(seed);
    auto cluster = state::build_cluster_state(objects);
    framework::ProfileSpec spec;
    spec.filters = {"InterPodAffinity"};
    const auto profile = framework::build_profile(spec, cluster);
    framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, seed));
    for (const auto p : cluster.pending_in_queue_order()) {
      const auto ex = fw.explain({cluster.pods[p], p}, cluster, 0);
      for (const auto& n : ex.nodes)
        for (const char* r : reasons) seen[r] += n.status.message().find(r) != std::string::npos ? 1 : 0;
    }
  }
  for (const char* r : reasons) EXPECT_GT(seen[r], 0U) << r;
}

TEST(InterPodAffinityParity, ThePluginChangesPlacementsOnTheseClusters) {
  // Parity would be cheap if inter-pod affinity never decided anything: the reference with
  // the plugin switched off must place some cluster differently.
  reference::ReferenceOptions without;
  without.inter_pod_affinity_filter = false;
  without.inter_pod_affinity_weight = 0;
  std::size_t differing = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto objects = affinity_cluster(seed);
    differing += reference_nodes(objects, seed) != reference_nodes(objects, seed, without) ? 1 : 0;
  }
  EXPECT_EQ(differing, 4U);
}

}  // namespace
