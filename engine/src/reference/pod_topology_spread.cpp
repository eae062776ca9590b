#include "reference/pod_topology_spread.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>

#include "reference/node_terms.hpp"

namespace podium::reference {
namespace {

using state::NodeIndex;

std::map<std::string, std::string> labels_of(const state::ClusterState& cluster, const state::PodRecord& pod) {
  std::map<std::string, std::string> out;
  for (const auto& l : pod.labels) out[label_text(cluster, l.key)] = label_text(cluster, l.value);
  return out;
}

}  // namespace

ReferencePodTopologySpread::ReferencePodTopologySpread(const state::ClusterState& cluster,
                                                       plugins::podtopologyspread::PodTopologySpreadArgs args)
    : cluster_(cluster), args_(std::move(args)) {}

std::vector<ReferencePodTopologySpread::Constraint> ReferencePodTopologySpread::constraints(
    const state::PodRecord& pod, bool hard) const {
  std::vector<Constraint> out;
  if (!pod.spread_constraints.empty()) {
    for (const auto& c : pod.spread_constraints)
      if (c.do_not_schedule == hard)
        out.push_back({c.max_skew, label_text(cluster_, c.topology_key), &c.selector, c.min_domains.value_or(1),
                       c.honor_node_affinity, c.honor_node_taints});
    return out;
  }
  if (!pod.default_spread_selector) return out;
  for (const auto& d : plugins::podtopologyspread::effective_default_constraints(args_))
    if ((d.when_unsatisfiable == "DoNotSchedule") == hard)
      out.push_back({d.max_skew, d.topology_key, &*pod.default_spread_selector, d.min_domains.value_or(1),
                     d.node_affinity_policy.value_or("Honor") == "Honor",
                     d.node_taints_policy.value_or("Ignore") == "Honor"});
  return out;
}

// labels.Selector.Matches over label text.
bool ReferencePodTopologySpread::selector_matches(const state::LabelSelectorRecord& s,
                                                  const state::PodRecord& other) const {
  if (s.matches_nothing) return false;
  const auto labels = labels_of(cluster_, other);
  for (const auto& r : s.requirements) {
    const auto it = labels.find(label_text(cluster_, r.key));
    bool listed = false;
    for (const auto v : r.values) listed = listed || (it != labels.end() && it->second == label_text(cluster_, v));
    if (r.op == state::SelectorOp::kIn && !listed) return false;
    if (r.op == state::SelectorOp::kNotIn && listed) return false;
    if (r.op == state::SelectorOp::kExists && it == labels.end()) return false;
    if (r.op == state::SelectorOp::kDoesNotExist && it != labels.end()) return false;
  }
  return true;
}

// countPodsMatchSelector: an empty selector counts nothing; other namespaces never count.
std::int64_t ReferencePodTopologySpread::count_matching(const ReferenceNode& node, const Constraint& c,
                                                        const state::PodRecord& pod) const {
  if (!c.selector->matches_nothing && c.selector->requirements.empty()) return 0;
  std::int64_t count = 0;
  for (const state::PodRecord* other : node.bound_pods)
    if (label_text(cluster_, other->namespace_id) == label_text(cluster_, pod.namespace_id) &&
        selector_matches(*c.selector, *other))
      ++count;
  return count;
}

// matchNodeInclusionPolicies.
bool ReferencePodTopologySpread::included(const Constraint& c, const state::PodRecord& pod, const ReferenceNode& node,
                                          NodeIndex n) const {
  if (c.honor_affinity && pod.node_affinity) {
    for (const auto& want : pod.node_affinity->node_selector) {
      const auto it = node.labels.find(label_text(cluster_, want.key));
      if (it == node.labels.end() || it->second != label_text(cluster_, want.value)) return false;
    }
    if (pod.node_affinity->has_required) {
      bool any = false;
      for (const auto& t : pod.node_affinity->required) any = any || node_term_matches(cluster_, t, node, n);
      if (!any) return false;
    }
  }
  if (c.honor_taints) {
    for (const auto& taint : node.taints) {
      if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
      bool tolerated = false;
      for (const auto& t : pod.tolerations) {
        const std::string effect = t.effect ? label_text(cluster_, *t.effect) : "";
        const std::string key = t.key ? label_text(cluster_, *t.key) : "";
        if (!effect.empty() && effect != taint.effect) continue;
        if (!key.empty() && key != taint.key) continue;
        tolerated = tolerated || t.op_exists || label_text(cluster_, t.value) == taint.value;
      }
      if (!tolerated) return false;
    }
  }
  return true;
}

std::vector<FilterCode> ReferencePodTopologySpread::filter(const state::PodRecord& pod,
                                                           const std::vector<ReferenceNode>& nodes) const {
  std::vector<FilterCode> passes(nodes.size(), FilterCode::kFits);
  const auto cs = constraints(pod, true);
  if (cs.empty()) return passes;
  // calPreFilterState: TpValueToMatchNum per constraint, over nodes with every key.
  std::vector<std::map<std::string, std::int64_t>> match_num(cs.size());
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    bool has_all = true;
    for (const auto& c : cs) has_all = has_all && nodes[n].labels.count(c.key) > 0;
    if (!has_all) continue;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (!included(cs[i], pod, nodes[n], n)) continue;
      match_num[i][nodes[n].labels.at(cs[i].key)] += count_matching(nodes[n], cs[i], pod);
    }
  }
  // minMatchNum per constraint, once per pod as PreFilter computes it.
  std::vector<std::int64_t> min_matches(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    std::int64_t min_match = INT32_MAX;
    for (const auto& [value, num] : match_num[i]) min_match = std::min(min_match, num);
    if (static_cast<std::int64_t>(match_num[i].size()) < cs[i].min_domains) min_match = 0;
    min_matches[i] = min_match;
  }
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    for (std::size_t i = 0; i < cs.size() && passes[n] == FilterCode::kFits; ++i) {
      const auto it = nodes[n].labels.find(cs[i].key);
      if (it == nodes[n].labels.end()) {
        passes[n] = FilterCode::kUnresolvable;  // ErrReasonNodeLabelNotMatch
        break;
      }
      const std::int64_t min_match = min_matches[i];
      const std::int64_t self = selector_matches(*cs[i].selector, pod) ? 1 : 0;
      const auto found = match_num[i].find(it->second);
      const std::int64_t here = found == match_num[i].end() ? 0 : found->second;
      if (here + self - min_match > cs[i].max_skew) passes[n] = FilterCode::kUnschedulable;
    }
  }
  return passes;
}

std::optional<std::vector<std::int64_t>> ReferencePodTopologySpread::score(
    const state::PodRecord& pod, const std::vector<ReferenceNode>& nodes,
    const std::vector<NodeIndex>& feasible) const {
  if (nodes.empty()) return std::nullopt;
  const auto cs = constraints(pod, false);
  if (cs.empty()) return std::nullopt;
  const bool require_all =
      !pod.spread_constraints.empty() || args_.defaulting_type != plugins::podtopologyspread::DefaultingType::kSystem;
  auto has_all = [&](const ReferenceNode& node) {
    for (const auto& c : cs)
      if (!node.labels.count(c.key)) return false;
    return true;
  };
  auto value_of = [](const ReferenceNode& node, const std::string& key) {
    const auto it = node.labels.find(key);
    return it == node.labels.end() ? std::string() : it->second;
  };
  const std::string hostname = "kubernetes.io/hostname";
  // initPreScoreState.
  std::vector<bool> ignored(nodes.size(), false);
  std::size_t ignored_count = 0;
  std::vector<std::map<std::string, std::int64_t>> pod_counts(cs.size());
  for (const NodeIndex n : feasible) {
    if (require_all && !has_all(nodes[n])) {
      ignored[n] = true;
      ++ignored_count;
      continue;
    }
    for (std::size_t i = 0; i < cs.size(); ++i)
      if (cs[i].key != hostname) pod_counts[i].emplace(value_of(nodes[n], cs[i].key), 0);
  }
  std::vector<double> weight(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const std::size_t size = cs[i].key == hostname ? feasible.size() - ignored_count : pod_counts[i].size();
    weight[i] = std::log(static_cast<double>(size + 2));
  }
  // PreScore's processAllNode.
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    if (require_all && !has_all(nodes[n])) continue;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (!included(cs[i], pod, nodes[n], n)) continue;
      const auto it = pod_counts[i].find(value_of(nodes[n], cs[i].key));
      if (it == pod_counts[i].end()) continue;
      it->second += count_matching(nodes[n], cs[i], pod);
    }
  }
  // Score.
  std::vector<std::int64_t> scores;
  for (const NodeIndex n : feasible) {
    if (ignored[n]) {
      scores.push_back(0);
      continue;
    }
    double sum = 0;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const auto it = nodes[n].labels.find(cs[i].key);
      if (it == nodes[n].labels.end()) continue;
      const std::int64_t cnt =
          cs[i].key == hostname ? count_matching(nodes[n], cs[i], pod) : pod_counts[i].at(it->second);
      sum += static_cast<double>(cnt) * weight[i] + static_cast<double>(cs[i].max_skew - 1);
    }
    scores.push_back(static_cast<std::int64_t>(std::round(sum)));
  }
  // NormalizeScore.
  std::int64_t min_score = INT64_MAX;
  std::int64_t max_score = 0;
  for (std::size_t j = 0; j < feasible.size(); ++j) {
    if (ignored[feasible[j]]) continue;
    min_score = std::min(min_score, scores[j]);
    max_score = std::max(max_score, scores[j]);
  }
  for (std::size_t j = 0; j < feasible.size(); ++j) {
    if (ignored[feasible[j]]) {
      scores[j] = 0;
    } else if (max_score == 0) {
      scores[j] = 100;
    } else {
      scores[j] = 100 * (max_score + min_score - scores[j]) / max_score;
    }
  }
  return scores;
}

}  // namespace podium::reference
