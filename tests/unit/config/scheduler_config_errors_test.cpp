// Every way a KubeSchedulerConfiguration can be refused: each error is an InputError that
// names the file, the JSON path inside it (or the line, for malformed YAML) and what is
// wrong there.

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/config/scheduler_config.hpp"

namespace {

using podium::InputError;
using podium::config::load_scheduler_config;
using podium::config::parse_scheduler_config;

const std::string kDataDir = PODIUM_SOURCE_DIR "/tests/data/config/";
const std::string kHeader = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

struct BadConfig {
  const char* name;      // the test's name: what is wrong
  std::string text;      // the whole document
  const char* location;  // InputError::location(), exactly
  const char* message;   // a substring of InputError::message()
};

class SchedulerConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(SchedulerConfigErrors, NameTheFileThePathAndTheProblem) {
  const BadConfig& bad = GetParam();
  try {
    (void)parse_scheduler_config(bad.text, "sched.yaml");
    FAIL() << "parsed without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "sched.yaml");
    EXPECT_EQ(e.location(), bad.location) << e.what();
    EXPECT_NE(e.message().find(bad.message), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sched.yaml: "), std::string::npos) << e.what();
  }
}

// Ten levels of aliases, each ten of the level below: 10^10 nodes when expanded ("billion
// laughs"), a few hundred bytes as text.
std::string alias_bomb() {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string below = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + below;
    for (int k = 1; k < 10; ++k) text += ", " + below;
    text += "]\n";
  }
  return text;
}

// A single profile with this `plugins` section.
std::string plugins(const std::string& section) { return kHeader + "profiles:\n- plugins:\n" + section; }
// A single profile with one pluginConfig entry for `plugin` with these args.
std::string args(const std::string& plugin, const std::string& body) {
  return kHeader + "profiles:\n- pluginConfig:\n  - name: " + plugin + "\n    args:\n" + body;
}

INSTANTIATE_TEST_SUITE_P(
    Document, SchedulerConfigErrors,
    ::testing::Values(
        BadConfig{"AnOlderApiVersion",
                  "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\nfoo: 1\n",
                  "apiVersion", "must be kubescheduler.config.k8s.io/v1, got kubescheduler.config.k8s.io/v1beta3"},
        BadConfig{"AMissingApiVersion", "kind: KubeSchedulerConfiguration\n", "apiVersion", "(missing)"},
        BadConfig{"AnotherKind", "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeletConfiguration\n", "kind",
                  "must be KubeSchedulerConfiguration"},
        BadConfig{"ATopLevelTypo", kHeader + "percentageOfNodeToScore: 50\n", "percentageOfNodeToScore",
                  "unknown field; did you mean \"percentageOfNodesToScore\"?"},
        BadConfig{"FeatureGatesInTheFile", kHeader + "featureGates: {Foo: true}\n", "featureGates",
                  "command-line flags"},
        BadConfig{"ARepeatedField", kHeader + "parallelism: 4\nparallelism: 8\n", "parallelism", "duplicate field"},
        BadConfig{"MalformedYamlWithItsLine", kHeader + "profiles:\n- schedulerName: a\n  plugins: {score: [\n",
                  "line 6", "malformed YAML"},
        BadConfig{"TwoDocuments", kHeader + "---\n" + kHeader, "", "found 2"},
        BadConfig{"InvalidUtf8InAStringWithItsLine", kHeader + "profiles:\n- schedulerName: \"a\xff\"\n", "line 4",
                  "invalid UTF-8 (byte offset 105)"},
        BadConfig{"ATruncatedUtf8SequenceWithItsLine", kHeader + "profiles:\n- schedulerName: a\xc3\n", "line 4",
                  "invalid UTF-8"},
        BadConfig{"AStrayCommaAfterTheDocumentWithItsLine", kHeader + "...\n,\n", "line 4", "malformed YAML"},
        BadConfig{"AliasesThatExpandPastTheLimit", kHeader + alias_bomb(), "",
                  "YAML aliases expand to more than"},
        BadConfig{"AnEmptyFile", "", "", "empty file"},
        BadConfig{"AListInsteadOfAnObject", "- a\n- b\n", "", "expected a KubeSchedulerConfiguration object"},
        BadConfig{"ProfilesThatAreNotAList", kHeader + "profiles: default\n", "profiles", "expected a list"},
        BadConfig{"ANonPositiveParallelism", kHeader + "parallelism: 0\n", "parallelism", "greater than zero"},
        BadConfig{"AMaxBackoffBelowTheInitialOne", kHeader + "podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n",
                  "podMaxBackoffSeconds", "greater than or equal"},
        BadConfig{"AQuotedBoolean", kHeader + "delayCacheUntilActive: \"true\"\n", "delayCacheUntilActive",
                  "expected a boolean, got the string \"true\""},
        BadConfig{"AnUnknownLeaderElectionField", kHeader + "leaderElection: {leaderElekt: true}\n",
                  "leaderElection.leaderElekt", "did you mean \"leaderElect\""},
        BadConfig{"Extenders", kHeader + "extenders:\n- urlPrefix: http://x\n", "extenders", "not supported"},
        BadConfig{"APercentageAbove100", kHeader + "percentageOfNodesToScore: 150\n", "percentageOfNodesToScore",
                  "not in valid range [0-100]"},
        BadConfig{"AProfilePercentageBelow0", kHeader + "profiles:\n- percentageOfNodesToScore: -1\n",
                  "profiles[0].percentageOfNodesToScore", "not in valid range [0-100]"},
        BadConfig{"ANonIntegerPercentage", kHeader + "percentageOfNodesToScore: 12.5\n", "percentageOfNodesToScore",
                  "expected an integer, got the number 12.5"}),
    [](const auto& test) { return std::string(test.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Profiles, SchedulerConfigErrors,
    ::testing::Values(
        BadConfig{"ADuplicateProfileName", kHeader + "profiles:\n- schedulerName: a\n- schedulerName: a\n",
                  "profiles[1].schedulerName", "Duplicate value: \"a\""},
        BadConfig{"AnUnnamedProfileAmongSeveral", kHeader + "profiles:\n- schedulerName: a\n- plugins: {}\n",
                  "profiles[1].schedulerName", "Required value"},
        BadConfig{"AnEmptyProfileName", kHeader + "profiles:\n- schedulerName: \"\"\n", "profiles[0].schedulerName",
                  "Required value"},
        BadConfig{"ANumberAsAProfileName", kHeader + "profiles:\n- schedulerName: 12\n", "profiles[0].schedulerName",
                  "expected a string, got the number 12"},
        BadConfig{"AnUnknownProfileField", kHeader + "profiles:\n- schedulerNmae: a\n", "profiles[0].schedulerNmae",
                  "did you mean \"schedulerName\""},
        BadConfig{"QueueSortsThatDifferAcrossProfiles",
                  kHeader + "profiles:\n- schedulerName: a\n- schedulerName: b\n  plugins:\n    queueSort:\n"
                            "      enabled: [{name: PrioritySort}]\n",
                  "profiles[1].plugins.queueSort", "must be the same for all profiles"},
        // NewFramework (framework/runtime): exactly one QueueSort plugin, at least one Bind.
        BadConfig{"AProfileWithoutAQueueSortPlugin",
                  kHeader + "profiles:\n- schedulerName: a\n  plugins:\n    queueSort:\n      disabled: [{name: \"*\"}]\n",
                  "profiles[0].plugins.queueSort",
                  "only one queue sort plugin required for profile with scheduler name \"a\", but got 0"},
        BadConfig{"AProfileWithoutABindPlugin",
                  kHeader + "profiles:\n- schedulerName: a\n  plugins:\n    multiPoint:\n      disabled: [{name: "
                            "DefaultBinder}]\n",
                  "profiles[0].plugins.bind",
                  "at least one bind plugin is needed for profile with scheduler name \"a\""}),
    [](const auto& test) { return std::string(test.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Plugins, SchedulerConfigErrors,
    ::testing::Values(
        BadConfig{"AnUnknownFieldInAPluginEntry",
                  plugins("    score:\n      enabled:\n      - name: ImageLocality\n      - nmae: NodeResourcesFit\n"),
                  "profiles[0].plugins.score.enabled[1].nmae", "unknown field; did you mean \"name\"?"},
        BadConfig{"AnUnknownExtensionPoint", plugins("    scoring: {}\n"), "profiles[0].plugins.scoring",
                  "unknown field"},
        BadConfig{"AnEntryWithoutAName", plugins("    score:\n      enabled: [{weight: 2}]\n"),
                  "profiles[0].plugins.score.enabled[0].name", "Required value"},
        BadConfig{"AnUnknownEnabledPlugin", plugins("    filter:\n      enabled: [{name: NodeResourceFit}]\n"),
                  "profiles[0].plugins.filter.enabled[0].name",
                  "unknown plugin \"NodeResourceFit\"; did you mean \"NodeResourcesFit\"?"},
        BadConfig{"AnUnknownDisabledPlugin", plugins("    multiPoint:\n      disabled: [{name: Magic}]\n"),
                  "profiles[0].plugins.multiPoint.disabled[0].name", "unknown plugin \"Magic\""},
        BadConfig{"AnAlphaPluginPodiumDoesNotModel", plugins("    permit:\n      enabled: [{name: GangScheduling}]\n"),
                  "profiles[0].plugins.permit.enabled[0].name", "plugin GangScheduling is not implemented by Podium"},
        BadConfig{"APluginRemovedFromV1", plugins("    filter:\n      enabled: [{name: EBSLimits}]\n"),
                  "profiles[0].plugins.filter.enabled[0].name", "was removed from kubescheduler.config.k8s.io/v1"},
        BadConfig{"APluginAtAPointItDoesNotImplement", plugins("    filter:\n      enabled: [{name: ImageLocality}]\n"),
                  "profiles[0].plugins.filter.enabled[0].name",
                  "ImageLocality does not implement the filter extension point"},
        BadConfig{"APluginEnabledTwiceAtAPoint",
                  plugins("    score:\n      enabled: [{name: ImageLocality}, {name: ImageLocality, weight: 2}]\n"),
                  "profiles[0].plugins.score.enabled[1].name", "enabled twice at score"},
        BadConfig{"APluginEnabledTwiceInMultiPoint",
                  plugins("    multiPoint:\n      enabled: [{name: ImageLocality}, {name: ImageLocality}]\n"),
                  "profiles[0].plugins.multiPoint.enabled[0]", "enabled twice in multiPoint"},
        BadConfig{"StarInAnEnabledList", plugins("    score:\n      enabled: [{name: \"*\"}]\n"),
                  "profiles[0].plugins.score.enabled[0].name", "only be used in a disabled list"},
        BadConfig{"ANegativeWeight", plugins("    score:\n      enabled: [{name: ImageLocality, weight: -2}]\n"),
                  "profiles[0].plugins.score.enabled[0].weight", "must not be negative"},
        BadConfig{"AQuotedWeight", plugins("    score:\n      enabled: [{name: ImageLocality, weight: \"2\"}]\n"),
                  "profiles[0].plugins.score.enabled[0].weight", "expected an integer, got the string \"2\""},
        BadConfig{"AWeightBeyond32Bits",
                  plugins("    score:\n      enabled: [{name: ImageLocality, weight: 4294967296}]\n"),
                  "profiles[0].plugins.score.enabled[0].weight", "does not fit in 32 bits"},
        BadConfig{"AFilterWithoutItsPreFilter", plugins("    preFilter:\n      disabled: [{name: \"*\"}]\n"),
                  "profiles[0].plugins.preFilter", "NodePorts is enabled at filter but not at preFilter"},
        BadConfig{"AScoreWithoutItsPreScore", plugins("    preScore:\n      disabled: [{name: TaintToleration}]\n"),
                  "profiles[0].plugins.preScore", "TaintToleration is enabled at score but not at preScore"},
        BadConfig{"ANodeAffinityPreFilterWithoutItsFilter",
                  plugins("    filter:\n      disabled: [{name: NodeAffinity}]\n"), "profiles[0].plugins.filter",
                  "NodeAffinity is disabled at filter but still enabled at preFilter"}),
    [](const auto& test) { return std::string(test.param.name); });

INSTANTIATE_TEST_SUITE_P(
    PluginConfig, SchedulerConfigErrors,
    ::testing::Values(
        BadConfig{"ConfigForAnUnknownPlugin", kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFitt\n",
                  "profiles[0].pluginConfig[0].name", "did you mean \"NodeResourcesFit\""},
        BadConfig{"TwoConfigsForOnePlugin",
                  kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n  - name: NodeResourcesFit\n",
                  "profiles[0].pluginConfig[1]", "Duplicate value: \"NodeResourcesFit\""},
        BadConfig{"AnUnknownArgsField", args("NodeResourcesFit", "      scoringStrategy: {type: MostAllocated}\n      x: 1\n"),
                  "profiles[0].pluginConfig[0].args.x", "unknown field"},
        BadConfig{"AnArgsKindForAnotherPlugin", args("NodeResourcesFit", "      kind: InterPodAffinityArgs\n"),
                  "profiles[0].pluginConfig[0].args.kind", "must be NodeResourcesFitArgs"},
        BadConfig{"AnArgsApiVersionOtherThanV1", args("NodeAffinity", "      apiVersion: v1\n"),
                  "profiles[0].pluginConfig[0].args.apiVersion", "must be kubescheduler.config.k8s.io/v1"},
        BadConfig{"AScoringStrategyWithoutAType", args("NodeResourcesFit", "      scoringStrategy: {resources: []}\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.type", "Unsupported value: \"\""},
        BadConfig{"AnUnknownScoringStrategy", args("NodeResourcesFit", "      scoringStrategy: {type: Balanced}\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.type", "Unsupported value: \"Balanced\""},
        BadConfig{"AResourceWeightAbove100",
                  args("NodeResourcesFit",
                       "      scoringStrategy:\n        type: MostAllocated\n        resources: [{name: cpu, weight: "
                       "101}]\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight",
                  "resource weight of cpu not in valid range (0, 100]"},
        BadConfig{"ADuplicateScoringResource",
                  args("NodeResourcesFit",
                       "      scoringStrategy:\n        type: MostAllocated\n        resources: [{name: cpu}, {name: "
                       "cpu}]\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.resources[1].name", "duplicate"},
        BadConfig{"RequestedToCapacityRatioWithoutAShape",
                  args("NodeResourcesFit", "      scoringStrategy: {type: RequestedToCapacityRatio}\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio", "Required value"},
        BadConfig{"AnEmptyShape",
                  args("NodeResourcesFit",
                       "      scoringStrategy: {type: RequestedToCapacityRatio, requestedToCapacityRatio: {shape: "
                       "[]}}\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape",
                  "at least one point"},
        BadConfig{"AnUnsortedShape",
                  args("NodeResourcesFit",
                       "      scoringStrategy:\n        type: RequestedToCapacityRatio\n        "
                       "requestedToCapacityRatio:\n          shape: [{utilization: 50, score: 1}, {utilization: 10, "
                       "score: 2}]\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization",
                  "sorted in increasing order"},
        BadConfig{"AShapeScoreAbove10",
                  args("NodeResourcesFit",
                       "      scoringStrategy:\n        type: RequestedToCapacityRatio\n        "
                       "requestedToCapacityRatio:\n          shape: [{utilization: 0, score: 11}]\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[0].score",
                  "not in valid range [0, 10]"},
        BadConfig{"AShapeForAnotherStrategy",
                  args("NodeResourcesFit",
                       "      scoringStrategy: {type: MostAllocated, requestedToCapacityRatio: {shape: []}}\n"),
                  "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio",
                  "must be nil when type is not RequestedToCapacityRatio"},
        BadConfig{"AnIgnoredResourceGroupWithASlash",
                  args("NodeResourcesFit", "      ignoredResourceGroups: [example.com/gpu]\n"),
                  "profiles[0].pluginConfig[0].args.ignoredResourceGroups[0]", "can't contain '/'"},
        BadConfig{"AnInvalidIgnoredResource", args("NodeResourcesFit", "      ignoredResources: [\"-bad\"]\n"),
                  "profiles[0].pluginConfig[0].args.ignoredResources[0]", "alphanumeric"},
        BadConfig{"AWeightedBalancedAllocationResource",
                  args("NodeResourcesBalancedAllocation", "      resources: [{name: cpu, weight: 2}]\n"),
                  "profiles[0].pluginConfig[0].args.resources[0].weight", "must be 1"},
        BadConfig{"AnInvalidAddedAffinity",
                  args("NodeAffinity",
                       "      addedAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n          "
                       "nodeSelectorTerms:\n          - matchExpressions: [{key: zone, operator: In}]\n"),
                  "profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                  "nodeSelectorTerms[0].matchExpressions[0].values",
                  "values set can't be empty"},
        BadConfig{"AnUnknownFieldInInterPodAffinityArgs", args("InterPodAffinity", "      hardPodAffinityWeigth: 3\n"),
                  "profiles[0].pluginConfig[0].args.hardPodAffinityWeigth", "did you mean \"hardPodAffinityWeight\""},
        BadConfig{"AHardPodAffinityWeightAboveOneHundred", args("InterPodAffinity", "      hardPodAffinityWeight: 101\n"),
                  "profiles[0].pluginConfig[0].args.hardPodAffinityWeight", "not in valid range [0, 100]"},
        BadConfig{"ANegativeHardPodAffinityWeight", args("InterPodAffinity", "      hardPodAffinityWeight: -1\n"),
                  "profiles[0].pluginConfig[0].args.hardPodAffinityWeight", "not in valid range [0, 100]"},
        // DefaultPreemptionArgs (ValidateDefaultPreemptionArgs, v1.35).
        BadConfig{"AMinCandidateNodesPercentageAboveOneHundred",
                  args("DefaultPreemption", "      minCandidateNodesPercentage: 101\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage", "not in valid range [0, 100]"},
        BadConfig{"ANegativeMinCandidateNodesPercentage",
                  args("DefaultPreemption", "      minCandidateNodesPercentage: -1\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage", "not in valid range [0, 100]"},
        BadConfig{"ANegativeMinCandidateNodesAbsolute",
                  args("DefaultPreemption", "      minCandidateNodesAbsolute: -5\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute", "not in valid range [0, inf)"},
        BadConfig{"BothMinCandidateNodesArgsZero",
                  args("DefaultPreemption", "      minCandidateNodesPercentage: 0\n      minCandidateNodesAbsolute: 0\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage",
                  "cannot be zero at the same time as minCandidateNodesAbsolute"},
        BadConfig{"AMinCandidateNodesAbsoluteThatIsNotAnInteger",
                  args("DefaultPreemption", "      minCandidateNodesAbsolute: many\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute", ""},
        BadConfig{"AnUnknownDefaultPreemptionArgsField",
                  args("DefaultPreemption", "      minCandidateNodes: 3\n"),
                  "profiles[0].pluginConfig[0].args.minCandidateNodes", ""},
        BadConfig{"AnIgnorePreferredTermsFlagThatIsNotABoolean",
                  args("InterPodAffinity", "      ignorePreferredTermsOfExistingPods: maybe\n"),
                  "profiles[0].pluginConfig[0].args.ignorePreferredTermsOfExistingPods", ""}),
    [](const auto& test) { return std::string(test.param.name); });

// ---- Errors from files -----------------------------------------------------------------

TEST(SchedulerConfigFileErrors, AnUnknownFieldNamesTheFileAndThePath) {
  const std::string path = kDataDir + "unknown_field.yaml";
  try {
    (void)load_scheduler_config(path);
    FAIL() << "loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.location(), "profiles[0].plugins.score.enabled[1].nmae");
    EXPECT_EQ(std::string(e.what()), path + ": profiles[0].plugins.score.enabled[1].nmae: unknown field; did you mean "
                                              "\"name\"? (line 8)");
  }
}

TEST(SchedulerConfigFileErrors, MalformedYamlNamesTheFileAndTheLine) {
  const std::string path = kDataDir + "malformed.yaml";
  try {
    (void)load_scheduler_config(path);
    FAIL() << "loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.location().rfind("line ", 0), 0U) << e.what();
    EXPECT_NE(e.message().find("malformed YAML"), std::string::npos) << e.what();
  }
}

TEST(SchedulerConfigFileErrors, AMissingFileIsAnInputError) {
  const std::string path = kDataDir + "no-such-config.yaml";
  try {
    (void)load_scheduler_config(path);
    FAIL() << "loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(e.message().find("cannot open"), std::string::npos);
  }
}

}  // namespace
