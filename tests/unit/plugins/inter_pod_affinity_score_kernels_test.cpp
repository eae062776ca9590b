// InterPodAffinity Score's one-key kernel and NormalizeScore's table pass against the
// per-node formulas written out (the general loops of inter_pod_affinity.cpp): nodes that
// lack the key, one or two sources, weights of either sign, every node or a subset, and the
// by-node form (domain of node n is n) against the same counts read through the domains.

#include "plugins/interpodaffinity/score_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "podium/framework/cycle_state.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/io/objects.hpp"
#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::plugins::interpodaffinity::detail {
namespace {

struct Draw {
  std::uint64_t u;
  std::uint32_t operator()(std::uint32_t bound) {
    u = framework::splitmix64(u);
    return framework::bounded(u, bound);
  }
};

std::vector<std::int64_t> by_formula(const std::vector<state::NodeIndex>& nodes, const std::vector<std::int32_t>& domain,
                                     const std::vector<std::int32_t>& va, std::int64_t wa,
                                     const std::vector<std::int32_t>* vb, std::int64_t wb) {
  std::vector<std::int64_t> out;
  for (const state::NodeIndex n : nodes) {
    const std::int32_t d = domain[n];
    out.push_back(d < 0 ? 0 : wa * va[d] + (vb ? wb * (*vb)[d] : 0));
  }
  return out;
}

void expect_range_of(const std::vector<std::int64_t>& scores, helper::ScoreRange range) {
  const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  EXPECT_EQ(range.min, *lo);
  EXPECT_EQ(range.max, *hi);
}

TEST(InterPodAffinityScoreKernels, OneKeyMatchesTheFormulaThroughDomainsAndByNode) {
  Draw draw{7};
  for (int round = 0; round < 200; ++round) {
    const std::size_t nodes_count = 1 + draw(300);
    const std::size_t domains = 1 + draw(20);
    std::vector<std::int32_t> domain(nodes_count);
    for (auto& d : domain) d = draw(6) == 0 ? -1 : static_cast<std::int32_t>(draw(static_cast<std::uint32_t>(domains)));
    // Indexed by domain, and by node for the by-node form: as many as either.
    std::vector<std::int32_t> va(std::max(nodes_count, domains)), vb(std::max(nodes_count, domains));
    for (auto& v : va) v = static_cast<std::int32_t>(draw(4) == 0 ? draw(50) : 0);
    for (auto& v : vb) v = static_cast<std::int32_t>(draw(4) == 0 ? draw(50) : 0);
    const std::int64_t wa = static_cast<std::int64_t>(draw(201)) - 100;
    const std::int64_t wb = static_cast<std::int64_t>(draw(201)) - 100;
    std::vector<state::NodeIndex> nodes;
    const bool every = draw(2) == 0;
    for (state::NodeIndex n = 0; n < nodes_count; ++n)
      if (every || draw(3) != 0) nodes.push_back(n);
    if (nodes.empty()) nodes.push_back(0);
    const bool two = draw(3) != 0;

    std::vector<std::int64_t> scores(nodes.size(), -12345);
    const auto range = score_one_key(nodes.data(), nodes.size(), domain.data(), va.data(), wa,
                                     two ? vb.data() : nullptr, two ? wb : 0, scores.data());
    const auto expected = by_formula(nodes, domain, va, wa, two ? &vb : nullptr, wb);
    EXPECT_EQ(scores, expected) << "round " << round;
    expect_range_of(expected, range);

    std::vector<std::int32_t> identity(nodes_count);
    std::iota(identity.begin(), identity.end(), 0);
    std::fill(scores.begin(), scores.end(), -12345);
    const auto by_node_range = score_one_key(nodes.data(), nodes.size(), nullptr, va.data(), wa,
                                             two ? vb.data() : nullptr, two ? wb : 0, scores.data());
    const auto by_node_expected = by_formula(nodes, identity, va, wa, two ? &vb : nullptr, wb);
    EXPECT_EQ(scores, by_node_expected) << "round " << round;
    expect_range_of(by_node_expected, by_node_range);
  }
}

TEST(InterPodAffinityScoreKernels, TablePassMapsEveryScoreThroughItsValue) {
  Draw draw{11};
  for (int round = 0; round < 50; ++round) {
    const std::int64_t lo = static_cast<std::int64_t>(draw(1000)) - 500;
    std::vector<std::int64_t> table(1 + draw(40));
    for (auto& t : table) t = draw(101);
    std::vector<std::int64_t> scores(1 + draw(500));
    for (auto& s : scores) s = lo + draw(static_cast<std::uint32_t>(table.size()));
    auto expected = scores;
    for (auto& s : expected) s = table[static_cast<std::size_t>(s - lo)];
    apply_table(scores.data(), scores.size(), lo, table.data());
    EXPECT_EQ(scores, expected);
  }
}

// NormalizeScore where there are fewer distinct raw scores than nodes: one value per
// distinct score, applied per node as a multiply where that gives the same values and as a
// table otherwise. Every diff up to 400, every score in [min, max], against upstream's
// float64 expression per node; the diffs cover both forms.
TEST(InterPodAffinityScoreKernels, NormalizeGivesUpstreamsFloatResultForEveryDiff) {
  io::ClusterObjects objects;
  objects.nodes.push_back({});
  objects.nodes.back().name = "n1";
  const auto cluster = state::build_cluster_state(objects);
  const InterPodAffinity plugin({}, cluster);
  const framework::CycleState cycle;
  const state::PodRecord pod;
  const framework::PodContext ctx{pod, 0};
  std::size_t multiply_differs = 0;
  for (std::int64_t diff = 1; diff <= 400; ++diff) {
    const std::int64_t lo = -diff / 3;
    std::vector<std::int64_t> scores;
    for (int copy = 0; copy < 2; ++copy)  // twice: fewer distinct values than nodes
      for (std::int64_t v = diff; v >= 0; --v) scores.push_back(lo + v);
    auto expected = scores;
    for (auto& s : expected)
      s = static_cast<std::int64_t>(100.0 * (static_cast<double>(s - lo) / static_cast<double>(diff)));
    plugin.normalize(cycle, ctx, scores);
    EXPECT_EQ(scores, expected) << "diff " << diff;
    const double factor = 100.0 / static_cast<double>(diff);
    for (std::int64_t v = 0; v <= diff; ++v)
      if (static_cast<std::int64_t>(static_cast<double>(v) * factor) !=
          static_cast<std::int64_t>(100.0 * (static_cast<double>(v) / static_cast<double>(diff)))) {
        ++multiply_differs;
        break;
      }
  }
  EXPECT_GT(multiply_differs, 10U) << "some diffs must take the table";
  EXPECT_LT(multiply_differs, 390U) << "some diffs must take the multiply";
}

}  // namespace
}  // namespace podium::plugins::interpodaffinity::detail
