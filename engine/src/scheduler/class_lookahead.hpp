#pragma once
// ClassLookahead: the scheduling thread's side of PartnerRefresh (partner_refresh.hpp) for a
// stretch of pods placed one at a time in queue order. Before pod q is placed, the pods up
// to q + kLookahead are announced: each one's class key is computed once (kept for its
// place() call, which then does not sign the pod again) and, when its profile's cache holds
// a class the partner can refresh, that class is offered to the partner for position q + k.
//
// Attaches the partner to the session for its lifetime. Placements do not depend on it:
// every class ends as the scheduling thread alone would leave it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "scheduler/partner_refresh.hpp"
#include "scheduler/placement_session.hpp"

namespace podium::scheduler {

class ClassLookahead {
 public:
  // How far ahead classes are offered: far enough that the partner finishes a class before
  // the scheduling thread reaches its pod (a refresh costs about one decision), near enough
  // that few binds happen after the partner's version. Measured on RealisticShapes at 2
  // threads (docs/BENCHMARKS.md): 8 and 12 were no faster than one thread, 16 and 20 about
  // 1.45x, 24 and 32 less.
  static constexpr std::size_t kLookahead = 16;

  // Null when a partner cannot help this session: fewer than two CPUs in the arena, or no
  // profile that caches classes.
  static std::unique_ptr<ClassLookahead> make(PlacementSession& session);
  explicit ClassLookahead(PlacementSession& session);
  ~ClassLookahead();  // finish()
  ClassLookahead(const ClassLookahead&) = delete;
  ClassLookahead& operator=(const ClassLookahead&) = delete;

  // Pod queue[q] is next, placed one at a time, and so are the pods before `end`: announces
  // the pods up to q + kLookahead (below `end`) and returns queue[q]'s class key when one
  // was computed (else null: place() signs the pod itself). `first_decision` is queue[0]'s
  // decision number: offers are made by decision number, which keeps growing over the
  // session's queues (ClassCache::Entry::offered_for outlives this object).
  const std::string* before_place(std::span<const state::PodIndex> queue, std::size_t q, std::size_t end,
                                  std::uint64_t first_decision);

  // Stops the partner (the session no longer tells it anything) and returns what it did.
  PartnerRefresh::Stats finish();

 private:
  // `now`: the decision number about to be placed; `first_decision`: queue[0]'s.
  void announce(std::span<const state::PodIndex> queue, std::size_t position, std::uint64_t first_decision,
                std::uint64_t now);

  PlacementSession& session_;
  std::unique_ptr<PartnerRefresh> partner_;
  // Backoff when nothing is offered (every class live, or none cached yet): after
  // kIdleAnnouncements announcements without an offer, pods are placed without announcing
  // for `backoff_` positions (doubling up to kMaxBackoff), so such queues pay nothing for
  // the partner but the feed. Placements do not depend on it.
  static constexpr std::size_t kIdleAnnouncements = 256;
  static constexpr std::size_t kMaxBackoff = 8192;
  std::size_t idle_ = 0;
  std::size_t backoff_ = kIdleAnnouncements;
  std::size_t quiet_until_ = 0;  // queue position before which nothing is announced
  std::size_t next_ = 0;  // queue position of the next pod to announce
  // Class keys by queue position modulo kLookahead + 1; `signed_at_` says for which position.
  std::vector<std::string> signatures_;
  std::vector<std::size_t> signed_at_;
  // The cached class found for that position, and the cache's evictions() then.
  std::vector<ClassCache::Entry*> entries_;
  std::vector<std::uint64_t> epochs_;
  std::vector<std::size_t> profiles_;
};

}  // namespace podium::scheduler
