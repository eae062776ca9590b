#pragma once
// A canonical text form of ClusterObjects for tests: two loads are equal when their dumps
// are, and a failing comparison shows a readable diff. Quantities print as nanos, so the
// dump shows exactly what was parsed.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "podium/io/objects.hpp"

namespace podium::io::testing {

inline std::string nanos_text(Quantity q) {
  Quantity::Nanos v = q.nanos();
  if (v == 0) return "0n";
  const bool negative = v < 0;
  std::string s;
  while (v != 0) {
    const int digit = static_cast<int>(v % 10);
    s.insert(s.begin(), static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  }
  return (negative ? "-" : "") + s + "n";
}

class Dumper {
 public:
  explicit Dumper(bool with_sources) : with_sources_(with_sources) {}

  std::string dump(const ClusterObjects& o) {
    for (const NodeObject& n : o.nodes) {
      line("Node " + n.name);
      source(n.source);
      map("labels", n.labels);
      for (const Taint& t : n.taints) line("  taint " + t.key + "=" + t.value + ":" + t.effect);
      line("  unschedulable " + std::to_string(n.unschedulable));
      resources("allocatable", n.allocatable);
      for (const NodeImage& i : n.images) line("  image " + join(i.names) + " " + std::to_string(i.size_bytes));
    }
    for (const PodObject& p : o.pods) {
      line("Pod " + p.namespace_ + "/" + p.name + " uid=" + p.uid);
      source(p.source);
      map("labels", p.labels);
      for (const OwnerReference& r : p.owner_references) {
        line("  owner " + r.kind + "/" + r.name + " uid=" + r.uid + " controller=" + std::to_string(r.controller));
      }
      line("  created " + (p.creation_timestamp_ns ? std::to_string(*p.creation_timestamp_ns) : "-"));
      line("  node=" + p.node_name + " scheduler=" + p.scheduler_name + " priority=" +
           (p.priority ? std::to_string(*p.priority) : "-") + " class=" + p.priority_class_name + " phase=" + p.phase);
      for (const Container& c : p.containers) container("container", c);
      for (const Container& c : p.init_containers) container("init", c);
      resources("overhead", p.overhead);
      if (p.pod_level_requests) resources("pod-level", *p.pod_level_requests);
      map("nodeSelector", p.node_selector);
      for (const Toleration& t : p.tolerations) {
        line("  toleration " + t.key + " " + t.op + " " + t.value + " " + t.effect + " " +
             (t.toleration_seconds ? std::to_string(*t.toleration_seconds) : "-"));
      }
      if (p.affinity) affinity(*p.affinity);
      for (const TopologySpreadConstraint& c : p.topology_spread_constraints) {
        line("  spread skew=" + std::to_string(c.max_skew) + " key=" + c.topology_key + " when=" + c.when_unsatisfiable +
             " minDomains=" + (c.min_domains ? std::to_string(*c.min_domains) : "-") + " affinity=" +
             c.node_affinity_policy + " taints=" + c.node_taints_policy + " matchLabelKeys=" + join(c.match_label_keys));
        selector("    selector", c.label_selector);
      }
    }
    for (const NamespaceObject& n : o.namespaces) {
      line("Namespace " + n.name);
      source(n.source);
      map("labels", n.labels);
    }
    for (const PriorityClassObject& c : o.priority_classes) {
      line("PriorityClass " + c.name + " value=" + std::to_string(c.value) + " default=" + std::to_string(c.global_default));
      source(c.source);
    }
    for (const SelectorOwnerObject& s : o.selector_owners) {
      line(s.kind + " " + s.namespace_ + "/" + s.name);
      source(s.source);
      selector("  selector", s.selector);
    }
    return out_.str();
  }

 private:
  void line(const std::string& s) { out_ << s << "\n"; }

  void source(const SourceRef& s) {
    if (with_sources_) line("  at " + s.file + " " + s.path);
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
    return s + "]";
  }

  void map(const char* what, const StringMap& m) {
    for (const auto& [k, v] : m) line(std::string("  ") + what + " " + k + "=" + v);
  }

  void resources(const char* what, const ResourceList& r) {
    for (const auto& [k, q] : r) line(std::string("  ") + what + " " + k + "=" + nanos_text(q));
  }

  void container(const char* what, const Container& c) {
    line(std::string("  ") + what + " " + c.name + " image=" + c.image + " sidecar=" + std::to_string(c.restart_policy_always));
    for (const auto& [k, q] : c.requests) line("    request " + k + "=" + nanos_text(q));
    for (const ContainerPort& p : c.ports) {
      line("    port " + std::to_string(p.container_port) + " host=" + std::to_string(p.host_port) + " " + p.protocol +
           " ip=" + p.host_ip);
    }
  }

  void selector(const std::string& prefix, const std::optional<LabelSelector>& s) {
    if (!s) {
      line(prefix + " nil");
      return;
    }
    line(prefix);
    for (const auto& [k, v] : s->match_labels) line(prefix + "  label " + k + "=" + v);
    for (const LabelSelectorRequirement& r : s->match_expressions) {
      line(prefix + "  expr " + r.key + " " + r.op + " " + join(r.values));
    }
  }

  void term(const std::string& prefix, const NodeSelectorTerm& t) {
    line(prefix);
    for (const NodeSelectorRequirement& r : t.match_expressions) line(prefix + "  expr " + r.key + " " + r.op + " " + join(r.values));
    for (const NodeSelectorRequirement& r : t.match_fields) line(prefix + "  field " + r.key + " " + r.op + " " + join(r.values));
  }

  void pod_term(const std::string& prefix, const PodAffinityTerm& t) {
    line(prefix + " topologyKey=" + t.topology_key + " namespaces=" + join(t.namespaces) + " matchLabelKeys=" +
         join(t.match_label_keys) + " mismatchLabelKeys=" + join(t.mismatch_label_keys));
    selector(prefix + "  labelSelector", t.label_selector);
    selector(prefix + "  namespaceSelector", t.namespace_selector);
  }

  void pod_affinity(const std::string& what, const std::optional<PodAffinity>& a) {
    if (!a) return;
    line("  " + what);
    for (const PodAffinityTerm& t : a->required) pod_term("    required", t);
    for (const WeightedPodAffinityTerm& t : a->preferred) pod_term("    preferred " + std::to_string(t.weight), t.term);
  }

  void affinity(const Affinity& a) {
    line("  affinity");
    if (a.node_affinity) {
      if (a.node_affinity->required) {
        line("  nodeAffinity required (" + std::to_string(a.node_affinity->required->size()) + " terms)");
        for (const NodeSelectorTerm& t : *a.node_affinity->required) term("    term", t);
      }
      for (const PreferredSchedulingTerm& p : a.node_affinity->preferred) term("    preferred " + std::to_string(p.weight), p.preference);
    }
    pod_affinity("podAffinity", a.pod_affinity);
    pod_affinity("podAntiAffinity", a.pod_anti_affinity);
  }

  bool with_sources_;
  std::ostringstream out_;
};

inline std::string dump(const ClusterObjects& objects, bool with_sources = false) {
  return Dumper(with_sources).dump(objects);
}

}  // namespace podium::io::testing
