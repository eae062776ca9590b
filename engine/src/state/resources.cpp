#include "podium/state/resources.hpp"

#include <algorithm>
#include <cctype>

namespace podium::state {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// validation.IsQualifiedName: optional DNS-1123 subdomain prefix + '/', then a name of
// at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric.
bool is_qualified_name(std::string_view value) {
  std::string_view name = value;
  if (const auto slash = value.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty() || prefix.size() > 253) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      const char c = prefix[i];
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) return false;
    }
    if (!std::isalnum(static_cast<unsigned char>(prefix.front())) ||
        !std::isalnum(static_cast<unsigned char>(prefix.back())))
      return false;
  }
  if (name.empty() || name.size() > 63) return false;
  if (!std::isalnum(static_cast<unsigned char>(name.front())) ||
      !std::isalnum(static_cast<unsigned char>(name.back())))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// v1helper.IsPrefixedNativeResource: the name contains "kubernetes.io/".
bool is_prefixed_native(std::string_view name) { return name.find("kubernetes.io/") != std::string_view::npos; }

// v1helper.IsNativeResource: no '/' at all, or a *kubernetes.io/ prefix.
bool is_native(std::string_view name) {
  return name.find('/') == std::string_view::npos || is_prefixed_native(name);
}

}  // namespace

bool is_extended_resource_name(std::string_view name) {
  if (is_native(name) || starts_with(name, "requests.")) return false;
  // Upstream validates "requests." + name as a qualified name (the quota form).
  std::string quota_name = "requests.";
  quota_name += name;
  return is_qualified_name(quota_name);
}

bool is_scalar_resource_name(std::string_view name) {
  return is_extended_resource_name(name) || starts_with(name, "hugepages-") || is_prefixed_native(name) ||
         starts_with(name, "attachable-volumes-");
}

ResourceRegistry::ResourceRegistry() : names_{"cpu", "memory", "ephemeral-storage"} {}

std::optional<ResourceId> ResourceRegistry::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<ResourceId>(i);
  return std::nullopt;
}

std::optional<ResourceId> ResourceRegistry::intern(std::string_view name) {
  if (auto id = find(name)) return id;
  if (!is_scalar_resource_name(name)) return std::nullopt;
  names_.emplace_back(name);
  return static_cast<ResourceId>(names_.size() - 1);
}

}  // namespace podium::state
