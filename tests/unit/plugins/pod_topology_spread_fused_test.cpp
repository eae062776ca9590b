// PodTopologySpread's fused scoring (ScorePlugin::score_normalized_into) against the
// framework's plain sequence: score(), normalize(), then totals = base + weight x score.
// Random spread clusters (hostname, zone and rack keys, nodes without some of them, hard
// and soft constraints, system defaults), plus pods given exactly a soft hostname
// constraint and one other (the shape the fused form takes). Every pending pod is scored
// over every node, over a run of nodes not starting at 0, and over a gapped list; where the
// fused form answers, its totals and max must be the sequence's, and it must answer for
// some pods and refuse others (a gapped list always).

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "../../support/spread_cluster_variants.hpp"
#include "plugin_fixture.hpp"
#include "podium/framework/cycle_state.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;

struct Tally {
  int fused = 0;
  int refused = 0;
};

// The plain sequence and the fused form over `ids` for one pod; the fused one must agree
// where it answers.
void compare(const framework::ScoreEntry& entry, const framework::Profile& profile, const state::ClusterState& cluster,
             state::PodIndex p, const std::vector<state::NodeIndex>& ids, std::int64_t weight, bool in_place,
             std::mt19937_64& rng, Tally& tally, const std::string& what) {
  const framework::PodContext ctx{cluster.pods[p], p};
  framework::CycleState cycle(profile.slot_count);
  if (entry.plugin->pre_score(cycle, ctx, cluster, ids).is_skip()) return;
  std::vector<std::int64_t> base(ids.size());
  for (auto& b : base) b = static_cast<std::int64_t>(rng() % 500);
  std::vector<std::int64_t> scores(ids.size());
  entry.plugin->score(cycle, ctx, cluster, ids, scores.data());
  entry.plugin->normalize(cycle, ctx, scores);
  std::vector<std::int64_t> want(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) want[i] = base[i] + scores[i] * weight;

  std::vector<std::int64_t> totals = in_place ? base : std::vector<std::int64_t>(ids.size(), -7);
  const std::vector<std::int64_t> before = totals;
  std::int64_t max_total = 0;
  const bool fused = entry.plugin->score_normalized_into(cycle, ctx, cluster, ids, weight,
                                                         in_place ? totals.data() : base.data(), totals.data(), max_total);
  if (!fused) {
    ++tally.refused;
    EXPECT_EQ(totals, before) << what << ": a refusal wrote the totals";
    return;
  }
  ++tally.fused;
  EXPECT_EQ(totals, want) << what << " pod " << p << " weight " << weight;
  EXPECT_EQ(max_total, *std::max_element(want.begin(), want.end())) << what << " pod " << p;
}

void run(const io::ClusterObjects& objects, std::uint64_t seed, const char* what, Tally& every, Tally& gapped) {
  const auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(podium::testing::only("", "PodTopologySpread"), cluster);
  ASSERT_EQ(profile.scores.size(), 1U);
  const framework::ScoreEntry& entry = profile.scores[0];
  ASSERT_TRUE(entry.plugin->has_normalize());
  std::vector<state::NodeIndex> all(cluster.nodes.size);
  std::iota(all.begin(), all.end(), state::NodeIndex{0});
  const std::vector<state::NodeIndex> tail(all.begin() + 3, all.end());
  std::vector<state::NodeIndex> every_other;
  for (state::NodeIndex n = 0; n < cluster.nodes.size; n += 2) every_other.push_back(n);
  std::mt19937_64 rng(seed);
  for (state::PodIndex p = 0; p < cluster.pods.size(); ++p) {
    if (cluster.pods[p].bound_node != state::kNoNode) continue;
    const std::string tag = std::string(what) + " seed " + std::to_string(seed);
    const std::int64_t weight = 1 + static_cast<std::int64_t>(p % 3);
    compare(entry, profile, cluster, p, all, weight, p % 2 == 0, rng, every, tag + " every node");
    compare(entry, profile, cluster, p, tail, weight, p % 2 == 1, rng, every, tag + " from node 3");
    compare(entry, profile, cluster, p, every_other, weight, false, rng, gapped, tag + " every other node");
  }
}

TEST(PodTopologySpreadFused, AgreesWithScoreNormalizeAndTheWeightedAdd) {
  Tally every;
  Tally gapped;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const auto objects = podium::testing::random_spread_cluster_objects(
        seed, {.nodes = 50, .pending_pods = 120, .bound_pods = 150});
    const auto pairs = podium::testing::with_spread_pair_pods(objects, seed);
    run(pairs, seed, "some nodes without keys", every, gapped);
    run(podium::testing::with_every_topology_key(pairs), seed, "every key", every, gapped);
  }
  // The comparison means something only if both arms ran: pair pods (and system-defaulted
  // ones) take the fused form, other shapes and ignored nodes refuse it.
  EXPECT_GT(every.fused, 100);
  EXPECT_GT(every.refused, 100);
  EXPECT_EQ(gapped.fused, 0);
  EXPECT_GT(gapped.refused, 0);
}

}  // namespace
