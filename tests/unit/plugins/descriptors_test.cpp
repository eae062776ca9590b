// The plugin descriptor table and everything that reads it: the registry, the default
// profile and the reference oracle's defaults.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "podium/framework/profile.hpp"
#include "podium/framework/registry.hpp"
#include "podium/plugins/descriptors.hpp"
#include "podium/reference/reference_scheduler.hpp"

namespace {

using namespace podium;
using plugins::PluginDescriptor;

TEST(PluginDescriptors, ADuplicateNameIsAnError) {
  const PluginDescriptor table[] = {{.name = "NodeName"}, {.name = "ImageLocality"}, {.name = "NodeName"}};
  EXPECT_FALSE(plugins::unique_names(table));
  try {
    plugins::check_unique_names(table);
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(std::string(e.what()), "plugin described twice: NodeName");
  }
}

TEST(PluginDescriptors, TheBuiltinTableHasDistinctNames) {
  EXPECT_TRUE(plugins::unique_names(plugins::plugin_descriptors()));
  EXPECT_NO_THROW(plugins::check_unique_names(plugins::plugin_descriptors()));
}

TEST(PluginDescriptors, LookupOfAnUnknownNameIsAProgrammingError) {
  EXPECT_EQ(plugins::find_descriptor("NoSuchPlugin"), nullptr);
  EXPECT_THROW((void)plugins::descriptor("NoSuchPlugin"), std::logic_error);
  EXPECT_EQ(plugins::descriptor("TaintToleration").default_weight, 3);
}

TEST(PluginDescriptors, TheRegistryHoldsExactlyTheImplementedPlugins) {
  const auto& registry = framework::Registry::builtin();
  for (const PluginDescriptor& d : plugins::plugin_descriptors()) {
    EXPECT_EQ(registry.contains(d.name), d.is_implemented()) << d.name;
    EXPECT_EQ(d.is_implemented(), d.support == plugins::Support::kModelled) << d.name;
  }
}

TEST(PluginDescriptors, TheDefaultProfileIsUpstreamsInItsOrderAndWeights) {
  const framework::ProfileSpec spec = framework::default_profile_spec();
  EXPECT_EQ(spec.filters, (std::vector<std::string>{"NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                                                    "NodePorts", "NodeResourcesFit", "PodTopologySpread",
                                                    "InterPodAffinity"}));
  EXPECT_EQ(spec.scores, (std::vector<std::pair<std::string, std::int64_t>>{{"TaintToleration", 3},
                                                                          {"NodeAffinity", 2},
                                                                          {"NodeResourcesFit", 1},
                                                                          {"PodTopologySpread", 2},
                                                                          {"InterPodAffinity", 2},
                                                                          {"NodeResourcesBalancedAllocation", 1},
                                                                          {"ImageLocality", 1}}));
}

TEST(PluginDescriptors, TheReferenceDefaultsAreTheDefaultProfile) {
  const reference::ReferenceOptions ref;
  EXPECT_TRUE(ref.taint_toleration_filter);
  EXPECT_TRUE(ref.node_affinity_filter);
  EXPECT_TRUE(ref.node_ports_filter);
  EXPECT_TRUE(ref.pod_topology_spread_filter);
  EXPECT_TRUE(ref.inter_pod_affinity_filter);
  EXPECT_EQ(ref.taint_toleration_weight, 3);
  EXPECT_EQ(ref.node_affinity_weight, 2);
  EXPECT_EQ(ref.fit_weight, 1);
  EXPECT_EQ(ref.pod_topology_spread_weight, 2);
  EXPECT_EQ(ref.inter_pod_affinity_weight, 2);
  EXPECT_EQ(ref.balanced_weight, 1);
  EXPECT_EQ(ref.image_locality_weight, 1);
}

TEST(PluginDescriptors, PluginsWithArgsHaveDefaultArgs) {
  for (const PluginDescriptor& d : plugins::plugin_descriptors())
    if (d.is_implemented() && !d.args_kind.empty()) {
      ASSERT_NE(d.default_args, nullptr) << d.name;
      EXPECT_TRUE(d.default_args().has_value()) << d.name;
    }
}

}  // namespace
