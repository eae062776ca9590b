// SchedulingQueue (scheduler/scheduling_queue.hpp): which events wake which pods, the
// order of a retry, upstream's backoff on the simulated clock, max attempts; and
// schedule_with_queue placing a pod on a retry once a bind satisfies its pod affinity.

#include "podium/scheduler/scheduling_queue.hpp"

#include <gtest/gtest.h>

#include "../../support/verify_placements.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/io/objects.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;
using scheduler::ClusterEvent;
using scheduler::SchedulingQueue;

const std::string kCpuFit = "0/3 nodes are available: 3 Insufficient cpu.";
const std::string kPortsFit = "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.";
const std::string kAffinityFit = "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.";
const std::string kAntiFit = "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.";
const std::string kSpreadFit = "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.";
const std::string kTaintFit = "0/3 nodes are available: 3 node(s) had untolerated taint(s).";

TEST(RejectionClasses, ComeFromEveryReasonPhraseOfTheFitError) {
  using namespace scheduler;
  EXPECT_EQ(rejection_classes(kCpuFit), kResources);
  EXPECT_EQ(rejection_classes("0/5 nodes are available: 2 Too many pods, 3 node(s) had untolerated taint(s)."),
            kResources | kNodeOnly);
  EXPECT_EQ(rejection_classes(kPortsFit), kPorts);
  EXPECT_EQ(rejection_classes(kAffinityFit), kAffinity);
  EXPECT_EQ(rejection_classes("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules."),
            kAntiAffinity);
  EXPECT_EQ(rejection_classes(kSpreadFit), kSpread);
  EXPECT_EQ(rejection_classes(
                "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label)."),
            kNodeOnly);
  // A phrase Podium does not know may be changed by anything: every class.
  EXPECT_EQ(rejection_classes("0/1 nodes are available: 1 node(s) had volume node affinity conflict."), kAllRejections);
  // A FitError naming no plugin (no node at all): any event may help, a node joining above all.
  EXPECT_EQ(rejection_classes("0/0 nodes are available:"), kAllRejections);
  // Not a FitError (no profile for the pod's schedulerName): nothing can change it.
  EXPECT_EQ(rejection_classes("no profile for schedulerName \"other\""), 0U);
}

// Fails every pod in `reasons` once, in order (pods 0..n-1, added at priority 0).
SchedulingQueue failed_pool(const std::vector<std::string>& reasons, scheduler::QueueOptions options = {}) {
  SchedulingQueue q(reasons.size(), options);
  for (std::uint32_t p = 0; p < reasons.size(); ++p) q.add(p, 0, p);
  for (const auto p : q.pop_ready()) q.record_attempt(p, false, reasons[p]);
  return q;
}

TEST(SchedulingQueue, APodDeletionWakesResourcePortAntiAffinityAndSpreadRejectionsOnly) {
  SchedulingQueue q = failed_pool({kCpuFit, kPortsFit, kAffinityFit, kAntiFit, kSpreadFit, kTaintFit});
  EXPECT_EQ(q.pool_size(), 6U);
  EXPECT_EQ(q.on_event(ClusterEvent::kPodDeleted), 4U);
  EXPECT_TRUE(q.in_pool(2));  // affinity: a deletion cannot add a matching pod
  EXPECT_TRUE(q.in_pool(5));  // a taint: only a node event can change it
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{0, 1, 3, 4}));
}

TEST(SchedulingQueue, ABindWakesAffinityAndSpreadRejections) {
  SchedulingQueue q = failed_pool({kCpuFit, kAffinityFit, kAntiFit, kSpreadFit});
  EXPECT_EQ(q.on_event(ClusterEvent::kPodAdded), 2U);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{1, 3}));
}

TEST(SchedulingQueue, ANodeAdditionWakesEveryRejectionButAPodWithNoProfile) {
  SchedulingQueue q = failed_pool({kCpuFit, kTaintFit, kAffinityFit, "no profile for schedulerName \"x\""});
  EXPECT_EQ(q.on_event(ClusterEvent::kNodeAdded), 3U);
  EXPECT_TRUE(q.in_pool(3));
}

TEST(SchedulingQueue, NoEventNoRetry) {
  SchedulingQueue q = failed_pool({kCpuFit, kCpuFit});
  EXPECT_TRUE(q.pop_ready().empty());
  EXPECT_EQ(q.now_ms(), 0U);
  EXPECT_EQ(q.retries(), 0U);
}

TEST(SchedulingQueue, BackoffIsUpstreamsDoublingFromOneSecondCappedAtTen) {
  SchedulingQueue q(1, {});
  EXPECT_EQ(q.backoff_ms(0), 0U);
  EXPECT_EQ(q.backoff_ms(1), 1000U);
  EXPECT_EQ(q.backoff_ms(2), 2000U);
  EXPECT_EQ(q.backoff_ms(4), 8000U);
  EXPECT_EQ(q.backoff_ms(5), 10000U);
  EXPECT_EQ(q.backoff_ms(200), 10000U);
}

TEST(SchedulingQueue, TheClockJumpsToTheEarliestBackoffExpiryWhenNothingIsActive) {
  SchedulingQueue q = failed_pool({kCpuFit});
  q.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{0}));
  EXPECT_EQ(q.now_ms(), 1000U);  // one attempt: 1 s
  q.record_attempt(0, false, kCpuFit);
  q.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{0}));
  EXPECT_EQ(q.now_ms(), 3000U);  // two attempts: 2 s after the failure at 1 s
  q.record_attempt(0, true, "");
  EXPECT_EQ(q.attempts(0), 3U);
  EXPECT_EQ(q.retries(), 2U);
  EXPECT_EQ(q.placed_on_retry(), 1U);
}

TEST(SchedulingQueue, APodWhoseBackoffEndedBeforeTheEventIsActiveAtOnce) {
  SchedulingQueue q(2, {});
  q.add(0, 0, 0);
  q.add(1, 0, 1);
  (void)q.pop_ready();
  q.record_attempt(0, false, kCpuFit);  // fails at 0 s: backoff ends at 1 s
  q.record_attempt(1, false, kAffinityFit);
  q.on_event(ClusterEvent::kPodAdded);  // wakes pod 1, backing off until 1 s
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{1}));
  EXPECT_EQ(q.now_ms(), 1000U);
  q.on_event(ClusterEvent::kPodDeleted);  // now 1 s: pod 0's backoff is over
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{0}));
  EXPECT_EQ(q.now_ms(), 1000U);
}

TEST(SchedulingQueue, RetryOrderIsPriorityThenBackoffExpiryThenQueueOrder) {
  SchedulingQueue q(4, {});
  q.add(0, 0, 0);
  q.add(1, 0, 1);
  q.add(2, 5, 2);
  q.add(3, 0, 3);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{2, 0, 1, 3}));  // priority first
  for (state::PodIndex p : {2U, 0U, 1U}) q.record_attempt(p, false, kCpuFit);
  q.record_attempt(3, true, "");
  q.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{2, 0, 1}));  // equal expiry: priority, then order
  // Backoff expiry before queue order: pod 1 succeeds on its retry, 0 and 2 fail again
  // and back off 2 s from 1 s.
  SchedulingQueue order(3, {});
  order.add(0, 0, 0);
  order.add(1, 0, 1);
  order.add(2, 0, 2);
  (void)order.pop_ready();
  order.record_attempt(1, false, kCpuFit);
  order.record_attempt(0, false, kCpuFit);
  order.record_attempt(2, false, kCpuFit);
  order.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(order.pop_ready(), (std::vector<state::PodIndex>{0, 1, 2}));  // at 1 s
  order.record_attempt(0, false, kCpuFit);  // ready again at 3 s
  order.record_attempt(1, true, "");
  order.record_attempt(2, false, kCpuFit);  // ready again at 3 s
  order.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(order.pop_ready(), (std::vector<state::PodIndex>{0, 2}));
  EXPECT_EQ(order.now_ms(), 3000U);
}

TEST(SchedulingQueue, MaxAttemptsEndsRetries) {
  SchedulingQueue q = failed_pool({kCpuFit}, {.max_attempts = 2});
  q.on_event(ClusterEvent::kPodDeleted);
  EXPECT_EQ(q.pop_ready().size(), 1U);
  q.record_attempt(0, false, kCpuFit);
  EXPECT_TRUE(q.given_up(0));
  EXPECT_EQ(q.on_event(ClusterEvent::kPodDeleted), 0U);
  EXPECT_EQ(q.attempts(0), 2U);
}

TEST(SchedulingQueue, ANonRetriablePodGetsOneAttempt) {
  SchedulingQueue q(1, {});
  q.add(0, 0, 0, /*retriable=*/false);
  (void)q.pop_ready();
  q.record_attempt(0, false, kCpuFit);
  EXPECT_TRUE(q.given_up(0));
  EXPECT_EQ(q.on_event(ClusterEvent::kNodeAdded), 0U);
}

TEST(SchedulingQueue, ARemovedPodLeavesThePool) {
  SchedulingQueue q = failed_pool({kCpuFit, kCpuFit});
  q.remove(0);
  EXPECT_EQ(q.on_event(ClusterEvent::kPodDeleted), 1U);
  EXPECT_EQ(q.pop_ready(), (std::vector<state::PodIndex>{1}));
}

// A pod with required pod affinity to a lower-priority pod fails first (no such pod is
// bound yet) and is placed on its retry, after the bind of the pod it follows.
io::ClusterObjects affinity_cluster() {
  io::ClusterObjects objects;
  io::load_objects_text(R"(
- {apiVersion: v1, kind: Node, metadata: {name: n0, labels: {kubernetes.io/hostname: n0}},
   status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: n1, labels: {kubernetes.io/hostname: n1}},
   status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: n2, labels: {kubernetes.io/hostname: n2}},
   status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}}
- apiVersion: v1
  kind: Pod
  metadata: {name: follower, namespace: default}
  spec:
    priority: 10
    affinity:
      podAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
        - {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
    containers: [{name: c, resources: {requests: {cpu: 100m}}}]
- apiVersion: v1
  kind: Pod
  metadata: {name: db, namespace: default, labels: {app: db}}
  spec:
    containers: [{name: c, resources: {requests: {cpu: 100m}}}]
)",
                        "affinity.yaml", objects);
  return objects;
}

TEST(ScheduleWithQueue, PlacesAPodOnARetryAfterTheBindItsAffinityNeeds) {
  const io::ClusterObjects objects = affinity_cluster();
  for (const std::uint32_t max_attempts : {1U, 0U}) {
    state::ClusterState cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    SchedulingQueue q(cluster.pods.size(), {.max_attempts = max_attempts});
    const auto result = scheduler::schedule_with_queue(cluster, {&profile, 1}, {}, q);
    const state::PodIndex follower = 0, db = 1;
    ASSERT_GE(result.placements.size(), 2U);
    EXPECT_EQ(result.placements[0].pod, follower);
    EXPECT_EQ(result.placements[0].node, state::kNoNode);
    EXPECT_EQ(result.placements[1].pod, db);
    if (max_attempts == 1) {
      EXPECT_EQ(result.placements.size(), 2U);
      EXPECT_EQ(cluster.pods[follower].bound_node, state::kNoNode);
      EXPECT_EQ(q.retries(), 0U);
    } else {
      ASSERT_EQ(result.placements.size(), 3U);
      EXPECT_EQ(result.placements[2].pod, follower);
      EXPECT_EQ(cluster.pods[follower].bound_node, cluster.pods[db].bound_node);
      EXPECT_EQ(q.attempts(follower), 2U);
      EXPECT_EQ(q.placed_on_retry(), 1U);
      EXPECT_EQ(q.now_ms(), 1000U);
      // The final placements (each pod's last attempt) pass `podium verify`.
      scheduler::ScheduleResult final_only;
      final_only.placements = {result.placements[1], result.placements[2]};
      EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, final_only));
    }
  }
}

}  // namespace
