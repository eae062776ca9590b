// PodTopologySpreadArgs in a KubeSchedulerConfiguration: read into the profile's typed args
// (defaultingType defaulted to System), validated as upstream validates them, and every
// error located at the offending field.

#include <gtest/gtest.h>

#include <algorithm>
#include <any>
#include <iterator>
#include <string>

#include "podium/common/input_error.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"

namespace {

using podium::InputError;
using podium::config::parse_scheduler_config;
namespace pts = podium::plugins::podtopologyspread;

const std::string kHeader = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

std::string with_args(const std::string& body) {
  return kHeader + "profiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args:\n" + body;
}

pts::PodTopologySpreadArgs args_of(const std::string& body) {
  const auto config = parse_scheduler_config(with_args(body), "sched.yaml");
  return std::any_cast<pts::PodTopologySpreadArgs>(config.profiles.at(0).args.at("PodTopologySpread"));
}

TEST(PodTopologySpreadConfigArgs, ListDefaultsAreKeptFieldByField) {
  const auto a = args_of(R"(      kind: PodTopologySpreadArgs
      defaultingType: List
      defaultConstraints:
      - {maxSkew: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 3,
         nodeAffinityPolicy: Ignore, nodeTaintsPolicy: Honor}
      - {maxSkew: 1, topologyKey: rack, whenUnsatisfiable: ScheduleAnyway}
)");
  EXPECT_EQ(a.defaulting_type, pts::DefaultingType::kList);
  ASSERT_EQ(a.default_constraints.size(), 2U);
  const auto& zone = a.default_constraints[0];
  EXPECT_EQ(zone.max_skew, 2);
  EXPECT_EQ(zone.topology_key, "topology.kubernetes.io/zone");
  EXPECT_EQ(zone.when_unsatisfiable, "DoNotSchedule");
  EXPECT_EQ(zone.min_domains, 3);
  EXPECT_EQ(zone.node_affinity_policy, "Ignore");
  EXPECT_EQ(zone.node_taints_policy, "Honor");
  EXPECT_EQ(a.default_constraints[1].topology_key, "rack");
  EXPECT_FALSE(a.default_constraints[1].min_domains.has_value());
}

TEST(PodTopologySpreadConfigArgs, AnEmptyArgsObjectIsSystemDefaulting) {
  const auto a = args_of("      kind: PodTopologySpreadArgs\n");
  EXPECT_EQ(a.defaulting_type, pts::DefaultingType::kSystem);
  EXPECT_TRUE(a.default_constraints.empty());
}

TEST(PodTopologySpreadConfigArgs, TheImplementedPluginTakesAMultiPointWeightInPlace) {
  // Once refused as "not implemented by Podium"; upstream accepts it and so does Podium now.
  const auto config = parse_scheduler_config(
      kHeader + "profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: PodTopologySpread, weight: 5}]\n",
      "sched.yaml");
  const auto& scores = config.profiles.at(0).scores;
  const auto it = std::find_if(scores.begin(), scores.end(), [](const auto& s) { return s.first == "PodTopologySpread"; });
  ASSERT_NE(it, scores.end());
  EXPECT_EQ(it->second, 5);
  EXPECT_EQ(std::prev(it)->first, "NodeResourcesFit");  // upstream's default position is kept
}

struct BadArgs {
  const char* name;
  std::string body;
  const char* location;
  const char* message;
};

class PodTopologySpreadConfigErrors : public ::testing::TestWithParam<BadArgs> {};

TEST_P(PodTopologySpreadConfigErrors, NameTheField) {
  try {
    (void)parse_scheduler_config(with_args(GetParam().body), "sched.yaml");
    FAIL() << "parsed without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.location(), GetParam().location) << e.what();
    EXPECT_NE(e.message().find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PodTopologySpreadConfigErrors,
    ::testing::Values(
        BadArgs{"SystemDefaultingWithConstraints",
                "      defaultConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]\n",
                "profiles[0].pluginConfig[0].args.defaultingType", "when .defaultConstraints are not empty"},
        BadArgs{"AnUnknownDefaultingType", "      defaultingType: Sometimes\n",
                "profiles[0].pluginConfig[0].args.defaultingType", "Unsupported value: \"Sometimes\""},
        BadArgs{"AZeroMaxSkew",
                "      defaultingType: List\n      defaultConstraints: [{maxSkew: 0, topologyKey: zone, "
                "whenUnsatisfiable: DoNotSchedule}]\n",
                "profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew", "not in valid range"},
        BadArgs{"ASelectorInADefaultConstraint",
                "      defaultingType: List\n      defaultConstraints: [{maxSkew: 1, topologyKey: zone, "
                "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}]\n",
                "profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector",
                "constraint must not define a selector"},
        BadArgs{"ARepeatedConstraint",
                "      defaultingType: List\n      defaultConstraints:\n"
                "      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n"
                "      - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n",
                "profiles[0].pluginConfig[0].args.defaultConstraints[1]", "Duplicate value: \"{zone, DoNotSchedule}\""},
        BadArgs{"AMisspelledField",
                "      defaultingType: List\n      defaultConstraints: [{maxSkw: 1, topologyKey: zone, "
                "whenUnsatisfiable: DoNotSchedule}]\n",
                "profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkw", "unknown field"},
        BadArgs{"AMaxSkewThatIsNotANumber",
                "      defaultingType: List\n      defaultConstraints: [{maxSkew: one, topologyKey: zone, "
                "whenUnsatisfiable: DoNotSchedule}]\n",
                "profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew", ""}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
