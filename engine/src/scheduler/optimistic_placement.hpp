#pragma once
// Optimistic parallel placement (Omega, Schwarzkopf et al., EuroSys 2013: shared state,
// optimistic concurrency). NOT deterministic: which worker wins a node depends on timing.
//
//   shared ClusterState usage columns ◄── CAS reservations (UsageReservations) ──┐
//        │                                                                      │
//        └─ commit log: [ n17 | n3 (rollback) | n17 | ... ]  append-only ──┐     │
//                                                                          ▼     │
//   worker w: replica of the node table ─ refresh the logged nodes ─ decide ─ commit
//             own Frameworks + class caches                           │
//                                                     reservation failed: conflict,
//                                                     refresh and decide again
//
// The queue is cut into runs of pods that decide node-locally (Framework::decides_locally,
// no host ports, no node sampling); workers take a run's pods from an atomic counter.
// Every other pod is a barrier: the run before it finishes, its commits are told to the
// plugins (on_bind) in commit order, and the pod is placed alone (PlacementSession::place).
// A pod that loses the race kMaxAttempts times is also placed alone after its run.
//
// Never over-commits: a commit takes the room (every requested resource and a pod slot)
// with compare-and-swap, and fails if another worker took it first.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "scheduler/placement_session.hpp"
#include "scheduler/usage_reservations.hpp"

namespace podium::scheduler {

class OptimisticPlacement {
 public:
  static constexpr int kMaxAttempts = 4;

  OptimisticPlacement(PlacementSession& session, int threads, std::size_t queue_size);
  ~OptimisticPlacement();

  // Places `queue` (decision numbers from `first_decision`: each pod's tie ring start),
  // appending to result.placements in queue order. Call inside the oneTBB arena.
  void run(std::span<const state::PodIndex> queue, std::uint64_t first_decision, ScheduleResult& result);

 private:
  struct Worker;

  bool runs_concurrently(state::PodIndex p) const;
  // Places queue[begin, end) with the workers; pods that ran out of attempts are returned.
  std::vector<std::size_t> run_concurrently(std::span<const state::PodIndex> queue, std::size_t begin,
                                            std::size_t end, std::uint64_t first_decision,
                                            std::span<Placement> placements);
  void work(Worker& w, std::span<const state::PodIndex> queue, std::size_t begin, std::size_t end,
            std::uint64_t first_decision, std::span<Placement> placements, std::vector<std::size_t>& out_of_attempts);
  // Appends a log entry: node n changed; `pod` + 1 when a commit bound that pod, else 0.
  void publish(state::NodeIndex n, std::uint64_t pod_plus_one);
  void refresh(Worker& w);
  state::NodeIndex decide_without_cache(Worker& w, framework::Framework& fw, const framework::PodContext& ctx,
                                        std::uint64_t decision);

  PlacementSession& session_;
  UsageReservations reservations_;
  std::vector<std::unique_ptr<Worker>> workers_;
  // The commit log: (pod + 1) << 32 | node per entry; kUnpublished until written.
  static constexpr std::uint64_t kUnpublished = ~std::uint64_t{0};
  std::vector<std::atomic<std::uint64_t>> log_;
  std::atomic<std::size_t> log_size_{0};
  std::atomic<std::size_t> next_pod_{0};
  std::atomic<std::uint64_t> attempts_{0};
  std::atomic<std::uint64_t> conflicts_{0};
};

}  // namespace podium::scheduler
