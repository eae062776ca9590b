#include "config/plugin_catalog.hpp"

#include <algorithm>

namespace podium::config::detail {
namespace {

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

using enum Support;

const PluginInfo kPlugins[] = {
    // Modelled: what Podium schedules with.
    {.name = "NodeUnschedulable", .points = kFilter, .support = kModelled},
    {.name = "NodeName", .points = kFilter, .support = kModelled},
    {.name = "TaintToleration",
     .points = kFilter | kPreScore | kScore,
     .support = kModelled,
     .score_needs_prescore = true},
    {.name = "NodeAffinity",
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .support = kModelled,
     .prefilter_narrows = true,
     .args_kind = "NodeAffinityArgs",
     .args_fields = kNodeAffinityArgs},
    {.name = "NodePorts", .points = kPreFilter | kFilter, .support = kModelled, .filter_needs_prefilter = true},
    {.name = "NodeResourcesFit",
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .support = kModelled,
     .filter_needs_prefilter = true,
     .args_kind = "NodeResourcesFitArgs",
     .args_fields = kFitArgs},
    {.name = "NodeResourcesBalancedAllocation",
     .points = kPreScore | kScore,
     .support = kModelled,
     .args_kind = "NodeResourcesBalancedAllocationArgs",
     .args_fields = kBalancedAllocationArgs},
    {.name = "ImageLocality", .points = kScore, .support = kModelled},
    {.name = "PodTopologySpread",
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .support = kModelled,
     .filter_needs_prefilter = true,
     .score_needs_prescore = true,
     .args_kind = "PodTopologySpreadArgs",
     .args_fields = kPodTopologySpreadArgs},
    {.name = "InterPodAffinity",
     .points = kPreFilter | kFilter | kPreScore | kScore,
     .support = kModelled,
     .filter_needs_prefilter = true,
     .score_needs_prescore = true,
     .args_kind = "InterPodAffinityArgs",
     .args_fields = kInterPodAffinityArgs},
    // Inert for Podium's pods (see Support::kInert).
    {.name = "SchedulingGates", .points = kPreEnqueue, .support = kInert},  // gated pods are not modelled
    {.name = "PrioritySort", .points = kQueueSort, .support = kInert},      // Podium's queue orders pods itself
    {.name = "VolumeRestrictions", .points = kPreFilter | kFilter, .support = kInert},
    {.name = "NodeVolumeLimits", .points = kPreFilter | kFilter, .support = kInert},
    {.name = "VolumeBinding",
     .points = kPreFilter | kFilter | kReserve | kPreBind | kPreScore | kScore,
     .support = kInert,
     .args_kind = "VolumeBindingArgs",
     .args_fields = kVolumeBindingArgs},
    {.name = "VolumeZone", .points = kPreFilter | kFilter, .support = kInert},
    {.name = "DynamicResources",
     .points = kPreEnqueue | kPreFilter | kFilter | kPostFilter | kScore | kReserve | kPreBind,
     .support = kInert,
     .args_kind = "DynamicResourcesArgs",
     .args_fields = kDynamicResourcesArgs},
    {.name = "DefaultPreemption",
     .points = kPreEnqueue | kPostFilter,
     .support = kInert,
     .args_kind = "DefaultPreemptionArgs",
     .args_fields = kDefaultPreemptionArgs},
    {.name = "DefaultBinder", .points = kBind, .support = kInert},  // binding is the committer's
    // Alpha in v1.35, off by default.
    {.name = "GangScheduling", .points = kPreEnqueue | kPermit, .support = kUnmodelled},
    {.name = "NodeDeclaredFeatures", .points = kPreFilter | kFilter, .support = kUnmodelled},
};

constexpr std::string_view kRemoved[] = {"AzureDiskLimits", "CinderLimits", "EBSLimits", "GCEPDLimits"};

// getDefaultPlugins() at v1.35 with default feature gates (DynamicResourceAllocation is
// GA, so DynamicResources sits before DefaultPreemption).
constexpr DefaultPlugin kDefaultMultiPoint[] = {
    {"SchedulingGates", 0},
    {"PrioritySort", 0},
    {"NodeUnschedulable", 0},
    {"NodeName", 0},
    {"TaintToleration", 3},
    {"NodeAffinity", 2},
    {"NodePorts", 0},
    {"NodeResourcesFit", 1},
    {"VolumeRestrictions", 0},
    {"NodeVolumeLimits", 0},
    {"VolumeBinding", 0},
    {"VolumeZone", 0},
    {"PodTopologySpread", 2},
    {"InterPodAffinity", 2},
    {"DynamicResources", 0},
    {"DefaultPreemption", 0},
    {"NodeResourcesBalancedAllocation", 1},
    {"ImageLocality", 1},
    {"DefaultBinder", 0},
};

}  // namespace

const PluginInfo* find_plugin(std::string_view name) {
  for (const PluginInfo& info : kPlugins)
    if (info.name == name) return &info;
  return nullptr;
}

const std::vector<std::string_view>& plugin_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const PluginInfo& info : kPlugins) out.push_back(info.name);
    return out;
  }();
  return names;
}

bool is_removed_plugin(std::string_view name) {
  return std::find(std::begin(kRemoved), std::end(kRemoved), name) != std::end(kRemoved);
}

std::span<const DefaultPlugin> default_multi_point() { return kDefaultMultiPoint; }

}  // namespace podium::config::detail
