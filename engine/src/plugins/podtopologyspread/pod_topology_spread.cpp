#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"

#include <algorithm>

#include "cycle_states.hpp"
#include "node_inclusion.hpp"

namespace podium::plugins::podtopologyspread {

PodTopologySpread::PodTopologySpread(PodTopologySpreadArgs args, const framework::ClusterState& cluster,
                                     std::size_t counter_capacity)
    : inclusion_(std::make_unique<NodeInclusion>(cluster)), counters_(counter_capacity) {
  validate(args);
  auto id = [&](const std::string& s) { return cluster.strings.find(s).value_or(state::kUnseenString); };
  system_defaulted_ = args.defaulting_type == DefaultingType::kSystem;  // New(): pl.systemDefaulted
  hostname_key_ = id(std::string(kHostnameKey));
  // filterTopologySpreadConstraints over the default list: nil minDomains is 1, nil
  // policies are Honor (affinity) and Ignore (taints); a policy is honoured only when it
  // reads "Honor".
  for (const DefaultConstraint& d : effective_default_constraints(args)) {
    CompiledDefault c;
    c.constraint.max_skew = d.max_skew;
    c.constraint.topology_key = id(d.topology_key);
    c.constraint.min_domains = d.min_domains.value_or(1);
    c.constraint.honor_node_affinity = d.node_affinity_policy.value_or("Honor") == "Honor";
    c.constraint.honor_node_taints = d.node_taints_policy.value_or("Ignore") == "Honor";
    c.do_not_schedule = d.when_unsatisfiable == "DoNotSchedule";
    defaults_.push_back(c);
  }
  active_ = std::any_of(cluster.pods.begin(), cluster.pods.end(), [&](const state::PodRecord& p) {
    return !p.spread_constraints.empty() || (!defaults_.empty() && p.default_spread_selector.has_value());
  });
}

PodTopologySpread::~PodTopologySpread() = default;

bool PodTopologySpread::sign(const state::PodRecord&, std::string&) const {
  // Only asked for when the plugin is inactive (otherwise the profile is not node-local
  // and nothing is cached): then every pod is skipped alike.
  return !active_;
}

void PodTopologySpread::constraints_of(const state::PodRecord& pod, bool hard, std::vector<Constraint>& out) const {
  out.clear();
  if (!pod.spread_constraints.empty()) {
    for (const state::TopologySpreadConstraintRecord& c : pod.spread_constraints) {
      if (c.do_not_schedule != hard) continue;
      out.push_back({c.max_skew, c.topology_key, &c.selector, c.min_domains.value_or(1), c.honor_node_affinity,
                     c.honor_node_taints});
    }
    return;
  }
  // buildDefaultConstraints: the defaults of this kind, all with the pod's default selector;
  // none when that selector is empty (nullopt).
  if (!pod.default_spread_selector) return;
  for (const CompiledDefault& d : defaults_) {
    if (d.do_not_schedule != hard) continue;
    out.push_back(d.constraint);
    out.back().selector = &*pod.default_spread_selector;
  }
}

bool PodTopologySpread::has_constraints(const state::PodRecord& pod, bool hard) const {
  if (!pod.spread_constraints.empty())
    return std::any_of(pod.spread_constraints.begin(), pod.spread_constraints.end(),
                       [&](const auto& c) { return c.do_not_schedule == hard; });
  return pod.default_spread_selector &&
         std::any_of(defaults_.begin(), defaults_.end(), [&](const auto& d) { return d.do_not_schedule == hard; });
}

bool PodTopologySpread::pre_score_always_skips(const framework::PodContext& ctx,
                                               const framework::ClusterState& cluster) const {
  return cluster.nodes.size == 0 || !has_constraints(ctx.pod, /*hard=*/false);
}

void PodTopologySpread::on_bind(const framework::ClusterState& cluster, state::PodIndex pod,
                                framework::NodeIndex node) {
  counters_.on_bind(cluster, pod, node);
}

void PodTopologySpread::on_unbind(const framework::ClusterState& cluster, state::PodIndex pod,
                                  framework::NodeIndex node) {
  counters_.on_unbind(cluster, pod, node);
}

}  // namespace podium::plugins::podtopologyspread
