#include "podium/scheduler/scheduling_queue.hpp"

#include <algorithm>
#include <string>

#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"
#include "podium/plugins/nodeaffinity/node_affinity.hpp"
#include "podium/plugins/nodename/node_name.hpp"
#include "podium/plugins/nodeports/node_ports.hpp"
#include "podium/plugins/nodeunschedulable/node_unschedulable.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"
#include "podium/plugins/tainttoleration/taint_toleration.hpp"

namespace podium::scheduler {

std::vector<std::string_view> fit_error_phrases(std::string_view message) {
  constexpr std::string_view kMarker = " are available: ";
  std::vector<std::string_view> out;
  const auto at = message.find(kMarker);
  if (at == std::string_view::npos) return out;
  std::string_view rest = message.substr(at + kMarker.size());
  if (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);
  while (!rest.empty()) {
    const auto end = rest.find(", ");
    std::string_view part = rest.substr(0, end);
    const auto space = part.find(' ');
    if (space != std::string_view::npos && space > 0 &&
        std::all_of(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(space),
                    [](char c) { return c >= '0' && c <= '9'; }))
      part.remove_prefix(space + 1);
    out.push_back(part);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 2);
  }
  return out;
}

namespace {

std::uint32_t class_of_phrase(std::string_view phrase) {
  using plugins::interpodaffinity::InterPodAffinity;
  using plugins::podtopologyspread::PodTopologySpread;
  using plugins::nodeaffinity::NodeAffinity;
  if (phrase.starts_with("Insufficient ") || phrase == "Too many pods") return kResources;
  if (phrase == plugins::NodePorts::kReason) return kPorts;
  if (phrase == InterPodAffinity::kAffinityReason) return kAffinity;
  if (phrase == InterPodAffinity::kAntiAffinityReason || phrase == InterPodAffinity::kExistingAntiAffinityReason)
    return kAntiAffinity;
  if (phrase == PodTopologySpread::kReasonConstraintsNotMatch) return kSpread;
  if (phrase == PodTopologySpread::kReasonNodeLabelNotMatch || phrase == plugins::TaintToleration::kReason ||
      phrase == NodeAffinity::kReasonPod || phrase == NodeAffinity::kReasonEnforced ||
      phrase == NodeAffinity::kReasonConflict || phrase == NodeAffinity::kReasonNotInPreFilterResult ||
      phrase == plugins::NodeName::kReason || phrase == plugins::NodeUnschedulable::kReason)
    return kNodeOnly;
  return kAllRejections;
}

}  // namespace

std::uint32_t rejection_classes(std::string_view fit_error) {
  std::uint32_t classes = 0;
  for (const auto phrase : fit_error_phrases(fit_error)) classes |= class_of_phrase(phrase);
  // A FitError that names no plugin (a cluster without nodes: "0/0 nodes are available:"):
  // upstream's isPodWorthRequeuing requeues a pod without unschedulable plugins on any event
  // (pkg/scheduler/backend/queue/scheduling_queue.go), so the first nodes to join wake it.
  if (classes == 0 && fit_error.starts_with("0/") && fit_error.find(" nodes are available:") != std::string_view::npos)
    return kAllRejections;
  return classes;
}

std::uint32_t classes_woken_by(ClusterEvent event) {
  switch (event) {
    case ClusterEvent::kPodDeleted: return kResources | kPorts | kAntiAffinity | kSpread;
    case ClusterEvent::kPodAdded: return kAffinity | kSpread;
    case ClusterEvent::kNodeAdded: return kAllRejections;
  }
  return kAllRejections;
}

SchedulingQueue::SchedulingQueue(std::size_t pod_count, QueueOptions options)
    : options_(options), pods_(pod_count), requeue_order_(pod_count) {}

std::uint64_t SchedulingQueue::backoff_ms(std::uint32_t attempts) const {
  if (attempts == 0) return 0;
  std::uint64_t duration = options_.initial_backoff_ms;
  for (std::uint32_t i = 1; i < attempts; ++i) {
    // Subtraction rather than doubling first, as upstream does, so nothing overflows.
    if (duration > options_.max_backoff_ms - std::min(duration, options_.max_backoff_ms))
      return options_.max_backoff_ms;
    duration += duration;
  }
  return std::min(duration, options_.max_backoff_ms);
}

bool SchedulingQueue::before(state::PodIndex a, state::PodIndex b) const {
  const PodState& x = pods_[a];
  const PodState& y = pods_[b];
  if (x.priority != y.priority) return x.priority > y.priority;
  if (x.ready_at_ms != y.ready_at_ms) return x.ready_at_ms < y.ready_at_ms;
  if (x.order != y.order) return x.order < y.order;
  return a < b;
}

void SchedulingQueue::add(state::PodIndex p, std::int32_t priority, std::uint64_t order, bool retriable) {
  PodState& s = pods_[p];
  s = PodState{priority, order, now_ms_, 0, 0, Where::kActive, retriable};
  active_.push_back(p);
}

std::vector<state::PodIndex> SchedulingQueue::pop_ready() {
  if (active_.empty() && !backoff_.empty()) {
    std::uint64_t earliest = pods_[backoff_.front()].ready_at_ms;
    for (const auto p : backoff_) earliest = std::min(earliest, pods_[p].ready_at_ms);
    now_ms_ = std::max(now_ms_, earliest);
    std::vector<state::PodIndex> waiting;
    for (const auto p : backoff_) {
      if (pods_[p].ready_at_ms <= now_ms_) {
        pods_[p].where = Where::kActive;
        active_.push_back(p);
      } else {
        waiting.push_back(p);
      }
    }
    backoff_ = std::move(waiting);
  }
  std::vector<state::PodIndex> ready = std::move(active_);
  active_.clear();
  std::sort(ready.begin(), ready.end(), [this](auto a, auto b) { return before(a, b); });
  for (const auto p : ready) pods_[p].where = Where::kNone;  // being attempted
  return ready;
}

void SchedulingQueue::record_attempt(state::PodIndex p, bool placed, std::string_view reason) {
  PodState& s = pods_[p];
  ++s.attempts;
  if (s.attempts > 1) ++retries_;
  if (placed) {
    s.where = Where::kPlaced;
    if (s.attempts > 1) ++placed_on_retry_;
    return;
  }
  if (!s.retriable || (options_.max_attempts != 0 && s.attempts >= options_.max_attempts)) {
    s.where = Where::kGivenUp;
    return;
  }
  s.classes = rejection_classes(reason);
  s.ready_at_ms = now_ms_ + backoff_ms(s.attempts);
  s.where = Where::kPool;
  pool_.push_back(p);
  pool_classes_ |= s.classes;
}

void SchedulingQueue::record_result(const ScheduleResult& result) {
  for (const auto& placement : result.placements) {
    // A preemption victim's eviction is not an attempt: it is a pod leaving its node.
    if (placement.evicted_by != kNoPod) {
      on_event(ClusterEvent::kPodDeleted);
      continue;
    }
    const bool placed = placement.node != state::kNoNode;
    record_attempt(placement.pod, placed, placement.reason);
    if (placed) on_event(ClusterEvent::kPodAdded);
  }
}

void as_recreated(state::PodRecord& pod) {
  pod.requested_node_name.clear();
  pod.start_time_ns.reset();
}

std::size_t SchedulingQueue::requeue_victims(const ScheduleResult& result, state::ClusterState& cluster) {
  std::size_t added = 0;
  for (const auto& placement : result.placements) {
    if (placement.evicted_by == kNoPod) continue;
    const state::PodIndex v = placement.pod;
    state::PodRecord& pod = cluster.pods[v];
    if (pod.bound_node != state::kNoNode) continue;  // not pending (defensive: a round never re-places a victim)
    as_recreated(pod);
    add(v, pod.priority, requeue_order_++, pod.group == state::kNoPodGroup);
    ++added;
  }
  requeued_ += added;
  return added;
}

void SchedulingQueue::remove(state::PodIndex p) {
  auto drop = [p](std::vector<state::PodIndex>& v) { v.erase(std::remove(v.begin(), v.end(), p), v.end()); };
  switch (pods_[p].where) {
    case Where::kActive: drop(active_); break;
    case Where::kBackoff: drop(backoff_); break;
    case Where::kPool: drop(pool_); break;  // pool_classes_ stays an upper bound
    default: break;
  }
  pods_[p].where = Where::kNone;
}

std::size_t SchedulingQueue::on_event(ClusterEvent event) {
  const std::uint32_t woken = classes_woken_by(event);
  // Most binds wake nobody: one test instead of a walk over the pool.
  if ((pool_classes_ & woken) == 0) return 0;
  std::size_t moved = 0;
  pool_classes_ = 0;
  std::vector<state::PodIndex> staying;
  for (const auto p : pool_) {
    PodState& s = pods_[p];
    if ((s.classes & woken) == 0) {
      staying.push_back(p);
      pool_classes_ |= s.classes;
      continue;
    }
    ++moved;
    // moveToActiveQ or to backoffQ, by whether the pod is still backing off
    // (PriorityQueue.requeuePodWithQueueingStrategy / isPodBackingoff).
    if (s.ready_at_ms <= now_ms_) {
      s.where = Where::kActive;
      active_.push_back(p);
    } else {
      s.where = Where::kBackoff;
      backoff_.push_back(p);
    }
  }
  pool_ = std::move(staying);
  return moved;
}

ScheduleResult schedule_with_queue(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                   const SchedulerOptions& options, SchedulingQueue& queue) {
  const auto order = cluster.pending_in_queue_order();
  for (std::size_t i = 0; i < order.size(); ++i) {
    const state::PodRecord& pod = cluster.pods[order[i]];
    queue.add(order[i], pod.priority, i, pod.group == state::kNoPodGroup);
  }
  ScheduleResult total;
  SchedulerOptions round_options = options;
  for (auto ready = queue.pop_ready(); !ready.empty(); ready = queue.pop_ready()) {
    ScheduleResult round = schedule_queue(cluster, profiles, ready, round_options);
    round_options.first_decision += ready.size();
    round_options.first_start_node_index = round.next_start_node_index;
    queue.record_result(round);
    if (queue.options().requeue_victims) queue.requeue_victims(round, cluster);
    total.schedule_seconds += round.schedule_seconds;
    total.cache_hits += round.cache_hits;
    total.cache_misses += round.cache_misses;
    total.next_start_node_index = round.next_start_node_index;
    total.speculated += round.speculated;
    total.speculation_corrected += round.speculation_corrected;
    total.partner_refreshes += round.partner_refreshes;
    total.commit_attempts += round.commit_attempts;
    total.conflicts += round.conflicts;
    total.window_stats.windows += round.window_stats.windows;
    total.window_stats.window_pods += round.window_stats.window_pods;
    total.window_stats.proposed += round.window_stats.proposed;
    total.window_stats.graph_nodes += round.window_stats.graph_nodes;
    total.window_stats.graph_arcs += round.window_stats.graph_arcs;
    total.window_stats.solve_seconds += round.window_stats.solve_seconds;
    total.window_stats.fell_back += round.window_stats.fell_back;
    total.window_stats.proposal_rejected += round.window_stats.proposal_rejected;
    total.gangs_placed += round.gangs_placed;
    total.gangs_rejected += round.gangs_rejected;
    total.preemption_attempts += round.preemption_attempts;
    total.preemptions += round.preemptions;
    total.victims += round.victims;
    for (auto& placement : round.placements) total.placements.push_back(std::move(placement));
  }
  return total;
}

}  // namespace podium::scheduler
