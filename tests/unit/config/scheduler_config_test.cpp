// KubeSchedulerConfiguration parsing: defaults, plugin-set merging, plugin args, and every
// error naming the file and the path inside it.

#include "podium/config/scheduler_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"
#include "podium/plugins/noderesources/args.hpp"

namespace {

using podium::config::parse_scheduler_config;
namespace nr = podium::plugins::noderesources;

const std::string kHeader = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

std::int64_t weight_of(const podium::framework::ProfileSpec& spec, const std::string& plugin) {
  for (const auto& [name, w] : spec.scores)
    if (name == plugin) return w;
  return -1;
}

// The error message for `text`, or "" if it parsed.
std::string error_of(const std::string& text) {
  try {
    (void)parse_scheduler_config(text, "sched.yaml");
  } catch (const podium::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SchedulerConfig, AnEmptyConfigurationIsUpstreamsDefaultProfile) {
  const auto config = parse_scheduler_config(kHeader, "sched.yaml");
  const auto defaults = podium::config::default_scheduler_config();
  ASSERT_EQ(config.profiles.size(), 1U);
  EXPECT_EQ(config.profiles[0].scheduler_name, "default-scheduler");
  EXPECT_EQ(config.profiles[0].filters, defaults.profiles[0].filters);
  EXPECT_EQ(config.profiles[0].scores, defaults.profiles[0].scores);
  EXPECT_EQ(weight_of(config.profiles[0], "TaintToleration"), 3);
}

TEST(SchedulerConfig, DisablesADefaultScorePlugin) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- plugins:
    score:
      disabled: [{name: NodeResourcesBalancedAllocation}]
)", "sched.yaml");
  EXPECT_EQ(weight_of(config.profiles[0], "NodeResourcesBalancedAllocation"), -1);
  EXPECT_EQ(weight_of(config.profiles[0], "NodeResourcesFit"), 1);
}

TEST(SchedulerConfig, DisablingStarDropsEveryDefaultAndKeepsOnlyTheEnabledOnes) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- plugins:
    score:
      disabled: [{name: "*"}]
      enabled: [{name: NodeResourcesFit, weight: 5}]
)", "sched.yaml");
  ASSERT_EQ(config.profiles[0].scores.size(), 1U);
  EXPECT_EQ(weight_of(config.profiles[0], "NodeResourcesFit"), 5);
}

TEST(SchedulerConfig, ReEnablingADefaultReplacesItsWeightAndAnUnsetWeightBecomesOne) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- plugins:
    score:
      enabled: [{name: TaintToleration}, {name: NodeResourcesFit, weight: 7}]
)", "sched.yaml");
  EXPECT_EQ(weight_of(config.profiles[0], "TaintToleration"), 1);
  EXPECT_EQ(weight_of(config.profiles[0], "NodeResourcesFit"), 7);
}

TEST(SchedulerConfig, ReadsNodeResourcesFitArgs) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      ignoredResourceGroups: [example.com]
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources: [{name: cpu, weight: 2}, {name: nvidia.com/gpu, weight: 3}]
        requestedToCapacityRatio:
          shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
)", "sched.yaml");
  const auto& args = std::any_cast<const nr::FitArgs&>(config.profiles[0].args.at("NodeResourcesFit"));
  EXPECT_EQ(args.strategy, nr::ScoringStrategyType::kRequestedToCapacityRatio);
  ASSERT_EQ(args.resources.size(), 2U);
  EXPECT_EQ(args.resources[1].name, "nvidia.com/gpu");
  EXPECT_EQ(args.resources[1].weight, 3);
  ASSERT_EQ(args.shape.size(), 2U);
  EXPECT_EQ(args.shape[1].score, 10);
  EXPECT_EQ(args.ignored_resource_groups, std::vector<std::string>{"example.com"});
}

TEST(SchedulerConfig, KeepsSeveralProfilesByName) {
  const auto config = parse_scheduler_config(kHeader + R"(profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: MostAllocated}}
)", "sched.yaml");
  ASSERT_EQ(config.profiles.size(), 2U);
  EXPECT_EQ(config.profiles[1].scheduler_name, "bin-packer");
  EXPECT_EQ(std::any_cast<const nr::FitArgs&>(config.profiles[1].args.at("NodeResourcesFit")).strategy,
            nr::ScoringStrategyType::kMostAllocated);
}

TEST(SchedulerConfig, ReadsPercentageOfNodesToScore) {
  const auto config = parse_scheduler_config(kHeader + "percentageOfNodesToScore: 40\n", "sched.yaml");
  EXPECT_EQ(config.profiles[0].percentage_of_nodes_to_score, 40);
}

struct BadConfig {
  const char* name;
  std::string text;
  const char* expected;
};

class SchedulerConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(SchedulerConfigErrors, NameTheFileAndThePath) {
  const std::string message = error_of(GetParam().text);
  EXPECT_NE(message.find("sched.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SchedulerConfigErrors,
    ::testing::Values(
        BadConfig{"wrong_api_version", "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
                  "apiVersion: must be kubescheduler.config.k8s.io/v1"},
        BadConfig{"unknown_field", kHeader + "profiles:\n- plugins:\n    score:\n      enabled: [{nmae: X}]\n",
                  "profiles[0].plugins.score.enabled[0].nmae: unknown field"},
        BadConfig{"unknown_plugin", kHeader + "profiles:\n- plugins:\n    filter:\n      enabled: [{name: Magic}]\n",
                  "profiles[0].plugins.filter.enabled[0].name: unknown plugin \"Magic\""},
        BadConfig{"bad_resource_weight",
                  kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n"
                            "        resources: [{name: cpu, weight: 0}]\n",
                  "profiles[0].pluginConfig[0].args"},
        BadConfig{"unsorted_shape",
                  kHeader + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n"
                            "        type: RequestedToCapacityRatio\n        requestedToCapacityRatio:\n"
                            "          shape: [{utilization: 50, score: 1}, {utilization: 10, score: 2}]\n",
                  "sorted in increasing order"},
        BadConfig{"duplicate_profile", kHeader + "profiles:\n- schedulerName: a\n- schedulerName: a\n",
                  "profiles[1].schedulerName: duplicate profile name"},
        BadConfig{"malformed_yaml", kHeader + "profiles: [\n", "line "},
        BadConfig{"percentage_out_of_range", kHeader + "percentageOfNodesToScore: 150\n", "percentageOfNodesToScore"}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
