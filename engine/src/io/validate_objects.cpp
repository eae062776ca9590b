// validate_objects: the checks that need every file loaded first. Each error points at
// the field of the later (or offending) object and names where the first one was.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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

// The first object with each key, by index, in an open-addressing table that keeps every
// key's full hash: a probe compares hashes and looks at an object only when they are equal.
class FirstSeen {
 public:
  explicit FirstSeen(std::size_t count) {
    std::size_t slots = 16;
    while (slots < 2 * count) slots *= 2;
    slots_.assign(slots, Slot{});
    mask_ = slots - 1;
  }

  // Index of the first object whose key equals object `index`'s (`same(j)` says whether
  // object j's key does), or `index` itself, then recorded, when there is none.
  template <class Same>
  std::size_t insert(std::uint64_t hash, std::size_t index, Same&& same) {
    for (std::size_t s = hash & mask_;; s = (s + 1) & mask_) {
      Slot& slot = slots_[s];
      if (slot.index == kEmpty) {
        slot = Slot{hash, index};
        return index;
      }
      if (slot.hash == hash && same(slot.index)) return slot.index;
    }
  }

  // Starts loading the slot where a key of this hash would go: the table is too large for
  // the cache, so a probe is a memory access that a few dozen keys' worth of prefetching
  // overlaps with the work of the keys before it.
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  template <class Same>
  bool contains(std::uint64_t hash, Same&& same) const {
    for (std::size_t s = hash & mask_;; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      if (slot.index == kEmpty) return false;
      if (slot.hash == hash && same(slot.index)) return true;
    }
  }

 private:
  static constexpr std::size_t kEmpty = static_cast<std::size_t>(-1);
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t index = kEmpty;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

std::uint64_t name_hash(std::string_view name) { return std::hash<std::string_view>{}(name); }

std::uint64_t key_hash(std::string_view namespace_, std::string_view name) {
  const std::uint64_t a = name_hash(namespace_);
  const std::uint64_t b = name_hash(name);
  return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

}  // namespace

void validate_objects(const ClusterObjects& objects) {
  // Flat tables of indices, not unordered_maps: on a 150,000-pod cluster the maps' node
  // allocations and uncached-hash bucket walks (a key compare per step, each a cache miss
  // into a PodObject) took as long as parsing the JSON. Hashes are computed first so that
  // each probe's slot can be prefetched kAhead keys before it is needed.
  constexpr std::size_t kAhead = 16;
  std::vector<std::uint64_t> node_hashes(objects.nodes.size());
  for (std::size_t i = 0; i < objects.nodes.size(); ++i) node_hashes[i] = name_hash(objects.nodes[i].name);
  FirstSeen node_names(objects.nodes.size());
  for (std::size_t i = 0; i < objects.nodes.size(); ++i) {
    const NodeObject& node = objects.nodes[i];
    if (i + kAhead < node_hashes.size()) node_names.prefetch(node_hashes[i + kAhead]);
    const std::size_t first = node_names.insert(node_hashes[i], i, [&](std::size_t j) {
      return objects.nodes[j].name == node.name;
    });
    if (first != i) {
      throw InputError(node.source.file, detail::join_path(node.source.path, "metadata.name"),
                       "duplicate node name \"" + node.name + "\" (first defined at " +
                           where(objects.nodes[first].source) + ")");
    }
  }

  std::vector<std::uint64_t> pod_hashes(objects.pods.size());
  for (std::size_t i = 0; i < objects.pods.size(); ++i)
    pod_hashes[i] = key_hash(objects.pods[i].namespace_, objects.pods[i].name);
  FirstSeen pod_keys(objects.pods.size());
  for (std::size_t i = 0; i < objects.pods.size(); ++i) {
    const PodObject& pod = objects.pods[i];
    if (i + kAhead < pod_hashes.size()) pod_keys.prefetch(pod_hashes[i + kAhead]);
    const std::size_t first = pod_keys.insert(pod_hashes[i], i, [&](std::size_t j) {
      return objects.pods[j].name == pod.name && objects.pods[j].namespace_ == pod.namespace_;
    });
    if (first != i) {
      throw InputError(pod.source.file, detail::join_path(pod.source.path, "metadata.name"),
                       "duplicate pod \"" + pod.key() + "\" (first defined at " + where(objects.pods[first].source) + ")");
    }
    // A finished pod often outlives its node (a Job's pod on a node the autoscaler removed);
    // the scheduler never sees it, so neither does this check.
    if (!pod.node_name.empty() && !pod.terminated() &&
        !node_names.contains(name_hash(pod.node_name),
                             [&](std::size_t j) { return objects.nodes[j].name == pod.node_name; })) {
      throw InputError(pod.source.file, detail::join_path(pod.source.path, "spec.nodeName"),
                       "pod \"" + pod.key() + "\" is bound to node \"" + pod.node_name + "\", which is not defined");
    }
  }
  validate_pod_groups(objects);
}

}  // namespace podium::io
