#pragma once
// Progress reports of one schedule_queue call (SchedulerOptions::progress): a loop tells
// the ticker how many attempts it has made, and the ticker calls the callback each time
// that count passes another multiple of kProgressEvery, so loops that advance by one pod
// or by a batch report alike. Not thread-safe: the committing thread's only.

#include <cstddef>

#include "podium/scheduler/scheduler.hpp"

namespace podium::scheduler {

class ProgressTicker {
 public:
  explicit ProgressTicker(const SchedulerOptions& options) : callback_(options.progress) {}
  void tick(std::size_t attempted) {
    if (!callback_ || attempted < next_) return;
    callback_(attempted);
    next_ = (attempted / SchedulerOptions::kProgressEvery + 1) * SchedulerOptions::kProgressEvery;
  }

 private:
  const std::function<void(std::size_t)>& callback_;
  std::size_t next_ = SchedulerOptions::kProgressEvery;
};

}  // namespace podium::scheduler
