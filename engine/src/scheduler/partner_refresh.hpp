#pragma once
// PartnerRefresh: a second thread that brings cached classes forward before the scheduling
// thread needs them (issue 13, RealisticShapes at 2 threads).
//
// With ~100 request shapes in rotation, a class-cache decision spends most of its time
// refreshing the ~100 nodes bound since the class's last pod (class_cache.hpp). A per-pod
// hand-off to a helper thread costs more than that refresh (stop 22: 0.8x), so nothing here
// waits for the partner. The scheduling thread only announces what is coming:
//
//   scheduling thread:  decide pod q ── bind ── decide q+1 ── bind ── ...
//        │ feed: every bind/unbind (pod, node)     │ offer: the class of pod q+K
//        ▼                                          ▼
//   partner:   replays the feed into its own copy of the bound-pod columns (a replica at
//              log version v), then brings the offered class from its version to v with
//              the class's DetachedRefresh over the replica; the scheduling thread later
//              refreshes only the nodes bound after v.
//
// Exactness: the partner evaluates every node bound in (class version, v] from the replica,
// which equals the cluster's bound-pod columns as of bind v, and the rest of each node (its
// allocatable, labels, taints) never changes during a run. Between two unbinds a node's
// verdict only moves from feasible to infeasible (NodeResourcesFit needs more room as pods
// bind; the other cached filters a DetachedRefresh allows ignore bound pods), so a node the
// class holds infeasible stays so and only its feasible nodes are evaluated; a window that
// holds an unbind is left to the scheduling thread. So the class ends exactly as the
// scheduling thread would have left it at version v, and placements are those of one
// thread (tests/unit/scheduler/partner_refresh_test.cpp).
//
// Concurrency: the feed and the offers are single-producer single-consumer rings; a class is
// held by one thread at a time (ClassCache::Entry::holder) and never evicted while offered
// (Entry::pins). The partner reads pods' requests (never written during a run) and the
// static node columns; it writes only its replica, its scratch and the classes it holds.
// A full feed (the partner descheduled for a long time) stops the feed for good: the
// replica stays a correct prefix, and the partner's later refreshes find nothing to do.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/state/cluster_state.hpp"
#include "scheduler/class_cache.hpp"

namespace podium::scheduler {

// The bound-pod columns of a cluster, copied, kept up to date by replaying binds and
// unbinds with ClusterState::bind's arithmetic (the columns BoundNodeColumns names).
class BoundColumnsReplica {
 public:
  explicit BoundColumnsReplica(const state::ClusterState& cluster);
  void apply(const state::PodRecord& pod, state::NodeIndex node, bool bound);
  framework::BoundNodeColumns view() const {
    return {requested_pointers_, nonzero_cpu_.data(), nonzero_memory_.data(), pod_count_.data()};
  }

 private:
  std::vector<std::vector<std::int64_t>> requested_;
  std::vector<const std::int64_t*> requested_pointers_;
  std::vector<std::int64_t> nonzero_cpu_;
  std::vector<std::int64_t> nonzero_memory_;
  std::vector<std::int32_t> pod_count_;
};

class PartnerRefresh {
 public:
  // Starts the thread. `cluster` is read for pods' requests and static node columns; its
  // bound-pod columns are copied now, when `log_size` binds are in the caches' logs.
  PartnerRefresh(const state::ClusterState& cluster, const RingOrder& ring, std::size_t log_size);
  ~PartnerRefresh();  // stop()
  // Stops and joins the thread and unpins every offer it did not take; idempotent.
  void stop();
  PartnerRefresh(const PartnerRefresh&) = delete;
  PartnerRefresh& operator=(const PartnerRefresh&) = delete;

  // The scheduling thread, for every bind and unbind, in the caches' log order.
  void feed(state::PodIndex pod, state::NodeIndex node, bool bound);
  // The scheduling thread: bring `entry` (pinned by ClassCache::pin_for_partner) forward
  // for the pod at queue position `position`. False when the offer ring is full: the
  // caller unpins it.
  bool offer(ClassCache::Entry* entry, std::uint64_t position);
  // The scheduling thread is deciding the pod at `position`: offers at or before it are
  // dropped (too late to help).
  void at_position(std::uint64_t position) { position_.store(position, std::memory_order_relaxed); }

  struct Stats {
    std::uint64_t refreshed = 0;  // classes brought forward
    std::uint64_t nodes = 0;      // nodes evaluated in them
    std::uint64_t skipped = 0;    // offers dropped (late, held, nothing to do, an unbind in the window)
  };
  Stats stats() const;  // exact after stop(); while running, a snapshot

 private:
  struct Event {
    state::PodIndex pod;
    state::NodeIndex node;
    bool bound;
  };
  struct Offer {
    ClassCache::Entry* entry;
    std::uint64_t position;
  };
  static constexpr std::size_t kFeedCapacity = std::size_t{1} << 16;
  static constexpr std::size_t kOfferCapacity = 64;

  void loop();
  void wake();
  void drain_feed();
  void refresh(ClassCache::Entry& entry);

  const state::ClusterState& cluster_;
  const RingOrder& ring_;
  std::size_t node_count_;
  // Scheduling thread only.
  std::size_t feed_head_ = 0;
  std::size_t offer_head_ = 0;
  bool feed_stopped_ = false;
  // Shared.
  std::vector<Event> feed_;
  std::vector<Offer> offers_;
  // Each counter on its own cache line: the partner polls offers_published_ alone while
  // idle, and a line moving between the cores costs ~0.3 µs on the 2-vCPU VMs (SpinPartner's
  // round trip). The scheduling thread re-reads the partner's counters only when its cached
  // copies say a ring is full.
  alignas(64) std::atomic<std::size_t> feed_published_{0};
  alignas(64) std::atomic<std::size_t> offers_published_{0};
  alignas(64) std::atomic<std::uint64_t> position_{0};
  alignas(64) std::atomic<std::size_t> feed_consumed_{0};
  alignas(64) std::atomic<std::size_t> offers_consumed_{0};
  alignas(64) std::size_t feed_consumed_seen_ = 0;  // the scheduling thread's copies
  std::size_t offers_consumed_seen_ = 0;
  alignas(64) std::atomic<std::uint32_t> signal_{0};  // bumped to wake a sleeping partner
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_{false};
  // Partner thread only (the log positions are the caches' bind log indexes).
  BoundColumnsReplica replica_;
  std::size_t log_base_;                   // the caches' log size when the replica was copied
  std::vector<state::NodeIndex> log_;      // nodes of the events replayed since: index - log_base_
  std::size_t unbound_until_ = 0;          // log size just after the latest unbind replayed
  std::vector<std::int64_t> scratch_;      // totals by node
  std::vector<std::uint64_t> stamp_;       // per node: the refresh that last listed it
  std::uint64_t clock_ = 0;
  std::vector<state::NodeIndex> dirty_;
  std::vector<state::NodeIndex> feasible_;
  std::atomic<std::uint64_t> refreshed_{0}, nodes_{0}, skipped_{0};
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace podium::scheduler
