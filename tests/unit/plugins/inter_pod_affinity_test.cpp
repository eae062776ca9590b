// InterPodAffinity: upstream's filter and score rules (filtering_test.go, scoring_test.go,
// v1.35) as sentence-named tables, every expected number worked by hand from upstream's
// formulas; each case runs through the engine plugin (framework slow path) and through
// the reference oracle, which must agree. Then: on_unbind restores the plugin's state, the
// per-node counters stay within their bound, and the args are validated as upstream does.

#include <gtest/gtest.h>

#include <optional>

#include "plugin_fixture.hpp"
#include "plugins/interpodaffinity/match_counters.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"
#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"
#include "reference/inter_pod_affinity.hpp"

namespace {

using namespace podium;
using namespace podium::testing;
namespace ipa = plugins::interpodaffinity;

const std::string kZone = "zone";
const std::string kHost = "kubernetes.io/hostname";
const std::string AFF(ipa::InterPodAffinity::kAffinityReason);
const std::string ANTI(ipa::InterPodAffinity::kAntiAffinityReason);
const std::string EXIST(ipa::InterPodAffinity::kExistingAntiAffinityReason);

// A node named `name` (with its hostname label) in zone `zone` ("": no zone label).
io::NodeObject N(const std::string& name, const std::string& zone = "") {
  io::StringMap labels = {{kHost, name}};
  if (!zone.empty()) labels.emplace_back(kZone, zone);
  return labeled(node(name, "4", "8Gi"), labels);
}

io::PodObject P(const std::string& name, io::StringMap labels, const std::string& ns = "default") {
  auto p = pod(name, "100m", "128Mi");
  p.labels = std::move(labels);
  p.namespace_ = ns;
  return p;
}

io::PodAffinityTerm T(io::StringMap match, const std::string& key) {
  io::PodAffinityTerm t;
  t.label_selector = io::LabelSelector{std::move(match), {}};
  t.topology_key = key;
  return t;
}

io::PodAffinityTerm with_ns_selector(io::PodAffinityTerm t, io::LabelSelector selector) {
  t.namespace_selector = std::move(selector);
  return t;
}

io::LabelSelector team_does_not_exist() { return io::LabelSelector{{}, {{"team", "DoesNotExist", {}}}}; }

io::WeightedPodAffinityTerm W(std::int32_t weight, io::PodAffinityTerm t) { return {weight, std::move(t)}; }

io::PodAffinity& part(io::PodObject& p, bool anti) {
  if (!p.affinity) p.affinity.emplace();
  auto& slot = anti ? p.affinity->pod_anti_affinity : p.affinity->pod_affinity;
  if (!slot) slot.emplace();
  return *slot;
}

io::PodObject affinity(io::PodObject p, std::vector<io::PodAffinityTerm> required,
                       std::vector<io::WeightedPodAffinityTerm> preferred = {}) {
  auto& a = part(p, false);
  a.required = std::move(required);
  a.preferred = std::move(preferred);
  return p;
}

io::PodObject anti(io::PodObject p, std::vector<io::PodAffinityTerm> required,
                   std::vector<io::WeightedPodAffinityTerm> preferred = {}) {
  auto& a = part(p, true);
  a.required = std::move(required);
  a.preferred = std::move(preferred);
  return p;
}

struct Case {
  std::string name;
  std::vector<io::NodeObject> nodes;
  std::vector<io::PodObject> bound_pods;  // with spec.nodeName
  io::PodObject incoming;
  std::vector<io::NamespaceObject> namespaces;
  ipa::InterPodAffinityArgs args;
  std::vector<std::string> reasons;                   // per node, "" when it passes
  std::optional<std::vector<std::int64_t>> scores;   // normalized over every node; nullopt: PreScore skips
};

// gtest prints a failing case by its sentence, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

state::ClusterState build(const Case& c) {
  io::ClusterObjects objects;
  objects.nodes = c.nodes;
  objects.pods = c.bound_pods;
  objects.pods.push_back(c.incoming);
  objects.namespaces = c.namespaces;
  return state::build_cluster_state(objects);
}

framework::ProfileSpec spec_of(const Case& c, bool filter) {
  framework::ProfileSpec spec;
  if (filter) spec.filters = {"InterPodAffinity"};
  else spec.scores = {{"InterPodAffinity", 1}};
  spec.args["InterPodAffinity"] = c.args;
  return spec;
}

// The reference oracle's view of the cluster: node names, label strings, bound pods.
std::vector<reference::ReferenceNode> reference_nodes(const state::ClusterState& cluster) {
  std::vector<reference::ReferenceNode> nodes(cluster.nodes.size);
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) {
    nodes[n].name = cluster.nodes.names[n];
    for (const auto& l : cluster.nodes.labels_of(n))
      nodes[n].labels[cluster.strings.text(l.key)] = cluster.strings.text(l.value);
  }
  for (const auto& pod : cluster.pods)
    if (pod.bound_node != state::kNoNode) nodes[pod.bound_node].bound_pods.push_back(&pod);
  return nodes;
}

std::string c_name(const ::testing::TestParamInfo<Case>& info) {
  std::string out;
  bool up = true;
  for (char ch : info.param.name) {
    if (ch == ' ' || ch == ',' || ch == '\'' || ch == '-') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch);
    up = false;
  }
  return out;
}

class InterPodAffinityCase : public ::testing::TestWithParam<Case> {};

TEST_P(InterPodAffinityCase, FiltersAndScoresAsUpstream) {
  const Case& c = GetParam();
  auto cluster = build(c);
  const auto& incoming = cluster.pods.back();
  const auto ref_nodes = reference_nodes(cluster);

  // Filter, engine and reference.
  const auto fex = explain_last(cluster, spec_of(c, true));
  const auto ref_pass = reference::inter_pod_affinity_filter(cluster, incoming, ref_nodes);
  ASSERT_EQ(c.reasons.size(), cluster.nodes.size);
  for (std::size_t n = 0; n < c.reasons.size(); ++n) {
    const auto& st = fex.nodes[n].status;
    EXPECT_EQ(st.ok() ? std::string() : st.message(), c.reasons[n]) << "node " << n;
    if (c.reasons[n] == AFF) {
      EXPECT_EQ(st.code(), framework::Code::kUnschedulableAndUnresolvable) << n;
    }
    if (c.reasons[n] == ANTI || c.reasons[n] == EXIST) {
      EXPECT_EQ(st.code(), framework::Code::kUnschedulable) << n;
    }
    // The reference's verdict carries the same code (preemption skips Unresolvable nodes).
    const auto want = c.reasons[n].empty()  ? reference::FilterCode::kFits
                      : c.reasons[n] == AFF ? reference::FilterCode::kUnresolvable
                                            : reference::FilterCode::kUnschedulable;
    EXPECT_EQ(ref_pass[n], want) << "reference, node " << n;
  }

  // Score over every node (no filter), engine and reference.
  const auto sex = explain_last(cluster, spec_of(c, false));
  std::vector<state::NodeIndex> all(cluster.nodes.size);
  for (state::NodeIndex n = 0; n < all.size(); ++n) all[n] = n;
  const auto ref_scores = reference::inter_pod_affinity_scores(cluster, c.args, incoming, ref_nodes, all);
  ASSERT_EQ(scored_by(sex, "InterPodAffinity"), c.scores.has_value());
  // The scheduler's shortcut agrees with PreScore: it may say "skips" only when PreScore
  // skips, and does for every pod without preferred terms of its own.
  const auto profile = framework::build_profile(spec_of(c, false), cluster);
  const auto* plugin = dynamic_cast<const ipa::InterPodAffinity*>(profile.scores.at(0).plugin);
  const auto p = static_cast<state::PodIndex>(cluster.pods.size() - 1);
  const bool own_preferences = incoming.pod_affinity && (!incoming.pod_affinity->preferred_affinity.empty() ||
                                                         !incoming.pod_affinity->preferred_anti_affinity.empty());
  EXPECT_EQ(plugin->pre_score_always_skips({incoming, p}, cluster), !c.scores.has_value() && !own_preferences);
  ASSERT_EQ(ref_scores.has_value(), c.scores.has_value());
  if (!c.scores) return;
  for (std::size_t n = 0; n < c.scores->size(); ++n) {
    EXPECT_EQ(score_of(sex, n, "InterPodAffinity"), (*c.scores)[n]) << "node " << n;
    EXPECT_EQ((*ref_scores)[n], (*c.scores)[n]) << "reference, node " << n;
  }
}

const std::vector<io::NodeObject> kThreeZones = {N("n1", "a"), N("n2", "a"), N("n3", "b")};
const std::vector<io::NodeObject> kFour = {N("n1", "a"), N("n2", "a"), N("n3", "b"), N("n4")};
const std::vector<io::NodeObject> kTwoAndBare = {N("n1", "a"), N("n2", "b"), N("n3")};

ipa::InterPodAffinityArgs hard(std::int32_t w, bool ignore = false) { return {w, ignore}; }

INSTANTIATE_TEST_SUITE_P(
    Filter, InterPodAffinityCase,
    ::testing::Values(
        Case{"a required affinity term admits only the zone of a matching pod",
             kThreeZones,
             {bound(P("db", {{"app", "db"}}), "n1")},
             affinity(P("web", {{"app", "web"}}), {T({{"app", "db"}}, kZone)}),
             {}, {}, {"", "", AFF}, std::nullopt},
        Case{"the first pod of a group may go to any node that has the topology key",
             kTwoAndBare, {},
             affinity(P("web", {{"app", "web"}}), {T({{"app", "web"}}, kZone)}),
             {}, {}, {"", "", AFF}, std::nullopt},
        Case{"a pod that does not match its own affinity term fits nowhere while no pod matches",
             kTwoAndBare, {},
             affinity(P("web", {{"app", "web"}}), {T({{"app", "db"}}, kZone)}),
             {}, {}, {AFF, AFF, AFF}, std::nullopt},
        Case{"a matching pod on a node without the topology key records nothing so the first pod rule applies",
             kTwoAndBare,
             {bound(P("web0", {{"app", "web"}}), "n3")},
             affinity(P("web", {{"app", "web"}}), {T({{"app", "web"}}, kZone)}),
             {}, {}, {"", "", AFF}, std::nullopt},
        Case{"pods count toward affinity only if they match every term",
             kThreeZones,
             {bound(P("db", {{"app", "db"}}), "n2"), bound(P("dbback", {{"app", "db"}, {"tier", "back"}}), "n1")},
             affinity(P("x", {}), {T({{"app", "db"}}, kZone), T({{"tier", "back"}}, kHost)}),
             {}, {}, {"", AFF, AFF}, std::nullopt},
        Case{"required anti affinity keeps the pod off the hosts of matching pods",
             kThreeZones,
             {bound(P("db", {{"app", "db"}}), "n1")},
             anti(P("web", {{"app", "web"}}), {T({{"app", "db"}}, kHost)}),
             {}, {}, {ANTI, "", ""}, std::nullopt},
        Case{"required anti affinity by zone rejects the whole zone and passes nodes without the label",
             kFour,
             {bound(P("db", {{"app", "db"}}), "n1")},
             anti(P("web", {{"app", "web"}}), {T({{"app", "db"}}, kZone)}),
             {}, {}, {ANTI, ANTI, "", ""}, std::nullopt},
        Case{"an existing pod's anti affinity rejects every node of its zone",
             kFour,
             {bound(anti(P("guard", {{"app", "guard"}}), {T({{"app", "web"}}, kZone)}), "n1")},
             P("web", {{"app", "web"}}),
             {}, {}, {EXIST, EXIST, "", ""}, std::nullopt},
        Case{"an existing pod's anti affinity term is confined to its own namespace by default",
             kFour,
             {bound(anti(P("guard", {{"app", "guard"}}, "other"), {T({{"app", "web"}}, kZone)}), "n1")},
             P("web", {{"app", "web"}}),
             {}, {}, {"", "", "", ""}, std::nullopt},
        Case{"an existing pod's namespace selector is matched against the incoming pod's namespace labels",
             kFour,
             {bound(anti(P("guard", {{"app", "guard"}}, "other"),
                         {with_ns_selector(T({{"app", "web"}}, kZone), io::LabelSelector{{{"team", "blue"}}, {}})}),
                    "n1")},
             P("web", {{"app", "web"}}),
             {io::NamespaceObject{{}, "default", {{"team", "blue"}}}}, {}, {EXIST, EXIST, "", ""}, std::nullopt},
        Case{"an existing pod's namespace selector sees no labels for a namespace without a Namespace object",
             kFour,
             {bound(anti(P("guard", {{"app", "guard"}}, "other"),
                         {with_ns_selector(T({{"app", "web"}}, kZone), team_does_not_exist())}),
                    "n1")},
             P("web", {{"app", "web"}}),
             {}, {}, {EXIST, EXIST, "", ""}, std::nullopt},
        Case{"the incoming pod's namespace selector selects only namespaces that exist as Namespace objects",
             kFour,
             {bound(P("db", {{"app", "db"}}, "ghost"), "n1"), bound(P("db2", {{"app", "db"}}, "plain"), "n3")},
             anti(P("web", {{"app", "web"}}), {with_ns_selector(T({{"app", "db"}}, kZone), team_does_not_exist())}),
             {io::NamespaceObject{{}, "plain", {}}}, {}, {"", "", ANTI, ""}, std::nullopt},
        Case{"an empty namespace selector matches pods of every namespace",
             kFour,
             {bound(P("db", {{"app", "db"}}, "ghost"), "n1")},
             anti(P("web", {{"app", "web"}}), {with_ns_selector(T({{"app", "db"}}, kZone), io::LabelSelector{})}),
             {}, {}, {ANTI, ANTI, "", ""}, std::nullopt},
        Case{"affinity is checked before anti affinity and existing anti affinity",
             {N("n1", "a"), N("n2", "b"), N("n3", "b"), N("n4", "c")},
             {bound(P("db", {{"app", "db"}}), "n1"), bound(P("web0", {{"app", "web"}}), "n2"),
              bound(anti(P("guard", {{"app", "guard"}}), {T({{"app", "web"}}, kHost)}), "n3")},
             anti(affinity(P("web", {{"app", "web"}}), {T({{"app", "web"}}, kZone)}), {T({{"app", "db"}}, kZone)}),
             {}, {}, {AFF, "", EXIST, AFF}, std::nullopt}),
    c_name);

INSTANTIATE_TEST_SUITE_P(
    Score, InterPodAffinityCase,
    ::testing::Values(
        // raw: zone a 2 pods x 5 = 10, zone b 5, n4 no zone 0; max 10, min 0.
        Case{"preferred affinity adds its weight for each matching pod in the node's zone",
             kFour,
             {bound(P("db1", {{"app", "db"}}), "n1"), bound(P("db2", {{"app", "db"}}), "n1"),
              bound(P("db3", {{"app", "db"}}), "n3")},
             affinity(P("web", {{"app", "web"}}), {}, {W(5, T({{"app", "db"}}, kZone))}),
             {}, {}, {"", "", "", ""}, std::vector<std::int64_t>{100, 100, 50, 0}},
        // raw: n1 -8, n2 0, n3 -4, n4 0; min -8, diff 8: 0, 100, 100*4/8 = 50, 100.
        Case{"preferred anti affinity subtracts its weight and normalization maps the minimum to zero",
             kFour,
             {bound(P("db1", {{"app", "db"}}), "n1"), bound(P("db2", {{"app", "db"}}), "n1"),
              bound(P("db3", {{"app", "db"}}), "n3")},
             anti(P("web", {{"app", "web"}}), {}, {W(4, T({{"app", "db"}}, kHost))}),
             {}, {}, {"", "", "", ""}, std::vector<std::int64_t>{0, 100, 50, 100}},
        // raw: zone a +1 (friend's required term, default hardPodAffinityWeight), zone b +3;
        // 100 * (1/3) = 33.33 -> 33.
        Case{"existing pods' required affinity terms add hardPodAffinityWeight which defaults to one",
             kFour,
             {bound(affinity(P("friend", {{"app", "friend"}}), {T({{"app", "web"}}, kZone)}), "n1"),
              bound(P("db", {{"app", "db"}}), "n3")},
             affinity(P("web", {{"app", "web"}}), {}, {W(3, T({{"app", "db"}}, kZone))}),
             {}, {}, {"", "", "", ""}, std::vector<std::int64_t>{33, 33, 100, 0}},
        // raw: zone a +5, zone b +3: 100, 100, 100*3/5 = 60, 0.
        Case{"a larger hardPodAffinityWeight outweighs the pod's own preference",
             kFour,
             {bound(affinity(P("friend", {{"app", "friend"}}), {T({{"app", "web"}}, kZone)}), "n1"),
              bound(P("db", {{"app", "db"}}), "n3")},
             affinity(P("web", {{"app", "web"}}), {}, {W(3, T({{"app", "db"}}, kZone))}),
             {}, hard(5), {"", "", "", ""}, std::vector<std::int64_t>{100, 100, 60, 0}},
        Case{"a zero hardPodAffinityWeight leaves nothing to score",
             kFour,
             {bound(affinity(P("friend", {{"app", "friend"}}), {T({{"app", "web"}}, kZone)}), "n1")},
             P("web", {{"app", "web"}}),
             {}, hard(0), {"", "", "", ""}, std::nullopt},
        // raw: n1 -2 (q's preferred anti by host), zone b +7 (p's preferred affinity);
        // min -2, diff 9: 0, 100*2/9 = 22.2 -> 22, 100, 22.
        Case{"existing pods' preferred terms score the incoming pod symmetrically",
             kFour,
             {bound(affinity(P("p", {{"app", "p"}}), {}, {W(7, T({{"app", "web"}}, kZone))}), "n3"),
              bound(anti(P("q", {{"app", "q"}}), {}, {W(2, T({{"app", "web"}}, kHost))}), "n1")},
             P("web", {{"app", "web"}}),
             {}, {}, {"", "", "", ""}, std::vector<std::int64_t>{0, 22, 100, 22}},
        Case{"ignorePreferredTermsOfExistingPods skips a pod without preferred terms",
             kFour,
             {bound(affinity(P("p", {{"app", "p"}}), {}, {W(7, T({{"app", "web"}}, kZone))}), "n3")},
             P("web", {{"app", "web"}}),
             {}, hard(1, true), {"", "", "", ""}, std::nullopt},
        // raw: zone a +5 from the pod's own term; p's preferred term is ignored.
        Case{"with ignorePreferredTermsOfExistingPods only the pod's own preferences count",
             kFour,
             {bound(affinity(P("p", {{"app", "p"}}), {}, {W(7, T({{"app", "web"}}, kZone))}), "n3"),
              bound(P("q", {{"app", "q"}}), "n1")},
             affinity(P("web", {{"app", "web"}}), {}, {W(5, T({{"app", "q"}}, kZone))}),
             {}, hard(1, true), {"", "", "", ""}, std::vector<std::int64_t>{100, 100, 0, 0}},
        Case{"equal raw scores normalize to zero on every node",
             {N("n1", "a"), N("n2", "b")},
             {bound(P("db1", {{"app", "db"}}), "n1"), bound(P("db2", {{"app", "db"}}), "n2")},
             affinity(P("web", {{"app", "web"}}), {}, {W(5, T({{"app", "db"}}, kZone))}),
             {}, {}, {"", ""}, std::vector<std::int64_t>{0, 0}},
        Case{"matches only on nodes without the topology key leave nothing to score",
             {N("n1"), N("n2", "a")},
             {bound(P("db", {{"app", "db"}}), "n1")},
             affinity(P("web", {{"app", "web"}}), {}, {W(5, T({{"app", "db"}}, kZone))}),
             {}, {}, {"", ""}, std::nullopt},
        // Upstream records zone a with 3 - 3 = 0: the map is not empty, so it normalizes (all 0).
        Case{"an affinity and an anti affinity preference that cancel still score",
             kFour,
             {bound(P("db", {{"app", "db"}}), "n1")},
             anti(affinity(P("web", {{"app", "web"}}), {}, {W(3, T({{"app", "db"}}, kZone))}), {},
                  {W(3, T({{"app", "db"}}, kZone))}),
             {}, {}, {"", "", "", ""}, std::vector<std::int64_t>{0, 0, 0, 0}},
        // The pod's preferred term reaches namespace "blue" through its namespaceSelector
        // (a Namespace object labelled team=blue); the pod in "red" is not counted.
        Case{"the incoming pod's preferred terms reach the namespaces its selector picks",
             kFour,
             {bound(P("db1", {{"app", "db"}}, "blue"), "n1"), bound(P("db2", {{"app", "db"}}, "red"), "n3")},
             affinity(P("web", {{"app", "web"}}), {},
                      {W(5, with_ns_selector(T({{"app", "db"}}, kZone), io::LabelSelector{{{"team", "blue"}}, {}}))}),
             {io::NamespaceObject{{}, "blue", {{"team", "blue"}}}, io::NamespaceObject{{}, "red", {{"team", "red"}}}},
             {}, {"", "", "", ""}, std::vector<std::int64_t>{100, 100, 0, 0}}),
    c_name);

TEST(InterPodAffinityState, OnUnbindRestoresWhatOnBindChanged) {
  // web-2 carries anti-affinity to app=web by zone; binding web-1 to n2 (zone b) rejects
  // zone b for web-2 and moves its preferred-affinity scores; unbinding undoes both.
  io::ClusterObjects objects;
  objects.nodes = {N("n1", "a"), N("n2", "b"), N("n3", "b"), N("n4", "c")};
  objects.pods = {bound(P("db", {{"app", "db"}}), "n1"),
                  P("web-1", {{"app", "web"}}),
                  anti(affinity(P("web-2", {{"app", "web"}}), {}, {W(5, T({{"app", "web"}}, kZone))}),
                       {T({{"app", "web"}}, kZone)})};
  auto cluster = state::build_cluster_state(objects);
  framework::ProfileSpec spec;
  spec.filters = {"InterPodAffinity"};
  spec.scores = {{"InterPodAffinity", 1}};
  const auto profile = framework::build_profile(spec, cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  const state::PodIndex web1 = 1, web2 = 2;
  auto snapshot = [&] {
    const auto ex = fw.explain({cluster.pods[web2], web2}, cluster, 0);
    std::vector<std::string> out;
    for (const auto& n : ex.nodes)
      out.push_back(n.status.ok() ? "ok " + std::to_string(n.scores.empty() ? -1 : n.scores[0]) : n.status.message());
    return out;
  };
  const auto before = snapshot();  // registers the counters web-2 needs
  EXPECT_EQ(before, (std::vector<std::string>{"ok -1", "ok -1", "ok -1", "ok -1"}));
  cluster.bind(web1, 1);
  fw.notify_bind(cluster, web1, 1);
  EXPECT_EQ(snapshot(), (std::vector<std::string>{"ok 0", ANTI, ANTI, "ok 0"}));
  cluster.unbind(web1);
  fw.notify_unbind(cluster, web1, 1);
  EXPECT_EQ(snapshot(), before);
}

TEST(InterPodAffinityState, ExistingPodsTermsFollowBindAndUnbind) {
  // The symmetric index: a bound guard with anti-affinity to app=web by zone.
  io::ClusterObjects objects;
  objects.nodes = {N("n1", "a"), N("n2", "b")};
  objects.pods = {anti(P("guard", {{"app", "guard"}}), {T({{"app", "web"}}, kZone)}), P("web", {{"app", "web"}})};
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(only("InterPodAffinity"), cluster);
  framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 1));
  auto verdicts = [&] {
    const auto ex = fw.explain({cluster.pods[1], 1}, cluster, 0);
    return std::vector<bool>{ex.nodes[0].status.ok(), ex.nodes[1].status.ok()};
  };
  EXPECT_EQ(verdicts(), (std::vector<bool>{true, true}));
  cluster.bind(0, 0);
  fw.notify_bind(cluster, 0, 0);
  EXPECT_EQ(verdicts(), (std::vector<bool>{false, true}));
  cluster.unbind(0);
  fw.notify_unbind(cluster, 0, 0);
  EXPECT_EQ(verdicts(), (std::vector<bool>{true, true}));
}

TEST(InterPodAffinityCounters, EvictTheLeastRecentlyUsedCounterAndRecountItLater) {
  io::ClusterObjects objects;
  objects.nodes = {N("n1", "a"), N("n2", "b")};
  objects.pods = {bound(P("a", {{"app", "a"}}), "n1"), bound(P("b", {{"app", "b"}}), "n2"),
                  bound(P("c", {{"app", "c"}}), "n2")};
  auto cluster = state::build_cluster_state(objects);
  namespace d = ipa::detail;
  auto matcher = [&](const std::string& app) {
    d::PodMatcher m;
    m.namespaces = {*cluster.strings.find("default")};
    m.selector.requirements.push_back({*cluster.strings.find("app"), state::SelectorOp::kIn, 0,
                                       {*cluster.strings.find(app)}});
    return m;
  };
  d::TopologyColumns topology(cluster.nodes);
  d::MatchCounters counters(topology, cluster.nodes.size, 2);
  for (const std::string app : {"a", "b", "c", "a"}) {
    counters.begin_cycle();
    const d::PodMatcher m = matcher(app);
    const auto view = counters.counts(app, {&m, 1}, cluster);
    EXPECT_EQ(view.count[0] + view.count[1], 1) << app;  // recounted after eviction too
    EXPECT_EQ(view.occupied.size(), 1U) << app;
    EXPECT_LE(counters.size(), 2U);
  }
  // Counters handed out in the same cycle are never evicted: the store grows instead.
  counters.begin_cycle();
  const d::PodMatcher ma = matcher("a"), mb = matcher("b"), mc = matcher("c");
  const std::int32_t* a = counters.counts("a", {&ma, 1}, cluster).count;
  (void)counters.counts("b", {&mb, 1}, cluster);
  (void)counters.counts("c", {&mc, 1}, cluster);
  EXPECT_EQ(a[0], 1);
  EXPECT_EQ(counters.size(), 3U);
  // Binds and unbinds reach every kept counter, and its list of occupied nodes.
  counters.begin_cycle();
  counters.apply(cluster.pods[0], 1, +1);
  EXPECT_EQ(a[1], 1);
  EXPECT_EQ(counters.counts("a", {&ma, 1}, cluster).occupied.size(), 2U);
  counters.apply(cluster.pods[0], 0, -1);
  counters.apply(cluster.pods[0], 1, -1);
  EXPECT_EQ(a[1], 0);
  EXPECT_TRUE(counters.counts("a", {&ma, 1}, cluster).occupied.empty());
}

TEST(InterPodAffinityCounters, PerDomainTalliesAreRegisteredOnFirstUseAndFollowBindsAndUnbinds) {
  io::ClusterObjects objects;
  objects.nodes = {N("n1", "a"), N("n2", "a"), N("n3", "b"), N("n4")};  // n4 has no zone
  objects.pods = {bound(P("x", {{"app", "a"}}), "n1"), bound(P("y", {{"app", "a"}}), "n2"),
                  bound(P("z", {{"app", "a"}}), "n4"), P("w", {{"app", "a"}})};
  auto cluster = state::build_cluster_state(objects);
  namespace d = ipa::detail;
  d::PodMatcher m;
  m.namespaces = {*cluster.strings.find("default")};
  m.selector.requirements.push_back({*cluster.strings.find("app"), state::SelectorOp::kIn, 0,
                                     {*cluster.strings.find("a")}});
  d::TopologyColumns topology(cluster.nodes);
  const std::uint32_t zone = topology.index_of(*cluster.strings.find(std::string(kZone)));
  const std::uint32_t host = topology.index_of(*cluster.strings.find(std::string(kHost)));
  d::MatchCounters counters(topology, cluster.nodes.size, 4);
  counters.begin_cycle();
  const d::DomainTally& by_zone = counters.by_domain("a", {&m, 1}, cluster, zone);
  const d::DomainTally& by_host = counters.by_domain("a", {&m, 1}, cluster, host);
  EXPECT_EQ(&by_zone, &counters.by_domain("a", {&m, 1}, cluster, zone));  // registered once
  const std::int32_t* zone_of = topology.domains(zone);
  EXPECT_EQ(by_zone.count[zone_of[0]], 2);  // n1 and n2 share zone a
  EXPECT_EQ(by_zone.count[zone_of[2]], 0);
  EXPECT_EQ(by_zone.total, 2);  // the pod on n4 (no zone) is not counted
  EXPECT_EQ(by_host.total, 3);
  EXPECT_EQ(by_zone.occupied.size(), 1U);
  // Bind w on n3, then take x off n1: both tallies follow, occupied domains too.
  counters.apply(cluster.pods[3], 2, +1);
  EXPECT_EQ(by_zone.count[zone_of[2]], 1);
  EXPECT_EQ(by_zone.occupied.size(), 2U);
  counters.apply(cluster.pods[0], 0, -1);
  EXPECT_EQ(by_zone.count[zone_of[0]], 1);
  EXPECT_EQ(by_zone.total, 2);
  EXPECT_EQ(by_host.count[topology.domains(host)[0]], 0);
  EXPECT_EQ(by_host.total, 3);
  counters.apply(cluster.pods[1], 1, -1);
  EXPECT_EQ(by_zone.occupied.size(), 1U);
  EXPECT_EQ(by_zone.total, 1);
}

TEST(InterPodAffinityArgs, HardPodAffinityWeightMustBeWithinZeroToOneHundred) {
  EXPECT_NO_THROW(ipa::validate({0, false}));
  EXPECT_NO_THROW(ipa::validate({100, true}));
  EXPECT_THROW(ipa::validate({-1, false}), std::invalid_argument);
  EXPECT_THROW(ipa::validate({101, false}), std::invalid_argument);
  EXPECT_EQ(ipa::InterPodAffinityArgs{}.hard_pod_affinity_weight, 1);
  EXPECT_FALSE(ipa::InterPodAffinityArgs{}.ignore_preferred_terms_of_existing_pods);
}

TEST(InterPodAffinityProfile, IsInertAndCacheableInAClusterWithoutPodAffinity) {
  auto c = cluster({N("n1", "a"), N("n2", "b")}, {bound(P("db", {{"app", "db"}}), "n1"), P("web", {{"app", "web"}})});
  framework::ProfileSpec spec;
  spec.filters = {"InterPodAffinity"};
  spec.scores = {{"InterPodAffinity", 2}};
  const auto profile = framework::build_profile(spec, c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  EXPECT_TRUE(fw.node_results_cacheable());
  const auto ex = explain_last(c, spec);
  EXPECT_FALSE(scored_by(ex, "InterPodAffinity"));
  EXPECT_TRUE(ex.nodes[0].status.ok() && ex.nodes[1].status.ok());
}

}  // namespace
