// KubeSchedulerConfiguration -> ProfileSpecs: defaults, plugin-set merging, MultiPoint
// expansion, score weights, plugin args and percentageOfNodesToScore, each checked
// against what upstream v1.35 (default_plugins.go, framework.go) would run.

#include "podium/config/scheduler_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "podium/common/input_error.hpp"
#include "podium/framework/profile.hpp"
#include "podium/plugins/interpodaffinity/args.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"
#include "podium/plugins/noderesources/args.hpp"

namespace {

using podium::config::load_scheduler_config;
using podium::config::parse_scheduler_config;
using podium::framework::ProfileSpec;
namespace nr = podium::plugins::noderesources;
namespace na = podium::plugins::nodeaffinity;

using Scores = std::vector<std::pair<std::string, std::int64_t>>;
using Names = std::vector<std::string>;

const std::string kDataDir = PODIUM_SOURCE_DIR "/tests/data/config/";
const std::string kHeader = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

// The one profile of `body` (appended to the header).
ProfileSpec profile_of(const std::string& body) {
  const auto config = parse_scheduler_config(kHeader + body, "sched.yaml");
  EXPECT_EQ(config.profiles.size(), 1U);
  return config.profiles.at(0);
}

const Names kDefaultFilters = {"NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                               "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"};
const Scores kDefaultScores = {{"TaintToleration", 3},
                               {"NodeAffinity", 2},
                               {"NodeResourcesFit", 1},
                               {"PodTopologySpread", 2},
                               {"InterPodAffinity", 2},
                               {"NodeResourcesBalancedAllocation", 1},
                               {"ImageLocality", 1}};

// ---- Defaults --------------------------------------------------------------------------

TEST(SchedulerConfigDefaults, AFileWithOnlyApiVersionAndKindIsUpstreamsDefaultProfile) {
  const auto config = load_scheduler_config(kDataDir + "minimal.yaml");
  ASSERT_EQ(config.profiles.size(), 1U);
  const auto& spec = config.profiles[0];
  EXPECT_EQ(spec.scheduler_name, "default-scheduler");
  EXPECT_EQ(spec.filters, kDefaultFilters);
  EXPECT_EQ(spec.scores, kDefaultScores);
  EXPECT_TRUE(spec.args.empty());
  EXPECT_FALSE(spec.percentage_of_nodes_to_score.has_value());
}

TEST(SchedulerConfigDefaults, DefaultSchedulerConfigEqualsLoadingTheMinimalFile) {
  const auto loaded = load_scheduler_config(kDataDir + "minimal.yaml");
  const auto defaults = podium::config::default_scheduler_config();
  ASSERT_EQ(defaults.profiles.size(), loaded.profiles.size());
  EXPECT_EQ(defaults.profiles[0].scheduler_name, loaded.profiles[0].scheduler_name);
  EXPECT_EQ(defaults.profiles[0].filters, loaded.profiles[0].filters);
  EXPECT_EQ(defaults.profiles[0].scores, loaded.profiles[0].scores);
  EXPECT_EQ(defaults.profiles[0].args.size(), loaded.profiles[0].args.size());
  EXPECT_EQ(defaults.profiles[0].percentage_of_nodes_to_score, loaded.profiles[0].percentage_of_nodes_to_score);
}

TEST(SchedulerConfigDefaults, TheDefaultProfileAgreesWithTheFrameworksDefaultProfileSpec) {
  const auto defaults = podium::config::default_scheduler_config();
  const auto framework_spec = podium::framework::default_profile_spec();
  EXPECT_EQ(defaults.profiles.at(0).filters, framework_spec.filters);
  EXPECT_EQ(defaults.profiles.at(0).scores, framework_spec.scores);
}

TEST(SchedulerConfigDefaults, AnEmptyOrNullProfilesListIsOneDefaultProfile) {
  for (const char* body : {"profiles: []\n", "profiles:\n", "profiles: [{}]\n"}) {
    const auto spec = profile_of(body);
    EXPECT_EQ(spec.scheduler_name, "default-scheduler") << body;
    EXPECT_EQ(spec.filters, kDefaultFilters) << body;
    EXPECT_EQ(spec.scores, kDefaultScores) << body;
  }
}

// ---- Plugin sets -----------------------------------------------------------------------

TEST(SchedulerConfigPlugins, DisablingAScorePluginRemovesItFromScoringOnly) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    score:
      disabled: [{name: NodeResourcesBalancedAllocation}]
)");
  EXPECT_EQ(spec.filters, kDefaultFilters);
  EXPECT_EQ(spec.scores, (Scores{{"TaintToleration", 3}, {"NodeAffinity", 2}, {"NodeResourcesFit", 1},
                                 {"PodTopologySpread", 2}, {"InterPodAffinity", 2}, {"ImageLocality", 1}}));
}

TEST(SchedulerConfigPlugins, DisablingAPluginInMultiPointRemovesItFromEveryPoint) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    multiPoint:
      disabled: [{name: TaintToleration}]
)");
  EXPECT_EQ(spec.filters, (Names{"NodeUnschedulable", "NodeName", "NodeAffinity", "NodePorts", "NodeResourcesFit",
                                 "PodTopologySpread", "InterPodAffinity"}));
  EXPECT_EQ(spec.scores, (Scores{{"NodeAffinity", 2}, {"NodeResourcesFit", 1}, {"PodTopologySpread", 2},
                                 {"InterPodAffinity", 2}, {"NodeResourcesBalancedAllocation", 1}, {"ImageLocality", 1}}));
}

TEST(SchedulerConfigPlugins, DisablingStarAtScoreKeepsOnlyThePluginsEnabledThere) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    score:
      disabled: [{name: "*"}]
      enabled: [{name: NodeResourcesFit, weight: 5}]
)");
  EXPECT_EQ(spec.filters, kDefaultFilters);
  EXPECT_EQ(spec.scores, (Scores{{"NodeResourcesFit", 5}}));
}

TEST(SchedulerConfigPlugins, DefaultPreemptionFollowsPostFilter) {
  EXPECT_TRUE(profile_of("profiles:\n- schedulerName: a\n").default_preemption);
  EXPECT_FALSE(profile_of(R"(profiles:
- plugins:
    postFilter:
      disabled: [{name: DefaultPreemption}]
)").default_preemption);
  // multiPoint without it (the listed plugins only) has no PostFilter either.
  EXPECT_FALSE(load_scheduler_config(kDataDir + "multi_point.yaml").profiles.at(0).default_preemption);
}

TEST(SchedulerConfigPlugins, DisablingStarInMultiPointLeavesOnlyTheListedPluginsInTheirOrder) {
  const auto config = load_scheduler_config(kDataDir + "multi_point.yaml");
  const auto& spec = config.profiles.at(0);
  EXPECT_EQ(spec.filters, (Names{"NodeResourcesFit", "NodeUnschedulable", "TaintToleration"}));
  EXPECT_EQ(spec.scores, (Scores{{"NodeResourcesFit", 2}, {"TaintToleration", 4}}));
}

TEST(SchedulerConfigPlugins, AMultiPointWeightReplacesTheDefaultWeightInPlace) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    multiPoint:
      enabled: [{name: NodeResourcesBalancedAllocation, weight: 7}]
)");
  EXPECT_EQ(spec.scores, (Scores{{"TaintToleration", 3}, {"NodeAffinity", 2}, {"NodeResourcesFit", 1},
                                 {"PodTopologySpread", 2}, {"InterPodAffinity", 2},
                                 {"NodeResourcesBalancedAllocation", 7}, {"ImageLocality", 1}}));
}

TEST(SchedulerConfigPlugins, ReEnablingADefaultWithoutAWeightResetsItsWeightToOne) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    multiPoint:
      enabled: [{name: TaintToleration}, {name: NodeAffinity, weight: 0}]
)");
  EXPECT_EQ(spec.scores, (Scores{{"TaintToleration", 1}, {"NodeAffinity", 1}, {"NodeResourcesFit", 1},
                                 {"PodTopologySpread", 2}, {"InterPodAffinity", 2},
                                 {"NodeResourcesBalancedAllocation", 1}, {"ImageLocality", 1}}));
}

TEST(SchedulerConfigPlugins, APluginEnabledAtScoreOverridesMultiPointAndRunsFirst) {
  // expandMultiPointPlugins: a plugin enabled at the point itself is an override and runs
  // before the MultiPoint plugins; its weight comes from score.enabled.
  const auto spec = profile_of(R"(profiles:
- plugins:
    score:
      enabled: [{name: ImageLocality, weight: 4}, {name: TaintToleration}]
)");
  EXPECT_EQ(spec.scores, (Scores{{"ImageLocality", 4}, {"TaintToleration", 1}, {"NodeAffinity", 2},
                                 {"NodeResourcesFit", 1}, {"PodTopologySpread", 2}, {"InterPodAffinity", 2},
                                 {"NodeResourcesBalancedAllocation", 1}}));
}

TEST(SchedulerConfigPlugins, DisablingAndReEnablingInMultiPointMovesAPluginToTheEnd) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    multiPoint:
      disabled: [{name: NodeResourcesFit}]
      enabled: [{name: NodeResourcesFit, weight: 3}]
)");
  EXPECT_EQ(spec.filters, (Names{"NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                                 "PodTopologySpread", "InterPodAffinity", "NodeResourcesFit"}));
  EXPECT_EQ(spec.scores, (Scores{{"TaintToleration", 3}, {"NodeAffinity", 2}, {"PodTopologySpread", 2},
                                 {"InterPodAffinity", 2}, {"NodeResourcesBalancedAllocation", 1}, {"ImageLocality", 1},
                                 {"NodeResourcesFit", 3}}));
}

TEST(SchedulerConfigPlugins, AFilterSectionThatDisablesStarRunsOnlyItsOwnList) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    preFilter:
      disabled: [{name: NodeAffinity}]
    filter:
      disabled: [{name: "*"}]
      enabled: [{name: NodeName}, {name: TaintToleration}]
)");
  EXPECT_EQ(spec.filters, (Names{"NodeName", "TaintToleration"}));
  EXPECT_EQ(spec.scores, kDefaultScores);
}

TEST(SchedulerConfigPlugins, DisablingAFilterAlsoDisabledAtPreFilterIsAccepted) {
  const auto spec = profile_of(R"(profiles:
- plugins:
    preFilter:
      disabled: [{name: NodeResourcesFit}]
    filter:
      disabled: [{name: NodeResourcesFit}]
)");
  EXPECT_EQ(spec.filters, (Names{"NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
                                 "PodTopologySpread", "InterPodAffinity"}));
}

TEST(SchedulerConfigPlugins, SplitsUpstreamRecomputesAroundAreAccepted) {
  // NodeAffinity's Filter and Score, and NodeResourcesFit's and BalancedAllocation's
  // Score, recompute what their pre-point would have stored: same placements.
  const auto spec = profile_of(R"(profiles:
- plugins:
    preFilter:
      disabled: [{name: NodeAffinity}]
    preScore:
      disabled: [{name: NodeAffinity}, {name: NodeResourcesFit}, {name: NodeResourcesBalancedAllocation}]
)");
  EXPECT_EQ(spec.filters, kDefaultFilters);
  EXPECT_EQ(spec.scores, kDefaultScores);
}

TEST(SchedulerConfigPlugins, InertUpstreamPluginsAreAcceptedAndLeftOut) {
  // Volume, claim, gate, queue-sort, preemption and bind plugins do nothing for the pods
  // Podium models, so enabling them changes no placement.
  const auto spec = profile_of(R"(profiles:
- plugins:
    score:
      enabled: [{name: VolumeBinding, weight: 5}]
    bind:
      enabled: [{name: DefaultBinder}]
    multiPoint:
      disabled: [{name: EBSLimits}]
)");
  EXPECT_EQ(spec.filters, kDefaultFilters);
  EXPECT_EQ(spec.scores, kDefaultScores);
}

// ---- Plugin args -----------------------------------------------------------------------

TEST(SchedulerConfigArgs, MostAllocatedArgsAreReadWithDefaultedResourceWeights) {
  const auto config = load_scheduler_config(kDataDir + "two_profiles.yaml");
  const auto& args = std::any_cast<const nr::FitArgs&>(config.profiles.at(1).args.at("NodeResourcesFit"));
  EXPECT_EQ(args.strategy, nr::ScoringStrategyType::kMostAllocated);
  ASSERT_EQ(args.resources.size(), 3U);
  EXPECT_EQ(args.resources[0].name, "cpu");
  EXPECT_EQ(args.resources[0].weight, 2);
  EXPECT_EQ(args.resources[1].name, "memory");
  EXPECT_EQ(args.resources[1].weight, 1);  // no weight: 1
  EXPECT_EQ(args.resources[2].name, "nvidia.com/gpu");
  EXPECT_EQ(args.resources[2].weight, 5);
  EXPECT_TRUE(args.shape.empty());
}

TEST(SchedulerConfigArgs, RequestedToCapacityRatioArgsAreReadFromJson) {
  const auto config = load_scheduler_config(kDataDir + "requested_to_capacity_ratio.json");
  const auto& spec = config.profiles.at(0);
  const auto& fit = std::any_cast<const nr::FitArgs&>(spec.args.at("NodeResourcesFit"));
  EXPECT_EQ(fit.strategy, nr::ScoringStrategyType::kRequestedToCapacityRatio);
  EXPECT_EQ(fit.ignored_resources, Names{"example.com/dongle"});
  EXPECT_EQ(fit.ignored_resource_groups, Names{"vendor.io"});
  ASSERT_EQ(fit.resources.size(), 2U);
  EXPECT_EQ(fit.resources[0].weight, 3);
  ASSERT_EQ(fit.shape.size(), 2U);
  EXPECT_EQ(fit.shape[0].utilization, 0);
  EXPECT_EQ(fit.shape[1].utilization, 100);
  EXPECT_EQ(fit.shape[1].score, 10);
  const auto& balanced = std::any_cast<const nr::BalancedAllocationArgs&>(spec.args.at("NodeResourcesBalancedAllocation"));
  ASSERT_EQ(balanced.resources.size(), 2U);
  EXPECT_EQ(balanced.resources[0].weight, 1);
}

TEST(SchedulerConfigArgs, EmptyScoringResourcesMeanCpuAndMemory) {
  const auto spec = profile_of(R"(profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: LeastAllocated, resources: []}}
)");
  const auto& args = std::any_cast<const nr::FitArgs&>(spec.args.at("NodeResourcesFit"));
  ASSERT_EQ(args.resources.size(), 2U);
  EXPECT_EQ(args.resources[0].name, "cpu");
  EXPECT_EQ(args.resources[1].name, "memory");
}

TEST(SchedulerConfigArgs, NodeAffinityArgsAreKept) {
  const auto spec = profile_of(R"(profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      kind: NodeAffinityArgs
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: zone, operator: In, values: [a]}]
)");
  const auto& args = std::any_cast<const na::NodeAffinityArgs&>(spec.args.at("NodeAffinity"));
  ASSERT_TRUE(args.added_affinity && args.added_affinity->required);
  EXPECT_EQ(args.added_affinity->required->at(0).match_expressions.at(0).key, "zone");
}

TEST(SchedulerConfigArgs, InterPodAffinityArgsAreKeptWithUpstreamDefaults) {
  namespace ipa = podium::plugins::interpodaffinity;
  const auto given = profile_of(R"(profiles:
- pluginConfig:
  - name: InterPodAffinity
    args: {kind: InterPodAffinityArgs, hardPodAffinityWeight: 0, ignorePreferredTermsOfExistingPods: true}
)");
  const auto& args = std::any_cast<const ipa::InterPodAffinityArgs&>(given.args.at("InterPodAffinity"));
  EXPECT_EQ(args.hard_pod_affinity_weight, 0);  // an explicit 0 is kept (the v1 field is a pointer)
  EXPECT_TRUE(args.ignore_preferred_terms_of_existing_pods);
  const auto defaulted = profile_of("profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args: {}\n");
  const auto& d = std::any_cast<const ipa::InterPodAffinityArgs&>(defaulted.args.at("InterPodAffinity"));
  EXPECT_EQ(d.hard_pod_affinity_weight, 1);
  EXPECT_FALSE(d.ignore_preferred_terms_of_existing_pods);
}

TEST(SchedulerConfigArgs, DefaultPreemptionArgsAreReadWithUpstreamDefaults) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- pluginConfig:
  - name: DefaultPreemption
    args: {kind: DefaultPreemptionArgs, minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 7}
)",
                                             "sched.yaml");
  EXPECT_EQ(config.default_preemption.min_candidate_nodes_percentage, 0);  // an explicit 0 is kept
  EXPECT_EQ(config.default_preemption.min_candidate_nodes_absolute, 7);
  // Each field defaults on its own (SetDefaults_DefaultPreemptionArgs: 10 and 100).
  const auto half = parse_scheduler_config(
      kHeader + "profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n    args: {minCandidateNodesAbsolute: 3}\n",
      "sched.yaml");
  EXPECT_EQ(half.default_preemption, (podium::config::DefaultPreemptionArgs{10, 3}));
  EXPECT_EQ(parse_scheduler_config(kHeader, "sched.yaml").default_preemption, (podium::config::DefaultPreemptionArgs{10, 100}));
}

TEST(SchedulerConfigArgs, ProfilesWithDifferentDefaultPreemptionArgsAreRefused) {
  const std::string two = kHeader + R"(profiles:
- schedulerName: a
- schedulerName: b
  pluginConfig:
  - name: DefaultPreemption
    args: {minCandidateNodesAbsolute: 5}
)";
  try {
    (void)parse_scheduler_config(two, "sched.yaml");
    FAIL() << "profiles with different DefaultPreemptionArgs were accepted";
  } catch (const podium::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("profiles[1].pluginConfig"), std::string::npos) << e.what();
  }
  // The same args on both profiles (here: the defaults spelled out) are accepted.
  const auto same = parse_scheduler_config(kHeader + R"(profiles:
- schedulerName: a
- schedulerName: b
  pluginConfig:
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100}
)",
                                           "sched.yaml");
  EXPECT_EQ(same.profiles.size(), 2U);
}

TEST(SchedulerConfigArgs, ArgsOfPluginsPodiumDoesNotRunAreCheckedAndDropped) {
  const auto spec = profile_of(R"(profiles:
- pluginConfig:
  - name: VolumeBinding
    args: {bindTimeoutSeconds: 30}
  - name: TaintToleration
)");
  EXPECT_TRUE(spec.args.empty());
  EXPECT_EQ(spec.filters, kDefaultFilters);
}

// ---- percentageOfNodesToScore and profiles ---------------------------------------------

TEST(SchedulerConfigProfiles, ATopLevelPercentageAppliesToProfilesThatSetNone) {
  const auto config = parse_scheduler_config(kHeader + R"(percentageOfNodesToScore: 40
profiles:
- schedulerName: a
- schedulerName: b
  percentageOfNodesToScore: 0
- schedulerName: c
  percentageOfNodesToScore: 70
)",
                                             "sched.yaml");
  ASSERT_EQ(config.profiles.size(), 3U);
  EXPECT_EQ(config.profiles[0].percentage_of_nodes_to_score, 40);
  EXPECT_EQ(config.profiles[1].percentage_of_nodes_to_score, 0);  // 0 is upstream's adaptive default, kept
  EXPECT_EQ(config.profiles[2].percentage_of_nodes_to_score, 70);
}

TEST(SchedulerConfigProfiles, WithoutAPercentageEveryNodeIsScored) {
  EXPECT_FALSE(profile_of("profiles: [{schedulerName: x}]\n").percentage_of_nodes_to_score.has_value());
}

TEST(SchedulerConfigProfiles, TwoProfilesKeepTheirOwnNamesPluginsAndArgs) {
  const auto config = load_scheduler_config(kDataDir + "two_profiles.yaml");
  ASSERT_EQ(config.profiles.size(), 2U);
  const auto& first = config.profiles[0];
  const auto& second = config.profiles[1];
  EXPECT_EQ(first.scheduler_name, "default-scheduler");
  EXPECT_EQ(first.scores, kDefaultScores);
  EXPECT_TRUE(first.args.empty());
  EXPECT_EQ(first.percentage_of_nodes_to_score, 100);
  EXPECT_EQ(second.scheduler_name, "bin-packer");
  EXPECT_EQ(second.filters, kDefaultFilters);
  EXPECT_EQ(second.scores, (Scores{{"NodeResourcesFit", 10}, {"TaintToleration", 3}, {"NodeAffinity", 2},
                                    {"PodTopologySpread", 2}, {"InterPodAffinity", 2}}));
  EXPECT_EQ(second.percentage_of_nodes_to_score, 50);
}

TEST(SchedulerConfigProfiles, ALoneProfileWithoutANameIsTheDefaultScheduler) {
  EXPECT_EQ(profile_of("profiles: [{percentageOfNodesToScore: 10}]\n").scheduler_name, "default-scheduler");
}

TEST(SchedulerConfigProfiles, YamlBooleanWordsAndQuotedStringsAreReadAsUpstreamReadsThem) {
  const auto spec = profile_of(R"(enableProfiling: no
delayCacheUntilActive: on
profiles:
- schedulerName: "123"
)");
  EXPECT_EQ(spec.scheduler_name, "123");
}

}  // namespace
