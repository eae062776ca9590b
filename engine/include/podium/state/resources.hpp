#pragma once
// Resource names and their fixed integer units.
//
// Every resource the cluster mentions gets a dense ResourceId; ids 0..2 are fixed, the rest
// are scalar resources (extended like nvidia.com/gpu, hugepages-*, attachable-volumes-*,
// *kubernetes.io/*) in order of first appearance. Units follow kube-scheduler's
// framework.Resource: cpu in milli-cores (Quantity.MilliValue), everything else in whole
// units (Quantity.Value: bytes for memory/storage, counts for devices). The pod count
// ("pods") is not a ResourceId: it lives in its own node columns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podium::state {

using ResourceId = std::uint16_t;

inline constexpr ResourceId kCpu = 0;               // milli-cores
inline constexpr ResourceId kMemory = 1;            // bytes
inline constexpr ResourceId kEphemeralStorage = 2;  // bytes
inline constexpr ResourceId kFirstScalar = 3;

// Mirrors schedutil.IsScalarResourceName (pkg/scheduler/util): extended resources
// (a qualified name with a '/' outside the kubernetes.io domain), hugepages-*,
// attachable-volumes-*, and names prefixed with a *kubernetes.io/ domain.
bool is_scalar_resource_name(std::string_view name);

// Mirrors v1helper.IsExtendedResourceName: only these honour NodeResourcesFitArgs'
// ignoredResources / ignoredResourceGroups.
bool is_extended_resource_name(std::string_view name);

class ResourceRegistry {
 public:
  ResourceRegistry();  // registers cpu, memory, ephemeral-storage

  // The id for a resource the scheduler accounts (cpu, memory, ephemeral-storage or a
  // scalar resource name); nullopt for names kube-scheduler ignores (e.g. "pods", "foo").
  std::optional<ResourceId> intern(std::string_view name);
  std::optional<ResourceId> find(std::string_view name) const;

  const std::string& name(ResourceId id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
};

}  // namespace podium::state
