#include "state/pod_constraints.hpp"

#include <algorithm>

#include "podium/common/input_error.hpp"
#include "podium/state/label_selector.hpp"

namespace podium::state {
namespace {

[[noreturn]] void fail(const io::SourceRef& source, const std::string& field, const std::string& message) {
  std::string path = source.path;
  if (!field.empty()) path += path.empty() ? field : "." + field;
  throw InputError(source.file, path, message);
}

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

void append_term_signature(const PodAffinityTermRecord& term, std::string& out) {
  term.selector.append_signature(out);
  put(out, term.namespaces.size());
  for (StringId ns : term.namespaces) put(out, ns);
  term.namespace_selector.append_signature(out);
  put(out, term.topology_key);
  put(out, static_cast<std::uint32_t>(term.weight));
}

std::optional<StringId> label_value(const std::vector<LabelPair>& labels, StringId key) {
  for (const LabelPair& p : labels)
    if (p.key == key) return p.value;
  return std::nullopt;
}

}  // namespace

PodConstraintCompiler::PodConstraintCompiler(StringInterner& strings,
                                             const std::vector<io::SelectorOwnerObject>& owners)
    : strings_(strings) {
  for (const io::SelectorOwnerObject& o : owners) {
    Owner owner{o.kind, o.name, strings_.intern(o.namespace_), std::nullopt, {}};
    const bool map_only = o.kind == "Service" || o.kind == "ReplicationController";
    if (o.selector) {
      if (map_only) {
        for (const auto& [k, v] : o.selector->match_labels)
          owner.map_selector.push_back({strings_.intern(k), strings_.intern(v)});
        std::sort(owner.map_selector.begin(), owner.map_selector.end(),
                  [](LabelPair a, LabelPair b) { return a.key < b.key; });
        owner.selector = selector_from_map(owner.map_selector);
      } else {
        owner.selector = compile_selector(o.selector, o.source, "spec.selector");
      }
    }
    owners_.push_back(std::move(owner));
  }
}

LabelSelectorRecord PodConstraintCompiler::compile_selector(const std::optional<io::LabelSelector>& selector,
                                                            const io::SourceRef& source, const std::string& field) {
  std::string error;
  auto compiled = compile_label_selector(selector, strings_, error);
  if (!compiled) fail(source, field + "." + error.substr(0, error.find(':')), error.substr(error.find(':') + 2));
  return std::move(*compiled);
}

std::vector<TopologySpreadConstraintRecord> PodConstraintCompiler::spread_constraints(
    const io::PodObject& pod, const std::vector<LabelPair>& labels) {
  std::vector<TopologySpreadConstraintRecord> out;
  for (std::size_t i = 0; i < pod.topology_spread_constraints.size(); ++i) {
    const io::TopologySpreadConstraint& c = pod.topology_spread_constraints[i];
    const std::string at = "spec.topologySpreadConstraints[" + std::to_string(i) + "]";
    TopologySpreadConstraintRecord rec;
    if (c.max_skew <= 0) fail(pod.source, at + ".maxSkew", "must be greater than zero");
    rec.max_skew = c.max_skew;
    if (c.topology_key.empty()) fail(pod.source, at + ".topologyKey", "can not be empty");
    rec.topology_key = strings_.intern(c.topology_key);
    if (c.when_unsatisfiable == "DoNotSchedule") {
      rec.do_not_schedule = true;
    } else if (c.when_unsatisfiable == "ScheduleAnyway") {
      rec.do_not_schedule = false;
    } else {
      fail(pod.source, at + ".whenUnsatisfiable",
           "unsupported value \"" + c.when_unsatisfiable + "\" (want DoNotSchedule or ScheduleAnyway)");
    }
    if (c.min_domains) {
      if (*c.min_domains <= 0) fail(pod.source, at + ".minDomains", "must be greater than zero");
      if (!rec.do_not_schedule)
        fail(pod.source, at + ".minDomains", "can only be used when whenUnsatisfiable is DoNotSchedule");
    }
    rec.min_domains = c.min_domains;
    auto policy = [&](const std::string& value, bool fallback, const char* field) {
      if (value.empty()) return fallback;
      if (value == "Honor") return true;
      if (value == "Ignore") return false;
      fail(pod.source, at + "." + field, "unsupported value \"" + value + "\" (want Honor or Ignore)");
    };
    rec.honor_node_affinity = policy(c.node_affinity_policy, true, "nodeAffinityPolicy");
    rec.honor_node_taints = policy(c.node_taints_policy, false, "nodeTaintsPolicy");
    rec.selector = compile_selector(c.label_selector, pod.source, at + ".labelSelector");
    // matchLabelKeys: `key In (the pod's value)` for each key the pod has a label for.
    for (const std::string& key : c.match_label_keys) {
      const auto value = label_value(labels, strings_.intern(key));
      if (value && !rec.selector.matches_nothing) add_label_requirement(rec.selector, strings_.intern(key), *value, true);
    }
    out.push_back(std::move(rec));
  }
  return out;
}

// helper.DefaultSelector (pkg/scheduler/framework/plugins/helper/spread.go): the union of
// the selectors of the Services that select the pod, plus its controller's selector.
// Podium matches the controller by kind and name only (OwnerReference.apiVersion is not
// read): ReplicationController merges its selector map, ReplicaSet and StatefulSet add
// their selector's requirements. Owners absent from the input contribute nothing.
std::optional<LabelSelectorRecord> PodConstraintCompiler::default_spread_selector(const io::PodObject& pod,
                                                                                 const std::vector<LabelPair>& labels,
                                                                                 StringId namespace_id) {
  if (owners_.empty()) return std::nullopt;
  std::vector<LabelPair> label_set;  // labels.Merge: later values win
  auto merge = [&](const std::vector<LabelPair>& pairs) {
    for (const LabelPair& p : pairs) {
      auto it = std::find_if(label_set.begin(), label_set.end(), [&](const LabelPair& q) { return q.key == p.key; });
      if (it == label_set.end()) {
        label_set.push_back(p);
      } else {
        it->value = p.value;
      }
    }
  };
  for (const Owner& o : owners_) {
    if (o.kind != "Service" || o.namespace_id != namespace_id || !o.selector) continue;
    if (o.selector->matches(labels)) merge(o.map_selector);
  }
  std::sort(label_set.begin(), label_set.end(), [](LabelPair a, LabelPair b) { return a.key < b.key; });
  LabelSelectorRecord selector = selector_from_map(label_set);
  const io::OwnerReference* controller = nullptr;
  for (const io::OwnerReference& ref : pod.owner_references)
    if (ref.controller) {
      controller = &ref;
      break;
    }
  if (controller) {
    for (const Owner& o : owners_) {
      if (o.kind != controller->kind || o.name != controller->name || o.namespace_id != namespace_id) continue;
      if (o.kind == "ReplicationController") {
        merge(o.map_selector);
        std::sort(label_set.begin(), label_set.end(), [](LabelPair a, LabelPair b) { return a.key < b.key; });
        selector = selector_from_map(label_set);
      } else if ((o.kind == "ReplicaSet" || o.kind == "StatefulSet") && o.selector && !o.selector->matches_nothing) {
        for (const LabelRequirement& r : o.selector->requirements) selector.requirements.push_back(r);
        std::stable_sort(selector.requirements.begin(), selector.requirements.end(),
                         [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
      }
      break;
    }
  }
  if (selector.requirements.empty()) return std::nullopt;  // selector.Empty(): no default constraints
  return selector;
}

PodAffinityTermRecord PodConstraintCompiler::compile_term(const io::PodAffinityTerm& term, const io::PodObject& pod,
                                                          const std::vector<LabelPair>& labels, StringId namespace_id,
                                                          const std::string& field) {
  PodAffinityTermRecord rec;
  if (term.topology_key.empty()) fail(pod.source, field + ".topologyKey", "can not be empty");
  rec.topology_key = strings_.intern(term.topology_key);
  rec.selector = compile_selector(term.label_selector, pod.source, field + ".labelSelector");
  if (term.namespace_selector) {
    rec.namespace_selector = compile_selector(term.namespace_selector, pod.source, field + ".namespaceSelector");
  } else {
    rec.namespace_selector.matches_nothing = true;
  }
  for (const std::string& ns : term.namespaces) rec.namespaces.push_back(strings_.intern(ns));
  if (term.namespaces.empty() && !term.namespace_selector) rec.namespaces.push_back(namespace_id);
  std::sort(rec.namespaces.begin(), rec.namespaces.end());
  rec.namespaces.erase(std::unique(rec.namespaces.begin(), rec.namespaces.end()), rec.namespaces.end());
  // The API server merges matchLabelKeys (In) and mismatchLabelKeys (NotIn) into a
  // non-nil labelSelector, for keys the pod has a label for.
  if (term.label_selector) {
    for (const auto& [keys, match] : {std::pair{&term.match_label_keys, true}, {&term.mismatch_label_keys, false}})
      for (const std::string& key : *keys) {
        const StringId k = strings_.intern(key);
        if (const auto value = label_value(labels, k)) add_label_requirement(rec.selector, k, *value, match);
      }
  }
  return rec;
}

std::shared_ptr<const PodAffinityRecord> PodConstraintCompiler::pod_affinity(const io::PodObject& pod,
                                                                            const std::vector<LabelPair>& labels,
                                                                            StringId namespace_id) {
  if (!pod.affinity || (!pod.affinity->pod_affinity && !pod.affinity->pod_anti_affinity)) return nullptr;
  auto rec = std::make_shared<PodAffinityRecord>();
  auto compile = [&](const std::optional<io::PodAffinity>& part, const std::string& field,
                     std::vector<PodAffinityTermRecord>& required, std::vector<PodAffinityTermRecord>& preferred) {
    if (!part) return;
    for (std::size_t i = 0; i < part->required.size(); ++i)
      required.push_back(compile_term(part->required[i], pod, labels, namespace_id,
                                      field + ".requiredDuringSchedulingIgnoredDuringExecution[" +
                                          std::to_string(i) + "]"));
    for (std::size_t i = 0; i < part->preferred.size(); ++i) {
      const std::string at =
          field + ".preferredDuringSchedulingIgnoredDuringExecution[" + std::to_string(i) + "]";
      const io::WeightedPodAffinityTerm& w = part->preferred[i];
      if (w.weight < 1 || w.weight > 100) fail(pod.source, at + ".weight", "must be in the range 1-100");
      PodAffinityTermRecord t = compile_term(w.term, pod, labels, namespace_id, at + ".podAffinityTerm");
      t.weight = w.weight;
      preferred.push_back(std::move(t));
    }
  };
  compile(pod.affinity->pod_affinity, "spec.affinity.podAffinity", rec->required_affinity, rec->preferred_affinity);
  compile(pod.affinity->pod_anti_affinity, "spec.affinity.podAntiAffinity", rec->required_anti_affinity,
          rec->preferred_anti_affinity);
  for (const auto* terms : {&rec->required_affinity, &rec->required_anti_affinity, &rec->preferred_affinity,
                            &rec->preferred_anti_affinity}) {
    put(rec->signature, terms->size());
    for (const PodAffinityTermRecord& t : *terms) append_term_signature(t, rec->signature);
  }
  auto [it, inserted] = affinities_.emplace(rec->signature, nullptr);
  if (inserted) it->second = std::move(rec);
  return it->second;
}

}  // namespace podium::state
