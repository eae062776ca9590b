// NodeAffinity: spec.nodeSelector and required node affinity (every operator, Gt/Lt with
// Go's ParseInt, empty and unparsable terms, matchFields and PreFilter's narrowing),
// NodeAffinityArgs.addedAffinity, and the preferred-term score with its normalization.

#include <gtest/gtest.h>

#include "plugin_fixture.hpp"
#include "podium/common/input_error.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/plugins/nodeaffinity/node_affinity.hpp"
#include "podium/state/node_selector.hpp"

namespace {

using namespace podium;
using namespace podium::testing;
namespace na = plugins::nodeaffinity;

const std::string kPodReason = "node(s) didn't match Pod's node affinity/selector";
const std::string kNotInPreFilterResult = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

// n1 {zone: a, disk: ssd}, n2 {zone: a}, n3 {zone: b, disk: ssd}.
std::vector<io::NodeObject> three_nodes() {
  return {labeled(node("n1", "4", "8Gi"), {{"zone", "a"}, {"disk", "ssd"}}),
          labeled(node("n2", "4", "8Gi"), {{"zone", "a"}}),
          labeled(node("n3", "4", "8Gi"), {{"zone", "b"}, {"disk", "ssd"}})};
}

std::vector<bool> feasible(const framework::Explanation& ex) {
  std::vector<bool> out;
  for (const auto& n : ex.nodes) out.push_back(n.status.ok());
  return out;
}

// ---- one requirement against one node ----------------------------------------------

struct RequirementCase {
  const char* name;
  io::NodeSelectorRequirement requirement;
  bool matches;
};

class OneRequirement : public ::testing::TestWithParam<RequirementCase> {};

TEST_P(OneRequirement, MatchesTheNodeAsUpstreamsLabelSelectorDoes) {
  auto n = labeled(node("n1", "4", "8Gi"),
                   {{"zone", "a"}, {"gen", "7"}, {"weird", "0x10"}, {"big", "9223372036854775807"}, {"empty", ""}});
  auto c = cluster({n}, {requiring(pod("p", "1", "1Gi"), {term({GetParam().requirement})})});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.ok(), GetParam().matches);
  if (!GetParam().matches) {
    EXPECT_EQ(ex.nodes[0].status.message(), kPodReason);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Operators, OneRequirement,
    ::testing::Values(
        RequirementCase{"InWithTheValue", req("zone", "In", {"b", "a"}), true},
        RequirementCase{"InWithoutTheValue", req("zone", "In", {"b"}), false},
        RequirementCase{"InOnAMissingLabel", req("rack", "In", {"a"}), false},
        RequirementCase{"InMatchesAnEmptyValue", req("empty", "In", {""}), true},
        RequirementCase{"NotInWithAnotherValue", req("zone", "NotIn", {"b"}), true},
        RequirementCase{"NotInWithTheValue", req("zone", "NotIn", {"a"}), false},
        RequirementCase{"NotInOnAMissingLabel", req("rack", "NotIn", {"a"}), true},
        RequirementCase{"Exists", req("zone", "Exists"), true},
        RequirementCase{"ExistsOnAMissingLabel", req("rack", "Exists"), false},
        RequirementCase{"DoesNotExistOnAMissingLabel", req("rack", "DoesNotExist"), true},
        RequirementCase{"DoesNotExistOnAPresentLabel", req("zone", "DoesNotExist"), false},
        RequirementCase{"GtBelowTheLabel", req("gen", "Gt", {"6"}), true},
        RequirementCase{"GtIsStrict", req("gen", "Gt", {"7"}), false},
        RequirementCase{"LtAboveTheLabel", req("gen", "Lt", {"8"}), true},
        RequirementCase{"GtParsesLeadingZeros", req("gen", "Gt", {"06"}), true},
        RequirementCase{"GtOnANonIntegerLabelFails", req("weird", "Gt", {"1"}), false},
        RequirementCase{"LtOnAMissingLabelFails", req("rack", "Lt", {"100"}), false},
        RequirementCase{"GtNearTheInt64Limit", req("big", "Gt", {"9223372036854775806"}), true},
        // Parse errors make the whole term match nothing (the lazy selector's errors are ignored).
        RequirementCase{"GtBeyondInt64IsAParseError", req("big", "Lt", {"9223372036854775808"}), false},
        RequirementCase{"GtWithANonIntegerIsAParseError", req("gen", "Gt", {"abc"}), false},
        RequirementCase{"GtWithANegativeBoundIsNotALabelValue", req("gen", "Gt", {"-1"}), false},
        RequirementCase{"GtWithAPlusSignIsNotALabelValue", req("gen", "Gt", {"+5"}), false},
        RequirementCase{"GtWithTwoValuesIsAParseError", req("gen", "Gt", {"1", "2"}), false},
        RequirementCase{"InWithoutValuesIsAParseError", req("zone", "In", {}), false},
        RequirementCase{"InWithAnInvalidLabelValueIsAParseError", req("zone", "In", {"a", "a b"}), false},
        RequirementCase{"ExistsWithValuesIsAParseError", req("zone", "Exists", {"a"}), false},
        RequirementCase{"AnUnknownOperatorIsAParseError", req("zone", "Equals", {"a"}), false},
        RequirementCase{"AnInvalidKeyIsAParseError", req("Bad.Prefix/rack", "DoesNotExist"), false},
        RequirementCase{"APrefixedKeyIsFine", req("example.com/rack", "DoesNotExist"), true}),
    [](const auto& test) { return std::string(test.param.name); });

// ---- terms --------------------------------------------------------------------------

TEST(NodeAffinityFilter, OrsTermsAndAndsTheirExpressions) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({req("zone", "In", {"a"}), req("disk", "Exists")}),
                                            term({req("zone", "In", {"b"})})});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(feasible(ex), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(ex.nodes[1].status.plugin(), "NodeAffinity");
  EXPECT_EQ(ex.nodes[1].status.message(), kPodReason);
  EXPECT_EQ(ex.nodes[1].status.code(), framework::Code::kUnschedulableAndUnresolvable);
}

TEST(NodeAffinityFilter, ARequiredSelectorWithoutTermsMatchesNoNode) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {})});
  const auto ex = explain_last(c);
  EXPECT_EQ(feasible(ex), (std::vector<bool>{false, false, false}));
  EXPECT_EQ(ex.decision.reason, "0/3 nodes are available: 3 " + kPodReason + ".");
}

TEST(NodeAffinityFilter, AnEmptyTermMatchesNothingButOtherTermsStillDo) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({})})});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{false, false, false}));
  c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}), term({req("zone", "In", {"b"})})})});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{false, false, true}));
}

TEST(NodeAffinityFilter, AnUnparsableTermMatchesNothingButOtherTermsStillDo) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({req("zone", "In", {"b"}), req("gen", "Gt", {"x"})}),
                                            term({req("disk", "Exists")})});
  auto c = cluster(three_nodes(), {p});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{true, false, true}));
}

TEST(NodeAffinityFilter, NeedsEveryNodeSelectorLabelAndTheRequiredTerms) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({req("zone", "In", {"a"})})});
  p.node_selector = {{"disk", "ssd"}};
  auto c = cluster(three_nodes(), {p});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{true, false, false}));
}

TEST(NodeAffinityFilter, NodeSelectorValuesMustBeEqualEvenWhenEmpty) {
  auto nodes = three_nodes();
  nodes[1].labels.emplace_back("spot", "");
  auto p = pod("p", "1", "1Gi");
  p.node_selector = {{"spot", ""}};
  auto c = cluster(nodes, {p});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{false, true, false}));
  p.node_selector = {{"zone", "c"}};
  c = cluster(three_nodes(), {p});
  EXPECT_EQ(explain_last(c).decision.reason, "0/3 nodes are available: 3 " + kPodReason + ".");
}

// ---- matchFields and PreFilter's narrowing ---------------------------------------------

TEST(NodeAffinityFilter, NarrowsToTheNodesNamedByMatchFieldsAndReportsTheRestAsUpstream) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({req("zone", "In", {"b"})}, {req("metadata.name", "In", {"n2"})})});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.message(), kNotInPreFilterResult);
  EXPECT_EQ(ex.nodes[0].status.code(), framework::Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(ex.nodes[1].status.message(), kPodReason);  // named, but zone a is not b
  EXPECT_EQ(ex.decision.reason,
            "0/3 nodes are available: 1 " + kPodReason + ", 2 " + kNotInPreFilterResult + ".");
}

// A DaemonSet pod pending for a NotReady node: upstream filters only that node, so the
// cordoned and tainted nodes it does not name are counted under NodeAffinity, not under
// the filters that run before NodeAffinity in the profile.
TEST(NodeAffinityFilter, NodesLeftOutByTheNarrowingAreNotFilteredByEarlierPlugins) {
  auto nodes = three_nodes();
  nodes[0].unschedulable = true;
  nodes[2].taints.push_back({"node.kubernetes.io/not-ready", "", "NoSchedule"});
  auto p = requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "In", {"n3"})})});
  auto c = cluster(nodes, {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.message(), kNotInPreFilterResult);
  EXPECT_EQ(ex.nodes[0].status.plugin(), "NodeAffinity");
  EXPECT_EQ(ex.nodes[2].status.plugin(), "TaintToleration");
  EXPECT_EQ(ex.decision.reason, "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 " +
                                    kNotInPreFilterResult + ".");
}

TEST(NodeAffinityFilter, UnitesTheNodesNamedByDifferentTerms) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "In", {"n1"})}),
                                            term({}, {req("metadata.name", "In", {"n3"})})});
  auto c = cluster(three_nodes(), {p});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{true, false, true}));
}

TEST(NodeAffinityFilter, DoesNotNarrowWhenATermNamesNoNode) {
  auto p = requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "In", {"n1"})}),
                                            term({req("zone", "In", {"b"})})});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(feasible(ex), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(ex.nodes[1].status.message(), kPodReason);
}

TEST(NodeAffinityPreFilter, RejectsThePodWhenATermsNameSetsAreDisjoint) {
  auto p = requiring(pod("p", "1", "1Gi"),
                     {term({}, {req("metadata.name", "In", {"n1"}), req("metadata.name", "In", {"n2"})})});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.pre_filter_status.code(), framework::Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(ex.decision.reason, "0/3 nodes are available: pod affinity terms conflict.");
}

TEST(NodeAffinityFilter, NamesOfUnknownNodesLeaveNoCandidate) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "In", {"ghost"})})})});
  EXPECT_EQ(explain_last(c).decision.reason, "0/3 nodes are available: 3 " + kNotInPreFilterResult + ".");
}

TEST(NodeAffinityFilter, MatchFieldsNotInExcludesTheNamedNode) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "NotIn", {"n1"})})})});
  const auto ex = explain_last(c);
  EXPECT_EQ(feasible(ex), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(ex.nodes[0].status.message(), kPodReason);
}

TEST(NodeAffinityFilter, MatchFieldsWithTwoValuesNarrowsYetNeverMatches) {
  // PreFilter takes every value; the field selector needs exactly one, so the term fails
  // to parse and the named nodes are rejected by Filter.
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.name", "In", {"n1", "n2"})})})});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[0].status.message(), kPodReason);
  EXPECT_EQ(ex.nodes[1].status.message(), kPodReason);
  EXPECT_EQ(ex.nodes[2].status.message(), kNotInPreFilterResult);
}

TEST(NodeAffinityFilter, MatchFieldsOnOtherKeysSeeAnEmptyValue) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.uid", "In", {"x"})})})});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{false, false, false}));
  c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({}, {req("metadata.uid", "NotIn", {"x"})})})});
  EXPECT_EQ(feasible(explain_last(c)), (std::vector<bool>{true, true, true}));
}

// ---- NodeAffinityArgs ----------------------------------------------------------------

// addedAffinity with required terms (nullopt: no required selector at all) and preferred terms.
na::NodeAffinityArgs added(std::optional<std::vector<io::NodeSelectorTerm>> required,
                           std::vector<io::PreferredSchedulingTerm> preferred = {}) {
  na::NodeAffinityArgs args;
  args.added_affinity.emplace();
  args.added_affinity->required = std::move(required);
  args.added_affinity->preferred = std::move(preferred);
  return args;
}

TEST(NodeAffinityFilter, ChecksTheSchedulerEnforcedAffinityFirst) {
  auto spec = framework::default_profile_spec();
  spec.args["NodeAffinity"] = added(std::vector{term({req("zone", "In", {"a"})})});
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({req("disk", "Exists")})})});
  const auto ex = explain_last(c, spec);
  EXPECT_EQ(feasible(ex), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(ex.nodes[1].status.message(), kPodReason);
  EXPECT_EQ(ex.nodes[2].status.message(), "node(s) didn't match scheduler-enforced node affinity");
}

TEST(NodeAffinityFilter, AppliesTheEnforcedAffinityToPodsWithoutConstraints) {
  auto spec = framework::default_profile_spec();
  spec.args["NodeAffinity"] = added(std::vector{term({req("zone", "NotIn", {"a"})})});
  auto c = cluster(three_nodes(), {pod("p", "1", "1Gi")});
  EXPECT_EQ(feasible(explain_last(c, spec)), (std::vector<bool>{false, false, true}));
}

TEST(NodeAffinityArgs, RejectInvalidAddedAffinityWithTheFieldPath) {
  try {
    na::validate(added(std::vector{term({req("gen", "Gt", {"x"})})}));
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]"
                 ".values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer");
  }
  // An empty required term and a preferred term of weight 0 are never parsed.
  EXPECT_NO_THROW(na::validate(added(std::vector{term({})}, {{0, term({req("zone", "Bogus")})}})));
  EXPECT_THROW(na::validate(added(std::nullopt, {{1, term({req("zone", "Bogus")})}})), std::invalid_argument);
}

TEST(NodeAffinityArgs, AreReadFromPluginConfig) {
  const auto config = config::parse_scheduler_config(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
        preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 4
          preference:
            matchFields: [{key: metadata.name, operator: In, values: [n1]}]
)",
                                                     "config.yaml");
  const auto& args = std::any_cast<const na::NodeAffinityArgs&>(config.profiles[0].args.at("NodeAffinity"));
  ASSERT_TRUE(args.added_affinity && args.added_affinity->required);
  EXPECT_EQ(args.added_affinity->required->at(0).match_expressions.at(0).values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(args.added_affinity->preferred.at(0).weight, 4);
  EXPECT_EQ(args.added_affinity->preferred.at(0).preference.match_fields.at(0).key, "metadata.name");

  try {
    (void)config::parse_scheduler_config(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: zone, operator: In}]
)",
                                         "config.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("values set can't be empty"), std::string::npos) << e.what();
  }
}

TEST(SchedulerConfig, MultiPointReachesEveryPointTheNewPluginsImplement) {
  const auto config = config::parse_scheduler_config(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    multiPoint:
      disabled: [{name: "*"}]
      enabled: [{name: PrioritySort}, {name: DefaultBinder}, {name: TaintToleration, weight: 5}, {name: NodePorts},
                {name: ImageLocality}, {name: NodeAffinity}]
)",
                                                     "config.yaml");
  const auto& spec = config.profiles[0];
  EXPECT_EQ(spec.filters, (std::vector<std::string>{"TaintToleration", "NodePorts", "NodeAffinity"}));
  const std::vector<std::pair<std::string, std::int64_t>> scores = {
      {"TaintToleration", 5}, {"ImageLocality", 1}, {"NodeAffinity", 1}};
  EXPECT_EQ(spec.scores, scores);
}

// ---- Score ---------------------------------------------------------------------------

io::PreferredSchedulingTerm preference(std::int32_t weight, io::NodeSelectorTerm t) { return {weight, std::move(t)}; }

TEST(NodeAffinityScore, SumsMatchingWeightsAndScalesToTheBestNode) {
  // Raw n1 = 3 + 5 = 8, n2 = 3 (no disk label), n3 = 5 (zone b).
  // Normalized against 8: 100, 100*3/8 = 37, 100*5/8 = 62.
  auto p = preferring(pod("p", "1", "1Gi"),
                      {preference(3, term({req("zone", "In", {"a"})})), preference(5, term({req("disk", "Exists")}))});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 0, "NodeAffinity"), 100);
  EXPECT_EQ(score_of(ex, 1, "NodeAffinity"), 37);
  EXPECT_EQ(score_of(ex, 2, "NodeAffinity"), 62);
}

TEST(NodeAffinityScore, LeavesAllZeroScoresAtZero) {
  auto c = cluster(three_nodes(), {preferring(pod("p", "1", "1Gi"), {preference(5, term({req("zone", "In", {"c"})}))})});
  const auto ex = explain_last(c);
  ASSERT_TRUE(scored_by(ex, "NodeAffinity"));
  for (std::size_t n = 0; n < 3; ++n) EXPECT_EQ(score_of(ex, n, "NodeAffinity"), 0);
}

TEST(NodeAffinityScore, IgnoresTermsOfWeightZero) {
  auto p = preferring(pod("p", "1", "1Gi"),
                      {preference(0, term({req("zone", "In", {"a"})})), preference(2, term({req("zone", "In", {"b"})}))});
  auto c = cluster(three_nodes(), {p});
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 0, "NodeAffinity"), 0);
  EXPECT_EQ(score_of(ex, 2, "NodeAffinity"), 100);
}

TEST(NodeAffinityScore, IsSkippedForPodsWithoutPreferredTerms) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({req("zone", "Exists")})})});
  EXPECT_FALSE(scored_by(explain_last(c), "NodeAffinity"));
}

TEST(NodeAffinityScore, AddsTheArgsPreferredTermsForEveryPod) {
  auto spec = framework::default_profile_spec();
  spec.args["NodeAffinity"] = added(std::nullopt, {preference(4, term({req("zone", "In", {"b"})}))});
  auto c = cluster(three_nodes(), {preferring(pod("p", "1", "1Gi"), {preference(2, term({req("zone", "In", {"a"})}))})});
  const auto ex = explain_last(c, spec);
  // Raw n1 = 2, n2 = 2, n3 = 4: 50, 50, 100.
  EXPECT_EQ(score_of(ex, 0, "NodeAffinity"), 50);
  EXPECT_EQ(score_of(ex, 2, "NodeAffinity"), 100);
  c = cluster(three_nodes(), {pod("p", "1", "1Gi")});
  EXPECT_EQ(score_of(explain_last(c, spec), 2, "NodeAffinity"), 100);
  EXPECT_EQ(score_of(explain_last(c, spec), 0, "NodeAffinity"), 0);
}

TEST(NodeAffinityScore, NormalizesOnlyWhenSomePodOrTheArgsPreferNodes) {
  auto c = cluster(three_nodes(), {requiring(pod("p", "1", "1Gi"), {term({req("zone", "Exists")})})});
  EXPECT_FALSE(na::NodeAffinity({}, c).has_normalize());
  auto profile = framework::build_profile(framework::default_profile_spec(), c);
  EXPECT_TRUE(framework::Framework(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1)).node_results_cacheable());
  c = cluster(three_nodes(), {preferring(pod("p", "1", "1Gi"), {preference(1, term({req("zone", "Exists")}))})});
  EXPECT_TRUE(na::NodeAffinity({}, c).has_normalize());
}

TEST(NodeAffinityScore, WeighsTwoInTheDefaultProfile) {
  // Request-less pod: TaintToleration 100 x 3 + Fit 97 + NodeAffinity 100 x 2 on n3.
  auto c = cluster(three_nodes(), {preferring(pod("p", "", ""), {preference(1, term({req("zone", "In", {"b"})}))})});
  const auto ex = explain_last(c);
  EXPECT_EQ(ex.nodes[2].total, 300 + 97 + 200);
  EXPECT_EQ(ex.nodes[0].total, 300 + 97);
  EXPECT_EQ(ex.decision.node, 2U);
}

TEST(NodeAffinitySign, SharesOneCompiledRecordBetweenPodsWithEqualConstraints) {
  auto a = requiring(pod("a", "1", "1Gi"), {term({req("zone", "In", {"a"})})});
  auto b = requiring(pod("b", "1", "1Gi"), {term({req("zone", "In", {"a"})})});
  auto other = requiring(pod("c", "1", "1Gi"), {term({req("zone", "In", {"b"})})});
  auto c = cluster(three_nodes(), {a, b, other});
  EXPECT_EQ(c.pods[0].node_affinity, c.pods[1].node_affinity);
  EXPECT_NE(c.pods[0].node_affinity, c.pods[2].node_affinity);
  EXPECT_EQ(c.pods[0].node_affinity->signature, c.pods[1].node_affinity->signature);
  EXPECT_NE(c.pods[0].node_affinity->signature, c.pods[2].node_affinity->signature);
}

// ---- the parsing helpers -------------------------------------------------------------

TEST(GoParseInt, AcceptsWhatStrconvParseIntAccepts) {
  EXPECT_EQ(state::parse_go_int64("0"), 0);
  EXPECT_EQ(state::parse_go_int64("+7"), 7);
  EXPECT_EQ(state::parse_go_int64("-7"), -7);
  EXPECT_EQ(state::parse_go_int64("007"), 7);
  EXPECT_EQ(state::parse_go_int64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(state::parse_go_int64("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "+", "-", "9223372036854775808", "-9223372036854775809", "1_000", " 1", "1 ", "1.0", "0x10"})
    EXPECT_EQ(state::parse_go_int64(bad), std::nullopt) << bad;
}

TEST(LabelValidation, FollowsApimachinerysRules) {
  for (const char* ok : {"zone", "topology.kubernetes.io/zone", "z_o.n-e", "a", "A9"})
    EXPECT_TRUE(state::is_valid_label_key(ok)) << ok;
  for (const char* bad : {"", "a/b/c", "/zone", "Example.com/zone", "zone-", "-zone", "a..b/zone", "zone/"})
    EXPECT_FALSE(state::is_valid_label_key(bad)) << bad;
  EXPECT_TRUE(state::is_valid_label_key(std::string(63, 'a')));
  EXPECT_FALSE(state::is_valid_label_key(std::string(64, 'a')));
  for (const char* ok : {"", "a", "5", "a_b.c-d"}) EXPECT_TRUE(state::is_valid_label_value(ok)) << ok;
  for (const char* bad : {"-5", "+5", "a b", "_a", "a."}) EXPECT_FALSE(state::is_valid_label_value(bad)) << bad;
  EXPECT_FALSE(state::is_valid_label_value(std::string(64, 'a')));
}

}  // namespace
