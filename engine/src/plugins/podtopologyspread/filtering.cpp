// PodTopologySpread PreFilter / Filter (filtering.go: calPreFilterState, minMatchNum, Filter).

#include <algorithm>
#include <limits>

#include "cycle_states.hpp"
#include "node_inclusion.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"

namespace podium::plugins::podtopologyspread {

using framework::Status;

Status PodTopologySpread::pre_filter(framework::CycleState& cycle, const framework::PodContext& ctx,
                                     const framework::ClusterState& cluster) {
  const state::PodRecord& pod = ctx.pod;
  // Skip before touching the plugin's scratch: pods without constraints may be prepared
  // concurrently (Framework::decides_locally).
  if (!has_constraints(pod, /*hard=*/true)) return Status(framework::Code::kSkip);
  constraints_of(pod, /*hard=*/true, scratch_);
  if (scratch_.empty()) return Status(framework::Code::kSkip);
  counters_.begin_cycle();
  auto& st = cycle.get_or_create<State>(slot()).filter;
  const std::size_t k = scratch_.size();
  if (st.constraints.size() < k) st.constraints.resize(k);
  st.count = k;

  bool need_affinity = false;
  bool need_taints = false;
  bool every_node_has_every_key = true;
  for (std::size_t i = 0; i < k; ++i) {
    st.constraints[i].column = &domains_.column(cluster, scratch_[i].topology_key);
    every_node_has_every_key = every_node_has_every_key && st.constraints[i].column->absent_nodes == 0;
    need_affinity = need_affinity || (scratch_[i].honor_node_affinity && pod.node_affinity);
    need_taints = need_taints || scratch_[i].honor_node_taints;
  }
  // processNode counts a node for a constraint when it has every constraint's key and the
  // inclusion policies admit it. With no policy to test, and every node having all keys
  // (or one constraint, whose nodes without the key simply count nowhere), that is every
  // node of a domain: the per-domain sums the counters keep are the answer, read in
  // O(domains) instead of a pass over the nodes.
  const bool from_domain_sums = !need_affinity && !need_taints && (k == 1 || every_node_has_every_key);
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    const auto domains = static_cast<std::size_t>(pc.column->domain_count());
    if (from_domain_sums) {
      const auto with = counters_.acquire_with_sums(cluster, pod.namespace_id, *scratch_[i].selector, *pc.column);
      pc.node_counts = with.counts.data();
      pc.sums.assign(with.sums.begin(), with.sums.begin() + static_cast<std::ptrdiff_t>(domains));
      pc.eligible.assign(domains, 1);  // every domain id was given to a node with the key
    } else {
      pc.node_counts = counters_.acquire(cluster, pod.namespace_id, *scratch_[i].selector).data();
      pc.sums.assign(domains, 0);
      pc.eligible.assign(domains, 0);
    }
  }

  // Otherwise processNode node by node: nodes with every constraint's key, per constraint
  // those its inclusion policies admit; matching pods summed per domain.
  const state::NodeTable& nodes = cluster.nodes;
  for (state::NodeIndex n = 0; n < nodes.size && !from_domain_sums; ++n) {
    bool has_all = true;
    for (std::size_t i = 0; i < k && has_all; ++i) has_all = st.constraints[i].column->domain[n] >= 0;
    if (!has_all) continue;
    const bool affinity = !need_affinity || inclusion_->affinity_matches(pod, nodes, n);
    const bool taints = !need_taints || inclusion_->taints_tolerated(pod, nodes, n);
    for (std::size_t i = 0; i < k; ++i) {
      if ((scratch_[i].honor_node_affinity && !affinity) || (scratch_[i].honor_node_taints && !taints)) continue;
      auto& pc = st.constraints[i];
      const auto d = static_cast<std::size_t>(pc.column->domain[n]);
      pc.eligible[d] = 1;
      pc.sums[d] += pc.node_counts[n];
    }
  }

  // minMatchNum, then the verdict of every domain: Filter's
  //   matchNum + selfMatchNum − minMatchNum ≤ maxSkew
  // is the same for every node of a domain, so it is decided once here.
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    const Constraint& c = scratch_[i];
    std::int64_t domains = 0;
    std::int64_t min_match = std::numeric_limits<std::int32_t>::max();  // newCriticalPaths
    for (std::size_t d = 0; d < pc.sums.size(); ++d) {
      if (!pc.eligible[d]) continue;
      ++domains;
      min_match = std::min(min_match, pc.sums[d]);
    }
    if (domains < c.min_domains) min_match = 0;
    const std::int64_t self_match = c.selector->matches(pod.labels) ? 1 : 0;
    pc.domain_fits.assign(pc.sums.size(), 0);
    for (std::size_t d = 0; d < pc.sums.size(); ++d)
      pc.domain_fits[d] = pc.sums[d] + self_match - min_match <= c.max_skew ? 1 : 0;
  }
  return {};
}

std::size_t PodTopologySpread::filter(const framework::CycleState& cycle, const framework::PodContext&,
                                      const framework::ClusterState&, std::span<const framework::NodeIndex> candidates,
                                      framework::NodeIndex* survivors) const {
  const auto& st = cycle.get<State>(slot()).filter;
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    bool fits = true;
    for (std::size_t i = 0; i < st.count && fits; ++i) {
      const std::int32_t d = st.constraints[i].column->domain[n];
      fits = d >= 0 && st.constraints[i].domain_fits[static_cast<std::size_t>(d)] != 0;
    }
    kept += fits ? 1 : 0;
  }
  return kept;
}

Status PodTopologySpread::filter_node(const framework::CycleState& cycle, const framework::PodContext&,
                                      const framework::ClusterState&, framework::NodeIndex node) const {
  const auto& st = cycle.get<State>(slot()).filter;
  for (std::size_t i = 0; i < st.count; ++i) {
    const std::int32_t d = st.constraints[i].column->domain[node];
    if (d < 0) return Status::unresolvable(std::string(kReasonNodeLabelNotMatch));
    if (!st.constraints[i].domain_fits[static_cast<std::size_t>(d)])
      return Status::unschedulable(std::string(kReasonConstraintsNotMatch));
  }
  return {};
}

void PodTopologySpread::count_rejections(const framework::CycleState& cycle, const framework::PodContext&,
                                         const framework::ClusterState&, std::span<const framework::NodeIndex> nodes,
                                         framework::ReasonCounts& counts) const {
  // filter_node's first failing constraint, tallied: one reason per rejected node.
  const auto& st = cycle.get<State>(slot()).filter;
  std::size_t missing_label = 0;
  std::size_t skewed = 0;
  for (const auto n : nodes) {
    for (std::size_t i = 0; i < st.count; ++i) {
      const std::int32_t d = st.constraints[i].column->domain[n];
      if (d < 0) {
        ++missing_label;
        break;
      }
      if (!st.constraints[i].domain_fits[static_cast<std::size_t>(d)]) {
        ++skewed;
        break;
      }
    }
  }
  counts.add(kReasonNodeLabelNotMatch, missing_label);
  counts.add(kReasonConstraintsNotMatch, skewed);
}

}  // namespace podium::plugins::podtopologyspread
