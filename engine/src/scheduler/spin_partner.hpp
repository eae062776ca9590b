#pragma once
// SpinPartner: one persistent thread that runs short jobs handed to it by one owner thread,
// with a hand-off of a few cache-line transfers instead of a oneTBB task's wake-up.
//
//   owner:    post(job) ── own work ──────── wait() ── reads what job wrote
//   partner:        └─ job() ───────────┘ (done)
//
// Why not oneTBB: the scheduler's per-pod work is 2-10 µs, and a sleeping TBB worker takes
// about as long to wake (docs/NOTES.md: bringing a batch's classes current on TBB workers ran
// 0.8% of the work on the worker). The partner spins while jobs keep coming, so a hand-off
// costs one cache-line transfer each way; after kSpinsBeforeSleep idle polls it sleeps on a
// futex (std::atomic::wait), so an idle partner does not burn a core between runs.
// Measured on the 2-vCPU build VM (docs/BENCHMARKS.md, stop 22): ~0.3 µs each way, ~1,000
// cycles for a post + wait round trip. A job must carry several µs of work to pay for it:
// one per pod of a ~3 µs class-cache decision did not (0.8x), a 5,000-node live-path
// decision split in halves just did (1.03-1.20x).
//
// Memory order: post() is a release of everything the owner wrote before it, seen by the
// job; the job's writes are released by its completion and acquired by wait(). The owner
// may read what the job wrote only after wait(), and must not write what the job reads
// until then. Exceptions thrown by a job are rethrown by wait().
//
// Use it only when the process has at least two CPUs: the owner spins in wait(), and on one
// CPU it would spin away the partner's time slice. One owner thread; post() and wait()
// alternate (at most one job in flight).

#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>

namespace podium::scheduler {

class SpinPartner {
 public:
  SpinPartner();
  ~SpinPartner();  // waits for a job in flight, then stops and joins the thread
  SpinPartner(const SpinPartner&) = delete;
  SpinPartner& operator=(const SpinPartner&) = delete;

  // Runs `job()` on the partner thread; returns at once. `job` must stay alive until wait().
  template <class Job>
  void post(Job& job) {
    post_raw([](void* j) { (*static_cast<Job*>(j))(); }, &job);
  }
  void post_raw(void (*run)(void*), void* context);
  // Spins until the posted job has finished (returns at once when none is in flight).
  void wait();
  // wait() without the spin: true (the job collected, its exception rethrown) when none is in
  // flight or the posted job has finished, false at once while it has not. For an owner that
  // did the job's work itself (a job that found it claimed) and must not block on a
  // descheduled partner.
  bool try_wait();
  bool in_flight() const { return in_flight_; }

 private:
  enum State : std::uint32_t { kIdle, kPosted, kDone, kStop };
  void loop();

  // One line each: the owner writes state_ to post, the partner writes it to finish.
  alignas(64) std::atomic<std::uint32_t> state_{kIdle};
  alignas(64) std::atomic<bool> partner_sleeping_{false};
  void (*run_)(void*) = nullptr;
  void* context_ = nullptr;
  std::exception_ptr error_;
  bool in_flight_ = false;  // owner-only
  std::thread thread_;
};

}  // namespace podium::scheduler
