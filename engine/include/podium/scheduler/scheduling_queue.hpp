#pragma once
// SchedulingQueue: kube-scheduler's living queue (pkg/scheduler/backend/queue,
// scheduling_queue.go, v1.35) on a simulated clock. A pod that fails waits in the
// unschedulable pool, keyed by what rejected it; a cluster event that could make it fit
// moves it to the backoff queue (queueing hints in spirit), and when its backoff has run
// out it is active again and retried.
//
//            add()                         pop_ready()
//   caller ────────► active ─────────────────────────────► scheduler
//                      ▲                                        │ record_attempt()
//                      │ backoff expired                         ▼ failed
//                   backoff  ◄──── on_event(e) wakes ◄──── unschedulable pool
//                                  pods whose rejection         (rejection classes)
//                                  e can change
//
// Order (docs/SEMANTICS.md "The living queue"): pop_ready() hands out every ready pod,
// ordered by priority (higher first), then by the simulated time its backoff ended (a
// first attempt counts as 0), then by the order the caller gave at add() — the original
// PrioritySort position. Deterministic: no wall clock, no hashing.
//
// Clock: scheduling cycles take no simulated time; the clock moves only when nothing is
// active and a pod waits in backoff — it jumps to the earliest expiry, as an idle
// kube-scheduler would wait for it. Backoff is upstream's backoffQueue
// calculateBackoffDuration: podInitialBackoffDuration (1 s) doubled per further attempt,
// capped at podMaxBackoffDuration (10 s), counted from the pod's last failure. Simulated
// milliseconds, so the numbers are upstream's seconds.
//
// Not thread-safe: one scheduling loop owns it.

#include <cstdint>
#include <string_view>
#include <vector>

#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

// What happened in the cluster. An eviction (DefaultPreemption's victims) is a
// kPodDeleted: the victim left its node.
enum class ClusterEvent : std::uint8_t {
  kPodDeleted,  // a bound pod left its node (deletePods, churn, eviction)
  kPodAdded,    // a pod was bound (upstream's AssignedPodAdd)
  kNodeAdded,   // a node joined the cluster
};

// Why a pod was rejected, grouped by the events that can change it (a bit set). Each
// class mirrors the EventsToRegister of the plugins giving those reasons, narrowed the
// way their queueing hints narrow it:
//   kResources  NodeResourcesFit (Insufficient X, Too many pods): pod deleted, node added
//               (Fit.EventsToRegister; isSchedulableAfterPodEvent queues on a deletion).
//   kPorts      NodePorts: pod deleted, node added (NodePorts.EventsToRegister).
//   kAffinity   InterPodAffinity, an affinity term unmet: pod added, node added
//               (isSchedulableAfterPodChange queues an added pod matching the terms).
//   kAntiAffinity InterPodAffinity, anti-affinity (the pod's or an existing pod's): pod
//               deleted, node added (a deletion can only lift an anti-affinity).
//   kSpread     PodTopologySpread: pod added, pod deleted, node added (Pod/All).
//   kNodeOnly   every other filter (node affinity, taints, node name, unschedulable
//               nodes, missing topology labels): only a node added can change it — node
//               updates are not simulated.
// A reason Podium does not know (a future plugin's) gets every class: retrying is always
// safe, never retrying might lose a placement.
enum RejectionClass : std::uint32_t {
  kResources = 1U << 0,
  kPorts = 1U << 1,
  kAffinity = 1U << 2,
  kAntiAffinity = 1U << 3,
  kSpread = 1U << 4,
  kNodeOnly = 1U << 5,
  kAllRejections = (1U << 6) - 1,
};

// The reason phrases of a FitError message, node counts stripped: "0/5 nodes are available:
// 3 Insufficient cpu, 2 node(s) were unschedulable." -> {"Insufficient cpu", "node(s) were
// unschedulable"}. Empty for a message that is not a FitError. Views into `fit_error`.
std::vector<std::string_view> fit_error_phrases(std::string_view fit_error);

// The rejection classes of a FitError message ("0/5 nodes are available: 3 Insufficient
// cpu, 2 node(s) didn't match pod affinity rules."), from its reason phrases. A message
// that is not a FitError (no profile for the schedulerName) gives 0: no event changes it.
std::uint32_t rejection_classes(std::string_view fit_error);

// The classes an event can change (the table above).
std::uint32_t classes_woken_by(ClusterEvent event);

struct QueueOptions {
  std::uint32_t max_attempts = 0;            // 0: unlimited; else a pod gives up after this many
  std::uint64_t initial_backoff_ms = 1000;   // podInitialBackoffDuration
  std::uint64_t max_backoff_ms = 10000;      // podMaxBackoffDuration
  // `--requeue-victims`: a preemption victim comes back as a fresh pending pod
  // (requeue_victims below); callers that run rounds (schedule_with_queue, bench) ask for it.
  bool requeue_victims = false;
};

// What a controller's replacement of an evicted pod no longer carries: spec.nodeName (a
// bound pod read from a snapshot has it; a ReplicaSet's template does not, so the new pod
// is scheduled like any other) and status.startTime (it has not started). Shared with the
// reference oracle's requeue passes.
void as_recreated(state::PodRecord& pod);

class SchedulingQueue {
 public:
  // `pod_count`: pods are PodIndex values below it.
  SchedulingQueue(std::size_t pod_count, QueueOptions options);

  // A pod enters the active queue. `order`: its PrioritySort position (ties after priority
  // and backoff expiry). `retriable` false: a failure is final (pod-group members, which
  // are placed all-or-nothing by their group, not one by one).
  void add(state::PodIndex p, std::int32_t priority, std::uint64_t order, bool retriable = true);

  // Every active pod, in queue order, and none left active. When none is active, the
  // clock first moves to the earliest backoff expiry (if any pod waits in backoff), and
  // every pod whose backoff has ended by then becomes active. Empty: nothing to schedule
  // until an event.
  std::vector<state::PodIndex> pop_ready();

  // The outcome of one attempt of a popped pod. A failure goes to the unschedulable pool
  // keyed by rejection_classes(reason), unless the pod has used its max_attempts (then it
  // stays unplaced, given_up()).
  void record_attempt(state::PodIndex p, bool placed, std::string_view reason);
  // Every attempt of a ScheduleResult, in decision order; each bind is a kPodAdded event
  // for the pods that failed before it.
  void record_result(const ScheduleResult& result);

  // Each preemption victim of `result` (its eviction entries) enters the active queue again
  // as a fresh pending pod, as its controller (ReplicaSet, Job, ...) would recreate it after
  // the eviction: attempts start again from 0, and among pods of equal priority and backoff
  // it comes after every pod added before it (a later creationTimestamp). Podium keeps the
  // pod's name and index (a recreated pod upstream gets a new name), so its later placement
  // follows its eviction entry in the placements list. Returns how many were requeued.
  // The pod record becomes the recreated pod's (as_recreated).
  std::size_t requeue_victims(const ScheduleResult& result, state::ClusterState& cluster);

  // A pending pod deleted before it was placed leaves the queue (wherever it waits).
  void remove(state::PodIndex p);

  // Moves the pool's pods whose rejection `event` can change to backoff (or straight to
  // active when their backoff already ended), in the order they failed. Returns how many.
  std::size_t on_event(ClusterEvent event);

  std::uint32_t attempts(state::PodIndex p) const { return pods_[p].attempts; }
  bool given_up(state::PodIndex p) const { return pods_[p].where == Where::kGivenUp; }
  bool in_pool(state::PodIndex p) const { return pods_[p].where == Where::kPool; }
  std::uint64_t now_ms() const { return now_ms_; }
  std::size_t pool_size() const { return pool_.size(); }
  std::uint64_t retries() const { return retries_; }  // attempts after a pod's first
  std::uint64_t placed_on_retry() const { return placed_on_retry_; }
  std::uint64_t requeued() const { return requeued_; }  // victims requeue_victims added back
  const QueueOptions& options() const { return options_; }

  // upstream's calculateBackoffDuration for a pod that has made `attempts` attempts.
  std::uint64_t backoff_ms(std::uint32_t attempts) const;

 private:
  enum class Where : std::uint8_t { kNone, kActive, kBackoff, kPool, kGivenUp, kPlaced };
  struct PodState {
    std::int32_t priority = 0;
    std::uint64_t order = 0;
    std::uint64_t ready_at_ms = 0;  // backoff expiry (0 before the first attempt)
    std::uint32_t attempts = 0;
    std::uint32_t classes = 0;  // rejection classes of the last failure
    Where where = Where::kNone;
    bool retriable = true;
  };
  bool before(state::PodIndex a, state::PodIndex b) const;

  QueueOptions options_;
  std::vector<PodState> pods_;
  std::vector<state::PodIndex> active_;
  std::vector<state::PodIndex> backoff_;
  std::vector<state::PodIndex> pool_;  // in failure order
  std::uint32_t pool_classes_ = 0;     // the union of the pool's rejection classes
  std::uint64_t now_ms_ = 0;
  std::uint64_t retries_ = 0;
  std::uint64_t placed_on_retry_ = 0;
  std::uint64_t requeued_ = 0;
  // The PrioritySort position of the next requeued victim: after every position callers
  // give at add() (those are below the pod count).
  std::uint64_t requeue_order_ = 0;
};

// schedule_pending with a living queue: every pending pod in PrioritySort order, then the
// pods that binds woke (kPodAdded), until nothing is ready. Pod-group members get one
// attempt (their group decides them together). `placements` holds every attempt in
// decision order — a retried pod appears once per attempt, its last entry final; the
// statistics are summed over the rounds. With max_attempts 1 it places exactly as
// schedule_pending. With QueueOptions::requeue_victims each round's victims are requeued
// after the round (requeue_victims), so they are attempted in a later round.
ScheduleResult schedule_with_queue(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                   const SchedulerOptions& options, SchedulingQueue& queue);

}  // namespace podium::scheduler
