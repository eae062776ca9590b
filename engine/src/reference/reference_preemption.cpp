// The reference oracle's DefaultPreemption, written the plain way from upstream's
// preemption.go (findCandidates, DryRunPreemption, pickOneNodeForPreemption) and
// default_preemption.go (SelectVictimsOnNode, filterPodsWithPDBViolation): every check
// re-runs every filter over the whole cluster (filter_codes) with the node's pods taken
// off, and candidates are compared as one lexicographic key. Shares with the engine only
// the offset and candidate-count arithmetic (podium/scheduler/scheduler.hpp), as it shares
// the tie rule, and the pods' compiled label selectors.

#include <algorithm>
#include <limits>
#include <tuple>

#include "podium/framework/node_sampling.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace podium::reference {
namespace {

using state::NodeIndex;
using state::PodIndex;

// GetPodStartTime: a pod that has not started reads as "now", after every given time.
std::int64_t start_of(const state::PodRecord& pod) {
  return pod.start_time_ns ? *pod.start_time_ns : std::numeric_limits<std::int64_t>::max();
}

}  // namespace

void ReferenceScheduler::unbind(const state::PodRecord& pod, NodeIndex n) {
  ReferenceNode& node = nodes_[n];
  std::erase(node.bound_pods, &pod);
  for (state::ResourceId r = 0; r < pod.requests.size(); ++r) node.requested[r] -= pod.requests[r];
  node.nonzero_cpu -= pod.nonzero_cpu;
  node.nonzero_memory -= pod.nonzero_memory;
  node.pods -= 1;
  // HostPortInfo of the pods that stay.
  node.used_ports.clear();
  for (const state::PodRecord* other : node.bound_pods)
    for (const auto& p : other->host_ports) {
      ReferenceNode::Port port{cluster_.strings.text(p.ip), cluster_.strings.text(p.protocol), p.port};
      bool known = false;
      for (const auto& u : node.used_ports)
        known = known || (u.ip == port.ip && u.protocol == port.protocol && u.port == port.port);
      if (!known) node.used_ports.push_back(port);
    }
}

NodeIndex ReferenceScheduler::preempt(const state::PodRecord& pod, std::uint64_t decision_index,
                                      std::vector<PodIndex>& victims) {
  victims.clear();
  if (!options_.preemption || pod.preempt_never) return state::kNoNode;

  // Potential nodes: Unschedulable (not Unresolvable) ones, in the node tree's order.
  const std::vector<FilterCode> codes = filter_codes(pod);
  std::vector<NodeIndex> potential;
  // Nodes not created yet (ReferenceOptions::initial_nodes) are no candidates. The tree's
  // list restricted to the first nodes is the list over those nodes alone: each zone's
  // nodes are a prefix of its list, and zones keep their order of first appearance.
  for (const NodeIndex n : framework::zone_interleaved_walk(cluster_).order)
    if (n < nodes_.size() && codes[n] == FilterCode::kUnschedulable) potential.push_back(n);
  if (potential.empty()) return state::kNoNode;

  const scheduler::PreemptionOptions args{true, options_.min_candidate_nodes_percentage,
                                          options_.min_candidate_nodes_absolute};
  const auto count = static_cast<std::uint32_t>(potential.size());
  const std::uint32_t offset = scheduler::preemption_offset(options_.seed, decision_index, count);
  const auto wanted = static_cast<std::size_t>(scheduler::num_preemption_candidates(static_cast<std::int32_t>(count), args));

  struct Candidate {
    NodeIndex node;
    std::vector<const state::PodRecord*> victims;  // most important first
    std::int64_t violations;
  };
  auto more_important = [&](const state::PodRecord* a, const state::PodRecord* b) {
    return std::make_tuple(-std::int64_t{a->priority}, start_of(*a), index_of(*a)) <
           std::make_tuple(-std::int64_t{b->priority}, start_of(*b), index_of(*b));
  };
  auto fits_now = [&](NodeIndex n) { return filter_codes(pod)[n] == FilterCode::kFits; };

  std::vector<Candidate> clean, violating_candidates;
  for (std::uint32_t i = 0; i < count; ++i) {
    const NodeIndex n = potential[(offset + i) % count];
    std::vector<const state::PodRecord*> lower;
    for (const state::PodRecord* other : nodes_[n].bound_pods)
      if (other->priority < pod.priority) lower.push_back(other);
    if (lower.empty()) continue;
    for (const state::PodRecord* v : lower) unbind(*v, n);
    if (fits_now(n)) {
      std::sort(lower.begin(), lower.end(), more_important);
      // PDBs: walk the sorted pods, spending each matching budget's allowed disruptions.
      std::vector<std::int64_t> left;
      for (const auto& pdb : cluster_.disruption_budgets) left.push_back(pdb.disruptions_allowed);
      std::vector<const state::PodRecord*> breaks, keeps;
      for (const state::PodRecord* v : lower) {
        bool broken = false;
        const std::string name = v->key.substr(v->key.find('/') + 1);
        for (std::size_t b = 0; b < cluster_.disruption_budgets.size() && !v->labels.empty(); ++b) {
          const auto& pdb = cluster_.disruption_budgets[b];
          const bool selects = pdb.namespace_id == v->namespace_id && !pdb.selector.matches_nothing &&
                               !pdb.selector.requirements.empty() && pdb.selector.matches(v->labels);
          const bool processed =
              std::find(pdb.disrupted_pods.begin(), pdb.disrupted_pods.end(), name) != pdb.disrupted_pods.end();
          if (selects && !processed) broken = --left[b] < 0 || broken;
        }
        (broken ? breaks : keeps).push_back(v);
      }
      Candidate c{n, {}, 0};
      for (const auto* list : {&breaks, &keeps})
        for (const state::PodRecord* v : *list) {
          bind(*v, n);
          if (fits_now(n)) continue;
          unbind(*v, n);
          c.victims.push_back(v);
          if (list == &breaks) ++c.violations;
        }
      std::sort(c.victims.begin(), c.victims.end(), more_important);
      (c.violations == 0 ? clean : violating_candidates).push_back(std::move(c));
    }
    // Back as it was.
    for (const state::PodRecord* v : lower)
      if (std::find(nodes_[n].bound_pods.begin(), nodes_[n].bound_pods.end(), v) == nodes_[n].bound_pods.end())
        bind(*v, n);
    if (clean.size() > wanted) clean.resize(wanted);
    if (violating_candidates.size() > wanted) violating_candidates.resize(wanted);
    if (!clean.empty() && clean.size() + violating_candidates.size() >= wanted) break;
  }
  std::vector<Candidate> candidates = std::move(clean);
  for (auto& c : violating_candidates) candidates.push_back(std::move(c));
  if (candidates.empty()) return state::kNoNode;

  // pickOneNodeForPreemption as one key: fewer PDB violations, lower top priority, lower
  // sum of (priority + 2^31), fewer victims, later earliest start among the top-priority
  // victims; the first candidate wins a full tie.
  auto key = [&](const Candidate& c) {
    const std::int64_t top = c.victims.front()->priority;
    std::int64_t sum = 0;
    std::int64_t earliest = std::numeric_limits<std::int64_t>::max();
    for (const state::PodRecord* v : c.victims) {
      sum += v->priority + (std::int64_t{1} << 31);
      if (v->priority == top) earliest = std::min(earliest, start_of(*v));
    }
    return std::make_tuple(c.violations, top, sum, c.victims.size(), -earliest);
  };
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size(); ++i)
    if (key(candidates[i]) < key(candidates[best])) best = i;
  const Candidate& chosen = candidates[best];
  for (const state::PodRecord* v : chosen.victims) {
    unbind(*v, chosen.node);
    victims.push_back(index_of(*v));
  }
  return chosen.node;
}

}  // namespace podium::reference
