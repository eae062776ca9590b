#include "podium/state/cluster_builder.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "podium/common/input_error.hpp"
#include "podium/io/pod_requests.hpp"

namespace podium::state {
namespace {

using io::Quantity;

[[noreturn]] void fail(const io::SourceRef& source, const std::string& field, const std::string& message) {
  std::string path = source.path;
  if (!field.empty()) path += path.empty() ? field : "." + field;
  throw InputError(source.file, path, message);
}

// framework.Resource.Add: cpu as MilliValue, everything else as Value (both round up).
std::int64_t to_units(ResourceId id, Quantity q, const io::SourceRef& source, const std::string& field) {
  const auto v = id == kCpu ? q.milli_value() : q.value();
  if (!v) fail(source, field, "quantity is too large");
  return *v;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, const io::SourceRef& source, const std::string& what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) fail(source, "", what + " overflows a 64-bit total");
  return sum;
}

std::vector<LabelPair> intern_labels(StringInterner& strings, const io::StringMap& labels) {
  std::vector<LabelPair> pairs;
  pairs.reserve(labels.size());
  for (const auto& [k, v] : labels) pairs.push_back({strings.intern(k), strings.intern(v)});
  std::sort(pairs.begin(), pairs.end(), [](LabelPair a, LabelPair b) { return a.key < b.key; });
  return pairs;
}

TolerationRecord compile_toleration(StringInterner& strings, const io::Toleration& t, const io::SourceRef& source,
                                    std::size_t index) {
  TolerationRecord rec;
  if (!t.key.empty()) rec.key = strings.intern(t.key);
  if (t.op == "Exists") {
    rec.op_exists = true;
  } else if (!t.op.empty() && t.op != "Equal") {
    fail(source, "spec.tolerations[" + std::to_string(index) + "].operator",
         "unknown toleration operator \"" + t.op + "\" (want Exists or Equal)");
  }
  rec.value = strings.intern(t.value);
  if (!t.effect.empty()) rec.effect = strings.intern(t.effect);
  return rec;
}

class Builder {
 public:
  explicit Builder(const io::ClusterObjects& objects) : objects_(objects) {}

  ClusterState build() {
    register_resources();
    build_nodes();
    build_pods();
    return std::move(state_);
  }

 private:
  void register_resources() {
    // Columns must exist before any value is stored, so every name is interned up front.
    for (const auto& node : objects_.nodes)
      for (const auto& [name, q] : node.allocatable) (void)state_.resources.intern(name);
    pod_requests_.reserve(objects_.pods.size());
    for (const auto& pod : objects_.pods) {
      if (pod.terminated()) {
        pod_requests_.emplace_back();
        continue;
      }
      auto plain = io::pod_requests(pod, {.non_missing_defaults = io::NonMissingDefaults::kNone});
      for (const auto& [name, q] : plain) (void)state_.resources.intern(name);
      pod_requests_.push_back(std::move(plain));
    }
  }

  void build_nodes() {
    NodeTable& t = state_.nodes;
    const std::size_t n = objects_.nodes.size();
    const std::size_t r = state_.resources.size();
    t.size = n;
    t.names.reserve(n);
    t.allocatable.assign(r, AlignedVector<std::int64_t>(n, 0));
    t.requested.assign(r, AlignedVector<std::int64_t>(n, 0));
    t.nonzero_cpu.assign(n, 0);
    t.nonzero_memory.assign(n, 0);
    t.allowed_pods.assign(n, 0);
    t.pod_count.assign(n, 0);
    t.unschedulable.assign(n, 0);
    t.label_offsets.assign(1, 0);
    t.taint_offsets.assign(1, 0);

    for (std::size_t i = 0; i < n; ++i) {
      const io::NodeObject& node = objects_.nodes[i];
      t.names.push_back(node.name);
      for (const auto& [name, q] : node.allocatable) {
        const std::string field = "status.allocatable." + name;
        if (name == "pods") {
          const auto v = q.value();
          if (!v || *v > std::numeric_limits<std::int32_t>::max()) fail(node.source, field, "pod count is too large");
          t.allowed_pods[i] = static_cast<std::int32_t>(*v);
        } else if (auto id = state_.resources.find(name)) {
          t.allocatable[*id][i] = to_units(*id, q, node.source, field);
        }
      }
      t.unschedulable[i] = node.unschedulable ? 1 : 0;
      for (const LabelPair& p : intern_labels(state_.strings, node.labels)) t.label_pairs.push_back(p);
      t.label_offsets.push_back(static_cast<std::uint32_t>(t.label_pairs.size()));
      for (const io::Taint& taint : node.taints)
        t.taints.push_back({state_.strings.intern(taint.key), state_.strings.intern(taint.value),
                            state_.strings.intern(taint.effect)});
      t.taint_offsets.push_back(static_cast<std::uint32_t>(t.taints.size()));
    }
    state_.index_node_names();
  }

  // spec.priority wins (admission has already resolved it); otherwise the named
  // PriorityClass, otherwise a globalDefault class, otherwise 0
  // (scheduling.DefaultPriorityWhenNoDefaultClassExists).
  std::int32_t resolve_priority(const io::PodObject& pod) const {
    if (pod.priority) return *pod.priority;
    const io::PriorityClassObject* global_default = nullptr;
    for (const auto& pc : objects_.priority_classes) {
      if (!pod.priority_class_name.empty() && pc.name == pod.priority_class_name) return pc.value;
      if (pc.global_default) global_default = &pc;
    }
    if (pod.priority_class_name.empty() && global_default) return global_default->value;
    return 0;
  }

  void build_pods() {
    const std::size_t r = state_.resources.size();
    std::uint32_t order = 0;
    for (std::size_t i = 0; i < objects_.pods.size(); ++i) {
      const io::PodObject& pod = objects_.pods[i];
      if (pod.terminated()) continue;  // the scheduler cache never counts finished pods
      PodRecord rec;
      rec.key = pod.key();
      rec.namespace_id = state_.strings.intern(pod.namespace_);
      rec.labels = intern_labels(state_.strings, pod.labels);
      rec.priority = resolve_priority(pod);
      rec.creation_timestamp_ns = pod.creation_timestamp_ns;
      rec.file_order = order++;
      rec.scheduler_name = pod.scheduler_name;
      rec.requested_node_name = pod.node_name;

      rec.requests.assign(r, 0);
      for (const auto& [name, q] : pod_requests_[i]) {
        if (auto id = state_.resources.find(name)) {
          rec.requests[*id] = to_units(*id, q, pod.source, "spec (effective request for " + name + ")");
          if (rec.requests[*id] > 0) rec.has_any_request = true;
        }
      }
      auto requests_of = [&](io::NonMissingDefaults mode, std::int64_t& cpu, std::int64_t& memory) {
        for (const auto& [name, q] : io::pod_requests(pod, {.non_missing_defaults = mode})) {
          if (name == "cpu") cpu = to_units(kCpu, q, pod.source, "spec (effective cpu request)");
          if (name == "memory") memory = to_units(kMemory, q, pod.source, "spec (effective memory request)");
        }
      };
      requests_of(io::NonMissingDefaults::kNodeAccounting, rec.nonzero_cpu, rec.nonzero_memory);
      requests_of(io::NonMissingDefaults::kAlways, rec.score_cpu, rec.score_memory);

      for (std::size_t k = 0; k < pod.tolerations.size(); ++k)
        rec.tolerations.push_back(compile_toleration(state_.strings, pod.tolerations[k], pod.source, k));

      state_.pods.push_back(std::move(rec));
      if (!pod.node_name.empty()) bind_existing(pod, static_cast<PodIndex>(state_.pods.size() - 1));
    }
  }

  void bind_existing(const io::PodObject& pod, PodIndex p) {
    const auto node = state_.find_node(pod.node_name);
    if (!node) fail(pod.source, "spec.nodeName", "pod is bound to unknown node \"" + pod.node_name + "\"");
    const PodRecord& rec = state_.pods[p];
    NodeTable& t = state_.nodes;
    // Check every sum before the committer adds it, so a bad file fails cleanly.
    for (std::size_t r = 0; r < rec.requests.size(); ++r)
      (void)checked_add(t.requested[r][*node], rec.requests[r], pod.source, "requested " + state_.resources.name(
                                                                                   static_cast<ResourceId>(r)));
    (void)checked_add(t.nonzero_cpu[*node], rec.nonzero_cpu, pod.source, "requested cpu");
    (void)checked_add(t.nonzero_memory[*node], rec.nonzero_memory, pod.source, "requested memory");
    state_.bind(p, *node);
  }

  const io::ClusterObjects& objects_;
  ClusterState state_;
  std::vector<io::ResourceList> pod_requests_;
};

}  // namespace

ClusterState build_cluster_state(const io::ClusterObjects& objects) { return Builder(objects).build(); }

}  // namespace podium::state
