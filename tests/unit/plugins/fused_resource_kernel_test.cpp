// The fused LeastAllocated + BalancedAllocation pass (fused_resource_kernel.hpp): its
// division-free quotient against the hardware division bit for bit, the kernel against
// upstream's formulas on every node (its range and scattered-ids forms), and NodeResourcesFit's fused score_range against the
// two plugins' own score() on generated clusters with every pod.

#include "plugins/noderesources/fused_resource_kernel.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <vector>

#include "../../support/random_cluster.hpp"
#include "generator/synthetic_cluster.hpp"
#include "plugins/noderesources/resource_kernels.hpp"
#include "podium/framework/profile.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/noderesources/balanced_allocation.hpp"
#include "podium/plugins/noderesources/fit.hpp"
#include "podium/plugins/noderesources/scorers.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::plugins::noderesources {
namespace {

struct Draw {
  std::uint64_t state;
  std::uint64_t operator()() { return state = framework::splitmix64(state); }
  std::int64_t below(std::int64_t bound) { return static_cast<std::int64_t>((*this)() % static_cast<std::uint64_t>(bound)); }
};

void expect_exact(std::int64_t q, std::int64_t c) {
  const double qd = static_cast<double>(q);
  const double cd = static_cast<double>(c);
  const double got = exact_quotient(qd, cd, 1.0 / cd);
  ASSERT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(qd / cd)) << q << " / " << c;
}

TEST(FusedResourceKernel, ExactQuotientIsTheCorrectlyRoundedDivision) {
  constexpr std::int64_t kMaxCapacity = (std::int64_t{1} << 46) - 1;
  Draw draw{2026};
  // Random capacities of every magnitude up to NodeTable's 2^46 limit, requests around them.
  for (int k = 0; k < 2'000'000; ++k) {
    const int bits = 1 + static_cast<int>(draw.below(46));
    const std::int64_t c = 1 + draw.below(std::int64_t{1} << bits);
    const std::int64_t q = draw.below(4) == 0 ? draw.below(std::int64_t{1} << 53) : draw.below(2 * c + 2);
    expect_exact(q, c);
  }
  // Capacities whose reciprocals round worst: all-ones mantissas (2^k - 1), powers of two and
  // their neighbours, with requests at and next to multiples of them.
  for (int bits = 1; bits <= 46; ++bits) {
    const std::int64_t p = std::int64_t{1} << bits;
    for (const std::int64_t c : {p - 1, p, p + 1, p - 3}) {
      if (c < 1 || c > kMaxCapacity) continue;
      for (int m = 0; m < 200; ++m) {
        const std::int64_t base = c * (m % 101) + (m / 101);
        for (const std::int64_t q : {base - 1, base, base + 1, draw.below(c + 1)})
          if (q >= 0) expect_exact(q, c);
      }
    }
  }
}

struct Column {
  std::vector<std::int64_t> allocatable, requested, nonzero;
  std::vector<double> f64, inverse;
  std::int64_t least_pod = 0;
  std::int64_t balanced_pod = 0;
  std::int64_t weight = 1;
};

// resource_allocation.go score with leastResourceScorer, the integer formulas.
std::int64_t least_allocated(const Column (&c)[2], std::size_t n) {
  std::int64_t sum = 0;
  std::int64_t weights = 0;
  for (const Column& r : c) {
    if (r.allocatable[n] == 0) continue;
    sum += least_requested_score(r.nonzero[n] + r.least_pod, r.allocatable[n]) * r.weight;
    weights += r.weight;
  }
  return weights == 0 ? 0 : sum / weights;
}

// balanced_allocation.go: fractions of the resources the node has, then the deviation.
std::int64_t balanced(const Column (&c)[2], std::size_t n) {
  std::vector<double> fractions;
  for (const Column& r : c) {
    if (r.allocatable[n] == 0) continue;
    fractions.push_back(
        std::min(1.0, static_cast<double>(r.requested[n] + r.balanced_pod) / static_cast<double>(r.allocatable[n])));
  }
  return balanced_resource_score(fractions);
}

TEST(FusedResourceKernel, AddsBothWeightedScoresOnEveryNodeAsUpstream) {
  Draw draw{7};
  constexpr std::size_t kNodes = 3000;
  for (int round = 0; round < 30; ++round) {
    Column c[2];
    for (Column& r : c) {
      r.weight = draw.below(3) == 0 ? 0 : 1 + draw.below(100);
      r.least_pod = draw.below(4) == 0 ? 0 : draw.below(5000);
      r.balanced_pod = draw.below(3) == 0 ? r.least_pod : draw.below(5000);
      for (std::size_t n = 0; n < kNodes; ++n) {
        std::int64_t a = 0;
        switch (draw.below(6)) {
          case 0: a = 0; break;                                                // node lacks it
          case 1: a = (std::int64_t{1} << 46) - 1 - draw.below(1000); break;  // exactness limit
          case 2: a = 100 * (1 + draw.below(50)); break;                       // multiples of 100
          default: a = 1 + draw.below(std::int64_t{1} << 30) * (1 + draw.below(1000)); break;
        }
        // At, just under and over the capacity with the pod, or anywhere below it.
        auto around = [&](std::int64_t pod) {
          const std::int64_t used = draw.below(4) == 0 ? a - pod + draw.below(3) - 1 : draw.below(a + 1);
          return std::max<std::int64_t>(used, 0);
        };
        r.allocatable.push_back(a);
        r.nonzero.push_back(around(r.least_pod));
        r.requested.push_back(draw.below(3) == 0 ? r.nonzero.back() : around(r.balanced_pod));
        r.f64.push_back(static_cast<double>(a));
        r.inverse.push_back(a == 0 ? 0.0 : 1.0 / static_cast<double>(a));
      }
    }
    if (round % 2 == 0) c[1].weight = c[0].weight;  // equal weights (the default args) take their own path
    FusedResourceColumns columns{};
    for (int k = 0; k < 2; ++k) {
      columns.least[k] = {c[k].allocatable.data(), c[k].nonzero.data(), c[k].least_pod, c[k].weight,
                          c[k].f64.data(), c[k].inverse.data()};
      columns.balanced[k] = {c[k].allocatable.data(), c[k].requested.data(), c[k].balanced_pod, 1, c[k].f64.data(),
                             c[k].inverse.data()};
    }
    columns.least_weight = static_cast<std::int32_t>(draw.below(4) == 0 ? kMaxRangeWeight : draw.below(10));
    columns.balanced_weight = static_cast<std::int32_t>(draw.below(4) == 0 ? kMaxRangeWeight : draw.below(10));
    ASSERT_TRUE(fused_columns_apply(columns));
    // A range that starts inside the columns and totals that already hold other scores.
    const auto first = static_cast<state::NodeIndex>(draw.below(100));
    const std::size_t count = kNodes - first - static_cast<std::size_t>(draw.below(50));
    std::vector<std::int64_t> totals(count);
    for (auto& t : totals) t = draw.below(1000);
    const std::vector<std::int64_t> before = totals;
    least_balanced_range_kernel(columns, first, count, totals.data());
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t n = first + i;
      ASSERT_EQ(totals[i], before[i] + least_allocated(c, n) * columns.least_weight + balanced(c, n) * columns.balanced_weight)
          << "round " << round << " node " << n << " least " << least_allocated(c, n) << " balanced " << balanced(c, n);
    }
    // The scattered form (the class cache's refresh): a shuffled selection with repeats,
    // each node's sum equal to the same formulas.
    std::vector<state::NodeIndex> ids(1 + draw.below(400));
    for (auto& id : ids) id = static_cast<state::NodeIndex>(draw.below(kNodes));
    std::vector<std::int64_t> scattered(ids.size());
    for (auto& t : scattered) t = draw.below(1000);
    const std::vector<std::int64_t> scattered_before = scattered;
    least_balanced_ids_kernel(columns, ids, scattered.data());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::size_t n = ids[i];
      ASSERT_EQ(scattered[i],
                scattered_before[i] + least_allocated(c, n) * columns.least_weight + balanced(c, n) * columns.balanced_weight)
          << "round " << round << " ids[" << i << "] = node " << n;
    }
  }
}

TEST(FusedResourceKernel, FloorsQuotientsJustBelowAnIntegerNearTheCapacityLimit) {
  // As resource_kernels_test's case: free * 100 / a = m - 1/a with a close to 2^46, where
  // the product with the reciprocal can round up to m and only the correction brings it
  // back (a * m = 1 mod 100 makes m * a - 1 a multiple of 100).
  Column c[2];
  Draw draw{11};
  for (std::int64_t m = 1; m < 100; ++m) {
    if (m % 2 == 0 || m % 5 == 0) continue;
    std::int64_t inverse = 1;
    while (inverse * m % 100 != 1) ++inverse;
    for (int k = 0; k < 300; ++k) {
      const std::int64_t a = ((std::int64_t{1} << 45) + draw.below(std::int64_t{1} << 45)) / 100 * 100 + inverse;
      if (a >= (std::int64_t{1} << 46)) continue;
      const std::int64_t used = a - (m * a - 1) / 100;
      for (Column& r : c) {
        r.allocatable.push_back(a);
        r.nonzero.push_back(used);
        r.requested.push_back(used);
        r.f64.push_back(static_cast<double>(a));
        r.inverse.push_back(1.0 / static_cast<double>(a));
      }
    }
  }
  c[1].weight = 3;  // a mean of 4 parts: floor((m - 1) + 3 (m - 1)) / 4 needs its own correction
  FusedResourceColumns columns{};
  for (int k = 0; k < 2; ++k) {
    columns.least[k] = {c[k].allocatable.data(), c[k].nonzero.data(), 0, c[k].weight, c[k].f64.data(),
                        c[k].inverse.data()};
    columns.balanced[k] = {c[k].allocatable.data(), c[k].requested.data(), 0, 1, c[k].f64.data(), c[k].inverse.data()};
  }
  columns.least_weight = 1;
  columns.balanced_weight = 0;
  ASSERT_TRUE(fused_columns_apply(columns));
  std::vector<std::int64_t> totals(c[0].allocatable.size(), 0);
  least_balanced_range_kernel(columns, 0, totals.size(), totals.data());
  for (std::size_t n = 0; n < totals.size(); ++n) ASSERT_EQ(totals[n], least_allocated(c, n)) << "node " << n;
}

template <class T>
T* plugin_named(const framework::Profile& profile, std::string_view name) {
  for (const auto& s : profile.scores)
    if (s.plugin->name() == name) return dynamic_cast<T*>(s.plugin);
  return nullptr;
}

// Every pod of a cluster against every node: the fused pass adds exactly what the two
// plugins' own score() gives (weights 1 and 2, so a swapped weight shows).
void expect_fused_equals_plugins(state::ClusterState& cluster) {
  auto spec = framework::default_profile_spec();
  for (auto& [name, weight] : spec.scores)
    if (name == BalancedAllocation::kName) weight = 2;
  const auto profile = framework::build_profile(spec, cluster);
  auto* fit = plugin_named<Fit>(profile, Fit::kName);
  auto* ba = plugin_named<BalancedAllocation>(profile, BalancedAllocation::kName);
  ASSERT_NE(fit, nullptr);
  ASSERT_NE(ba, nullptr);
  ASSERT_TRUE(fit->fuses_with(*ba));
  const std::size_t nodes = cluster.nodes.size;
  std::vector<framework::NodeIndex> ids(nodes);
  for (framework::NodeIndex n = 0; n < nodes; ++n) ids[n] = n;
  std::vector<std::int64_t> fit_scores(nodes), ba_scores(nodes), totals(nodes);
  std::size_t fused_pods = 0;
  for (state::PodIndex p = 0; p < cluster.pods.size(); ++p) {
    framework::CycleState cycle(profile.slot_count);
    const framework::PodContext ctx{cluster.pods[p], p};
    ASSERT_TRUE(fit->pre_filter(cycle, ctx, cluster).ok());
    (void)fit->pre_score(cycle, ctx, cluster, {});
    if (ba->pre_score(cycle, ctx, cluster, {}).is_skip()) continue;  // the framework never fuses it then
    std::fill(totals.begin(), totals.end(), 0);
    if (!fit->score_range_fused(cycle, ctx, cluster, *ba, 1, 2, 0, nodes, totals.data())) continue;
    ++fused_pods;
    fit->score(cycle, ctx, cluster, ids, fit_scores.data());
    ba->score(cycle, ctx, cluster, ids, ba_scores.data());
    for (std::size_t n = 0; n < nodes; ++n)
      ASSERT_EQ(totals[n], fit_scores[n] + 2 * ba_scores[n]) << "pod " << p << " node " << n;
    // The scattered form over the nodes in reverse: the same sums.
    const std::vector<framework::NodeIndex> reversed(ids.rbegin(), ids.rend());
    std::vector<std::int64_t> scattered(nodes, 0);
    ASSERT_TRUE(fit->score_ids_fused(cycle, ctx, cluster, *ba, 1, 2, reversed, scattered.data()));
    for (std::size_t i = 0; i < nodes; ++i) ASSERT_EQ(scattered[i], totals[reversed[i]]) << "pod " << p << " ids[" << i << "]";
  }
  EXPECT_GT(fused_pods, cluster.pods.size() / 2) << "the fused pass declined most pods";
}

TEST(FusedResourceKernel, FitsFusedScoreEqualsThePluginsOwnOnGeneratedClusters) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    datasets::GeneratorOptions g;
    g.nodes = 80;
    g.pods = 600;
    g.seed = seed;
    g.distinct_requests = true;
    auto distinct = state::build_cluster_state(datasets::generate_cluster(g));
    expect_fused_equals_plugins(distinct);
    auto random = state::build_cluster_state(testing::random_cluster_objects(seed));
    expect_fused_equals_plugins(random);
  }
}

}  // namespace
}  // namespace podium::plugins::noderesources
