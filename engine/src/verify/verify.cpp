// verify_placements: the replay. See podium/verify/verify.hpp for what is shared with the
// engine and what is not; docs/VERIFY.md for the rules checked.
//
// The replay state is deliberately plain: per node a label map, what its bound pods
// request by resource name, their host ports and the pods themselves; per pod its labels,
// rounded requests and host ports. Checks walk it directly (every bound pod, for the
// inter-pod rules), trading speed for code simple enough to read against SEMANTICS.md.

#include "podium/verify/verify.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "matchers.hpp"
#include "podium/io/pod_requests.hpp"
#include "podium/state/resources.hpp"

namespace podium::verify {
namespace {

using detail::Labels;
using detail::Selector;

struct HostPort {
  std::string ip, protocol;
  std::int32_t port = 0;
  std::size_t owner = 0;  // pod index
};

struct PodInfo {
  const io::PodObject* obj = nullptr;
  std::string key;
  Labels labels;
  std::map<std::string, std::int64_t> requests;  // accounted resources, rounded as NodeInfo does
  std::vector<HostPort> ports;
  long node = -1;  // bound node, -1 while pending
  std::vector<int> gpus;  // GPU sharing: the devices it holds while bound
};

struct NodeInfo {
  const io::NodeObject* obj = nullptr;
  Labels labels;
  std::map<std::string, std::int64_t> allocatable;
  std::int64_t allowed_pods = 0;
  std::map<std::string, std::int64_t> used;
  std::vector<HostPort> ports;
  std::vector<std::size_t> pods;  // bound here, in bind order
  std::vector<std::int32_t> gpu_free;  // GPU sharing: free milli-GPU per device (1000 = idle)
  bool exists = true;  // false until the node's creation entry (PlacementEntry::created)
};

// Resources NodeResourcesFit accounts (framework.Resource): cpu, memory, ephemeral-storage
// and scalar resources; anything else ("pods" in a request, "foo") is ignored.
bool accounted(const std::string& name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || state::is_scalar_resource_name(name);
}

// MilliValue for cpu, Value for everything else (both round up).
std::int64_t to_units(const std::string& name, const io::Quantity& q) {
  const auto v = name == "cpu" ? q.milli_value() : q.value();
  return v.value_or(std::numeric_limits<std::int64_t>::max());
}

std::string port_text(const HostPort& p) {
  return p.protocol + "/" + p.ip + ":" + std::to_string(p.port);
}

// A pod (anti-)affinity term ready to match pods.
struct Term {
  Selector selector;
  std::set<std::string> namespaces;
  bool all_namespaces = false;              // incoming form: namespaceSelector {}
  std::optional<Selector> namespace_selector;  // existing form: matched against the incoming pod's namespace labels
  std::string topology_key;
};

class Replay {
 public:
  Replay(const io::ClusterObjects& objects, const VerifyOptions& options) : options_(options) {
    for (const auto& owner : objects.selector_owners) owners_.push_back(&owner);
    for (const auto& ns : objects.namespaces) {
      namespace_labels_[ns.name] = detail::to_labels(ns.labels);
    }
    for (const auto& n : objects.nodes) {
      NodeInfo info;
      info.obj = &n;
      info.labels = detail::to_labels(n.labels);
      for (const auto& [name, q] : n.allocatable) {
        if (name == "pods") info.allowed_pods = q.value().value_or(0);
        else if (accounted(name)) info.allocatable[name] = to_units(name, q);
      }
      if (n.gpu_share) info.gpu_free.assign(static_cast<std::size_t>(n.gpu_share->gpu_count), 1000);
      node_index_.emplace(n.name, nodes_.size());
      nodes_.push_back(std::move(info));
    }
    for (const auto& p : objects.pods) {
      PodInfo info;
      info.obj = &p;
      info.key = p.key();
      info.labels = detail::to_labels(p.labels);
      for (const auto& [name, q] : io::pod_requests(p))
        if (accounted(name)) info.requests[name] = to_units(name, q);
      auto add_ports = [&](const io::Container& c) {
        for (const auto& port : c.ports) {
          if (port.host_port <= 0) continue;
          info.ports.push_back({port.host_ip.empty() ? "0.0.0.0" : port.host_ip,
                                port.protocol.empty() ? "TCP" : port.protocol, port.host_port, pods_.size()});
        }
      };
      for (const auto& c : p.containers) add_ports(c);
      for (const auto& c : p.init_containers)
        if (c.restart_policy_always) add_ports(c);
      pod_index_.emplace(info.key, pods_.size());
      pods_.push_back(std::move(info));
    }
    terms_.resize(pods_.size());
    for (std::size_t i = 0; i < pods_.size(); ++i) {
      const auto& a = pods_[i].obj->affinity;
      if (!a) continue;
      if (a->pod_affinity)
        for (const auto& t : a->pod_affinity->required) terms_[i].affinity.push_back(incoming_term(t, pods_[i]));
      if (a->pod_anti_affinity)
        for (const auto& t : a->pod_anti_affinity->required) {
          terms_[i].anti.push_back(incoming_term(t, pods_[i]));
          terms_[i].anti_existing.push_back(existing_term(t, pods_[i]));
        }
    }
    // Pods already bound count from the start (being deleted or not); terminated pods are
    // ignored, as the scheduler's cache ignores them (PodObject::ignored_by_scheduler).
    for (std::size_t i = 0; i < pods_.size(); ++i) {
      const io::PodObject& p = *pods_[i].obj;
      if (p.node_name.empty() || p.ignored_by_scheduler()) continue;
      if (const auto it = node_index_.find(p.node_name); it != node_index_.end()) {
        bind(i, it->second);
        if (p.gpu_share) take_gpus(i, it->second, p.gpu_share->devices.empty() ? default_gpus(i, it->second)
                                                                              : p.gpu_share->devices);
      }
    }
  }

  // GPU sharing: a pod bound in the input without gpu-index holds the devices the loader's
  // rule gives it (docs/FORMATS.md): a share on the fullest device that still has room
  // (lowest index on ties), whole GPUs on the lowest-indexed idle devices.
  std::vector<int> default_gpus(std::size_t p, std::size_t n) const {
    const io::PodGpuShare& want = *pods_[p].obj->gpu_share;
    const std::vector<std::int32_t>& free = nodes_[n].gpu_free;
    std::vector<int> got;
    if (want.num_gpu == 1 && want.gpu_milli < 1000) {
      int best = -1;
      for (int d = 0; d < static_cast<int>(free.size()); ++d)
        if (free[d] >= want.gpu_milli && (best < 0 || free[d] < free[best])) best = d;
      if (best >= 0) got.push_back(best);
    } else {
      for (int d = 0; d < static_cast<int>(free.size()) && static_cast<int>(got.size()) < want.num_gpu; ++d)
        if (free[d] == 1000) got.push_back(d);
    }
    return got;
  }

  void take_gpus(std::size_t p, std::size_t n, const std::vector<int>& devices) {
    const std::int32_t milli = pods_[p].obj->gpu_share->gpu_milli;
    for (const int d : devices)
      if (d >= 0 && static_cast<std::size_t>(d) < nodes_[n].gpu_free.size()) nodes_[n].gpu_free[d] -= milli;
    pods_[p].gpus = devices;
  }

  // GpuShare: the node's model is one the pod allows, and the devices the entry names are
  // exactly as many as it asks, distinct, on the node, each with the milli-GPU it asks.
  void check_gpus(std::size_t p, std::size_t n, const std::optional<std::vector<int>>& devices,
                  std::vector<Violation>& out) const {
    const io::PodObject& obj = *pods_[p].obj;
    const NodeInfo& node = nodes_[n];
    auto report = [&](std::string detail) {
      out.push_back({pods_[p].key, node.obj->name, rule_name(Rule::kGpuShare), std::move(detail), 0});
    };
    if (!obj.gpu_share) {
      if (devices && !devices->empty()) report("GPU devices listed for a pod that asks for no shared GPU");
      return;
    }
    const io::PodGpuShare& want = *obj.gpu_share;
    if (node.gpu_free.empty()) return report("node has no GPU devices (alibabacloud.com/gpu-count)");
    if (!want.models.empty()) {
      const std::string model = node.obj->gpu_share ? node.obj->gpu_share->model : "";
      if (std::find(want.models.begin(), want.models.end(), model) == want.models.end())
        report("GPU model \"" + model + "\" is not one the pod allows");
    }
    if (!devices) return report("the placement names no devices (\"gpus\") for a GPU-sharing pod");
    if (static_cast<std::int32_t>(devices->size()) != want.num_gpu)
      return report("the placement names " + std::to_string(devices->size()) + " device(s), the pod asks for " +
                    std::to_string(want.num_gpu));
    for (std::size_t i = 0; i < devices->size(); ++i) {
      const int d = (*devices)[i];
      if (std::find(devices->begin(), devices->begin() + static_cast<long>(i), d) != devices->begin() + static_cast<long>(i))
        report("device " + std::to_string(d) + " is named twice");
      else if (static_cast<std::size_t>(d) >= node.gpu_free.size())
        report("device " + std::to_string(d) + " does not exist (the node has " + std::to_string(node.gpu_free.size()) + ")");
      else if (node.gpu_free[static_cast<std::size_t>(d)] < want.gpu_milli)
        report("device " + std::to_string(d) + " has " + std::to_string(node.gpu_free[static_cast<std::size_t>(d)]) +
               " milli-GPU free, the pod asks for " + std::to_string(want.gpu_milli));
    }
  }

  std::optional<std::size_t> find_pod(const std::string& key) const {
    const auto it = pod_index_.find(key);
    return it == pod_index_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::size_t> find_node(const std::string& name) const {
    const auto it = node_index_.find(name);
    return it == node_index_.end() ? std::nullopt : std::optional(it->second);
  }
  const PodInfo& pod(std::size_t i) const { return pods_[i]; }
  const NodeInfo& node(std::size_t n) const { return nodes_[n]; }
  void set_exists(std::size_t n, bool exists) { nodes_[n].exists = exists; }

  void bind(std::size_t p, std::size_t n) {
    PodInfo& pod = pods_[p];
    NodeInfo& node = nodes_[n];
    pod.node = static_cast<long>(n);
    for (const auto& [name, v] : pod.requests) node.used[name] += v;
    for (const HostPort& hp : pod.ports) node.ports.push_back(hp);
    node.pods.push_back(p);
    if (!terms_[p].anti_existing.empty()) anti_carriers_.push_back(p);
    for (auto& [key, counter] : counters_)
      if (counter.namespace_ == pod.obj->namespace_ && counter.selector.matches(pod.labels)) ++counter.per_node[n];
  }

  // The reverse of bind (an eviction or a deletion): pod p leaves its node; its requests,
  // host ports, match counts and shared GPU devices go with it.
  void unbind(std::size_t p) {
    PodInfo& pod = pods_[p];
    if (pod.node < 0) return;
    const auto n = static_cast<std::size_t>(pod.node);
    NodeInfo& node = nodes_[n];
    for (const auto& [name, v] : pod.requests) node.used[name] -= v;
    if (pod.obj->gpu_share) {
      const std::int32_t milli = pod.obj->gpu_share->gpu_milli;
      for (const int d : pod.gpus)
        if (d >= 0 && static_cast<std::size_t>(d) < node.gpu_free.size()) node.gpu_free[static_cast<std::size_t>(d)] += milli;
    }
    pod.gpus.clear();
    std::erase_if(node.ports, [&](const HostPort& hp) { return hp.owner == p; });
    std::erase(node.pods, p);
    std::erase(anti_carriers_, p);
    for (auto& [key, counter] : counters_)
      if (counter.namespace_ == pod.obj->namespace_ && counter.selector.matches(pod.labels)) --counter.per_node[n];
    pod.node = -1;
  }
  bool bound(std::size_t p) const { return pods_[p].node >= 0; }

  // Every rule of `rules` pod p breaks on node n, in filter order.
  // `recreated`: the pod is placed again after an eviction or deletion entry, i.e. it is its
  // controller's replacement (`podium schedule --requeue-victims`), whose spec has no
  // nodeName: the old pod's binding does not bind it.
  void check(std::size_t p, std::size_t n, const ProfileRules& rules, bool recreated, std::vector<Violation>& out) const {
    auto report = [&](Rule rule, std::string detail) {
      out.push_back({pods_[p].key, nodes_[n].obj->name, rule_name(rule), std::move(detail), 0});
    };
    const PodInfo& pod = pods_[p];
    const NodeInfo& node = nodes_[n];
    const io::PodObject& obj = *pod.obj;

    // NodeUnschedulable: a cordoned node, unless the pod tolerates the unschedulable taint.
    if (rules.enforces(Rule::kNodeUnschedulable) && node.obj->unschedulable &&
        !detail::tolerates_any(obj.tolerations, io::Taint{"node.kubernetes.io/unschedulable", "", "NoSchedule"}))
      report(Rule::kNodeUnschedulable, "node is cordoned (spec.unschedulable) and the pod does not tolerate "
                                       "node.kubernetes.io/unschedulable:NoSchedule");
    // NodeName: spec.nodeName, when set, must be this node.
    if (rules.enforces(Rule::kNodeName) && !recreated && !obj.node_name.empty() && obj.node_name != node.obj->name)
      report(Rule::kNodeName, "spec.nodeName is " + obj.node_name);
    // TaintToleration: every NoSchedule / NoExecute taint tolerated.
    if (rules.enforces(Rule::kTaintToleration))
      if (const io::Taint* t = detail::untolerated_hard_taint(node.obj->taints, obj.tolerations))
        report(Rule::kTaintToleration, "untolerated taint " + t->key + (t->value.empty() ? "" : "=" + t->value) + ":" +
                                           t->effect);
    if (rules.enforces(Rule::kNodeAffinity)) check_node_affinity(pod, node, rules, report);
    if (rules.enforces(Rule::kNodePorts)) {
      for (const HostPort& want : pod.ports)
        if (const HostPort* used = port_conflict(node, want)) {
          report(Rule::kNodePorts, "host port " + port_text(want) + " conflicts with " + pods_[used->owner].key + " (" +
                                       port_text(*used) + ")");
          break;
        }
    }
    if (rules.enforces(Rule::kNodeResourcesFit)) check_resources(pod, node, rules, report);
    if (rules.enforces(Rule::kPodTopologySpread)) check_spread(pod, n, rules, report);
    if (rules.enforces(Rule::kInterPodAffinity)) check_pod_affinity(p, n, report);
  }

 private:
  template <class Report>
  void check_node_affinity(const PodInfo& pod, const NodeInfo& node, const ProfileRules& rules, Report& report) const {
    const auto& added = rules.node_affinity.added_affinity;
    if (added && added->required &&
        !detail::node_selector_terms_match(*added->required, node.obj->name, node.labels)) {
      report(Rule::kNodeAffinity, "scheduler-enforced node affinity (addedAffinity) not matched");
      return;
    }
    for (const auto& [k, v] : pod.obj->node_selector) {
      const auto it = node.labels.find(k);
      if (it == node.labels.end() || it->second != v) {
        report(Rule::kNodeAffinity, "nodeSelector " + k + "=" + v + " not matched");
        return;
      }
    }
    const auto& a = pod.obj->affinity;
    if (a && a->node_affinity && a->node_affinity->required &&
        !detail::node_selector_terms_match(*a->node_affinity->required, node.obj->name, node.labels))
      report(Rule::kNodeAffinity, "required node affinity not matched");
  }

  // The pod's own nodeSelector and required node affinity (no addedAffinity): what
  // PodTopologySpread's nodeAffinityPolicy Honor applies.
  bool pod_node_affinity_matches(const PodInfo& pod, const NodeInfo& node) const {
    for (const auto& [k, v] : pod.obj->node_selector) {
      const auto it = node.labels.find(k);
      if (it == node.labels.end() || it->second != v) return false;
    }
    const auto& a = pod.obj->affinity;
    return !(a && a->node_affinity && a->node_affinity->required &&
             !detail::node_selector_terms_match(*a->node_affinity->required, node.obj->name, node.labels));
  }

  // HostPortInfo.CheckConflict: 0.0.0.0 conflicts with the protocol and port on any IP; a
  // specific IP with itself and 0.0.0.0.
  static const HostPort* port_conflict(const NodeInfo& node, const HostPort& want) {
    for (const HostPort& used : node.ports) {
      if (used.protocol != want.protocol || used.port != want.port) continue;
      if (want.ip == "0.0.0.0" || used.ip == want.ip || used.ip == "0.0.0.0") return &used;
    }
    return nullptr;
  }

  // NodeResourcesFit's fitsRequest.
  template <class Report>
  void check_resources(const PodInfo& pod, const NodeInfo& node, const ProfileRules& rules, Report& report) const {
    if (static_cast<std::int64_t>(node.pods.size()) + 1 > node.allowed_pods)
      report(Rule::kNodeResourcesFit, "too many pods: " + std::to_string(node.pods.size()) + " bound, " +
                                          std::to_string(node.allowed_pods) + " allowed");
    for (const auto& [name, want] : pod.requests) {
      if (want <= 0) continue;
      if (state::is_extended_resource_name(name)) {
        const auto& ig = rules.fit.ignored_resources;
        const auto& groups = rules.fit.ignored_resource_groups;
        const std::string prefix = name.substr(0, name.find('/'));
        if (std::find(ig.begin(), ig.end(), name) != ig.end() ||
            std::find(groups.begin(), groups.end(), prefix) != groups.end())
          continue;
      }
      const auto a = node.allocatable.find(name);
      const auto u = node.used.find(name);
      const std::int64_t alloc = a == node.allocatable.end() ? 0 : a->second;
      const std::int64_t used = u == node.used.end() ? 0 : u->second;
      if (want > alloc - used)
        report(Rule::kNodeResourcesFit, "insufficient " + name + ": requests " + std::to_string(want) + ", free " +
                                            std::to_string(alloc - used) + " of " + std::to_string(alloc));
    }
  }

  // Per node, the bound pods of `ns` that `selector` matches (see counters_).
  const std::vector<std::int64_t>& match_counter(const std::string& ns, const Selector& selector) const {
    std::string key = ns;
    for (const auto& r : selector.requirements) {
      key += '\x1f' + r.key + '\x1e' + r.op;
      for (const auto& v : r.values) key += '\x1d' + v;
    }
    auto [it, fresh] = counters_.try_emplace(std::move(key));
    if (fresh) {
      it->second.namespace_ = ns;
      it->second.selector = selector;
      it->second.per_node.assign(nodes_.size(), 0);
      for (std::size_t n = 0; n < nodes_.size(); ++n)
        for (std::size_t q : nodes_[n].pods)
          if (pods_[q].obj->namespace_ == ns && selector.matches(pods_[q].labels)) ++it->second.per_node[n];
    }
    return it->second.per_node;
  }

  // helper.DefaultSelector: the selectors of the Services (same namespace, non-nil
  // selector) that select the pod merged as a label map, its controlling
  // ReplicationController's map merged too, then its controlling ReplicaSet's or
  // StatefulSet's selector requirements added. Owners absent from the input add nothing.
  Selector default_selector(const PodInfo& pod) const {
    Labels label_set;
    const io::OwnerReference* controller = nullptr;
    for (const auto& ref : pod.obj->owner_references)
      if (ref.controller) {
        controller = &ref;
        break;
      }
    std::vector<detail::Requirement> extra;
    for (const auto& owner : owners_) {
      if (owner->namespace_ != pod.obj->namespace_ || !owner->selector) continue;
      if (owner->kind == "Service") {
        if (detail::make_selector(owner->selector).matches(pod.labels))
          for (const auto& [k, v] : owner->selector->match_labels) label_set[k] = v;
      } else if (controller && controller->kind == owner->kind && controller->name == owner->name) {
        if (owner->kind == "ReplicationController") {
          for (const auto& [k, v] : owner->selector->match_labels) label_set[k] = v;
        } else {
          const Selector s = detail::make_selector(owner->selector);
          extra.insert(extra.end(), s.requirements.begin(), s.requirements.end());
        }
      }
    }
    Selector out;
    for (const auto& [k, v] : label_set) out.requirements.push_back({k, "In", {v}});
    out.requirements.insert(out.requirements.end(), extra.begin(), extra.end());
    return out;
  }

  // PodTopologySpread's filter over the pod's DoNotSchedule constraints: its own when it
  // has any constraint, else the profile's default constraints with the pod's default selector.
  template <class Report>
  void check_spread(const PodInfo& pod, std::size_t n, const ProfileRules& rules, Report& report) const {
    struct Constraint {
      std::string topology_key;
      std::int32_t max_skew;
      std::int32_t min_domains;
      Selector selector;
      bool honor_affinity, honor_taints;
    };
    std::vector<Constraint> cs;
    if (!pod.obj->topology_spread_constraints.empty()) {
      for (const auto& c : pod.obj->topology_spread_constraints) {
        if (c.when_unsatisfiable != "DoNotSchedule") continue;
        Constraint k{c.topology_key, c.max_skew, c.min_domains.value_or(1), detail::make_selector(c.label_selector),
                     c.node_affinity_policy != "Ignore", c.node_taints_policy == "Honor"};
        detail::merge_label_keys(k.selector, c.match_label_keys, pod.labels, true);
        cs.push_back(std::move(k));
      }
    } else {
      for (const auto& c : rules.spread_defaults) {
        if (c.when_unsatisfiable != "DoNotSchedule") continue;
        cs.push_back({c.topology_key, c.max_skew, c.min_domains.value_or(1), {},
                      c.node_affinity_policy.value_or("Honor") == "Honor", c.node_taints_policy.value_or("") == "Honor"});
      }
      if (!cs.empty()) {
        const Selector selector = default_selector(pod);
        if (selector.empty()) return;
        for (auto& c : cs) c.selector = selector;
      }
    }
    if (cs.empty()) return;
    // Matching pods per domain over the eligible nodes: every constraint's key present,
    // then each constraint's inclusion policies.
    std::vector<std::map<std::string, std::int64_t>> counts(cs.size());
    std::vector<const std::vector<std::int64_t>*> matching_per_node;
    for (const Constraint& c : cs)
      matching_per_node.push_back(c.selector.empty() ? nullptr : &match_counter(pod.obj->namespace_, c.selector));
    for (std::size_t o = 0; o < nodes_.size(); ++o) {
      const NodeInfo& other = nodes_[o];
      if (!other.exists) continue;  // not created yet: none of its domains exists
      const bool has_keys = std::all_of(cs.begin(), cs.end(), [&](const Constraint& c) {
        return other.labels.count(c.topology_key) > 0;
      });
      if (!has_keys) continue;
      for (std::size_t i = 0; i < cs.size(); ++i) {
        const Constraint& c = cs[i];
        if (c.honor_affinity && !pod_node_affinity_matches(pod, other)) continue;
        if (c.honor_taints && detail::untolerated_hard_taint(other.obj->taints, pod.obj->tolerations)) continue;
        // An empty selector counts no pod (countPodsMatchSelector), though it matches the pod itself.
        const std::int64_t matching = matching_per_node[i] ? (*matching_per_node[i])[o] : 0;
        counts[i][other.labels.at(c.topology_key)] += matching;
      }
    }
    const NodeInfo& node = nodes_[n];
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const Constraint& c = cs[i];
      const std::string& key = c.topology_key;
      const auto value = node.labels.find(key);
      if (value == node.labels.end()) {
        report(Rule::kPodTopologySpread, "node has no label " + key + " (topology spread constraint " +
                                             std::to_string(i) + ")");
        return;
      }
      const std::int64_t self = c.selector.matches(pod.labels) ? 1 : 0;
      std::int64_t minimum = 0;
      if (static_cast<std::int64_t>(counts[i].size()) >= c.min_domains && !counts[i].empty()) {
        minimum = std::numeric_limits<std::int64_t>::max();
        for (const auto& [v, m] : counts[i]) minimum = std::min(minimum, m);
      }
      const auto here = counts[i].find(value->second);
      const std::int64_t matching = here == counts[i].end() ? 0 : here->second;
      const std::int64_t skew = matching + self - minimum;
      if (skew > c.max_skew) {
        report(Rule::kPodTopologySpread, "topology spread " + key + "=" + value->second + ": skew " +
                                             std::to_string(skew) + " > maxSkew " + std::to_string(c.max_skew) +
                                             " (" + std::to_string(matching) + " matching + " + std::to_string(self) +
                                             " self - global minimum " + std::to_string(minimum) + ")");
        return;
      }
    }
  }

  // The incoming pod's terms: namespaceSelector merged into the namespace list
  // (mergeAffinityTermNamespacesIfNotEmpty); {} stays as "every namespace".
  Term incoming_term(const io::PodAffinityTerm& t, const PodInfo& owner) const {
    Term out = term_without_namespace_selector(t, owner);
    if (t.namespace_selector) {
      const Selector ns = detail::make_selector(t.namespace_selector);
      if (ns.empty()) {
        out.all_namespaces = true;
      } else {
        for (const auto& [name, labels] : namespace_labels_)
          if (ns.matches(labels)) out.namespaces.insert(name);
      }
    }
    return out;
  }

  // An existing pod's term: its namespaceSelector is matched against the labels of the
  // incoming pod's Namespace object (none: no labels).
  Term existing_term(const io::PodAffinityTerm& t, const PodInfo& owner) const {
    Term out = term_without_namespace_selector(t, owner);
    if (t.namespace_selector) out.namespace_selector = detail::make_selector(t.namespace_selector);
    return out;
  }

  // What an incoming and an existing pod's term share: the selector with matchLabelKeys /
  // mismatchLabelKeys merged from the owner's labels, the named namespaces (the owner's own
  // when the term names none and has no namespaceSelector), the topology key.
  static Term term_without_namespace_selector(const io::PodAffinityTerm& t, const PodInfo& owner) {
    Term out;
    out.selector = detail::make_selector(t.label_selector);
    detail::merge_label_keys(out.selector, t.match_label_keys, owner.labels, true);
    detail::merge_label_keys(out.selector, t.mismatch_label_keys, owner.labels, false);
    out.namespaces.insert(t.namespaces.begin(), t.namespaces.end());
    if (t.namespaces.empty() && !t.namespace_selector) out.namespaces.insert(owner.obj->namespace_);
    out.topology_key = t.topology_key;
    return out;
  }

  bool term_matches(const Term& t, const PodInfo& q) const {
    const std::string& ns = q.obj->namespace_;
    bool in_ns = t.all_namespaces || t.namespaces.count(ns) > 0;
    if (!in_ns && t.namespace_selector) {
      static const Labels kNone;
      const auto it = namespace_labels_.find(ns);
      in_ns = t.namespace_selector->matches(it == namespace_labels_.end() ? kNone : it->second);
    }
    return in_ns && t.selector.matches(q.labels);
  }

  const std::string* domain(std::size_t n, const std::string& key) const {
    const auto it = nodes_[n].labels.find(key);
    return it == nodes_[n].labels.end() ? nullptr : &it->second;
  }

  // InterPodAffinity's filter: required affinity, required anti-affinity, then the bound
  // pods' required anti-affinity against this pod.
  template <class Report>
  void check_pod_affinity(std::size_t p, std::size_t n, Report& report) const {
    const PodInfo& pod = pods_[p];
    if (!terms_[p].affinity.empty()) {
      const std::vector<Term>& terms = terms_[p].affinity;
      auto matches_all = [&](const PodInfo& q) {
        return std::all_of(terms.begin(), terms.end(), [&](const Term& t) { return term_matches(t, q); });
      };
      // Upstream's affinityCounts: per (key, value), bound pods matching every term.
      std::map<std::pair<std::string, std::string>, std::int64_t> counts;
      for (std::size_t m = 0; m < nodes_.size(); ++m)
        for (std::size_t q : nodes_[m].pods) {
          if (!matches_all(pods_[q])) continue;
          for (const Term& t : terms)
            if (const std::string* v = domain(m, t.topology_key)) ++counts[{t.topology_key, *v}];
        }
      bool pods_exist = true;
      std::string missing;
      for (const Term& t : terms) {
        const std::string* v = domain(n, t.topology_key);
        if (!v) {
          report(Rule::kInterPodAffinity, "node has no label " + t.topology_key + " (required pod affinity)");
          return;
        }
        if (counts[{t.topology_key, *v}] <= 0 && pods_exist) {
          pods_exist = false;
          missing = t.topology_key + "=" + *v;
        }
      }
      // The first pod of a group: no matching pod anywhere (counts has no entry with a
      // positive count) and the pod matches its own terms.
      const bool none_anywhere =
          std::none_of(counts.begin(), counts.end(), [](const auto& kv) { return kv.second > 0; });
      if (!pods_exist && !(none_anywhere && matches_all(pod))) {
        report(Rule::kInterPodAffinity, "required pod affinity: no pod matching every term in " + missing);
        return;
      }
    }
    {
      for (const Term& t : terms_[p].anti) {
        const std::string* v = domain(n, t.topology_key);
        if (!v) continue;
        for (std::size_t m = 0; m < nodes_.size(); ++m) {
          const std::string* w = domain(m, t.topology_key);
          if (!w || *w != *v) continue;
          for (std::size_t q : nodes_[m].pods)
            if (term_matches(t, pods_[q])) {
              report(Rule::kInterPodAffinity,
                     "required pod anti-affinity with " + pods_[q].key + " (" + t.topology_key + ")");
              return;
            }
        }
      }
    }
    for (std::size_t q : anti_carriers_) {
      const PodInfo& carrier = pods_[q];
      const std::size_t m = static_cast<std::size_t>(carrier.node);
      for (const Term& t : terms_[q].anti_existing) {
        const std::string* w = domain(m, t.topology_key);
        const std::string* v = domain(n, t.topology_key);
        if (!w || !v || *w != *v || !term_matches(t, pod)) continue;
        report(Rule::kInterPodAffinity,
               "existing pod " + carrier.key + "'s required anti-affinity (" + t.topology_key + ")");
        return;
      }
    }
  }

  const VerifyOptions& options_;
  std::vector<PodInfo> pods_;
  std::vector<NodeInfo> nodes_;
  std::map<std::string, std::size_t, std::less<>> pod_index_, node_index_;
  std::map<std::string, Labels, std::less<>> namespace_labels_;
  std::vector<std::size_t> anti_carriers_;  // bound pods with required anti-affinity
  std::vector<const io::SelectorOwnerObject*> owners_;
  // Per pod, its required terms compiled once: affinity and anti-affinity in the incoming
  // form, anti-affinity in the existing form.
  struct PodTerms {
    std::vector<Term> affinity, anti, anti_existing;
  };
  std::vector<PodTerms> terms_;
  // Bound pods matching (namespace, selector), per node: registered by one scan on first
  // use, kept exact by bind(). Keyed by selector_key().
  struct MatchCounter {
    std::string namespace_;
    Selector selector;
    std::vector<std::int64_t> per_node;
  };
  mutable std::map<std::string, MatchCounter, std::less<>> counters_;
};

const ProfileRules& rules_for(const VerifyOptions& options, const io::PodObject& pod) {
  const auto it = options.profiles.find(pod.scheduler_name);
  return it == options.profiles.end() ? options.fallback : it->second;
}

}  // namespace

VerifyReport verify_placements(const io::ClusterObjects& objects, const Placements& placements,
                               const VerifyOptions& options) {
  VerifyReport report;
  Replay replay(objects, options);
  std::map<std::size_t, std::string> seen;  // pod -> path of its first entry
  std::set<std::size_t> evicted;            // pods an eviction entry took off their node
  // Nodes created mid-list: absent until their creation entry (the first one naming them).
  std::map<std::size_t, std::string> created_at;  // node -> path of its creation entry
  for (const PlacementEntry& entry : placements.entries)
    if (entry.created)
      if (const auto n = replay.find_node(*entry.node); n && created_at.emplace(*n, entry.path).second)
        replay.set_exists(*n, false);
  for (std::size_t e = 0; e < placements.entries.size(); ++e) {
    const PlacementEntry& entry = placements.entries[e];
    auto error = [&](const std::string& field, const std::string& message) {
      report.errors.push_back(placements.file + ": " + entry.path + "." + field + ": " + message);
    };
    if (entry.created) {
      const auto n = replay.find_node(*entry.node);
      if (!n) {
        error("node", "no node " + *entry.node + " in the cluster");
      } else if (created_at.at(*n) != entry.path) {
        error("node", "node " + *entry.node + " is created twice (first at " + created_at.at(*n) + ")");
      } else {
        replay.set_exists(*n, true);
        ++report.created;
      }
      continue;
    }
    const auto p = replay.find_pod(entry.pod);
    if (!p || replay.pod(*p).obj->ignored_by_scheduler()) {
      const io::PodObject* obj = p ? replay.pod(*p).obj : nullptr;
      error("pod", !obj                ? "no pod " + entry.pod + " in the cluster"
                   : obj->terminated() ? "pod " + entry.pod + " has terminated (phase " + obj->phase + ")"
                                       : "pod " + entry.pod + " is being deleted (metadata.deletionTimestamp), so it is not scheduled");
      continue;
    }
    if (entry.evicted_by || entry.deleted) {
      // An eviction (preemption) or a deletion: the pod must be running at this point of the
      // replay; it frees its node from here on, and may be placed again later.
      const char* what = entry.deleted ? "deleted" : "evicted";
      if (entry.evicted_by && !replay.find_pod(*entry.evicted_by)) {
        error("evicted_by", "no pod " + *entry.evicted_by + " in the cluster");
      } else if (!replay.bound(*p)) {
        error("pod", "pod " + entry.pod + " is " + what + " but is not running at this point of the list");
      } else {
        replay.unbind(*p);
        seen.erase(*p);
        evicted.insert(*p);
        ++(entry.deleted ? report.deleted : report.evicted);
      }
      continue;
    }
    if (const auto [it, fresh] = seen.emplace(*p, entry.path); !fresh) {
      error("pod", "pod " + entry.pod + " is listed twice (first at " + it->second + ")");
      continue;
    }
    if (!replay.pod(*p).obj->node_name.empty() && !evicted.contains(*p)) {
      error("pod", "pod " + entry.pod + " is already bound to " + replay.pod(*p).obj->node_name + " in the cluster");
      continue;
    }
    if (!entry.node) {
      ++report.unplaced;
      continue;
    }
    const auto n = replay.find_node(*entry.node);
    if (!n) {
      error("node", "no node " + *entry.node + " in the cluster");
      continue;
    }
    if (!replay.node(*n).exists) {
      error("node", "node " + *entry.node + " does not exist yet at this point of the list (created at " +
                        created_at.at(*n) + ")");
      continue;
    }
    ++report.checked;
    const std::size_t before = report.violations.size();
    const ProfileRules& rules = rules_for(options, *replay.pod(*p).obj);
    replay.check(*p, *n, rules, evicted.contains(*p), report.violations);
    if (rules.enforces(Rule::kGpuShare)) replay.check_gpus(*p, *n, entry.gpus, report.violations);
    for (std::size_t v = before; v < report.violations.size(); ++v) report.violations[v].entry = e;
    replay.bind(*p, *n);
    if (replay.pod(*p).obj->gpu_share && entry.gpus) replay.take_gpus(*p, *n, *entry.gpus);
  }
  return report;
}

std::string format_violation(const Violation& v) { return v.pod + " on " + v.node + ": " + v.detail; }

}  // namespace podium::verify
