#include "scheduler/spin_partner.hpp"

#include <utility>

#include "scheduler/cpu_relax.hpp"

namespace podium::scheduler {
namespace {

// ~50-100 µs of polling at ~10-40 ns a pause: long enough to cover the gap between two
// pods' jobs, short enough that a partner left idle (a run that ended, a stretch of pods
// with nothing to hand over) sleeps almost at once.
constexpr std::uint32_t kSpinsBeforeSleep = 4096;
// The owner's wait: after this many polls it yields, so an oversubscribed machine (the
// partner descheduled) still makes progress.
constexpr std::uint32_t kSpinsBeforeYield = 1u << 16;


}  // namespace

SpinPartner::SpinPartner() : thread_([this] { loop(); }) {}

SpinPartner::~SpinPartner() {
  try {
    wait();
  } catch (...) {
    // A job's exception not collected by the owner: the destructor cannot rethrow it.
  }
  state_.store(kStop, std::memory_order_seq_cst);
  if (partner_sleeping_.load(std::memory_order_seq_cst)) state_.notify_one();
  thread_.join();
}

void SpinPartner::post_raw(void (*run)(void*), void* context) {
  run_ = run;
  context_ = context;
  in_flight_ = true;
  // seq_cst pairs with the partner's "sleeping, then re-check state_" (Dekker): either the
  // partner sees kPosted before it sleeps, or this sees it asleep and wakes it.
  state_.store(kPosted, std::memory_order_seq_cst);
  if (partner_sleeping_.load(std::memory_order_seq_cst)) state_.notify_one();
}

void SpinPartner::wait() {
  if (!in_flight_) return;
  std::uint32_t spins = 0;
  while (state_.load(std::memory_order_acquire) != kDone) {
    cpu_relax();
    if (++spins == kSpinsBeforeYield) {
      spins = 0;
      std::this_thread::yield();
    }
  }
  state_.store(kIdle, std::memory_order_relaxed);
  in_flight_ = false;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

bool SpinPartner::try_wait() {
  if (!in_flight_) return true;
  if (state_.load(std::memory_order_acquire) != kDone) return false;
  wait();  // done: collects it without spinning
  return true;
}

void SpinPartner::loop() {
  for (;;) {
    std::uint32_t spins = 0;
    std::uint32_t s;
    while ((s = state_.load(std::memory_order_acquire)) == kIdle || s == kDone) {
      cpu_relax();
      if (++spins < kSpinsBeforeSleep) continue;
      partner_sleeping_.store(true, std::memory_order_seq_cst);
      s = state_.load(std::memory_order_seq_cst);
      if (s == kIdle || s == kDone) state_.wait(s, std::memory_order_acquire);
      partner_sleeping_.store(false, std::memory_order_relaxed);
      spins = 0;
    }
    if (s == kStop) return;
    try {
      run_(context_);
    } catch (...) {
      error_ = std::current_exception();
    }
    state_.store(kDone, std::memory_order_release);
  }
}

}  // namespace podium::scheduler
