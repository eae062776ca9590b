#include "scheduler/preemption.hpp"

#include <algorithm>
#include <limits>

#include "podium/framework/node_sampling.hpp"
#include "scheduler/placement_session.hpp"

namespace podium::scheduler {

std::int64_t pod_start_time(const state::PodRecord& pod) { return pod.start_time_ns.value_or(kNotStarted); }

bool more_important(const state::ClusterState& cluster, state::PodIndex a, state::PodIndex b) {
  const state::PodRecord& pa = cluster.pods[a];
  const state::PodRecord& pb = cluster.pods[b];
  if (pa.priority != pb.priority) return pa.priority > pb.priority;
  const std::int64_t ta = pod_start_time(pa);
  const std::int64_t tb = pod_start_time(pb);
  if (ta != tb) return ta < tb;
  return a < b;
}

std::int32_t num_preemption_candidates(std::int32_t potential_nodes, const PreemptionOptions& options) {
  // int32 arithmetic as upstream's (numNodes * percentage) / 100: both are bounded by
  // validation (percentage 0..100) and node counts far below 2^31 / 100.
  std::int32_t n = static_cast<std::int32_t>(static_cast<std::int64_t>(potential_nodes) *
                                             options.min_candidate_nodes_percentage / 100);
  if (n < options.min_candidate_nodes_absolute) n = options.min_candidate_nodes_absolute;
  if (n > potential_nodes) n = potential_nodes;
  return n;
}

std::uint32_t preemption_offset(std::uint64_t seed, std::uint64_t decision_index, std::uint32_t potential_nodes) {
  if (potential_nodes == 0) return 0;
  // SplitMix64 of the pair: one well-mixed draw per decision.
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + decision_index + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<std::uint32_t>(z % potential_nodes);
}

void split_by_pdb_violation(const state::ClusterState& cluster, std::span<const state::PodIndex> pods,
                            std::vector<state::PodIndex>& violating, std::vector<state::PodIndex>& non_violating) {
  const auto& pdbs = cluster.disruption_budgets;
  std::vector<std::int64_t> allowed(pdbs.size());
  for (std::size_t i = 0; i < pdbs.size(); ++i) allowed[i] = pdbs[i].disruptions_allowed;
  for (const state::PodIndex p : pods) {
    const state::PodRecord& pod = cluster.pods[p];
    bool violated = false;
    // A pod with no labels matches no PDB.
    if (!pod.labels.empty()) {
      const std::string_view name = std::string_view(pod.key).substr(pod.key.find('/') + 1);
      for (std::size_t i = 0; i < pdbs.size(); ++i) {
        const state::DisruptionBudgetRecord& pdb = pdbs[i];
        if (pdb.namespace_id != pod.namespace_id) continue;
        // A nil or empty selector matches nothing here (unlike elsewhere in the API).
        if (pdb.selector.matches_nothing || pdb.selector.requirements.empty()) continue;
        if (!pdb.selector.matches(pod.labels)) continue;
        // Already in status.disruptedPods: the API server has processed its eviction.
        if (std::find(pdb.disrupted_pods.begin(), pdb.disrupted_pods.end(), name) != pdb.disrupted_pods.end())
          continue;
        if (--allowed[i] < 0) violated = true;
      }
    }
    (violated ? violating : non_violating).push_back(p);
  }
}

std::size_t pick_one_node_for_preemption(const state::ClusterState& cluster,
                                         std::span<const PreemptionCandidate> candidates) {
  if (candidates.empty()) return 0;
  using Score = std::int64_t (*)(const state::ClusterState&, const PreemptionCandidate&);
  static constexpr Score kScores[] = {
      // minNumPDBViolatingScoreFunc
      [](const state::ClusterState&, const PreemptionCandidate& c) { return -c.pdb_violations; },
      // minHighestPriorityScoreFunc (victims are sorted, most important first)
      [](const state::ClusterState& cl, const PreemptionCandidate& c) {
        return -std::int64_t{cl.pods[c.victims.front()].priority};
      },
      // minSumPrioritiesScoreFunc: MaxInt32 + 1 added to each so that fewer pods win
      [](const state::ClusterState& cl, const PreemptionCandidate& c) {
        std::int64_t sum = 0;
        for (const state::PodIndex v : c.victims) sum += std::int64_t{cl.pods[v].priority} + (std::int64_t{1} << 31);
        return -sum;
      },
      // minNumPodsScoreFunc
      [](const state::ClusterState&, const PreemptionCandidate& c) { return -static_cast<std::int64_t>(c.victims.size()); },
      // latestStartTimeScoreFunc: util.GetEarliestPodStartTime, the earliest start among
      // the victims of the highest priority
      [](const state::ClusterState& cl, const PreemptionCandidate& c) {
        const std::int32_t top = cl.pods[c.victims.front()].priority;
        std::int64_t earliest = kNotStarted;
        for (const state::PodIndex v : c.victims)
          if (cl.pods[v].priority == top) earliest = std::min(earliest, pod_start_time(cl.pods[v]));
        return earliest;
      },
  };
  std::vector<std::size_t> left(candidates.size());
  for (std::size_t i = 0; i < left.size(); ++i) left[i] = i;
  std::vector<std::size_t> best;
  for (const Score score : kScores) {
    best.clear();
    std::int64_t max = std::numeric_limits<std::int64_t>::min();
    for (const std::size_t i : left) {
      const std::int64_t s = score(cluster, candidates[i]);
      if (s > max) {
        max = s;
        best.clear();
      }
      if (s == max) best.push_back(i);
    }
    if (best.size() == 1) return best.front();
    left.swap(best);
  }
  return left.front();
}

bool preemption_possible(const state::ClusterState& cluster, std::span<const state::PodIndex> queue,
                         const PreemptionOptions& options) {
  if (!options.enabled || queue.empty()) return false;
  std::int32_t lowest = std::numeric_limits<std::int32_t>::max();
  for (const state::PodRecord& pod : cluster.pods)
    if (pod.bound_node != state::kNoNode) lowest = std::min(lowest, pod.priority);
  for (const state::PodIndex p : queue) lowest = std::min(lowest, cluster.pods[p].priority);
  return std::any_of(queue.begin(), queue.end(), [&](state::PodIndex p) {
    return !cluster.pods[p].preempt_never && cluster.pods[p].priority > lowest;
  });
}

Preemptor::Preemptor(PlacementSession& session, const PreemptionOptions& options, std::uint64_t seed)
    : session_(session), options_(options), seed_(seed) {
  const state::ClusterState& cluster = session.cluster();
  pods_on_node_.resize(cluster.nodes.size);
  for (state::PodIndex p = 0; p < cluster.pods.size(); ++p)
    if (cluster.pods[p].bound_node != state::kNoNode) {
      pods_on_node_[cluster.pods[p].bound_node].push_back(p);
      ++bound_priorities_[cluster.pods[p].priority];
    }
  // The snapshot's node list (NodeInfos().List()): upstream's node tree, zones interleaved.
  node_order_ = framework::zone_interleaved_walk(cluster).order;
}

void Preemptor::on_bind(state::PodIndex p, state::NodeIndex node) {
  if (dry_run_) return;
  pods_on_node_[node].push_back(p);
  ++bound_priorities_[session_.cluster().pods[p].priority];
}

void Preemptor::on_unbind(state::PodIndex p, state::NodeIndex node) {
  if (dry_run_) return;
  std::erase(pods_on_node_[node], p);
  const auto it = bound_priorities_.find(session_.cluster().pods[p].priority);
  if (--it->second == 0) bound_priorities_.erase(it);
}

bool Preemptor::fits(std::size_t f, state::PodIndex p, state::NodeIndex node) {
  // RunFilterPluginsWithNominatedPods on the node as it now stands (no nominated pods in
  // Podium: a preemptor is bound at once). PreFilter runs again, so cross-node plugins
  // count the node without the pods taken off.
  return session_.framework(f).passes_filters({session_.cluster().pods[p], p}, session_.cluster(), node);
}

void Preemptor::take_off(state::PodIndex victim, state::NodeIndex node) { session_.rollback(victim, node); }

// A victim goes back on the GPU devices it held (ClusterState::unbind forgets them).
void Preemptor::put_back(state::PodIndex victim, state::NodeIndex node) {
  session_.commit(victim, node, session_.cluster().pods[victim].last_gpu_devices);
}

bool Preemptor::select_victims_on_node(std::size_t f, state::PodIndex p, state::NodeIndex node,
                                       PreemptionCandidate& out) {
  const state::ClusterState& cluster = session_.cluster();
  const std::int32_t priority = cluster.pods[p].priority;
  // isPreemptionAllowed: strictly lower priority (IsEligiblePod's default accepts all).
  std::vector<state::PodIndex> potential;
  for (const state::PodIndex v : pods_on_node_[node])
    if (cluster.pods[v].priority < priority) potential.push_back(v);
  if (potential.empty()) return false;  // "No preemption victims found for incoming pod"

  dry_run_ = true;
  for (const state::PodIndex v : potential) take_off(v, node);
  bool candidate = false;
  out.node = node;
  out.victims.clear();
  out.pdb_violations = 0;
  if (fits(f, p, node)) {
    candidate = true;
    std::sort(potential.begin(), potential.end(),
              [&](state::PodIndex a, state::PodIndex b) { return more_important(cluster, a, b); });
    std::vector<state::PodIndex> violating, non_violating;
    split_by_pdb_violation(cluster, potential, violating, non_violating);
    // Reprieve as many as possible: PDB-violating ones first, then the rest, each list
    // most important first; a pod stays only if the preemptor still fits with it back.
    auto reprieve = [&](state::PodIndex v) {
      put_back(v, node);
      if (fits(f, p, node)) return true;
      take_off(v, node);
      out.victims.push_back(v);
      return false;
    };
    for (const state::PodIndex v : violating)
      if (!reprieve(v)) ++out.pdb_violations;
    for (const state::PodIndex v : non_violating) reprieve(v);
    if (!violating.empty() && !non_violating.empty())
      std::sort(out.victims.begin(), out.victims.end(),
                [&](state::PodIndex a, state::PodIndex b) { return more_important(cluster, a, b); });
  }
  // Restore the node: every pod taken off and not reprieved goes back.
  for (const state::PodIndex v : potential)
    if (cluster.pods[v].bound_node == state::kNoNode) put_back(v, node);
  dry_run_ = false;
  return candidate;
}

PreemptionOutcome Preemptor::preempt(std::size_t f, state::PodIndex p, std::uint64_t decision_index) {
  PreemptionOutcome outcome;
  state::ClusterState& cluster = session_.cluster();
  if (cluster.pods[p].preempt_never) {
    outcome.reason = "preemption: not eligible due to preemptionPolicy=Never.";
    return outcome;
  }
  // No lower-priority pod anywhere: every node would answer "No preemption victims found",
  // so there is no candidate whatever the filters say (a shortcut with the same outcome).
  if (bound_priorities_.empty() || bound_priorities_.begin()->first >= cluster.pods[p].priority) {
    outcome.reason = "preemption: no lower-priority pod is bound anywhere.";
    return outcome;
  }
  framework::Framework& fw = session_.framework(f);
  const framework::PodContext ctx{cluster.pods[p], p};

  // findCandidates: the nodes where preemption might help. A PreFilter rejection applies
  // to every node (SetAbsentNodesStatus) with its own code.
  std::vector<state::NodeIndex> potential;
  framework::Status rejection;
  if (!fw.pre_filter(ctx, cluster, rejection)) {
    if (rejection.code() == framework::Code::kUnschedulable) potential = node_order_;
  } else {
    for (const state::NodeIndex n : node_order_)
      if (fw.node_status(ctx, cluster, n).code() == framework::Code::kUnschedulable) potential.push_back(n);
  }
  if (potential.empty()) {
    outcome.reason = "preemption: 0/" + std::to_string(cluster.nodes.size) +
                     " nodes are available: preemption is not helpful for scheduling.";
    return outcome;
  }

  // DryRunPreemption from the offset, wrapping; candidates that violate no PDB first.
  const auto count = static_cast<std::uint32_t>(potential.size());
  const std::uint32_t offset = preemption_offset(seed_, decision_index, count);
  const auto wanted = static_cast<std::size_t>(num_preemption_candidates(static_cast<std::int32_t>(count), options_));
  std::vector<PreemptionCandidate> non_violating, violating;
  PreemptionCandidate c;
  for (std::uint32_t i = 0; i < count; ++i) {
    const state::NodeIndex node = potential[(offset + i) % count];
    if (!select_victims_on_node(f, p, node, c)) continue;
    auto& list = c.pdb_violations == 0 ? non_violating : violating;
    if (list.size() < wanted) list.push_back(c);  // candidateList holds numCandidates
    if (!non_violating.empty() && non_violating.size() + violating.size() >= wanted) break;
  }
  std::vector<PreemptionCandidate> candidates = std::move(non_violating);
  candidates.insert(candidates.end(), std::make_move_iterator(violating.begin()),
                    std::make_move_iterator(violating.end()));
  if (candidates.empty()) {
    outcome.reason = "preemption: 0/" + std::to_string(cluster.nodes.size) +
                     " nodes are available: no node fits the pod even with every lower-priority pod evicted.";
    return outcome;
  }

  // SelectCandidate, then prepareCandidate: evict the victims.
  PreemptionCandidate& chosen = candidates[pick_one_node_for_preemption(cluster, candidates)];
  for (const state::PodIndex v : chosen.victims) session_.rollback(v, chosen.node);
  outcome.node = chosen.node;
  outcome.victims = std::move(chosen.victims);
  return outcome;
}

}  // namespace podium::scheduler
