// PodTopologySpread: PreFilter/Filter skew arithmetic, minDomains, inclusion policies,
// PreScore weights, NormalizeScore, default constraints, the args, and the incremental
// counts. Every expected number is worked by hand from upstream's formulas
// (filtering.go, scoring.go, v1.35) in the comment next to it.

#include <gtest/gtest.h>

#include <cmath>

#include "plugin_fixture.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"
#include "podium/plugins/podtopologyspread/match_counters.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"

namespace {

using namespace podium;
using namespace podium::testing;
namespace pts = plugins::podtopologyspread;

constexpr const char* kZone = "topology.kubernetes.io/zone";
constexpr const char* kHost = "kubernetes.io/hostname";

// A node labelled with its hostname and, unless zone is empty, a zone.
io::NodeObject zoned(const std::string& name, const std::string& zone) {
  io::StringMap labels = {{kHost, name}};
  if (!zone.empty()) labels.emplace_back(kZone, zone);
  return labeled(node(name, "8", "16Gi"), labels);
}

io::PodObject with_labels(io::PodObject p, io::StringMap labels, std::string ns = "default") {
  p.labels = std::move(labels);
  p.namespace_ = std::move(ns);
  return p;
}

// A bound pod labelled app=<app> on `on`.
io::PodObject running(const std::string& name, const std::string& app, const std::string& on,
                      std::string ns = "default") {
  return bound(with_labels(pod(name, "100m", "128Mi"), {{"app", app}}, std::move(ns)), on);
}

io::LabelSelector app_is(const std::string& app) {
  io::LabelSelector s;
  s.match_labels = {{"app", app}};
  return s;
}

io::TopologySpreadConstraint spread(std::int32_t max_skew, const std::string& key, bool hard,
                                    std::optional<io::LabelSelector> selector = app_is("web")) {
  io::TopologySpreadConstraint c;
  c.max_skew = max_skew;
  c.topology_key = key;
  c.when_unsatisfiable = hard ? "DoNotSchedule" : "ScheduleAnyway";
  c.label_selector = std::move(selector);
  return c;
}

// The incoming pod: app=web, one small container, the given constraints.
io::PodObject incoming(std::vector<io::TopologySpreadConstraint> constraints, const std::string& app = "web") {
  auto p = with_labels(pod("incoming", "100m", "128Mi"), {{"app", app}});
  p.topology_spread_constraints = std::move(constraints);
  return p;
}

framework::ProfileSpec spread_filter_only() { return only("PodTopologySpread"); }
framework::ProfileSpec spread_score_only() { return only("", "PodTopologySpread"); }

// Zone a holds 3 web pods (2 on a1, 1 on a2), zone b 1 (on b1); `nozone` has none and no zone label.
std::vector<io::NodeObject> three_zone_nodes() {
  return {zoned("a1", "a"), zoned("a2", "a"), zoned("b1", "b"), zoned("nozone", "")};
}
std::vector<io::PodObject> web_pods() {
  return {running("w1", "web", "a1"), running("w2", "web", "a1"), running("w3", "web", "a2"),
          running("w4", "web", "b1")};
}

std::vector<io::PodObject> plus(std::vector<io::PodObject> pods, io::PodObject last) {
  pods.push_back(std::move(last));
  return pods;
}

// ---- Filter ------------------------------------------------------------------------------

TEST(PodTopologySpreadFilter, RejectsDomainsWhoseSkewWouldExceedMaxSkew) {
  // Domains a = 3, b = 1; global minimum 1; selfMatch 1.
  // a: 3 + 1 - 1 = 3 > 1 → Unschedulable; b: 1 + 1 - 1 = 1 ≤ 1 → fits.
  auto c = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(1, kZone, true)})));
  const auto ex = explain_last(c, spread_filter_only());
  for (int n : {0, 1}) {
    EXPECT_EQ(ex.nodes[n].status.code(), framework::Code::kUnschedulable);
    EXPECT_EQ(ex.nodes[n].status.message(), "node(s) didn't match pod topology spread constraints");
  }
  EXPECT_TRUE(ex.nodes[2].status.ok());
  EXPECT_EQ(ex.decision.node, 2U);
}

TEST(PodTopologySpreadFilter, RejectsANodeWithoutTheTopologyKeyAsUnresolvable) {
  auto c = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(1, kZone, true)})));
  const auto ex = explain_last(c, spread_filter_only());
  EXPECT_EQ(ex.nodes[3].status.code(), framework::Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(ex.nodes[3].status.message(),
            "node(s) didn't match pod topology spread constraints (missing required label)");
  EXPECT_EQ(ex.nodes[3].status.plugin(), "PodTopologySpread");
}

TEST(PodTopologySpreadFilter, CountsThePodItselfOnlyWhenItMatchesItsOwnSelector) {
  // maxSkew 2, a = 3, min 1. A web pod: 3 + 1 - 1 = 3 > 2 rejects zone a; a db pod spread
  // by app=web: 3 + 0 - 1 = 2 ≤ 2 fits.
  auto web = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(2, kZone, true)}, "web")));
  EXPECT_FALSE(explain_last(web, spread_filter_only()).nodes[0].status.ok());
  auto db = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(2, kZone, true)}, "db")));
  EXPECT_TRUE(explain_last(db, spread_filter_only()).nodes[0].status.ok());
}

TEST(PodTopologySpreadFilter, TakesTheGlobalMinimumAsZeroWithFewerDomainsThanMinDomains) {
  // a = 1, b = 1. minDomains unset: min 1, 1 + 1 - 1 = 1 ≤ 1 everywhere. minDomains 3 with
  // 2 domains: min 0, 1 + 1 - 0 = 2 > 1 everywhere: the pod fits nowhere.
  const std::vector<io::NodeObject> nodes = {zoned("a1", "a"), zoned("b1", "b")};
  const std::vector<io::PodObject> pods = {running("w1", "web", "a1"), running("w2", "web", "b1")};
  auto plain = cluster(nodes, plus(pods, incoming({spread(1, kZone, true)})));
  EXPECT_NE(explain_last(plain, spread_filter_only()).decision.node, state::kNoNode);
  auto constraint = spread(1, kZone, true);
  constraint.min_domains = 3;
  auto strict = cluster(nodes, plus(pods, incoming({constraint})));
  const auto ex = explain_last(strict, spread_filter_only());
  EXPECT_EQ(ex.decision.node, state::kNoNode);
  EXPECT_EQ(ex.decision.reason, "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints.");
}

TEST(PodTopologySpreadFilter, IgnoresPodsOfOtherNamespaces) {
  // The web pods live in "other": every domain counts 0, 0 + 1 - 0 = 1 ≤ 1.
  auto c = cluster({zoned("a1", "a"), zoned("b1", "b")},
                   {running("w1", "web", "a1", "other"), running("w2", "web", "a1", "other"),
                    incoming({spread(1, kZone, true)})});
  const auto ex = explain_last(c, spread_filter_only());
  EXPECT_TRUE(ex.nodes[0].status.ok());
  EXPECT_TRUE(ex.nodes[1].status.ok());
}

TEST(PodTopologySpreadFilter, AnEmptySelectorCountsNoPodButMatchesThePodItself) {
  // countPodsMatchSelector returns 0 for an empty selector; selfMatch is 1:
  // 0 + 1 - 0 = 1 ≤ 1 even in zone a with its 3 pods (which it would reject if counted).
  auto c = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(1, kZone, true, io::LabelSelector{})})));
  const auto ex = explain_last(c, spread_filter_only());
  EXPECT_TRUE(ex.nodes[0].status.ok());
  EXPECT_TRUE(ex.nodes[2].status.ok());
}

TEST(PodTopologySpreadFilter, ANilSelectorMatchesNothingNotEvenThePod) {
  // Nothing counts and selfMatch is 0: 0 + 0 - 0 ≤ 1.
  auto c = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(1, kZone, true, std::nullopt)})));
  EXPECT_TRUE(explain_last(c, spread_filter_only()).nodes[0].status.ok());
}

TEST(PodTopologySpreadFilter, HonorsTheNodeAffinityPolicy) {
  // a1 (zone a) holds 3 web pods, b1 none; the pod requires zone a. Honor: b1 is not
  // eligible, min = 3, a: 3 + 1 - 3 = 1 ≤ 1 fits. Ignore: min = 0 (b), 4 > 1 rejects a1.
  const std::vector<io::NodeObject> nodes = {zoned("a1", "a"), zoned("b1", "b")};
  const std::vector<io::PodObject> pods = {running("w1", "web", "a1"), running("w2", "web", "a1"),
                                           running("w3", "web", "a1")};
  for (const char* policy : {"Honor", "Ignore"}) {
    auto constraint = spread(1, kZone, true);
    constraint.node_affinity_policy = policy;
    auto p = incoming({constraint});
    p.node_selector = {{kZone, "a"}};
    auto c = cluster(nodes, plus(pods, p));
    EXPECT_EQ(explain_last(c, spread_filter_only()).nodes[0].status.ok(), std::string(policy) == "Honor") << policy;
  }
}

TEST(PodTopologySpreadFilter, HonorsTheNodeTaintsPolicy) {
  // a1 holds 1 web pod; b1 is empty but tainted NoSchedule. Ignore (the default): min 0,
  // a: 1 + 1 - 0 = 2 > 1. Honor: b1 is not eligible, min 1, 1 + 1 - 1 = 1 fits.
  const std::vector<io::NodeObject> nodes = {zoned("a1", "a"), tainted(zoned("b1", "b"), {{"k", "v", "NoSchedule"}})};
  for (const char* policy : {"", "Honor"}) {
    auto constraint = spread(1, kZone, true);
    constraint.node_taints_policy = policy;
    auto c = cluster(nodes, {running("w1", "web", "a1"), incoming({constraint})});
    EXPECT_EQ(explain_last(c, spread_filter_only()).nodes[0].status.ok(), std::string(policy) == "Honor") << policy;
  }
}

TEST(PodTopologySpreadFilter, ExcludesNodesMissingAnyConstraintsKeyFromEveryCount) {
  // Constraints on zone and on "rack". b1 has no rack label, so it counts for neither:
  // the zone domains are a = 1 only, min 1, 1 + 1 - 1 ≤ 1, a1 fits; b1 lacks rack.
  auto a1 = labeled(node("a1", "8", "16Gi"), {{kZone, "a"}, {"rack", "r1"}});
  auto c = cluster({a1, zoned("b1", "b")},
                   {running("w1", "web", "a1"), incoming({spread(1, kZone, true), spread(1, "rack", true)})});
  const auto ex = explain_last(c, spread_filter_only());
  EXPECT_TRUE(ex.nodes[0].status.ok());
  EXPECT_EQ(ex.nodes[1].status.code(), framework::Code::kUnschedulableAndUnresolvable);
}

TEST(PodTopologySpreadFilter, SkipsPodsWithoutHardConstraints) {
  auto c = cluster(three_zone_nodes(), plus(web_pods(), incoming({spread(1, kZone, false)})));
  const auto ex = explain_last(c, spread_filter_only());
  for (const auto& n : ex.nodes) EXPECT_TRUE(n.status.ok());
}

// ---- Score -------------------------------------------------------------------------------

struct ScoreCase {
  const char* name;
  std::vector<io::NodeObject> nodes;
  std::vector<io::PodObject> pods;  // the last one is scheduled
  std::vector<std::int64_t> expected;  // normalized, by node
};

class PodTopologySpreadScore : public ::testing::TestWithParam<ScoreCase> {};

TEST_P(PodTopologySpreadScore, GivesUpstreamsNormalizedScores) {
  auto c = cluster(GetParam().nodes, GetParam().pods);
  const auto ex = explain_last(c, spread_score_only());
  ASSERT_TRUE(scored_by(ex, "PodTopologySpread"));
  for (std::size_t n = 0; n < GetParam().expected.size(); ++n)
    EXPECT_EQ(score_of(ex, n, "PodTopologySpread"), GetParam().expected[n]) << c.nodes.names[n];
}

// The soft zone constraint over a (3 pods), a, b (1), c (0): 3 domains, weight ln 5 = 1.609.
std::vector<io::NodeObject> four_zones() { return {zoned("a1", "a"), zoned("a2", "a"), zoned("b1", "b"), zoned("c1", "c")}; }

INSTANTIATE_TEST_SUITE_P(
    Cases, PodTopologySpreadScore,
    ::testing::Values(
        // raw: a 3·1.609 = 4.83 → 5, b 1.61 → 2, c 0. max 5 min 0:
        // 100·(5+0−5)/5 = 0, 100·(5−2)/5 = 60, 100·5/5 = 100.
        ScoreCase{"FewerMatchingPodsInTheDomainScoreHigher", four_zones(),
                  plus(web_pods(), incoming({spread(1, kZone, false)})), {0, 0, 60, 100}},
        // maxSkew 3 adds 2 to every raw score: 6.83 → 7, 3.61 → 4, 2. max 7 min 2:
        // 100·(9−7)/7 = 28, 100·(9−4)/7 = 71, 100·(9−2)/7 = 100.
        ScoreCase{"MaxSkewMinusOneWatersDownTheDifferences", four_zones(),
                  plus(web_pods(), incoming({spread(3, kZone, false)})), {28, 28, 71, 100}},
        // "nozone" lacks the key: ignored, scored 0 (the worst), and left out of the weight
        // (still 2 domains a, b → ln 4 = 1.386): a 4.16 → 4, b 1.39 → 1. max 4 min 1:
        // a 100·(5−4)/4 = 25, b 100·(5−1)/4 = 100.
        ScoreCase{"NodesMissingTheKeyAreIgnoredAndScoreZero", three_zone_nodes(),
                  plus(web_pods(), incoming({spread(1, kZone, false)})), {25, 25, 100, 0}},
        // Hostname: per-node counts 2, 1, 0; weight ln(3 scored nodes + 2) = 1.609:
        // 3.22 → 3, 1.61 → 2, 0. max 3 min 0:
        // 100·0/3 = 0, 100·1/3 = 33, 100.
        ScoreCase{"HostnameCountsPerNodeWeightedByTheNumberOfScoredNodes",
                  {zoned("a1", "a"), zoned("a2", "a"), zoned("c1", "c")},
                  {running("w1", "web", "a1"), running("w2", "web", "a1"), running("w3", "web", "a2"),
                   incoming({spread(1, kHost, false)})},
                  {0, 33, 100}},
        // No matching pod anywhere: every raw score 0, max 0: every node 100.
        ScoreCase{"AllZeroScoresNormalizeTo100", four_zones(), {incoming({spread(1, kZone, false)})},
                  {100, 100, 100, 100}},
        // Equal non-zero raw scores (maxSkew 2: 1 each): 100·(1+1−1)/1 = 100.
        ScoreCase{"EqualScoresNormalizeTo100", four_zones(), {incoming({spread(2, kZone, false)})},
                  {100, 100, 100, 100}},
        // Two constraints summed before rounding: zone (ln 5) + hostname (ln 6 = 1.792):
        // a1: 3·1.609 + 2·1.792 = 8.41 → 8; a2: 4.83 + 1.79 = 6.62 → 7; b1: 1.61 + 1.79 = 3.40 → 3;
        // c1: 0. max 8 min 0: 0, 100·1/8 = 12, 100·5/8 = 62, 100.
        ScoreCase{"ConstraintsAreSummedBeforeRounding", four_zones(),
                  plus(web_pods(), incoming({spread(1, kZone, false), spread(1, kHost, false)})), {0, 12, 62, 100}}),
    [](const auto& test) { return std::string(test.param.name); });

// ---- Upstream's score table (scoring_test.go TestPodTopologySpreadScore), ported ---------
// Pods carry the labels foo and/or bar (value ""); fooSelector / barSelector are
// `foo Exists` / `bar Exists`. upstream's failedNodes are tainted NoSchedule here, so
// TaintToleration filters them out while they still count (nodeTaintsPolicy Ignore).

io::NodeObject host_node(const std::string& name) { return labeled(node(name, "8", "16Gi"), {{kHost, name}}); }
io::NodeObject zone_node(const std::string& name, const std::string& zone, bool hostname = true) {
  io::StringMap labels = {{"zone", zone}};
  if (hostname) labels.emplace_back(kHost, name);
  return labeled(node(name, "8", "16Gi"), labels);
}
io::NodeObject failed(io::NodeObject n) { return tainted(std::move(n), {{"failed", "", "NoSchedule"}}); }
io::PodObject on(const std::string& name, const std::string& node_name, io::StringMap labels,
                 std::string ns = "default") {
  return bound(with_labels(pod(name, "100m", "128Mi"), std::move(labels), std::move(ns)), node_name);
}
io::LabelSelector exists(const std::string& key) {
  io::LabelSelector s;
  s.match_expressions = {{key, "Exists", {}}};
  return s;
}
const io::StringMap kFoo = {{"foo", ""}};
const io::StringMap kBar = {{"bar", ""}};
const io::StringMap kFooBar = {{"foo", ""}, {"bar", ""}};
io::PodObject upstream_pod(std::vector<io::TopologySpreadConstraint> cs) {
  auto p = with_labels(pod("p", "100m", "128Mi"), kFooBar);
  p.topology_spread_constraints = std::move(cs);
  return p;
}
io::TopologySpreadConstraint soft(std::int32_t skew, const std::string& key, const std::string& selector_key) {
  return spread(skew, key, false, exists(selector_key));
}

struct UpstreamCase {
  const char* name;
  std::vector<io::NodeObject> nodes;
  std::vector<io::PodObject> pods;  // the last one is scheduled
  std::vector<std::pair<std::size_t, std::int64_t>> want;  // node index, score
};

class PodTopologySpreadUpstreamScores : public ::testing::TestWithParam<UpstreamCase> {};

TEST_P(PodTopologySpreadUpstreamScores, MatchUpstreamsTable) {
  framework::ProfileSpec spec;
  spec.filters = {"TaintToleration"};
  spec.scores = {{"PodTopologySpread", 1}};
  auto c = cluster(GetParam().nodes, GetParam().pods);
  const auto ex = explain_last(c, spec);
  for (const auto& [n, score] : GetParam().want) EXPECT_EQ(score_of(ex, n, "PodTopologySpread"), score) << c.nodes.names[n];
}

INSTANTIATE_TEST_SUITE_P(
    ScoringTestGo, PodTopologySpreadUpstreamScores,
    ::testing::Values(
        // 2/1/0/3 on hostname: weight ln 6; 3.58 → 4, 1.79 → 2, 0, 5.38 → 5; max 5.
        UpstreamCase{"OneConstraintOnNodeAllFourCandidates",
                     {host_node("a"), host_node("b"), host_node("c"), host_node("d")},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("b1", "b", kFoo), on("d1", "d", kFoo),
                      on("d2", "d", kFoo), on("d3", "d", kFoo), upstream_pod({soft(1, kHost, "foo")})},
                     {{0, 20}, {1, 60}, {2, 100}, {3, 0}}},
        UpstreamCase{"MaxSkewTwo",
                     {host_node("a"), host_node("b"), host_node("c"), host_node("d")},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("b1", "b", kFoo), on("d1", "d", kFoo),
                      on("d2", "d", kFoo), on("d3", "d", kFoo), upstream_pod({soft(2, kHost, "foo")})},
                     {{0, 33}, {1, 66}, {2, 100}, {3, 16}}},
        // 4/2/1/~3~: weight ln(3 + 2); 6.44 → 6, 3.22 → 3, 1.61 → 2; max 6 min 2.
        UpstreamCase{"ThreeOfFourNodesAreCandidates",
                     {host_node("a"), host_node("b"), host_node("x"), failed(host_node("y"))},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("a3", "a", kFoo), on("a4", "a", kFoo),
                      on("b1", "b", kFoo), on("b2", "b", kFoo), on("x1", "x", kFoo), on("y1", "y", kFoo),
                      on("y2", "y", kFoo), on("y3", "y", kFoo), upstream_pod({soft(1, kHost, "foo")})},
                     {{0, 33}, {1, 83}, {2, 100}}},
        // node b lacks the hostname label: ignored; weight ln(2 + 2).
        UpstreamCase{"OneCandidateLacksTheTopologyKey",
                     {host_node("a"), labeled(node("b", "8", "16Gi"), {{"n", "b"}}), host_node("x"),
                      failed(host_node("y"))},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("a3", "a", kFoo), on("a4", "a", kFoo),
                      on("b1", "b", kFoo), on("b2", "b", kFoo), on("x1", "x", kFoo), on("y1", "y", kFoo),
                      on("y2", "y", kFoo), on("y3", "y", kFoo), upstream_pod({soft(1, kHost, "foo")})},
                     {{0, 16}, {1, 0}, {2, 100}}},
        UpstreamCase{"OneConstraintOnZoneThreeOfFourCandidates",
                     {zone_node("a", "zone1"), zone_node("b", "zone1"), zone_node("x", "zone2"),
                      failed(zone_node("y", "zone2"))},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("a3", "a", kFoo), on("a4", "a", kFoo),
                      on("b1", "b", kFoo), on("b2", "b", kFoo), on("x1", "x", kFoo), on("y1", "y", kFoo),
                      on("y2", "y", kFoo), on("y3", "y", kFoo), upstream_pod({soft(1, "zone", "foo")})},
                     {{0, 75}, {1, 75}, {2, 100}}},
        UpstreamCase{"ZoneAndNodeTwoOfFourCandidates",
                     {zone_node("a", "zone1"), failed(zone_node("b", "zone1")), zone_node("x", "zone2"),
                      failed(zone_node("y", "zone2"))},
                     {on("a1", "a", kFoo), on("a2", "a", kFoo), on("b1", "b", kFoo), on("x1", "x", kFoo),
                      on("x2", "x", kFoo), on("y1", "y", kFoo), on("y2", "y", kFoo), on("y3", "y", kFoo),
                      on("y4", "y", kFoo), upstream_pod({soft(1, "zone", "foo"), soft(1, kHost, "foo")})},
                     {{0, 100}, {2, 63}}},
        // Two constraints on the same key with different selectors keep separate counts
        // (TopologyValueToPodCounts is per constraint): foo 3/3, bar 2/1, weight ln 4 each:
        // a 5·1.386 = 6.93 → 7, x 4·1.386 = 5.55 → 6: 100·(13−7)/7 = 85, 100.
        UpstreamCase{"TwoConstraintsOnZoneTwoOfFourCandidates",
                     {zone_node("a", "zone1", false), failed(zone_node("b", "zone1", false)),
                      zone_node("x", "zone2", false), failed(zone_node("y", "zone2", false))},
                     {on("a1", "a", kFooBar), on("a2", "a", kFoo), on("b1", "b", kFooBar), on("y1", "y", kFoo),
                      on("y2", "y", kFooBar), on("y3", "y", kFoo),
                      upstream_pod({soft(1, "zone", "foo"), soft(1, "zone", "bar")})},
                     {{0, 85}, {2, 100}}},
        UpstreamCase{"ZoneAndNodeWithDifferentSelectors",
                     {zone_node("a", "zone1"), zone_node("b", "zone1"), zone_node("x", "zone2"), zone_node("y", "zone2")},
                     {on("a1", "a", kFoo), on("b1", "b", kFooBar), on("y1", "y", kFoo), on("y2", "y", kBar),
                      upstream_pod({soft(1, "zone", "foo"), soft(1, kHost, "bar")})},
                     {{0, 60}, {1, 20}, {2, 100}, {3, 60}}},
        UpstreamCase{"ZoneAndNodeWithDifferentSelectorsSomeNodesEmpty",
                     {zone_node("a", "zone1"), zone_node("b", "zone1"), zone_node("x", "zone2"), zone_node("y", "zone2")},
                     {on("b1", "b", kBar), on("x1", "x", kFoo), on("y1", "y", kFooBar),
                      upstream_pod({soft(1, "zone", "foo"), soft(1, kHost, "bar")})},
                     {{0, 100}, {1, 60}, {2, 40}, {3, 0}}},
        UpstreamCase{"ZoneAndNodeWithDifferentSelectorsThreeOfFourCandidates",
                     {zone_node("a", "zone1"), zone_node("b", "zone1"), zone_node("x", "zone2"),
                      failed(zone_node("y", "zone2"))},
                     {on("a1", "a", kFoo), on("b1", "b", kFooBar), on("y1", "y", kFoo), on("y2", "y", kBar),
                      upstream_pod({soft(1, "zone", "foo"), soft(1, kHost, "bar")})},
                     {{0, 50}, {1, 25}, {2, 100}}},
        UpstreamCase{"PodsOfAnotherNamespaceDoNotCount",
                     {host_node("a"), host_node("b")},
                     {on("a1", "a", kFoo, "ns1"), on("a2", "a", kFoo), on("b1", "b", kFoo), on("b2", "b", kFoo),
                      upstream_pod({soft(1, kHost, "foo")})},
                     {{0, 100}, {1, 33}}}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(PodTopologySpreadUpstreamScoresDefaults, SystemDefaultingWithoutZonesMatchesOneHostnameConstraint) {
  // scoring_test.go "system defaulting, nodes don't have zone, pods match service": 4/3/2/1
  // on hostname with the system's maxSkew 3 gives 44, 66, 77, 100.
  io::ClusterObjects objects;
  objects.nodes = {host_node("a"), host_node("b"), host_node("c"), host_node("d")};
  for (const auto& [n, count] : {std::pair{"a", 4}, {"b", 3}, {"c", 2}, {"d", 1}})
    for (int i = 0; i < count; ++i) objects.pods.push_back(on(std::string(n) + std::to_string(i), n, kFoo));
  objects.pods.push_back(with_labels(pod("p", "100m", "128Mi"), kFoo));
  io::SelectorOwnerObject service;
  service.kind = "Service";
  service.name = "s";
  service.selector.emplace().match_labels = {{"foo", ""}};
  objects.selector_owners = {service};
  auto c = state::build_cluster_state(objects);
  const auto ex = explain_last(c, spread_score_only());
  const std::int64_t want[] = {44, 66, 77, 100};
  for (std::size_t n = 0; n < 4; ++n) EXPECT_EQ(score_of(ex, n, "PodTopologySpread"), want[n]) << n;
}

TEST(PodTopologySpreadScoreSkip, SkipsPodsWithoutSoftConstraints) {
  auto c = cluster(four_zones(), plus(web_pods(), incoming({spread(1, kZone, true)})));
  EXPECT_FALSE(scored_by(explain_last(c, spread_score_only()), "PodTopologySpread"));
  auto none = cluster(four_zones(), plus(web_pods(), incoming({})));
  EXPECT_FALSE(scored_by(explain_last(none, spread_score_only()), "PodTopologySpread"));
}

// ---- Default constraints ----------------------------------------------------------------

// Nodes a1, a2 (zone a) and h3 (no zone); one web pod on a1; a Service selects app=web.
state::ClusterState service_cluster(std::vector<io::TopologySpreadConstraint> own = {}) {
  io::ClusterObjects objects;
  objects.nodes = {zoned("a1", "a"), zoned("a2", "a"), zoned("h3", "")};
  objects.pods = {running("w1", "web", "a1"), incoming(std::move(own))};
  io::SelectorOwnerObject service;
  service.kind = "Service";
  service.name = "web";
  service.selector = app_is("web");
  objects.selector_owners = {service};
  return state::build_cluster_state(objects);
}

framework::ProfileSpec spread_with(pts::PodTopologySpreadArgs args) {
  auto spec = spread_score_only();
  spec.filters = {"PodTopologySpread"};
  spec.args["PodTopologySpread"] = std::move(args);
  return spec;
}

TEST(PodTopologySpreadDefaults, SystemDefaultsSpreadByHostnameAndZoneWithoutRequiringBoth) {
  // hostname maxSkew 3 (weight ln(3+2) = 1.609), zone maxSkew 5. h3 has no zone label but
  // is not ignored under System defaulting: it forms the domain zone="" (2 zone domains:
  // weight ln 4 = 1.386). a1: 1·1.609 + 2 + 1·1.386 + 4 = 9.00 → 9; a2: 2 + 5.386 = 7.39 → 7;
  // h3: hostname only, 2. max 9 min 2: 100·(11−9)/9 = 22, 100·(11−7)/9 = 44, 100.
  auto c = service_cluster();
  const auto ex = explain_last(c, spread_with({}));
  EXPECT_EQ(score_of(ex, 0, "PodTopologySpread"), 22);
  EXPECT_EQ(score_of(ex, 1, "PodTopologySpread"), 44);
  EXPECT_EQ(score_of(ex, 2, "PodTopologySpread"), 100);
}

TEST(PodTopologySpreadDefaults, ListDefaultsRequireEveryKey) {
  // One zone constraint, maxSkew 1, from the list: h3 is ignored (0); a1, a2 share zone a,
  // one domain (weight ln 3): both 1.10 → 1, max = min = 1: 100·(1+1−1)/1 = 100.
  pts::PodTopologySpreadArgs args;
  args.defaulting_type = pts::DefaultingType::kList;
  pts::DefaultConstraint zone;
  zone.max_skew = 1;
  zone.topology_key = kZone;
  zone.when_unsatisfiable = "ScheduleAnyway";
  args.default_constraints = {zone};
  auto c = service_cluster();
  const auto ex = explain_last(c, spread_with(args));
  EXPECT_EQ(score_of(ex, 0, "PodTopologySpread"), 100);
  EXPECT_EQ(score_of(ex, 1, "PodTopologySpread"), 100);
  EXPECT_EQ(score_of(ex, 2, "PodTopologySpread"), 0);
}

TEST(PodTopologySpreadDefaults, HardListDefaultsFilter) {
  // DoNotSchedule zone maxSkew 1 by default: h3 lacks the zone (unresolvable); zone a is
  // the only domain: 1 + 1 - 1 ≤ 1, fits.
  pts::PodTopologySpreadArgs args;
  args.defaulting_type = pts::DefaultingType::kList;
  pts::DefaultConstraint zone;
  zone.max_skew = 1;
  zone.topology_key = kZone;
  zone.when_unsatisfiable = "DoNotSchedule";
  args.default_constraints = {zone};
  auto c = service_cluster();
  const auto ex = explain_last(c, spread_with(args));
  EXPECT_TRUE(ex.nodes[0].status.ok());
  EXPECT_EQ(ex.nodes[2].status.code(), framework::Code::kUnschedulableAndUnresolvable);
}

TEST(PodTopologySpreadDefaults, AnEmptyListOrAPodWithItsOwnConstraintsGetsNoDefaults) {
  pts::PodTopologySpreadArgs empty_list;
  empty_list.defaulting_type = pts::DefaultingType::kList;
  auto c = service_cluster();
  EXPECT_FALSE(scored_by(explain_last(c, spread_with(empty_list)), "PodTopologySpread"));
  // Its own (hard) constraint replaces the defaults: nothing soft is left to score.
  auto own = service_cluster({spread(1, kZone, true)});
  EXPECT_FALSE(scored_by(explain_last(own, spread_with({})), "PodTopologySpread"));
}

TEST(PodTopologySpreadDefaults, APodNoServiceOrControllerSelectsGetsNoDefaults) {
  auto c = cluster({zoned("a1", "a")}, {running("w1", "web", "a1"), incoming({})});
  EXPECT_FALSE(scored_by(explain_last(c, spread_with({})), "PodTopologySpread"));
}

// ---- Args --------------------------------------------------------------------------------

struct BadArgs {
  const char* name;
  pts::PodTopologySpreadArgs args;
  const char* error;
};

pts::DefaultConstraint constraint(std::int32_t skew, std::string key, std::string when) {
  pts::DefaultConstraint c;
  c.max_skew = skew;
  c.topology_key = std::move(key);
  c.when_unsatisfiable = std::move(when);
  return c;
}

pts::PodTopologySpreadArgs list(std::vector<pts::DefaultConstraint> cs) {
  pts::PodTopologySpreadArgs a;
  a.defaulting_type = pts::DefaultingType::kList;
  a.default_constraints = std::move(cs);
  return a;
}

class PodTopologySpreadArgsValidation : public ::testing::TestWithParam<BadArgs> {};

TEST_P(PodTopologySpreadArgsValidation, NamesTheField) {
  try {
    pts::validate(GetParam().args);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), GetParam().error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PodTopologySpreadArgsValidation,
    ::testing::Values(
        BadArgs{"SystemWithConstraints",
                [] {
                  auto a = list({constraint(1, "zone", "DoNotSchedule")});
                  a.defaulting_type = pts::DefaultingType::kSystem;
                  return a;
                }(),
                "defaultingType: Invalid value: \"System\": when .defaultConstraints are not empty"},
        BadArgs{"ZeroMaxSkew", list({constraint(0, "zone", "DoNotSchedule")}),
                "defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range"},
        BadArgs{"EmptyTopologyKey", list({constraint(1, "", "DoNotSchedule")}),
                "defaultConstraints[0].topologyKey: Required value: can not be empty"},
        BadArgs{"InvalidTopologyKey", list({constraint(1, "-zone", "DoNotSchedule")}),
                "defaultConstraints[0].topologyKey: Invalid value: \"-zone\": not a valid label key"},
        BadArgs{"UnknownWhenUnsatisfiable", list({constraint(1, "zone", "Maybe")}),
                "defaultConstraints[0].whenUnsatisfiable: Unsupported value: \"Maybe\": supported values: "
                "\"DoNotSchedule\", \"ScheduleAnyway\""},
        BadArgs{"ASelector",
                [] {
                  auto c = constraint(1, "zone", "DoNotSchedule");
                  c.has_label_selector = true;
                  return list({c});
                }(),
                "defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they "
                "deduced for each pod"},
        BadArgs{"ARepeatedKeyAndAction",
                list({constraint(1, "zone", "DoNotSchedule"), constraint(2, "zone", "DoNotSchedule")}),
                "defaultConstraints[1]: Duplicate value: \"{zone, DoNotSchedule}\""}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(PodTopologySpreadArgsDefaults, SystemDefaultsAreHostname3AndZone5) {
  const auto& d = pts::effective_default_constraints({});
  ASSERT_EQ(d.size(), 2U);
  EXPECT_EQ(d[0].topology_key, kHost);
  EXPECT_EQ(d[0].max_skew, 3);
  EXPECT_EQ(d[1].topology_key, kZone);
  EXPECT_EQ(d[1].max_skew, 5);
  EXPECT_EQ(d[1].when_unsatisfiable, "ScheduleAnyway");
  EXPECT_NO_THROW(pts::validate(list({constraint(1, "zone", "DoNotSchedule"), constraint(1, "zone", "ScheduleAnyway")})));
}

// ---- Incremental counts -------------------------------------------------------------------

TEST(PodTopologySpreadCounts, BindAndUnbindKeepTheCountsExact) {
  // Zone a: 1 web pod, zone b: 0; a pending web pod "extra" and the incoming pod.
  // Before: a 1, b 0 → a: 1+1-0 = 2 > 1 rejected, b fits.
  // After binding "extra" on b1: a 1, b 1 → both fit. After unbinding it: as before.
  auto extra = with_labels(pod("extra", "100m", "128Mi"), {{"app", "web"}});
  auto c = cluster({zoned("a1", "a"), zoned("b1", "b")},
                   {running("w1", "web", "a1"), extra, incoming({spread(1, kZone, true)})});
  const auto profile = framework::build_profile(spread_filter_only(), c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  const auto p = static_cast<state::PodIndex>(c.pods.size() - 1);
  auto verdicts = [&] {
    const auto ex = fw.explain({c.pods[p], p}, c, 0);
    return std::vector<bool>{ex.nodes[0].status.ok(), ex.nodes[1].status.ok()};
  };
  EXPECT_EQ(verdicts(), (std::vector<bool>{false, true}));
  c.bind(1, 1);
  fw.notify_bind(c, 1, 1);
  EXPECT_EQ(verdicts(), (std::vector<bool>{true, true}));
  c.unbind(1);
  fw.notify_unbind(c, 1, 1);
  EXPECT_EQ(verdicts(), (std::vector<bool>{false, true}));
}

TEST(PodTopologySpreadCounts, AnEvictedCounterIsRebuiltWithEveryBindSinceIt) {
  auto c = cluster({zoned("a1", "a"), zoned("b1", "b")},
                   {running("w1", "web", "a1"), with_labels(pod("d1", "100m", "128Mi"), {{"app", "db"}})});
  state::LabelSelectorRecord web, db;
  web.requirements.push_back({*c.strings.find("app"), state::SelectorOp::kIn, 0, {*c.strings.find("web")}});
  db.requirements.push_back({*c.strings.find("app"), state::SelectorOp::kIn, 0, {*c.strings.find("db")}});
  const StringId ns = *c.strings.find("default");
  pts::MatchCounters counters(1);
  counters.begin_cycle();
  auto web_counts = counters.acquire(c, ns, web);
  EXPECT_EQ(std::vector<std::int32_t>(web_counts.begin(), web_counts.end()), (std::vector<std::int32_t>{1, 0}));
  counters.begin_cycle();
  (void)counters.acquire(c, ns, db);  // evicts web (capacity 1)
  EXPECT_EQ(counters.entries(), 1U);
  c.bind(1, 1);  // the db pod, counted by the live db entry
  counters.on_bind(c, 1, 1);
  auto db_counts = counters.acquire(c, ns, db);
  EXPECT_EQ(std::vector<std::int32_t>(db_counts.begin(), db_counts.end()), (std::vector<std::int32_t>{0, 1}));
  counters.begin_cycle();
  web_counts = counters.acquire(c, ns, web);  // rebuilt by a scan
  EXPECT_EQ(std::vector<std::int32_t>(web_counts.begin(), web_counts.end()), (std::vector<std::int32_t>{1, 0}));
}

TEST(PodTopologySpreadCounts, EntriesInUseByThePodAreNeverEvicted) {
  auto c = cluster({zoned("a1", "a")}, {running("w1", "web", "a1"), running("d1", "db", "a1")});
  state::LabelSelectorRecord web, db;
  web.requirements.push_back({*c.strings.find("app"), state::SelectorOp::kIn, 0, {*c.strings.find("web")}});
  db.requirements.push_back({*c.strings.find("app"), state::SelectorOp::kIn, 0, {*c.strings.find("db")}});
  pts::MatchCounters counters(1);
  counters.begin_cycle();
  auto first = counters.acquire(c, *c.strings.find("default"), web);
  auto second = counters.acquire(c, *c.strings.find("default"), db);
  EXPECT_EQ(counters.entries(), 2U);  // grew past capacity rather than drop `first`
  EXPECT_EQ(first[0], 1);
  EXPECT_EQ(second[0], 1);
}

TEST(PodTopologySpreadProfile, IsLiveOnlyWhenSomePodCanBeSpread) {
  auto none = cluster({zoned("a1", "a")}, {running("w1", "web", "a1"), incoming({})});
  framework::ProfileSpec spec;
  spec.filters = {"NodeResourcesFit", "PodTopologySpread"};
  spec.scores = {{"NodeResourcesFit", 1}, {"PodTopologySpread", 2}};
  const auto quiet = framework::build_profile(spec, none);
  framework::Framework quiet_fw(quiet, none.nodes.size, framework::TieBreaker(none.nodes.size, 1));
  EXPECT_FALSE(quiet_fw.has_live_plugins());
  EXPECT_TRUE(quiet_fw.node_results_cacheable());
  auto some = cluster({zoned("a1", "a")}, {running("w1", "web", "a1"), incoming({spread(1, kZone, false)})});
  const auto busy = framework::build_profile(spec, some);
  framework::Framework busy_fw(busy, some.nodes.size, framework::TieBreaker(some.nodes.size, 1));
  EXPECT_TRUE(busy_fw.has_live_plugins());
}

}  // namespace
