// Streams ClusterObjects as a kubectl-style JSON List. Only the fields the generator
// fills are written (scheduling constraints included: taints, tolerations, nodeSelector,
// affinity, topologySpreadConstraints); quantities use their exact canonical forms
// ("1500m", "2147483648").

#include <ctime>
#include <ostream>
#include <string>
#include <vector>

#include "generator/synthetic_cluster.hpp"

namespace podium::datasets {
namespace {

void str(std::ostream& out, const std::string& s) {
  out.put('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.put('\\');
    if (static_cast<unsigned char>(c) < 0x20) {
      out << ' ';
      continue;
    }
    out.put(c);
  }
  out.put('"');
}

// Whole units when exact, else milli-units (every generated quantity is one or the other).
std::string quantity(const io::Quantity& q) {
  const auto nanos = q.nanos();
  if (nanos % 1'000'000'000 == 0) return std::to_string(static_cast<long long>(nanos / 1'000'000'000));
  return std::to_string(static_cast<long long>(nanos / 1'000'000)) + "m";
}

void resource_list(std::ostream& out, const io::ResourceList& list) {
  out << '{';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out << ',';
    str(out, list[i].first);
    out << ':';
    str(out, quantity(list[i].second));
  }
  out << '}';
}

void labels(std::ostream& out, const io::StringMap& map) {
  out << '{';
  for (std::size_t i = 0; i < map.size(); ++i) {
    if (i) out << ',';
    str(out, map[i].first);
    out << ':';
    str(out, map[i].second);
  }
  out << '}';
}

void strings(std::ostream& out, const std::vector<std::string>& list) {
  out << '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out << ',';
    str(out, list[i]);
  }
  out << ']';
}

// `"key":[item, item, ...]` for a non-empty list, each item written by `one`, preceded by a
// comma unless `first` (which it then clears). An empty list writes nothing.
template <class T, class F>
void array_field(std::ostream& out, bool& first, const char* key, const std::vector<T>& list, F one) {
  if (list.empty()) return;
  out << (first ? "" : ",") << '"' << key << "\":[";
  first = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out << ',';
    one(list[i]);
  }
  out << ']';
}

void taint(std::ostream& out, const io::Taint& t) {
  out << "{\"key\":";
  str(out, t.key);
  if (!t.value.empty()) {
    out << ",\"value\":";
    str(out, t.value);
  }
  out << ",\"effect\":";
  str(out, t.effect);
  out << '}';
}

void toleration(std::ostream& out, const io::Toleration& t) {
  out << "{\"key\":";
  str(out, t.key);
  out << ",\"operator\":";
  str(out, t.op.empty() ? "Equal" : t.op);
  if (!t.value.empty()) {
    out << ",\"value\":";
    str(out, t.value);
  }
  if (!t.effect.empty()) {
    out << ",\"effect\":";
    str(out, t.effect);
  }
  if (t.toleration_seconds) out << ",\"tolerationSeconds\":" << *t.toleration_seconds;
  out << '}';
}

// NodeSelectorRequirement and LabelSelectorRequirement have the same JSON shape.
template <class Requirement>
void requirement(std::ostream& out, const Requirement& r) {
  out << "{\"key\":";
  str(out, r.key);
  out << ",\"operator\":";
  str(out, r.op);
  if (!r.values.empty()) {
    out << ",\"values\":";
    strings(out, r.values);
  }
  out << '}';
}

void node_selector_term(std::ostream& out, const io::NodeSelectorTerm& term) {
  out << '{';
  bool first = true;
  array_field(out, first, "matchExpressions", term.match_expressions, [&](const auto& r) { requirement(out, r); });
  array_field(out, first, "matchFields", term.match_fields, [&](const auto& r) { requirement(out, r); });
  out << '}';
}

void label_selector(std::ostream& out, const io::LabelSelector& selector) {
  out << '{';
  bool first = true;
  if (!selector.match_labels.empty()) {
    out << "\"matchLabels\":";
    labels(out, selector.match_labels);
    first = false;
  }
  array_field(out, first, "matchExpressions", selector.match_expressions, [&](const auto& r) { requirement(out, r); });
  out << '}';
}

void pod_affinity_term(std::ostream& out, const io::PodAffinityTerm& term) {
  out << '{';
  if (term.label_selector) {
    out << "\"labelSelector\":";
    label_selector(out, *term.label_selector);
    out << ',';
  }
  if (!term.namespaces.empty()) {
    out << "\"namespaces\":";
    strings(out, term.namespaces);
    out << ',';
  }
  if (term.namespace_selector) {
    out << "\"namespaceSelector\":";
    label_selector(out, *term.namespace_selector);
    out << ',';
  }
  if (!term.match_label_keys.empty()) {
    out << "\"matchLabelKeys\":";
    strings(out, term.match_label_keys);
    out << ',';
  }
  if (!term.mismatch_label_keys.empty()) {
    out << "\"mismatchLabelKeys\":";
    strings(out, term.mismatch_label_keys);
    out << ',';
  }
  out << "\"topologyKey\":";
  str(out, term.topology_key);
  out << '}';
}

void pod_affinity(std::ostream& out, const io::PodAffinity& affinity) {
  out << '{';
  bool first = true;
  array_field(out, first, "requiredDuringSchedulingIgnoredDuringExecution", affinity.required,
              [&](const io::PodAffinityTerm& t) { pod_affinity_term(out, t); });
  array_field(out, first, "preferredDuringSchedulingIgnoredDuringExecution", affinity.preferred,
              [&](const io::WeightedPodAffinityTerm& t) {
                out << "{\"weight\":" << t.weight << ",\"podAffinityTerm\":";
                pod_affinity_term(out, t.term);
                out << '}';
              });
  out << '}';
}

void affinity(std::ostream& out, const io::Affinity& a) {
  out << '{';
  const char* sep = "";
  if (a.node_affinity) {
    out << "\"nodeAffinity\":{";
    bool first = true;
    if (a.node_affinity->required) {
      out << "\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[";
      for (std::size_t i = 0; i < a.node_affinity->required->size(); ++i) {
        if (i) out << ',';
        node_selector_term(out, (*a.node_affinity->required)[i]);
      }
      out << "]}";
      first = false;
    }
    array_field(out, first, "preferredDuringSchedulingIgnoredDuringExecution", a.node_affinity->preferred,
                [&](const io::PreferredSchedulingTerm& t) {
                  out << "{\"weight\":" << t.weight << ",\"preference\":";
                  node_selector_term(out, t.preference);
                  out << '}';
                });
    out << '}';
    sep = ",";
  }
  if (a.pod_affinity) {
    out << sep << "\"podAffinity\":";
    pod_affinity(out, *a.pod_affinity);
    sep = ",";
  }
  if (a.pod_anti_affinity) {
    out << sep << "\"podAntiAffinity\":";
    pod_affinity(out, *a.pod_anti_affinity);
  }
  out << '}';
}

void spread_constraint(std::ostream& out, const io::TopologySpreadConstraint& c) {
  out << "{\"maxSkew\":" << c.max_skew << ",\"topologyKey\":";
  str(out, c.topology_key);
  out << ",\"whenUnsatisfiable\":";
  str(out, c.when_unsatisfiable);
  if (c.label_selector) {
    out << ",\"labelSelector\":";
    label_selector(out, *c.label_selector);
  }
  if (c.min_domains) out << ",\"minDomains\":" << *c.min_domains;
  if (!c.node_affinity_policy.empty()) {
    out << ",\"nodeAffinityPolicy\":";
    str(out, c.node_affinity_policy);
  }
  if (!c.node_taints_policy.empty()) {
    out << ",\"nodeTaintsPolicy\":";
    str(out, c.node_taints_policy);
  }
  if (!c.match_label_keys.empty()) {
    out << ",\"matchLabelKeys\":";
    strings(out, c.match_label_keys);
  }
  out << '}';
}

std::string rfc3339(std::int64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>((ns % 1'000'000'000) / 1000));
  return std::string(buf) + frac;
}

}  // namespace

void write_kube_list_json(const io::ClusterObjects& objects, std::ostream& out) {
  out << "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) out << ",\n";
    first = false;
  };
  for (const auto& n : objects.nodes) {
    sep();
    out << "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":";
    str(out, n.name);
    out << ",\"labels\":";
    labels(out, n.labels);
    out << "},\"spec\":{";
    bool first_field = !n.unschedulable;
    if (n.unschedulable) out << "\"unschedulable\":true";
    array_field(out, first_field, "taints", n.taints, [&](const io::Taint& t) { taint(out, t); });
    out << "},\"status\":{\"capacity\":";
    resource_list(out, n.allocatable);
    out << ",\"allocatable\":";
    resource_list(out, n.allocatable);
    out << "}}";
  }
  for (const auto& p : objects.pods) {
    sep();
    out << "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":";
    str(out, p.name);
    out << ",\"namespace\":";
    str(out, p.namespace_);
    if (!p.uid.empty()) {
      out << ",\"uid\":";
      str(out, p.uid);
    }
    out << ",\"labels\":";
    labels(out, p.labels);
    if (p.creation_timestamp_ns) out << ",\"creationTimestamp\":\"" << rfc3339(*p.creation_timestamp_ns) << '"';
    out << "},\"spec\":{\"schedulerName\":";
    str(out, p.scheduler_name);
    if (!p.node_name.empty()) {
      out << ",\"nodeName\":";
      str(out, p.node_name);
    }
    out << ",\"containers\":[";
    for (std::size_t i = 0; i < p.containers.size(); ++i) {
      const auto& c = p.containers[i];
      if (i) out << ',';
      out << "{\"name\":";
      str(out, c.name);
      out << ",\"image\":";
      str(out, c.image);
      out << ",\"resources\":{\"requests\":";
      resource_list(out, c.requests);
      out << "}}";
    }
    out << ']';
    if (!p.node_selector.empty()) {
      out << ",\"nodeSelector\":";
      labels(out, p.node_selector);
    }
    bool first_field = false;  // containers came first
    array_field(out, first_field, "tolerations", p.tolerations, [&](const io::Toleration& t) { toleration(out, t); });
    if (p.affinity) {
      out << ",\"affinity\":";
      affinity(out, *p.affinity);
    }
    array_field(out, first_field, "topologySpreadConstraints", p.topology_spread_constraints,
                [&](const io::TopologySpreadConstraint& c) { spread_constraint(out, c); });
    out << "},\"status\":{\"phase\":\"" << (p.phase.empty() ? "Pending" : p.phase) << "\"}}";
  }
  out << "\n]}\n";
}

}  // namespace podium::datasets
