#include "podium/state/cluster_builder.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "podium/common/input_error.hpp"
#include "podium/io/gpu_share.hpp"
#include "podium/io/pod_requests.hpp"
#include "podium/state/label_selector.hpp"
#include "podium/state/node_selector.hpp"
#include "state/pod_constraints.hpp"

namespace podium::state {
namespace {

using io::Quantity;

[[noreturn]] void fail(const io::SourceRef& source, const std::string& field, const std::string& message) {
  std::string path = source.path;
  if (!field.empty()) path += path.empty() ? field : "." + field;
  throw InputError(source.file, path, message);
}

// framework.Resource.Add: cpu as MilliValue, everything else as Value (both round up).
// `field` names the field in the error: a string, or a callable that spells it, so that the
// per-pod calls build no string unless they fail (they were a sixth of compile_pod's time).
template <class Field>
std::int64_t to_units(ResourceId id, Quantity q, const io::SourceRef& source, const Field& field) {
  const auto v = id == kCpu ? q.milli_value() : q.value();
  if (!v) {
    if constexpr (std::is_invocable_v<const Field&>) {
      fail(source, field(), "quantity is too large");
    } else {
      fail(source, field, "quantity is too large");
    }
  }
  return *v;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, const io::SourceRef& source, const std::string& what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) fail(source, "", what + " overflows a 64-bit total");
  return sum;
}

// A label set is a map (metav1.ObjectMeta.Labels is map[string]string): one value per key,
// sorted by key for find_label's binary search. A StringMap built in code may repeat a key
// (the file loader upserts, so a file cannot); the last value wins, as the loader's upsert,
// Go's encoding/json and verify's to_labels all read it. Keeping both pairs let a lookup
// return either one (std::sort is not stable) while verify saw the last: a pod labelled
// app=web then app=a matched one selector in PodTopologySpread's counters and another in
// InterPodAffinity's, and the engine disagreed with the reference and verify.
std::vector<LabelPair> intern_labels(StringInterner& strings, const io::StringMap& labels) {
  std::vector<LabelPair> pairs;
  pairs.reserve(labels.size());
  for (const auto& [k, v] : labels) pairs.push_back({strings.intern(k), strings.intern(v)});
  std::stable_sort(pairs.begin(), pairs.end(), [](LabelPair a, LabelPair b) { return a.key < b.key; });
  // Within a run of one key (in document order after the stable sort) keep the last pair.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i + 1 < pairs.size() && pairs[i + 1].key == pairs[i].key) continue;
    pairs[kept++] = pairs[i];
  }
  pairs.resize(kept);
  return pairs;
}

// Go's int64(f) on amd64 (CVTTSD2SI): truncation toward zero; NaN and out-of-range
// values give the "integer indefinite" value, math.MinInt64.
std::int64_t go_float_to_int64(double f) {
  if (!(f >= -0x1p63 && f < 0x1p63)) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(f);
}

// ImageLocality's spread score is static per image: computed once the nodes are known.
void score_image_spread(NodeTable& t) {
  ImageTable& images = t.images;
  images.spread_score.resize(images.size());
  for (std::size_t img = 0; img < images.size(); ++img) {
    const double spread = static_cast<double>(images.node_count[img]) / static_cast<double>(t.size);
    images.spread_score[img] = go_float_to_int64(static_cast<double>(images.size_bytes[img]) * spread);
  }
}

// imagelocality.normalizedImageName: an image without a tag (no ':' after the last '/')
// gets ":latest". Digests ("name@sha256:...") already contain a ':' and stay as they are.
// A tagged name is its own normal form, so only an untagged one is copied.
std::optional<StringId> find_normalized_image(const StringInterner& strings, const std::string& name) {
  const auto colon = name.rfind(':');
  const auto slash = name.rfind('/');
  const auto pos = [](std::size_t p) { return p == std::string::npos ? -1L : static_cast<long>(p); };
  return pos(colon) <= pos(slash) ? strings.find(name + ":latest") : strings.find(name);
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

// The cpu and memory entries of one io::pod_requests list, remembered in the list's order:
// compile_pod converts them in that order, so the first one too large names the error.
struct CpuMemory {
  std::optional<Quantity> cpu;
  std::optional<Quantity> memory;
  bool memory_first = false;
};

CpuMemory cpu_memory_of(const io::ResourceList& list) {
  CpuMemory out;
  for (const auto& [name, q] : list) {
    if (name == "cpu") {
      out.cpu = q;
    } else if (name == "memory") {
      out.memory = q;
      out.memory_first = !out.cpu.has_value();
    }
  }
  return out;
}

// A pod's io::pod_requests: plain (kNone) in full, kNodeAccounting and kAlways as cpu/memory.
struct PodRequests {
  io::ResourceList plain;
  CpuMemory node_accounting;
  CpuMemory scoring;
};

// Fewer pods per thread than this are computed on the calling thread: starting a thread
// costs more than it saves.
constexpr std::size_t kPodsPerThread = 2048;

std::size_t build_threads(int threads) {
  if (threads > 0) return static_cast<std::size_t>(threads);
  return std::max(1U, std::thread::hardware_concurrency());
}

class Builder {
 public:
  Builder(const io::ClusterObjects& objects, std::span<const PodStamp> stamps, BuildOptions options)
      : objects_(objects), stamps_(stamps), options_(options) {}

  ClusterState build() {
    register_resources();
    build_nodes();
    build_gpu_nodes();
    build_images();
    build_namespaces();
    build_pod_groups();
    build_pods();
    build_stamped_pods();
    build_disruption_budgets();
    return std::move(state_);
  }

 private:
  void register_resources() {
    // Columns must exist before any value is stored, so every name is interned up front.
    for (const auto& node : objects_.nodes)
      for (const auto& [name, q] : node.allocatable) (void)state_.resources.intern(name);
    compute_pod_requests();
    // Interned in pod order (stamps after the pods), as the columns' ids have always been.
    for (const PodRequests& requests : pod_requests_)
      for (const auto& [name, q] : requests.plain) (void)state_.resources.intern(name);
  }

  // io::pod_requests, three ways (io::pod_request_variants), for every pod and stamp
  // template: the plain requests and the cpu/memory of the two defaulted variants that
  // compile_pod reads. They are pure functions of the pod and were half of the build's time
  // on 150,000 pods, so with options.threads > 1 the pods are cut into contiguous ranges, one
  // per thread; every thread writes only its own entries, so the result does not depend on
  // the thread count. Nothing here throws an InputError (Quantity sums do not check): the
  // checks stay in compile_pod, in pod order.
  void compute_pod_requests() {
    const std::size_t n = objects_.pods.size() + stamps_.size();
    pod_requests_.resize(n);
    auto compute = [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const io::PodObject& pod =
            i < objects_.pods.size() ? objects_.pods[i] : stamps_[i - objects_.pods.size()].pod_template;
        if (pod.ignored_by_scheduler()) continue;
        PodRequests& out = pod_requests_[i];
        io::PodRequestVariants variants = io::pod_request_variants(pod);
        out.plain = std::move(variants.plain);
        out.node_accounting = cpu_memory_of(variants.node_accounting);
        out.scoring = cpu_memory_of(variants.scoring);
      }
    };
    const std::size_t parts =
        std::min<std::size_t>(build_threads(options_.threads), std::max<std::size_t>(1, n / kPodsPerThread));
    if (parts <= 1) {
      compute(0, n);
      return;
    }
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(parts);
    const auto bound = [&](std::size_t k) { return n * k / parts; };
    for (std::size_t k = 1; k < parts; ++k)
      workers.emplace_back([&, k] {
        try {
          compute(bound(k), bound(k + 1));
        } catch (...) {
          errors[k] = std::current_exception();  // bad_alloc: nothing else throws here
        }
      });
    try {
      compute(0, bound(1));
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
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
    t.used_ports.assign(n, {});
    t.any_ip = state_.strings.intern("0.0.0.0");

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
      for (const LabelPair& p : intern_labels(state_.strings, node.labels)) {
        t.label_pairs.push_back(p);
        const auto number = parse_go_int64(state_.strings.text(p.value));
        t.label_numbers.push_back({number.value_or(0), number.has_value()});
      }
      t.label_offsets.push_back(static_cast<std::uint32_t>(t.label_pairs.size()));
      for (const io::Taint& taint : node.taints)
        t.taints.push_back({state_.strings.intern(taint.key), state_.strings.intern(taint.value),
                            state_.strings.intern(taint.effect)});
      t.taint_offsets.push_back(static_cast<std::uint32_t>(t.taints.size()));
    }
    t.derive_scoring_columns();
    state_.index_node_names();
  }

  // GPU sharing (io/gpu_share.hpp): the device table exists only when some node or pod
  // carries it, so clusters without it pay nothing and keep kube's placements exactly.
  void build_gpu_nodes() {
    const auto carries = [](const auto& o) { return o.gpu_share.has_value(); };
    const auto stamp_carries = [&](const PodStamp& s) { return s.count > 0 && carries(s.pod_template); };
    if (std::none_of(objects_.nodes.begin(), objects_.nodes.end(), carries) &&
        std::none_of(objects_.pods.begin(), objects_.pods.end(), carries) &&
        std::none_of(stamps_.begin(), stamps_.end(), stamp_carries))
      return;
    gpushare::GpuCluster& gpu = state_.gpu.emplace();
    const NodeTable& t = state_.nodes;
    for (std::size_t i = 0; i < objects_.nodes.size(); ++i) {
      const io::NodeObject& node = objects_.nodes[i];
      const int count = node.gpu_share ? node.gpu_share->gpu_count : 0;
      const std::int16_t model = node.gpu_share && !node.gpu_share->model.empty()
                                     ? intern_gpu_model(node.gpu_share->model, node.source, "metadata.labels")
                                     : gpushare::kNoModel;
      gpu.add_node(node.name, t.allocatable[kCpu][i], t.allocatable[kMemory][i] >> 20, count, model);
    }
  }

  std::int16_t intern_gpu_model(const std::string& model, const io::SourceRef& source, const std::string& field) {
    try {
      return state_.gpu->intern_model(model);
    } catch (const std::length_error&) {
      fail(source, field + "[\"" + std::string(io::kGpuModelKey) + "\"]",
           "more than " + std::to_string(gpushare::kMaxGpuModels) + " distinct GPU models");
    }
  }

  // The pod as gpushare sees it: every pod, so the table's CPU column follows all binds.
  void compile_gpu(const io::PodObject& pod, PodRecord& rec) {
    if (!state_.gpu) return;
    rec.gpu.cpu_milli = rec.requests[kCpu];
    rec.gpu.memory_mib = (rec.requests[kMemory] + (1 << 20) - 1) >> 20;
    rec.gpu.spec = state_.strings.intern("");  // FGD's typical-pod key: the allowed-model text
    if (!pod.gpu_share) return;
    const io::PodGpuShare& share = *pod.gpu_share;
    rec.gpu.num_gpu = share.num_gpu;
    rec.gpu.gpu_milli = share.gpu_milli;
    rec.gpu.model_constrained = !share.models.empty();
    std::string spec;
    for (const std::string& model : share.models) {
      rec.gpu.allowed_models |= std::uint64_t{1} << intern_gpu_model(model, pod.source, "metadata.annotations");
      spec += (spec.empty() ? "" : "|") + model;
    }
    rec.gpu.spec = state_.strings.intern(spec);
    // gpu-index speaks only for a pod already running; a pending pod's devices are chosen at bind.
    if (pod.node_name.empty()) return;
    for (const std::int32_t d : share.devices) rec.gpu_devices |= static_cast<gpushare::DeviceSet>(1U << d);
  }

  // A pod bound at load must fit its node's devices (those it names, or a default choice).
  void check_bound_gpu(const io::PodObject& pod, const PodRecord& rec, NodeIndex node) {
    if (!rec.uses_gpu_sharing()) return;
    const gpushare::GpuCluster& gpu = *state_.gpu;
    bool fits = true;
    if (rec.gpu_devices != 0) {
      for (int d = 0; d < gpushare::kMaxGpusPerNode; ++d)
        if (((rec.gpu_devices >> d) & 1U) != 0)
          fits = fits && d < gpu.gpu_count(node) && gpu.devices(node)[static_cast<std::size_t>(d)] >= rec.gpu.gpu_milli;
    } else {
      fits = gpushare::best_fit_devices(gpu.devices(node), gpu.gpu_count(node), rec.gpu) != 0;
    }
    if (!fits)
      fail(pod.source, "metadata.annotations[\"" + std::string(rec.gpu_devices != 0 ? io::kGpuIndexKey : io::kGpuCountKey) + "\"]",
           "pod is bound to node \"" + pod.node_name + "\", whose GPU devices cannot hold it");
  }

  // The scheduler cache's image states (cache.addNodeImageStates): one entry per image
  // name; its size is the size the first node (in input order) lists it with, its count
  // the nodes listing it. ImageLocality's spread score is static, so it is computed here.
  void build_images() {
    NodeTable& t = state_.nodes;
    ImageTable& images = t.images;
    t.image_offsets.assign(1, 0);
    std::vector<ImageIndex> mine;
    for (std::size_t i = 0; i < objects_.nodes.size(); ++i) {
      mine.clear();
      for (const io::NodeImage& image : objects_.nodes[i].images) {
        for (const std::string& name : image.names) {
          const StringId id = state_.strings.intern(name);
          auto [it, inserted] = image_index_.emplace(id, static_cast<ImageIndex>(images.size()));
          if (inserted) {
            images.name.push_back(id);
            images.size_bytes.push_back(image.size_bytes);
            images.node_count.push_back(0);
          }
          mine.push_back(it->second);
        }
      }
      std::sort(mine.begin(), mine.end());
      mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
      for (const ImageIndex img : mine) {
        ++images.node_count[img];
        t.node_images.push_back(img);
      }
      t.image_offsets.push_back(static_cast<std::uint32_t>(t.node_images.size()));
    }
    score_image_spread(t);
  }

  SelectorLookup selector_lookup() {
    return {[this](std::string_view s) { return state_.strings.find(s).value_or(kUnseenString); },
            [this](std::string_view name) { return state_.find_node(name).value_or(kNoNode); }};
  }

  // The PriorityClass a pod's priorityClassName names: one of the input, else one of the
  // two classes every cluster has (scheduling.SystemPriorityClasses), else null.
  const io::PriorityClassObject* find_priority_class(const std::string& name) const {
    for (const auto& pc : objects_.priority_classes)
      if (pc.name == name) return &pc;
    static const io::PriorityClassObject kSystemCluster{{}, "system-cluster-critical", 2000000000, false,
                                                        "PreemptLowerPriority"};
    static const io::PriorityClassObject kSystemNode{{}, "system-node-critical", 2000001000, false,
                                                     "PreemptLowerPriority"};
    if (name == kSystemCluster.name) return &kSystemCluster;
    if (name == kSystemNode.name) return &kSystemNode;
    return nullptr;
  }

  // The Priority admission plugin's resolution: spec.priority wins (admission has already
  // run on pods read from a cluster, which may name classes the input does not hold);
  // otherwise the named PriorityClass (unknown: an input error, as admission refuses the
  // pod), otherwise a globalDefault class, otherwise 0
  // (scheduling.DefaultPriorityWhenNoDefaultClassExists). preemptionPolicy likewise: the
  // pod's own, else its class's, else PreemptLowerPriority.
  void resolve_priority(const io::PodObject& pod, PodRecord& rec) const {
    const io::PriorityClassObject* cls = nullptr;
    if (!pod.priority_class_name.empty()) {
      cls = find_priority_class(pod.priority_class_name);
      if (!cls && !pod.priority)
        fail(pod.source, "spec.priorityClassName",
             "pod \"" + pod.key() + "\" names PriorityClass \"" + pod.priority_class_name +
                 "\", which is not defined (and the pod has no spec.priority)");
    } else {
      for (const auto& pc : objects_.priority_classes)
        if (pc.global_default) cls = &pc;
    }
    rec.priority = pod.priority ? *pod.priority : cls ? cls->value : 0;
    const std::string& policy = !pod.preemption_policy.empty() ? pod.preemption_policy
                                : cls                            ? cls->preemption_policy
                                                                 : pod.preemption_policy;
    rec.preempt_never = policy == "Never";
  }

  // PodDisruptionBudgets, after the pods. disruptionsAllowed is status.disruptionsAllowed
  // when given (what the disruption controller last wrote); otherwise it is computed as
  // the controller would from the input alone: expected = the pods of the namespace the
  // selector matches (bound or pending), healthy = those bound; desiredHealthy is
  // minAvailable (a percentage of expected, rounded up), or expected - maxUnavailable (a
  // percentage rounded up); allowed = max(0, healthy - desiredHealthy)
  // (pkg/controller/disruption getExpectedScale / updatePdbStatus, with the pods' own
  // count standing in for their controllers' scale).
  void build_disruption_budgets() {
    for (const io::PodDisruptionBudgetObject& pdb : objects_.disruption_budgets) {
      DisruptionBudgetRecord rec;
      rec.key = pdb.key();
      rec.namespace_id = state_.strings.intern(pdb.namespace_);
      std::string error;
      auto selector = compile_label_selector(pdb.selector, state_.strings, error);
      if (!selector) {
        const std::size_t colon = error.find(": ");
        fail(pdb.source, "spec.selector." + error.substr(0, colon),
             colon == std::string::npos ? error : error.substr(colon + 2));
      }
      rec.selector = std::move(*selector);
      rec.disrupted_pods = pdb.disrupted_pods;
      if (pdb.disruptions_allowed) {
        rec.disruptions_allowed = *pdb.disruptions_allowed;
      } else {
        std::int64_t expected = 0, healthy = 0;
        for (const PodRecord& pod : state_.pods) {
          if (pod.namespace_id != rec.namespace_id || !rec.selector.matches(pod.labels)) continue;
          ++expected;
          healthy += pod.bound_node != kNoNode ? 1 : 0;
        }
        auto scaled = [&](const io::IntOrPercent& v) {
          return v.percent ? (std::int64_t{v.value} * expected + 99) / 100 : std::int64_t{v.value};
        };
        const std::int64_t desired =
            pdb.min_available ? scaled(*pdb.min_available) : expected - scaled(*pdb.max_unavailable);
        rec.disruptions_allowed = static_cast<std::int32_t>(std::max<std::int64_t>(0, healthy - desired));
      }
      state_.disruption_budgets.push_back(std::move(rec));
    }
  }

  void build_namespaces() {
    for (const io::NamespaceObject& ns : objects_.namespaces)
      state_.namespace_labels[state_.strings.intern(ns.name)] = intern_labels(state_.strings, ns.labels);
  }

  // Groups in input order; validate_objects has already checked that every label names a
  // group and every group has a member, so a miss here is a caller that skipped it.
  void build_pod_groups() {
    for (const io::PodGroupObject& group : objects_.pod_groups) {
      group_index_.emplace(group.key(), static_cast<PodGroupIndex>(state_.pod_groups.size()));
      state_.pod_groups.push_back({group.key(), group.min_member, 0});
    }
  }

  PodGroupIndex group_of(const io::PodObject& pod) {
    for (const auto& [key, value] : pod.labels) {
      if (key != io::kPodGroupLabel || value.empty()) continue;
      const auto it = group_index_.find(pod.namespace_ + "/" + value);
      if (it == group_index_.end())
        fail(pod.source, std::string("metadata.labels[\"") + io::kPodGroupLabel + "\"]",
             "pod names pod group \"" + value + "\", but no PodGroup \"" + pod.namespace_ + "/" + value +
                 "\" is defined");
      ++state_.pod_groups[static_cast<std::size_t>(it->second)].members;
      return it->second;
    }
    return kNoPodGroup;
  }

  void build_pods() {
    std::size_t stamped = 0;
    for (const PodStamp& stamp : stamps_) stamped += stamp.count;
    // Reserved once: growing by doubling would move every record several times and hold
    // old and new buffers together (1.5 million records of ~400 bytes at 50,000 nodes).
    state_.pods.reserve(objects_.pods.size() + stamped);
    constraints_.emplace(state_.strings, objects_.selector_owners);
    for (std::size_t i = 0; i < objects_.pods.size(); ++i) {
      const io::PodObject& pod = objects_.pods[i];
      if (pod.ignored_by_scheduler()) continue;  // finished pods, pending pods being deleted
      PodRecord rec = compile_pod(pod, pod_requests_[i]);
      rec.file_order = order_++;
      add_pod(pod, std::move(rec));
    }
  }

  // Each template compiled once; a copy differs from it only in key, creationTimestamp and
  // input order (the uid is not kept in a record), and joins the template's pod group.
  void build_stamped_pods() {
    for (std::size_t s = 0; s < stamps_.size(); ++s) {
      const PodStamp& stamp = stamps_[s];
      const io::PodObject& pod = stamp.pod_template;
      if (stamp.count == 0 || pod.ignored_by_scheduler()) continue;  // as every copy would be
      const PodRecord proto = compile_pod(pod, pod_requests_[objects_.pods.size() + s]);
      const std::string key_prefix = pod.namespace_ + "/" + stamp.name_prefix;
      for (std::uint32_t k = 0; k < stamp.count; ++k) {
        PodRecord rec = proto;
        rec.key = key_prefix + std::to_string(k);
        rec.creation_timestamp_ns = stamp.first_creation_ns + static_cast<std::int64_t>(k) * stamp.creation_step_ns;
        rec.file_order = order_++;
        if (k > 0 && rec.group != kNoPodGroup) ++state_.pod_groups[static_cast<std::size_t>(rec.group)].members;
        add_pod(pod, std::move(rec));
      }
    }
  }

  void add_pod(const io::PodObject& pod, PodRecord rec) {
    state_.pods.push_back(std::move(rec));
    if (!pod.node_name.empty()) bind_existing(pod, static_cast<PodIndex>(state_.pods.size() - 1));
  }

  // One pod compiled for scheduling from its precomputed io::pod_requests.
  // Counts the pod in its group; the caller sets file_order.
  PodRecord compile_pod(const io::PodObject& pod, const PodRequests& requests) {
    const std::size_t r = state_.resources.size();
    PodRecord rec;
    rec.key = pod.key();
    rec.namespace_id = state_.strings.intern(pod.namespace_);
    rec.labels = intern_labels(state_.strings, pod.labels);
    resolve_priority(pod, rec);
    rec.start_time_ns = pod.start_time_ns;
    rec.creation_timestamp_ns = pod.creation_timestamp_ns;
    rec.scheduler_name = pod.scheduler_name;
    rec.group = group_of(pod);
    rec.requested_node_name = pod.node_name;

    rec.requests.assign(r, 0);
    for (const auto& request : requests.plain) {
      // Named, not a structured binding: clang 14 (the fuzz build) cannot capture bindings in a lambda.
      const auto& name = request.first;
      const auto& q = request.second;
      if (auto id = state_.resources.find(name)) {
        const auto field = [&] { return "spec (effective request for " + name + ")"; };
        rec.requests[*id] = to_units(*id, q, pod.source, field);
        if (rec.requests[*id] > 0) rec.has_any_request = true;
      }
    }
    auto requests_of = [&](const CpuMemory& defaulted, std::int64_t& cpu, std::int64_t& memory) {
      auto convert_cpu = [&] {
        if (defaulted.cpu) cpu = to_units(kCpu, *defaulted.cpu, pod.source, "spec (effective cpu request)");
      };
      auto convert_memory = [&] {
        if (defaulted.memory)
          memory = to_units(kMemory, *defaulted.memory, pod.source, "spec (effective memory request)");
      };
      if (defaulted.memory_first) {
        convert_memory();
        convert_cpu();
      } else {
        convert_cpu();
        convert_memory();
      }
    };
    requests_of(requests.node_accounting, rec.nonzero_cpu, rec.nonzero_memory);
    requests_of(requests.scoring, rec.score_cpu, rec.score_memory);

    for (std::size_t k = 0; k < pod.tolerations.size(); ++k)
      rec.tolerations.push_back(compile_toleration(state_.strings, pod.tolerations[k], pod.source, k));
    compile_node_affinity(pod, rec);
    compile_host_ports(pod, rec);
    compile_images(pod, rec);
    rec.spread_constraints = constraints_->spread_constraints(pod, rec.labels);
    rec.default_spread_selector = constraints_->default_spread_selector(pod, rec.labels, rec.namespace_id);
    rec.pod_affinity = constraints_->pod_affinity(pod, rec.labels, rec.namespace_id);
    compile_gpu(pod, rec);
    return rec;
  }

  // Label keys and values a pod names but no node has stay uninterned (kUnseenString):
  // they can never equal a node label, which is all NodeAffinity asks of them. Pods with
  // equal constraints share one compiled record.
  void compile_node_affinity(const io::PodObject& pod, PodRecord& rec) {
    const std::optional<io::NodeAffinity> none;
    const auto& affinity = pod.affinity ? pod.affinity->node_affinity : none;
    auto compiled = compile_pod_node_affinity(pod.node_selector, affinity, lookup_);
    if (!compiled) return;
    auto [it, inserted] = affinities_.emplace(compiled->signature, nullptr);
    if (inserted) it->second = std::move(compiled);
    rec.node_affinity = it->second;
  }

  // util.GetHostPorts, with HostPortInfo's sanitizing (empty hostIP: 0.0.0.0, empty
  // protocol: TCP) done once here.
  void compile_host_ports(const io::PodObject& pod, PodRecord& rec) {
    auto add = [&](const io::Container& c) {
      for (const io::ContainerPort& port : c.ports) {
        if (port.host_port <= 0) continue;
        rec.host_ports.push_back({state_.strings.intern(port.host_ip.empty() ? "0.0.0.0" : port.host_ip),
                                  state_.strings.intern(port.protocol.empty() ? "TCP" : port.protocol),
                                  port.host_port});
      }
    };
    for (const io::Container& c : pod.init_containers)
      if (c.restart_policy_always) add(c);
    for (const io::Container& c : pod.containers) add(c);
  }

  // imagelocality.sumImageScores reads init and regular containers' images.
  void compile_images(const io::PodObject& pod, PodRecord& rec) {
    auto add = [&](const io::Container& c) {
      if (const auto id = find_normalized_image(state_.strings, c.image))
        if (auto it = image_index_.find(*id); it != image_index_.end()) rec.images.push_back(it->second);
    };
    for (const io::Container& c : pod.init_containers) add(c);
    for (const io::Container& c : pod.containers) add(c);
    std::sort(rec.images.begin(), rec.images.end());
    rec.image_containers = static_cast<std::uint32_t>(pod.init_containers.size() + pod.containers.size());
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
    check_bound_gpu(pod, rec, *node);
    state_.bind(p, *node);
  }

  const io::ClusterObjects& objects_;
  std::span<const PodStamp> stamps_;
  ClusterState state_;
  // Made when the pods are built: it interns the owners' selectors, and the ids must be
  // handed out in the same order as ever (after nodes, images and namespaces).
  std::optional<PodConstraintCompiler> constraints_;
  std::uint32_t order_ = 0;  // input position of the next pod (PodRecord::file_order)
  BuildOptions options_;
  std::vector<PodRequests> pod_requests_;  // per pod, then per stamp template
  std::unordered_map<StringId, ImageIndex> image_index_;
  std::unordered_map<std::string, std::shared_ptr<const PodNodeAffinity>> affinities_;
  std::unordered_map<std::string, PodGroupIndex> group_index_;
  SelectorLookup lookup_ = selector_lookup();
};

}  // namespace

ClusterState build_cluster_state(const io::ClusterObjects& objects) { return Builder(objects, {}, {}).build(); }

ClusterState build_cluster_state(const io::ClusterObjects& objects, const BuildOptions& options) {
  return Builder(objects, {}, options).build();
}

ClusterState build_cluster_state(const io::ClusterObjects& objects, std::span<const PodStamp> stamps) {
  return Builder(objects, stamps, {}).build();
}

io::PodObject stamp_copy(const PodStamp& stamp, std::uint32_t k) {
  io::PodObject pod = stamp.pod_template;
  pod.name = stamp.name_prefix + std::to_string(stamp.first_copy + k);
  pod.uid = stamp.uid_prefix + std::to_string(stamp.uid_first + k);
  pod.creation_timestamp_ns = stamp.first_creation_ns + static_cast<std::int64_t>(k) * stamp.creation_step_ns;
  return pod;
}

NodeShape capture_node(const ClusterState& cluster, NodeIndex node) {
  const NodeTable& t = cluster.nodes;
  NodeShape shape;
  for (const auto& column : t.allocatable) shape.allocatable.push_back(column[node]);
  shape.allowed_pods = t.allowed_pods[node];
  shape.unschedulable = t.unschedulable[node];
  const auto labels = t.labels_of(node);
  shape.labels.assign(labels.begin(), labels.end());
  shape.label_numbers.assign(t.label_numbers.begin() + t.label_offsets[node],
                             t.label_numbers.begin() + t.label_offsets[node + 1]);
  if (const auto key = cluster.strings.find("kubernetes.io/hostname"))
    for (std::size_t i = 0; i < shape.labels.size(); ++i)
      if (shape.labels[i].key == *key) shape.hostname = i;
  shape.taints.assign(t.taints.begin() + t.taint_offsets[node], t.taints.begin() + t.taint_offsets[node + 1]);
  shape.images.assign(t.node_images.begin() + t.image_offsets[node], t.node_images.begin() + t.image_offsets[node + 1]);
  return shape;
}

void resize_node_tail(ClusterState& cluster, std::size_t keep, const NodeShape& shape, std::size_t count,
                      const std::function<std::string(std::size_t)>& name) {
  NodeTable& t = cluster.nodes;
  for (std::size_t n = keep; n < t.size; ++n)
    for (std::uint32_t i = t.image_offsets[n]; i < t.image_offsets[n + 1]; ++i) --t.images.node_count[t.node_images[i]];
  const std::size_t size = keep + count;
  t.names.resize(keep);
  for (std::size_t r = 0; r < t.allocatable.size(); ++r) {
    t.allocatable[r].resize(keep);
    t.allocatable[r].resize(size, shape.allocatable[r]);
    t.requested[r].resize(keep);
    t.requested[r].resize(size, 0);
  }
  auto tail = [&](auto& column, auto value) {
    column.resize(keep);
    column.resize(size, value);
  };
  tail(t.nonzero_cpu, std::int64_t{0});
  tail(t.nonzero_memory, std::int64_t{0});
  tail(t.allowed_pods, shape.allowed_pods);
  tail(t.pod_count, std::int32_t{0});
  tail(t.unschedulable, shape.unschedulable);
  t.used_ports.resize(keep);
  t.used_ports.resize(size);
  t.label_pairs.resize(t.label_offsets[keep]);
  t.label_numbers.resize(t.label_offsets[keep]);
  t.label_offsets.resize(keep + 1);
  t.taints.resize(t.taint_offsets[keep]);
  t.taint_offsets.resize(keep + 1);
  t.node_images.resize(t.image_offsets[keep]);
  t.image_offsets.resize(keep + 1);
  std::vector<LabelPair> labels = shape.labels;
  for (std::size_t i = 1; i <= count; ++i) {
    t.names.push_back(name(i));
    if (shape.hostname) labels[*shape.hostname].value = cluster.strings.intern(t.names.back());
    t.label_pairs.insert(t.label_pairs.end(), labels.begin(), labels.end());
    t.label_numbers.insert(t.label_numbers.end(), shape.label_numbers.begin(), shape.label_numbers.end());
    if (shape.hostname) {  // Go's ParseInt of the new name
      const auto number = parse_go_int64(t.names.back());
      t.label_numbers[t.label_numbers.size() - labels.size() + *shape.hostname] = {number.value_or(0),
                                                                                  number.has_value()};
    }
    t.label_offsets.push_back(static_cast<std::uint32_t>(t.label_pairs.size()));
    t.taints.insert(t.taints.end(), shape.taints.begin(), shape.taints.end());
    t.taint_offsets.push_back(static_cast<std::uint32_t>(t.taints.size()));
    t.node_images.insert(t.node_images.end(), shape.images.begin(), shape.images.end());
    t.image_offsets.push_back(static_cast<std::uint32_t>(t.node_images.size()));
    for (const ImageIndex img : shape.images) ++t.images.node_count[img];
  }
  t.size = size;
  t.derive_scoring_columns();
  score_image_spread(t);
  cluster.index_node_names();
}

}  // namespace podium::state
