// validate_objects: the checks that need every file loaded first. Each error points at
// the field of the later (or offending) object and names where the first one was.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "io/json_path.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

std::string where(const SourceRef& s) { return s.path.empty() ? s.file : s.file + ": " + s.path; }

struct PairHash {
  std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const noexcept {
    const std::size_t a = std::hash<std::string_view>{}(p.first);
    const std::size_t b = std::hash<std::string_view>{}(p.second);
    return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  }
};

// Pod groups (coscheduling): a group is a contract between its PodGroup and its pods, so
// a dangling reference either way is an input error rather than a silent default — a pod
// naming a missing group would otherwise be placed alone, and a group nobody joins is
// almost always a misspelt label.
void validate_pod_groups(const ClusterObjects& objects) {
  struct Group {
    const PodGroupObject* object;
    bool referenced = false;
  };
  std::unordered_map<std::pair<std::string_view, std::string_view>, Group, PairHash> groups;
  groups.reserve(objects.pod_groups.size());
  for (const PodGroupObject& group : objects.pod_groups) {
    const auto [it, inserted] =
        groups.emplace(std::pair<std::string_view, std::string_view>(group.namespace_, group.name), Group{&group});
    if (!inserted) {
      throw InputError(group.source.file, detail::join_path(group.source.path, "metadata.name"),
                       "duplicate PodGroup \"" + group.key() + "\" (first defined at " +
                           where(it->second.object->source) + ")");
    }
  }
  for (const PodObject& pod : objects.pods) {
    for (const auto& [key, value] : pod.labels) {
      if (key != kPodGroupLabel || value.empty()) continue;
      const auto it = groups.find(std::pair<std::string_view, std::string_view>(pod.namespace_, value));
      if (it == groups.end()) {
        throw InputError(pod.source.file,
                         detail::join_path(pod.source.path, std::string("metadata.labels[\"") + kPodGroupLabel + "\"]"),
                         "pod \"" + pod.key() + "\" names pod group \"" + value + "\", but no PodGroup \"" +
                             pod.namespace_ + "/" + value + "\" is defined");
      }
      it->second.referenced = true;
    }
  }
  // In input order, so that the first unreferenced group is the one reported.
  for (const PodGroupObject& group : objects.pod_groups) {
    if (groups.at(std::pair<std::string_view, std::string_view>(group.namespace_, group.name)).referenced) continue;
    throw InputError(group.source.file, detail::join_path(group.source.path, "metadata.name"),
                     "PodGroup \"" + group.key() + "\" has no member: no pod in namespace \"" + group.namespace_ +
                         "\" has the label " + kPodGroupLabel + "=" + group.name);
  }
}

}  // namespace

void validate_objects(const ClusterObjects& objects) {
  std::unordered_map<std::string_view, const NodeObject*> nodes;
  nodes.reserve(objects.nodes.size());
  for (const NodeObject& node : objects.nodes) {
    const auto [it, inserted] = nodes.emplace(node.name, &node);
    if (!inserted) {
      throw InputError(node.source.file, detail::join_path(node.source.path, "metadata.name"),
                       "duplicate node name \"" + node.name + "\" (first defined at " + where(it->second->source) + ")");
    }
  }

  std::unordered_map<std::pair<std::string_view, std::string_view>, const PodObject*, PairHash> pods;
  pods.reserve(objects.pods.size());
  for (const PodObject& pod : objects.pods) {
    const auto [it, inserted] = pods.emplace(std::pair<std::string_view, std::string_view>(pod.namespace_, pod.name), &pod);
    if (!inserted) {
      throw InputError(pod.source.file, detail::join_path(pod.source.path, "metadata.name"),
                       "duplicate pod \"" + pod.key() + "\" (first defined at " + where(it->second->source) + ")");
    }
    // A finished pod often outlives its node (a Job's pod on a node the autoscaler removed);
    // the scheduler never sees it, so neither does this check.
    if (!pod.node_name.empty() && !pod.terminated() && !nodes.contains(pod.node_name)) {
      throw InputError(pod.source.file, detail::join_path(pod.source.path, "spec.nodeName"),
                       "pod \"" + pod.key() + "\" is bound to node \"" + pod.node_name + "\", which is not defined");
    }
  }
  validate_pod_groups(objects);
}

}  // namespace podium::io
