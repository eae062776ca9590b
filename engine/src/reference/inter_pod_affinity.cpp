#include "reference/inter_pod_affinity.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace podium::reference {
namespace {

using Labels = std::map<std::string, std::string>;
using TopologyPair = std::pair<std::string, std::string>;
using PairCounts = std::map<TopologyPair, std::int64_t>;  // topologyToMatchedTermCount

// framework.AffinityTerm with strings: its namespace set and namespace selector.
struct Term {
  std::set<std::string> namespaces;
  enum class NsSelector { kNothing, kEverything, kSelector } ns_kind = NsSelector::kNothing;
  const state::LabelSelectorRecord* ns_selector = nullptr;
  const state::LabelSelectorRecord* selector = nullptr;
  std::string topology_key;
  std::int64_t weight = 0;
};

std::string text(const state::ClusterState& c, StringId id) { return c.strings.text(id); }

// newAffinityTerm: namespaces as written (already defaulted to the pod's own), the
// namespaceSelector compiled.
Term make_term(const state::ClusterState& c, const state::PodAffinityTermRecord& t) {
  Term term;
  for (const StringId ns : t.namespaces) term.namespaces.insert(text(c, ns));
  if (t.namespace_selector.matches_nothing) {
    term.ns_kind = Term::NsSelector::kNothing;
  } else if (t.namespace_selector.matches_everything()) {
    term.ns_kind = Term::NsSelector::kEverything;
  } else {
    term.ns_kind = Term::NsSelector::kSelector;
    term.ns_selector = &t.namespace_selector;
  }
  term.selector = &t.selector;
  term.topology_key = text(c, t.topology_key);
  term.weight = t.weight;
  return term;
}

// mergeAffinityTermNamespacesIfNotEmpty: a selector other than Everything becomes the
// Namespace objects it selects, and then Nothing.
Term merged(const state::ClusterState& c, const state::PodAffinityTermRecord& t) {
  Term term = make_term(c, t);
  if (term.ns_kind == Term::NsSelector::kEverything) return term;
  if (term.ns_kind == Term::NsSelector::kSelector)
    for (const auto& [ns, labels] : c.namespace_labels)
      if (term.ns_selector->matches(labels)) term.namespaces.insert(text(c, ns));
  term.ns_kind = Term::NsSelector::kNothing;
  term.ns_selector = nullptr;
  return term;
}

std::vector<Term> merged_terms(const state::ClusterState& c, const std::vector<state::PodAffinityTermRecord>& ts) {
  std::vector<Term> out;
  for (const auto& t : ts) out.push_back(merged(c, t));
  return out;
}

// AffinityTerm.Matches(pod, nsLabels); ns_labels null is Go's nil set.
bool matches(const state::ClusterState& c, const Term& term, const state::PodRecord& pod,
             const std::vector<state::LabelPair>* ns_labels) {
  bool ns = term.namespaces.count(text(c, pod.namespace_id)) > 0;
  if (!ns) {
    switch (term.ns_kind) {
      case Term::NsSelector::kNothing: break;
      case Term::NsSelector::kEverything: ns = true; break;
      case Term::NsSelector::kSelector:
        ns = term.ns_selector->matches(ns_labels ? std::span<const state::LabelPair>(*ns_labels)
                                                 : std::span<const state::LabelPair>());
        break;
    }
  }
  return ns && term.selector->matches(pod.labels);
}

bool matches_all(const state::ClusterState& c, const std::vector<Term>& terms, const state::PodRecord& pod) {
  if (terms.empty()) return false;
  for (const Term& t : terms)
    if (!matches(c, t, pod, nullptr)) return false;
  return true;
}

void update(PairCounts& m, const Labels& node_labels, const std::string& key, std::int64_t value) {
  const auto it = node_labels.find(key);
  if (it == node_labels.end()) return;
  auto& count = m[{key, it->second}];
  count += value;
  if (count == 0) m.erase({key, it->second});
}

// GetNamespaceLabelsSnapshot: nil when there is no Namespace object.
const std::vector<state::LabelPair>* namespace_labels_of(const state::ClusterState& c, StringId ns) {
  const auto it = c.namespace_labels.find(ns);
  return it == c.namespace_labels.end() ? nullptr : &it->second;
}

}  // namespace

std::vector<FilterCode> inter_pod_affinity_filter(const state::ClusterState& c, const state::PodRecord& pod,
                                                  const std::vector<ReferenceNode>& nodes) {
  std::vector<FilterCode> pass(nodes.size(), FilterCode::kFits);
  const auto* ns_labels = namespace_labels_of(c, pod.namespace_id);
  std::vector<Term> affinity, anti;
  if (pod.pod_affinity) {
    affinity = merged_terms(c, pod.pod_affinity->required_affinity);
    anti = merged_terms(c, pod.pod_affinity->required_anti_affinity);
  }
  // getExistingAntiAffinityCounts
  PairCounts existing;
  for (const ReferenceNode& node : nodes)
    for (const state::PodRecord* other : node.bound_pods) {
      if (!other->pod_affinity) continue;
      for (const auto& t : other->pod_affinity->required_anti_affinity) {
        const Term term = make_term(c, t);
        if (matches(c, term, pod, ns_labels)) update(existing, node.labels, term.topology_key, 1);
      }
    }
  // getIncomingAffinityAntiAffinityCounts
  PairCounts affinity_counts, anti_counts;
  if (!affinity.empty() || !anti.empty())
    for (const ReferenceNode& node : nodes)
      for (const state::PodRecord* other : node.bound_pods) {
        if (matches_all(c, affinity, *other))
          for (const Term& t : affinity) update(affinity_counts, node.labels, t.topology_key, 1);
        for (const Term& t : anti)
          if (matches(c, t, *other, nullptr)) update(anti_counts, node.labels, t.topology_key, 1);
      }
  if (existing.empty() && affinity.empty() && anti.empty()) return pass;  // PreFilter Skip

  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const Labels& labels = nodes[n].labels;
    // satisfyPodAffinity
    bool pods_exist = true;
    bool ok = true;
    for (const Term& t : affinity) {
      const auto it = labels.find(t.topology_key);
      if (it == labels.end()) {
        ok = false;
        break;
      }
      const auto count = affinity_counts.find({t.topology_key, it->second});
      if (count == affinity_counts.end() || count->second <= 0) pods_exist = false;
    }
    if (ok && !pods_exist) ok = affinity_counts.empty() && matches_all(c, affinity, pod);
    // Affinity not satisfied: UnschedulableAndUnresolvable (evicting pods cannot add a match).
    if (!ok) {
      pass[n] = FilterCode::kUnresolvable;
      continue;
    }
    // satisfyPodAntiAffinity
    if (ok && !anti_counts.empty())
      for (const Term& t : anti) {
        const auto it = labels.find(t.topology_key);
        if (it == labels.end()) continue;
        const auto count = anti_counts.find({t.topology_key, it->second});
        if (count != anti_counts.end() && count->second > 0) ok = false;
      }
    // satisfyExistingPodsAntiAffinity
    if (ok && !existing.empty())
      for (const auto& [key, value] : labels) {
        const auto count = existing.find({key, value});
        if (count != existing.end() && count->second > 0) ok = false;
      }
    pass[n] = ok ? FilterCode::kFits : FilterCode::kUnschedulable;
  }
  return pass;
}

std::optional<std::vector<std::int64_t>> inter_pod_affinity_scores(
    const state::ClusterState& c, const plugins::interpodaffinity::InterPodAffinityArgs& args,
    const state::PodRecord& pod, const std::vector<ReferenceNode>& nodes, const std::vector<state::NodeIndex>& feasible) {
  if (feasible.empty()) return std::nullopt;
  std::vector<Term> preferred, preferred_anti;
  if (pod.pod_affinity) {
    preferred = merged_terms(c, pod.pod_affinity->preferred_affinity);
    preferred_anti = merged_terms(c, pod.pod_affinity->preferred_anti_affinity);
  }
  const bool has_constraints = !preferred.empty() || !preferred_anti.empty();
  if (args.ignore_preferred_terms_of_existing_pods && !has_constraints) return std::nullopt;
  const auto* ns_labels = namespace_labels_of(c, pod.namespace_id);

  // processExistingPod over every pod of every node (scoreMap: key -> value -> score).
  std::map<std::string, std::map<std::string, std::int64_t>> topology_score;
  auto process = [&](const Term& term, std::int64_t weight, const state::PodRecord& target,
                     const std::vector<state::LabelPair>* labels, const Labels& node_labels, std::int64_t sign) {
    if (!matches(c, term, target, labels)) return;
    const auto it = node_labels.find(term.topology_key);
    if (it == node_labels.end()) return;
    topology_score[term.topology_key][it->second] += weight * sign;
  };
  for (const ReferenceNode& node : nodes) {
    if (node.labels.empty()) continue;
    for (const state::PodRecord* other : node.bound_pods) {
      for (const Term& t : preferred) process(t, t.weight, *other, nullptr, node.labels, +1);
      for (const Term& t : preferred_anti) process(t, t.weight, *other, nullptr, node.labels, -1);
      if (!other->pod_affinity) continue;
      if (args.hard_pod_affinity_weight > 0)
        for (const auto& t : other->pod_affinity->required_affinity)
          process(make_term(c, t), args.hard_pod_affinity_weight, pod, ns_labels, node.labels, +1);
      if (!args.ignore_preferred_terms_of_existing_pods) {
        for (const auto& t : other->pod_affinity->preferred_affinity)
          process(make_term(c, t), t.weight, pod, ns_labels, node.labels, +1);
        for (const auto& t : other->pod_affinity->preferred_anti_affinity)
          process(make_term(c, t), t.weight, pod, ns_labels, node.labels, -1);
      }
    }
  }
  if (topology_score.empty()) return std::nullopt;

  // Score
  std::vector<std::int64_t> scores;
  for (const state::NodeIndex n : feasible) {
    std::int64_t score = 0;
    for (const auto& [key, values] : topology_score) {
      const auto it = nodes[n].labels.find(key);
      if (it == nodes[n].labels.end()) continue;
      const auto v = values.find(it->second);
      if (v != values.end()) score += v->second;
    }
    scores.push_back(score);
  }
  // NormalizeScore
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  for (const std::int64_t s : scores) {
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  for (std::int64_t& s : scores) {
    double f = 0;
    if (hi - lo > 0) f = 100.0 * (static_cast<double>(s - lo) / static_cast<double>(hi - lo));
    s = static_cast<std::int64_t>(f);
  }
  return scores;
}

}  // namespace podium::reference
