#include "scheduler/class_lookahead.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <limits>

namespace podium::scheduler {

namespace {
constexpr std::size_t kNotSigned = std::numeric_limits<std::size_t>::max();
}  // namespace

std::unique_ptr<ClassLookahead> ClassLookahead::make(PlacementSession& session) {
  // The partner spins while offers keep coming: on one CPU it would take the scheduling
  // thread's time.
  if (tbb::this_task_arena::max_concurrency() < 2 || session.cluster().nodes.size == 0) return nullptr;
  bool any_cache = false;
  for (std::size_t f = 0; f < session.profile_count(); ++f) any_cache = any_cache || session.uses_cache(f);
  if (!any_cache || session.options().algorithm.chooser || session.options().algorithm.placer) return nullptr;
  return std::make_unique<ClassLookahead>(session);
}

ClassLookahead::ClassLookahead(PlacementSession& session)
    : session_(session),
      partner_(std::make_unique<PartnerRefresh>(session.cluster(), session.ring(), session.cache(0).log_size())),
      signatures_(kLookahead + 1),
      signed_at_(kLookahead + 1, kNotSigned),
      entries_(kLookahead + 1, nullptr),
      epochs_(kLookahead + 1, 0),
      profiles_(kLookahead + 1, 0) {
  session_.attach_partner(partner_.get());
}

ClassLookahead::~ClassLookahead() { (void)finish(); }

PartnerRefresh::Stats ClassLookahead::finish() {
  if (session_.partner() == partner_.get()) session_.attach_partner(nullptr);
  partner_->stop();  // joins: no offer outlives the session's caches
  return partner_->stats();
}

void ClassLookahead::announce(std::span<const state::PodIndex> queue, std::size_t position,
                              std::uint64_t first_decision, std::uint64_t now) {
  const state::PodRecord& pod = session_.cluster().pods[queue[position]];
  const std::size_t f = session_.profile_of(pod);
  if (f >= session_.profile_count() || !session_.uses_cache(f)) return;
  const std::size_t slot = position % signatures_.size();
  std::string& signature = signatures_[slot];
  signature = session_.framework(f).signature(pod);
  signed_at_[slot] = position;
  ClassCache& cache = session_.cache(f);
  ClassCache::Entry* entry = cache.find(signature);
  entries_[slot] = entry;
  epochs_[slot] = cache.evictions();
  profiles_[slot] = f;
  if (entry == nullptr) return;
  // A class already offered for an earlier pod still to come is brought forward for that
  // pod only: offered again for this one, the partner could hold it just when the
  // scheduling thread needs it for the earlier pod, and the scheduling thread would wait.
  if (entry->offered_for != UINT64_MAX && entry->offered_for >= now) return;
  if (!ClassCache::pin_for_partner(*entry)) return;
  const std::uint64_t decision = first_decision + position;
  if (!partner_->offer(entry, decision)) {
    entry->pins.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  entry->offered_for = decision;
  idle_ = 0;
  backoff_ = kIdleAnnouncements;
}

const std::string* ClassLookahead::before_place(std::span<const state::PodIndex> queue, std::size_t q,
                                                std::size_t end, std::uint64_t first_decision) {
  if (q < quiet_until_) return nullptr;
  next_ = std::max(next_, q);
  const std::size_t until = std::min(end, q + kLookahead + 1);
  for (; next_ < until; ++next_) {
    ++idle_;  // announce() resets it when it offers
    announce(queue, next_, first_decision, first_decision + q);
  }
  if (idle_ >= kIdleAnnouncements) {
    idle_ = 0;
    quiet_until_ = next_ + backoff_;
    backoff_ = std::min(kMaxBackoff, backoff_ * 2);
  }
  partner_->at_position(first_decision + q);
  // The next pod's class: the lines the partner wrote come over while this pod is decided.
  if (const std::size_t next = (q + 1) % signatures_.size();
      q + 1 < end && signed_at_[next] == q + 1 && entries_[next] != nullptr &&
      session_.cache(profiles_[next]).evictions() == epochs_[next])
    ClassCache::prefetch(*entries_[next]);
  const std::size_t slot = q % signatures_.size();
  return signed_at_[slot] == q ? &signatures_[slot] : nullptr;
}

}  // namespace podium::scheduler
