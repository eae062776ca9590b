#include "scheduler/placement_session.hpp"

#include <algorithm>
#include <utility>
#include <chrono>

namespace podium::scheduler {

static_assert(framework::Framework::kInfeasible == RingMaxTree::kEmpty,
              "the class cache's tree treats infeasible totals as empty leaves");

namespace {
// Bound the cached trees to ~64 MiB whatever the cluster size (per class: a tree of
// about 1.15 entries per node, 8 bytes each; the bound keeps the old 24 bytes per node).
std::size_t max_cached_classes(std::size_t nodes) {
  return std::clamp<std::size_t>((64u << 20) / (24 * std::max<std::size_t>(1, nodes)), 4, 256);
}
}  // namespace

PlacementSession::PlacementSession(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                   const SchedulerOptions& options)
    : cluster_(cluster),
      profiles_(profiles),
      options_(options),
      ties_(cluster.nodes.size, options.seed),
      ring_(ties_),
      // Reduced as every decision reduces it, so a queue decided without advancing it
      // (speculated, or empty) reports what one thread would.
      next_start_(framework::advance_start(options.first_start_node_index, 0, cluster.nodes.size)) {
  frameworks_.reserve(profiles.size());
  caches_.reserve(profiles.size());
  for (const auto& profile : profiles) {
    frameworks_.emplace_back(profile, cluster.nodes.size, ties_, options.threads);
    caches_.emplace_back(ring_, max_cached_classes(cluster.nodes.size));
  }
  for (const auto& fw : frameworks_)
    if (fw.samples() && !walk_) walk_ = framework::zone_interleaved_walk(cluster);
}

PlacementSession::~PlacementSession() = default;

std::size_t PlacementSession::profile_of(const state::PodRecord& pod) const {
  for (std::size_t i = 0; i < profiles_.size(); ++i)
    if (profiles_[i].scheduler_name == pod.scheduler_name) return i;
  return profiles_.size();
}

void bring_class_current(framework::Framework& fw, ClassCache& cache, const state::ClusterState& cluster,
                         const framework::PodContext& ctx, const std::string* signature) {
  const auto look = cache.lookup(signature != nullptr ? *signature : fw.signature(ctx.pod));
  if (look.full) {
    fw.evaluate_all(ctx, cluster, look.totals);
  } else {
    fw.evaluate(ctx, cluster, look.dirty, look.totals);
  }
  cache.mark_current();
}

namespace {
// How many top nodes the live filters may refuse before a decision gives up on the class
// tree and scans (ClassTotals::best_accepted): each refusal costs two tree updates and a
// filter call, ~100 ns; the scan costs ~5-10 ns per node.
constexpr std::size_t kMaxTreeRefusals = 64;
}  // namespace

framework::Decision decide_with_class_cache(framework::Framework& fw, ClassCache& cache,
                                            const state::ClusterState& cluster, const framework::PodContext& ctx,
                                            std::uint64_t decision_index, const std::string* signature,
                                            bool explain) {
  framework::Status rejection;
  if (!fw.prepare(ctx, cluster, rejection))
    return {state::kNoNode, 0, explain ? fw.unschedulable_reason(ctx, cluster, rejection) : std::string()};
  std::string own_signature;
  if (signature == nullptr) signature = &(own_signature = fw.signature(ctx.pod));
  // A class met for the first time is decided by one dense pass that keeps nothing (most
  // classes of an all-distinct queue never come back); the cache takes it on its second
  // pod. Pods a live plugin acts on need the class's totals under decide_with_live.
  if (!cache.contains(*signature) && !cache.admit(*signature) &&
      (!fw.has_live_plugins() || !fw.live_plugins_act(ctx, cluster))) {
    cache.note_uncached();
    framework::Decision decision = fw.decide_prepared(ctx, cluster, decision_index);
    if (decision.node == state::kNoNode && explain)
      decision.reason = fw.unschedulable_reason(ctx, cluster, framework::Status{});
    return decision;
  }
  bring_class_current(fw, cache, cluster, ctx, signature);
  const bool live = fw.has_live_plugins() && fw.live_plugins_act(ctx, cluster);
  // With a partner attached, the class learns how the partner may refresh it (once) —
  // unless live plugins act on its pods: their decisions read the class's every node
  // (totals_by_node), which stays in scratch across a run of the class's pods only while
  // nothing else writes the class (a partner's refresh would cost an O(nodes) gather).
  if (!live) cache.ensure_refresh([&] { return fw.detach_refresh(ctx, cluster); });
  // Live plugins (cross-node or normalizing) run on top of the cached totals; when none
  // acts on this pod, the class's tree answers alone.
  if (live) {
    if (!fw.live_scorers_act(ctx, cluster)) {
      // Only live filters act (required spread or pod (anti-)affinity, no scoring term):
      // the cached totals are the pod's totals, and the answer is the tree's best node
      // that the live filters accept. Such filters refuse few of the top nodes (the
      // nodes that already hold a matching pod score lower), so a few tree queries replace
      // the pass over every node; when many are refused, the pass is cheaper.
      const auto search = cache.best_accepted(
          fw.tie_breaker().start_for(decision_index),
          [&](state::NodeIndex n) { return fw.passes_live_filters(ctx, cluster, n); }, kMaxTreeRefusals);
      if (search.node != state::kNoNode) return {search.node, 0, {}, cluster.nodes.size};
    }
    return fw.decide_with_live(ctx, cluster, cache.totals_by_node(), decision_index);
  }
  const auto [node, feasible] = cache.best(fw.tie_breaker().start_for(decision_index));
  if (node == state::kNoNode)
    return {state::kNoNode, 0, explain ? fw.unschedulable_reason(ctx, cluster, framework::Status{}) : std::string()};
  return {node, feasible, {}};
}

framework::Decision PlacementSession::decide_by_chooser(std::size_t f, state::PodIndex p,
                                                      std::uint64_t decision_index) {
  framework::Framework& fw = frameworks_[f];
  const framework::PodContext ctx{cluster_.pods[p], p};
  framework::Status rejection;
  std::span<const state::NodeIndex> feasible;
  if (uses_cache(f)) {
    // The class's cached totals say which nodes the node-local filters accept (only the
    // nodes bound since the class was last used are re-filtered); live filters run on top.
    if (!fw.prepare(ctx, cluster_, rejection)) return {state::kNoNode, 0, fw.unschedulable_reason(ctx, cluster_, rejection)};
    bring_class_current(fw, caches_[f], cluster_, ctx, nullptr);
    feasible = fw.feasible_from_cached(ctx, cluster_, caches_[f].totals_by_node());
  } else {
    feasible = fw.feasible_nodes(ctx, cluster_, rejection);
    if (!rejection.ok()) return {state::kNoNode, 0, fw.unschedulable_reason(ctx, cluster_, rejection)};
  }
  if (feasible.empty()) return {state::kNoNode, 0, fw.unschedulable_reason(ctx, cluster_, framework::Status{})};
  const algorithms::ChoiceContext choice{ctx, cluster_, fw, options_.seed, decision_index};
  const state::NodeIndex node = options_.algorithm.chooser->choose(choice, feasible);
  chosen_gpu_devices_ = options_.algorithm.chooser->gpu_devices_of_last_choice();
  return {node, feasible.size(), {}, cluster_.nodes.size};
}

framework::Decision PlacementSession::decide(std::size_t f, state::PodIndex p, std::uint64_t decision_index,
                                             const std::string* signature) {
  framework::Framework& fw = frameworks_[f];
  const state::PodRecord& pod = cluster_.pods[p];
  framework::Decision decision;
  if (options_.algorithm.chooser) {
    decision = decide_by_chooser(f, p, decision_index);
  } else if (fw.samples()) {
    // Sampled decisions depend on the walk's start, so the class cache cannot serve them.
    decision = fw.select_sampled({pod, p}, cluster_, decision_index, *walk_, next_start_);
  } else if (uses_cache(f)) {
    decision = decide_with_class_cache(fw, caches_[f], cluster_, {pod, p}, decision_index, signature);
  } else {
    decision = fw.select_node({pod, p}, cluster_, decision_index);
  }
  return decision;
}

Placement PlacementSession::place(state::PodIndex p, std::uint64_t decision_index, const std::string* signature) {
  Placement placement;
  placement.pod = p;
  const state::PodRecord& pod = cluster_.pods[p];
  const std::size_t f = profile_of(pod);
  if (f == profiles_.size()) {
    placement.reason = "no profile for schedulerName \"" + pod.scheduler_name + "\"";
    return placement;
  }
  framework::Decision decision = decide(f, p, decision_index, signature);
  // nextStartNodeIndex is the scheduler's, shared by its profiles; an unsampled decision
  // examines every node (or none) and leaves it where it was.
  next_start_ = framework::advance_start(next_start_, decision.nodes_examined, cluster_.nodes.size);
  placement.node = decision.node;
  placement.reason = std::move(decision.reason);
  if (decision.node != state::kNoNode) {
    commit(p, decision.node);
  } else if (options_.preemption.enabled && profiles_[f].default_preemption && !in_transaction_) {
    post_filter(f, p, decision_index, placement);
  }
  return placement;
}

void PlacementSession::post_filter(std::size_t f, state::PodIndex p, std::uint64_t decision_index,
                                   Placement& placement) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  if (!preemptor_) preemptor_ = std::make_unique<Preemptor>(*this, options_.preemption, options_.seed);
  ++preemption_attempts_;
  PreemptionOutcome outcome = preemptor_->preempt(f, p, decision_index);
  if (outcome.node != state::kNoNode) {
    commit(p, outcome.node);
    ++preemptions_;
    victims_ += outcome.victims.size();
    placement.node = outcome.node;
    placement.reason.clear();
    placement.nominated = true;
    placement.victims = std::move(outcome.victims);
  }
  // A pod preemption cannot help keeps its FitError alone: upstream appends PostFilter's
  // "preemption: ..." diagnosis, which Podium leaves out (docs/NOTES.md).
  placement.preemption_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

Placement PlacementSession::place_proposed(state::PodIndex p, std::uint64_t decision_index, state::NodeIndex proposed,
                                           bool& taken) {
  taken = false;
  const std::size_t f = profile_of(cluster_.pods[p]);
  if (proposed != state::kNoNode && f < profiles_.size() &&
      frameworks_[f].passes_filters({cluster_.pods[p], p}, cluster_, proposed)) {
    taken = true;
    commit(p, proposed);
    Placement placement;
    placement.pod = p;
    placement.node = proposed;
    return placement;
  }
  return place(p, decision_index);
}

void PlacementSession::commit(state::PodIndex p, state::NodeIndex node, gpushare::DeviceSet gpu_devices) {
  if (in_transaction_) {
    JournalEntry& entry = journal_.emplace_back(JournalEntry{p, node, std::nullopt});
    if (!cluster_.pods[p].host_ports.empty()) entry.ports_before = cluster_.nodes.used_ports[node];
  }
  // A GPU-sharing chooser's devices apply to the pod it just decided, committed next.
  const gpushare::DeviceSet chosen = std::exchange(chosen_gpu_devices_, 0);
  cluster_.bind(p, node, gpu_devices != 0 ? gpu_devices : chosen);
  notify_bound(p, node);
}

void PlacementSession::rollback(state::PodIndex p, state::NodeIndex node) {
  cluster_.unbind(p);
  if (preemptor_) preemptor_->on_unbind(p, node);
  for (auto& fw : frameworks_) fw.notify_unbind(cluster_, p, node);
  // The node changed again: every class recomputes it at its next use.
  for (auto& cache : caches_) cache.record_bind(node);
  if (partner_ != nullptr) partner_->feed(p, node, /*bound=*/false);
}

void PlacementSession::begin_transaction() {
  in_transaction_ = true;
  journal_.clear();
  next_start_at_begin_ = next_start_;
}

void PlacementSession::end_transaction(bool keep) {
  in_transaction_ = false;
  if (!keep) {
    for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
      rollback(it->pod, it->node);
      if (it->ports_before) cluster_.nodes.used_ports[it->node] = std::move(*it->ports_before);
    }
    next_start_ = next_start_at_begin_;
  }
  journal_.clear();
}

void PlacementSession::notify_bound(state::PodIndex p, state::NodeIndex node) {
  if (preemptor_) preemptor_->on_bind(p, node);
  for (auto& fw : frameworks_) fw.notify_bind(cluster_, p, node);
  for (auto& cache : caches_) cache.record_bind(node);
  if (partner_ != nullptr) partner_->feed(p, node, /*bound=*/true);
}

void PlacementSession::attach_partner(PartnerRefresh* partner) {
  partner_ = partner;
  for (auto& cache : caches_) {
    if (partner != nullptr) {
      cache.attach_partner();
    } else {
      cache.detach_partner();
    }
  }
}

void PlacementSession::finish(ScheduleResult& result) const {
  result.next_start_node_index = next_start_;
  result.preemption_attempts += preemption_attempts_;
  result.preemptions += preemptions_;
  result.victims += victims_;
  for (const auto& cache : caches_) {
    result.cache_hits += cache.hits();
    result.cache_misses += cache.misses();
  }
}

}  // namespace podium::scheduler
