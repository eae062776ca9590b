// The plugin descriptor table (see podium/plugins/descriptors.hpp): the one place a
// plugin's name, extension points, default-profile membership, default weight, args and
// factory are written down.

#include "podium/plugins/descriptors.hpp"

#include <stdexcept>
#include <string>

#include "podium/plugins/imagelocality/image_locality.hpp"
#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"
#include "podium/plugins/nodeaffinity/node_affinity.hpp"
#include "podium/plugins/nodename/node_name.hpp"
#include "podium/plugins/nodeports/node_ports.hpp"
#include "podium/plugins/noderesources/balanced_allocation.hpp"
#include "podium/plugins/noderesources/fit.hpp"
#include "podium/plugins/nodeunschedulable/node_unschedulable.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"
#include "podium/plugins/tainttoleration/taint_toleration.hpp"

namespace podium::plugins {
namespace {

using framework::Plugin;
using state::ClusterState;

// Factories: a plugin that takes no args, with or without the cluster, or with typed args
// (the plugin's defaults when the profile gives none).
template <class P>
std::unique_ptr<Plugin> make_plain(const std::any&, const ClusterState&) {
  return std::make_unique<P>();
}
template <class P>
std::unique_ptr<Plugin> make_with_cluster(const std::any&, const ClusterState& cluster) {
  return std::make_unique<P>(cluster);
}
template <class P, class Args>
std::unique_ptr<Plugin> make_with_args(const std::any& args, const ClusterState& cluster) {
  return std::make_unique<P>(args.has_value() ? std::any_cast<Args>(args) : Args{}, cluster);
}
template <class Args>
std::any default_args() {
  return Args{};
}

constexpr std::uint16_t kPreEnqueue = bit(Point::kPreEnqueue);
constexpr std::uint16_t kQueueSort = bit(Point::kQueueSort);
constexpr std::uint16_t kPreFilter = bit(Point::kPreFilter);
constexpr std::uint16_t kFilter = bit(Point::kFilter);
constexpr std::uint16_t kPostFilter = bit(Point::kPostFilter);
constexpr std::uint16_t kPreScore = bit(Point::kPreScore);
constexpr std::uint16_t kScore = bit(Point::kScore);
constexpr std::uint16_t kReserve = bit(Point::kReserve);
constexpr std::uint16_t kPermit = bit(Point::kPermit);
constexpr std::uint16_t kPreBind = bit(Point::kPreBind);
constexpr std::uint16_t kBind = bit(Point::kBind);

// Fields of each args kind (types_pluginargs.go), besides the TypeMeta keys.
constexpr std::string_view kNodeAffinityArgs[] = {"addedAffinity"};
constexpr std::string_view kFitArgs[] = {"ignoredResources", "ignoredResourceGroups", "scoringStrategy"};
constexpr std::string_view kBalancedAllocationArgs[] = {"resources"};
constexpr std::string_view kPodTopologySpreadArgs[] = {"defaultConstraints", "defaultingType"};
constexpr std::string_view kInterPodAffinityArgs[] = {"hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"};
constexpr std::string_view kVolumeBindingArgs[] = {"bindTimeoutSeconds", "shape"};
constexpr std::string_view kDefaultPreemptionArgs[] = {"minCandidateNodesPercentage", "minCandidateNodesAbsolute"};
constexpr std::string_view kDynamicResourcesArgs[] = {"filterTimeout", "bindingTimeout"};

namespace na = nodeaffinity;
namespace nr = noderesources;
namespace ipa = interpodaffinity;
namespace pts = podtopologyspread;
using enum Support;

// getDefaultPlugins() at v1.35 with default feature gates (DynamicResourceAllocation is GA,
// so DynamicResources sits before DefaultPreemption), in its order; then the plugins
// upstream registers outside the default profile.
constexpr PluginDescriptor kDescriptors[] = {
    // Inert: gated pods are not modelled.
    {.name = "SchedulingGates", .points = kPreEnqueue, .support = kInert, .in_default_profile = true},
    // Inert: Podium's queue orders pods itself.
    {.name = "PrioritySort", .points = kQueueSort, .support = kInert, .in_default_profile = true},
    {.name = NodeUnschedulable::kName,
     .points = kFilter,
     .factory = make_with_cluster<NodeUnschedulable>,
     .in_default_profile = true},
    {.name = NodeName::kName, .points = kFilter, .factory = make_plain<NodeName>, .in_default_profile = true},
    {.name = TaintToleration::kName,
     .points = kFilter | kPreScore | kScore,
     .factory = make_with_cluster<TaintToleration>,
     .in_default_profile = true,
     .default_weight = 3,
     .score_needs_prescore = true},
    {.name = na::NodeAffinity::kName,
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .factory = make_with_args<na::NodeAffinity, na::NodeAffinityArgs>,
     .in_default_profile = true,
     .default_weight = 2,
     .prefilter_narrows = true,
     .args_kind = "NodeAffinityArgs",
     .args_fields = kNodeAffinityArgs,
     .default_args = default_args<na::NodeAffinityArgs>},
    {.name = NodePorts::kName,
     .points = kPreFilter | kFilter,
     .factory = make_plain<NodePorts>,
     .in_default_profile = true,
     .filter_needs_prefilter = true},
    {.name = nr::Fit::kName,
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .factory = make_with_args<nr::Fit, nr::FitArgs>,
     .in_default_profile = true,
     .default_weight = 1,
     .filter_needs_prefilter = true,
     .args_kind = "NodeResourcesFitArgs",
     .args_fields = kFitArgs,
     .default_args = default_args<nr::FitArgs>},
    {.name = "VolumeRestrictions", .points = kPreFilter | kFilter, .support = kInert, .in_default_profile = true},
    {.name = "NodeVolumeLimits", .points = kPreFilter | kFilter, .support = kInert, .in_default_profile = true},
    {.name = "VolumeBinding",
     .points = kPreFilter | kFilter | kReserve | kPreBind | kPreScore | kScore,
     .support = kInert,
     .in_default_profile = true,
     .args_kind = "VolumeBindingArgs",
     .args_fields = kVolumeBindingArgs},
    {.name = "VolumeZone", .points = kPreFilter | kFilter, .support = kInert, .in_default_profile = true},
    {.name = pts::PodTopologySpread::kName,
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .factory = make_with_args<pts::PodTopologySpread, pts::PodTopologySpreadArgs>,
     .in_default_profile = true,
     .default_weight = 2,
     .filter_needs_prefilter = true,
     .score_needs_prescore = true,
     .args_kind = "PodTopologySpreadArgs",
     .args_fields = kPodTopologySpreadArgs,
     .default_args = default_args<pts::PodTopologySpreadArgs>},
    {.name = ipa::InterPodAffinity::kName,
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .factory = make_with_args<ipa::InterPodAffinity, ipa::InterPodAffinityArgs>,
     .in_default_profile = true,
     .default_weight = 2,
     .filter_needs_prefilter = true,
     .score_needs_prescore = true,
     .args_kind = "InterPodAffinityArgs",
     .args_fields = kInterPodAffinityArgs,
     .default_args = default_args<ipa::InterPodAffinityArgs>},
    {.name = "DynamicResources",
     .points = kPreEnqueue | kPreFilter | kFilter | kPostFilter | kScore | kReserve | kPreBind,
     .support = kInert,
     .in_default_profile = true,
     .args_kind = "DynamicResourcesArgs",
     .args_fields = kDynamicResourcesArgs},
    {.name = "DefaultPreemption",
     .points = kPreEnqueue | kPostFilter,
     .support = kInert,
     .in_default_profile = true,
     .args_kind = "DefaultPreemptionArgs",
     .args_fields = kDefaultPreemptionArgs},
    {.name = nr::BalancedAllocation::kName,
     .points = kPreScore | kScore,
     .factory = make_with_args<nr::BalancedAllocation, nr::BalancedAllocationArgs>,
     .in_default_profile = true,
     .default_weight = 1,
     .args_kind = "NodeResourcesBalancedAllocationArgs",
     .args_fields = kBalancedAllocationArgs,
     .default_args = default_args<nr::BalancedAllocationArgs>},
    {.name = ImageLocality::kName,
     .points = kScore,
     .factory = make_plain<ImageLocality>,
     .in_default_profile = true,
     .default_weight = 1},
    // Inert: binding is the committer's.
    {.name = "DefaultBinder", .points = kBind, .support = kInert, .in_default_profile = true},
    // Alpha in v1.35, off by default.
    {.name = "GangScheduling", .points = kPreEnqueue | kPermit, .support = kUnmodelled},
    {.name = "NodeDeclaredFeatures", .points = kPreFilter | kFilter, .support = kUnmodelled},
};

// upstream's registry refuses a second plugin of one name; so does this table.
static_assert(unique_names(kDescriptors), "a plugin name appears twice in the descriptor table");

}  // namespace

std::span<const PluginDescriptor> plugin_descriptors() { return kDescriptors; }

const PluginDescriptor* find_descriptor(std::string_view name) {
  for (const PluginDescriptor& d : kDescriptors)
    if (d.name == name) return &d;
  return nullptr;
}

const PluginDescriptor& descriptor(std::string_view name) {
  if (const PluginDescriptor* d = find_descriptor(name)) return *d;
  throw std::logic_error("no plugin descriptor named \"" + std::string(name) + "\"");
}

void check_unique_names(std::span<const PluginDescriptor> table) {
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (table[i].name == table[j].name)
        throw std::logic_error("plugin described twice: " + std::string(table[i].name));
}

}  // namespace podium::plugins
