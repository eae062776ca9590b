#pragma once
// The live path's two-thread split (Framework::decide_with_live, live_split.cpp decide_split):
// the hand-off protocol between the scheduling thread (the owner) and its partner thread.

#include <atomic>
#include <cstdint>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "scheduler/spin_partner.hpp"

namespace podium::framework {

// The partner thread and the half offered to it (one per scheduling thread, below). A split
// decision is two steps over each half (Score with its bounds; then NormalizeScore, the add
// and the tie rule), with one exchange of the bounds in between: the partner's half goes out
// as one job that runs its first step, says so (phase 1), spins until the owner has merged
// the bounds (phase 2), then runs its second step: one hand-off each way per decision, and a
// cache-line flip in the middle, instead of two jobs.
// Either thread may claim the offered half (an atomic exchange): the partner when its job
// starts, the owner once its own first step is done. An owner that claims it runs both
// halves itself and does not wait for the partner (descheduled, on a busy machine), whose
// job then finds the half taken and returns; the next offer goes out only once that job
// finished (SpinPartner::try_wait), else the owner runs both halves alone.
struct LiveSplit {
  enum Phase : int { kFirstRunning, kFirstDone, kSecondGo, kStop };
  std::atomic<bool> claimed{true};
  std::atomic<int> phase{kFirstRunning};
  void (*run)(void*) = nullptr;  // the partner's half
  void* half = nullptr;
  scheduler::SpinPartner partner;  // last: joined (its job reading the above) before they go

  // Spin-wait politeness: a pause per poll, and a yield every 2^10 polls (~30-50 us; a
  // partner's step takes a few) so that on a machine with more runnable threads than CPUs a
  // descheduled partner gets the CPU back soon (2^16, measured: runs at a third of one
  // thread's speed at load 2.7).
  static void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
  template <class Done>
  static void spin_until(Done done) {
    for (std::uint32_t spins = 1; !done(); ++spins) {
      cpu_relax();
      if ((spins & 0x3FFU) == 0) std::this_thread::yield();
    }
  }

  static void job(void* self) {
    auto* split = static_cast<LiveSplit*>(self);
    if (!split->claimed.exchange(true, std::memory_order_acq_rel)) split->run(split->half);
  }

  // first(0), first(1), then between() (false: stop, no second step), then second(0),
  // second(1); part 0 offered to the partner. Returns between()'s answer.
  template <class First, class Between, class Second>
  bool two_steps(First& first, Between& between, Second& second) {
    auto rest_alone = [&] {  // after both first steps, on this thread
      if (!between()) return false;
      second(1);
      second(0);
      return true;
    };
    if (!partner.try_wait()) {  // the last offer's job has not even run yet: alone
      first(1);
      first(0);
      return rest_alone();
    }
    auto partner_half = [&] {
      try {
        first(0);
      } catch (...) {
        // The owner spins for this phase: release it; wait() / try_wait() rethrow the error.
        phase.store(kFirstDone, std::memory_order_release);
        throw;
      }
      phase.store(kFirstDone, std::memory_order_release);
      int p = kFirstDone;
      spin_until([&] { return (p = phase.load(std::memory_order_acquire)) != kFirstDone; });
      if (p == kSecondGo) second(0);
    };
    run = [](void* h) { (*static_cast<decltype(partner_half)*>(h))(); };
    half = &partner_half;
    phase.store(kFirstRunning, std::memory_order_relaxed);
    claimed.store(false, std::memory_order_relaxed);  // both published by post()
    partner.post_raw(&LiveSplit::job, this);
    // Stops a partner that claimed its half (it reads this frame) before leaving early.
    auto stop_partner = [&] {
      spin_until([&] { return phase.load(std::memory_order_acquire) == kFirstDone; });
      phase.store(kStop, std::memory_order_release);
      partner.wait();
    };
    try {
      first(1);
    } catch (...) {
      if (claimed.exchange(true, std::memory_order_acq_rel)) stop_partner();
      throw;
    }
    if (!claimed.exchange(true, std::memory_order_acq_rel)) {  // not started: ours
      first(0);
      return rest_alone();
    }
    spin_until([&] { return phase.load(std::memory_order_acquire) == kFirstDone; });  // its bounds
    if (!between()) {
      stop_partner();
      return false;
    }
    phase.store(kSecondGo, std::memory_order_release);
    try {
      second(1);
    } catch (...) {
      partner.wait();
      throw;
    }
    spin_until([&] { return partner.try_wait(); });  // its second step's writes, acquired
    return true;
  }
};

}  // namespace podium::framework
