#pragma once
// leave_to_exit(value): a large structure that lives until a command ends is handed to the
// process's exit instead of being freed piece by piece. Freeing a 150,000-pod cluster's
// objects and state (millions of small allocations) was ~4% of a whole `podium schedule`
// run's CPU samples (docs/BENCHMARKS.md, "Loading (stop 21)"); exit returns the pages at once.
// The value is moved into a heap object that a never-destroyed list keeps reachable, so leak
// checkers do not report it. Sanitizer builds free it as before (the caller's scope destroys
// it), so AddressSanitizer and LeakSanitizer still see every destructor run.

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PODIUM_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PODIUM_FREE_AT_EXIT 1
#endif
#endif

namespace podium::cli {

template <class T>
void leave_to_exit([[maybe_unused]] T& value) {
#ifndef PODIUM_FREE_AT_EXIT
  struct Kept {
    virtual ~Kept() = default;
  };
  struct Holder : Kept {
    explicit Holder(T&& v) : value(std::move(v)) {}
    T value;
  };
  static auto* kept = new std::vector<std::unique_ptr<Kept>>();  // never destroyed, on purpose
  kept->push_back(std::make_unique<Holder>(std::move(value)));
#endif
}

}  // namespace podium::cli
