#pragma once
// Equivalence-class cache (Borg's equivalence classes, KEP-5598's pod signatures).
//
// Pods with the same scheduling signature get the same verdict and score on a node in the
// same state. When every plugin is node-local, a node's weighted total for a class stays
// valid until that node changes, and between two decisions only the node just bound
// changes. So each class keeps one total per node (kInfeasible for rejected nodes) and,
// when the class is next used, recomputes only the nodes bound since — found in the bind
// log — instead of rescanning every node.
//
//   bind log:  [ n17 | n3 | n17 | n40 | ... ]      one entry per bind, append-only
//   class c:   a RingMaxTree of its totals in tie-ring order (the leaves are the only
//              copy), feasible count, version = log length when last brought current
//   scratch:   totals by node, shared by every class: the caller evaluates into it, the
//              cache folds the changed nodes into the class's tree
//
// Picking the node is then a tree query (best total, first on the ring from the
// decision's start point) instead of a scan: a decision costs O(changed nodes * log n).
// With ~100 classes in rotation each pod recomputes ~100 nodes, and that refresh is
// bound by cache misses on the class's own memory, not by the arithmetic: so a class
// keeps its tree and nothing else, and the evaluation writes to the shared scratch,
// which stays in cache (docs/BENCHMARKS.md, "RealisticShapes").
//
// Plugins that are not node-local (topology spread, inter-pod affinity) or that normalize
// over the feasible set are "live" (Framework::has_live_plugins): the cached totals leave
// them out, and a decision whose pod a live plugin acts on runs them over the class's
// cached-feasible nodes on top of the cached totals (Framework::decide_with_live) — one
// light O(nodes) pass instead of recomputing every plugin on every node. A pod no live
// plugin acts on (no spread constraints, no pod affinity) still gets the tree query.
//
// Memory is bounded: at most `max_classes` classes keep totals (least recently used are
// evicted and recomputed in full if they come back). Used by the scheduling loop's thread;
// with a partner attached (scheduler/partner_refresh.hpp) a second thread may bring
// entries it was offered forward, each entry held by one thread at a time (Entry::holder).

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/state/cluster_state.hpp"
#include "scheduler/class_totals.hpp"

namespace podium::scheduler {

class ClassCache {
 public:
  // `ring` is the tie ring (ranks and their inverse); it must outlive the cache.
  ClassCache(const RingOrder& ring, std::size_t max_classes);

  struct Lookup {
    std::int64_t* totals;                     // by node: the cache's scratch, to evaluate into
    bool full;                                // true: every node must be (re)computed
    std::span<const state::NodeIndex> dirty;  // else: just these
  };
  // The class for `signature`; the caller evaluates the nodes Lookup names into
  // Lookup::totals, then calls mark_current.
  Lookup lookup(const std::string& signature);
  // The caller has evaluated the nodes Lookup named: fold them into the class's tree.
  void mark_current();
  // After mark_current (or adopt): the current class's total on every node, by node
  // (gathered from its tree unless the lookup was full or scratch_ still held the class).
  // Valid until the next lookup or adopt. O(nodes) when gathered: for decisions that pass over every node anyway.
  const std::int64_t* totals_by_node();
  // The current class's best node for a decision starting at ring position `start`, and
  // how many nodes are feasible; kNoNode if none.
  std::pair<state::NodeIndex, std::size_t> best(std::uint32_t start) const;
  // The current class's best node among those `accept` takes (ClassTotals::best_accepted).
  template <class Accept>
  ClassTotals::Search best_accepted(std::uint32_t start, Accept&& accept, std::size_t max_refusals) {
    return current_->totals.best_accepted(start, ring_, accept, max_refusals);
  }
  void record_bind(state::NodeIndex node) { bind_log_.push_back(node); }

  // Whether `signature` has a cached class (counts as neither hit nor miss).
  bool contains(const std::string& signature) const { return classes_.contains(signature); }
  // Admission (TinyLFU's doorkeeper): a class is worth keeping only once it comes back.
  // True when `signature` was offered before (then cache it: lookup / adopt); false the
  // first time, which it remembers — the caller then decides the pod without keeping
  // totals, and counts it with note_uncached(). The memory is a direct-mapped table of
  // signature hashes: a collision forgets a class (it waits for one more sighting) or
  // admits one early; either only moves cost, never a placement.
  bool admit(const std::string& signature);
  void note_uncached() { ++misses_; }
  // Takes `totals`, current as of now, as the class for `signature` (replacing a cached
  // one), evicting as lookup does; `totals` gets back buffers to reuse. Counts a miss:
  // the class was computed in full, only elsewhere (speculative batches).
  // Only the tree and feasible count are kept; `totals` gets the entry's old tree.
  void adopt(const std::string& signature, ClassTotals& totals);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

  // One cached class. With a partner attached, the thread that holds `holder` owns every
  // field but the two atomics and `refresh` (written once, before the entry is first
  // offered). Without one, only the scheduling thread touches it.
  struct Entry {
    static constexpr std::uint32_t kFree = 0;
    static constexpr std::uint32_t kDeciding = 1;  // the scheduling thread
    static constexpr std::uint32_t kPartner = 2;

    ClassTotals totals;  // its tree and feasible count; the by-node vector stays empty
    std::size_t version = 0;  // bind log length when totals were last brought current
    std::list<const std::string*>::iterator recency;  // its place in recency_
    bool needs_full_build = true;
    std::atomic<std::uint32_t> holder{kFree};
    std::atomic<std::uint32_t> pins{0};  // offers to the partner not finished yet: never evicted while > 0
    // The class's refresh for the partner (Framework::detach_refresh), once tried.
    std::unique_ptr<framework::DetachedRefresh> refresh;
    bool refresh_tried = false;
    bool partner_refreshed = false;  // its tree changed without scratch_ (set by the partner)
    // The queue position it was last offered to the partner for (ClassLookahead; the
    // scheduling thread's alone, whoever holds the entry).
    std::uint64_t offered_for = UINT64_MAX;
  };

  // A partner may now bring offered entries forward (or, detached, no longer): the
  // scheduling thread then holds the class it decides until its next lookup or adopt.
  void attach_partner();
  void detach_partner();
  // After lookup + mark_current: gives the current class its DetachedRefresh if it has
  // none yet (`detach` makes it: Framework::detach_refresh for the pod just prepared).
  template <class Detach>
  void ensure_refresh(Detach&& detach) {
    if (!partner_attached_ || current_ == nullptr || current_->refresh_tried) return;
    current_->refresh = detach();
    current_->refresh_tried = true;
  }
  // Pins `e` (from find()) for an offer to the partner and returns true, or returns false
  // when the partner could not bring it forward (no refresh, needs a full build). The
  // partner unpins it (pins.fetch_sub) when done with the offer.
  static bool pin_for_partner(Entry& e);
  // The cached class for `signature`, or null; valid while evictions() stays the same.
  Entry* find(const std::string& signature) {
    const auto it = classes_.find(signature);
    return it == classes_.end() ? nullptr : &it->second;
  }
  std::uint64_t evictions() const { return evictions_; }
  // Asks for the lines the next lookup of `e` reads first (its holder and version, the top
  // of its tree): after the partner wrote them, they come from the other core's cache.
  static void prefetch(const Entry& e) {
    __builtin_prefetch(&e.holder, 1);
    __builtin_prefetch(&e.version, 1);
    e.totals.tree.prefetch_upper_levels();
  }
  // The bind log's length: the version a class brought current now gets.
  std::size_t log_size() const { return bind_log_.size(); }

 private:
  // A fresh entry for `signature`, evicting the least recently used class when full (the
  // new entry then reuses its buffers).
  Entry& insert(const std::string& signature);
  // Takes `e` for the scheduling thread (waits while the partner holds it), letting go of
  // the class it held before; nothing without a partner.
  void hold(Entry& e);
  void release_held();

  const RingOrder& ring_;
  std::size_t node_count_;
  std::size_t max_classes_;
  std::unordered_map<std::string, Entry> classes_;
  // Classes by last use, most recent first (keys point into classes_, whose nodes never
  // move): eviction takes the back in O(1) instead of scanning every class.
  std::list<const std::string*> recency_;
  void touch(Entry& e) { recency_.splice(recency_.begin(), recency_, e.recency); }
  Entry* current_ = nullptr;
  std::vector<std::int64_t> scratch_;  // by node (see the sketch)
  bool scratch_complete_ = false;      // scratch_ holds the current class's every node
  // The class whose every node scratch_ holds, as of its version, when only its own
  // lookups have written to scratch_ since: its next refresh completes scratch_ by
  // writing the changed nodes, and totals_by_node skips the O(nodes) gather from the tree
  // (a run of pods of one class, as on the constraint workloads). Null when none.
  const Entry* scratch_owner_ = nullptr;
  std::vector<state::NodeIndex> bind_log_;
  std::vector<state::NodeIndex> dirty_;  // the last lookup's dirty nodes: the first dirty_count_
  std::size_t dirty_count_ = 0;
  std::vector<std::uint64_t> dirty_stamp_;  // per node: the lookup that last listed it
  std::uint64_t clock_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::vector<std::size_t> offered_;  // admit(): signature hashes by their low bits
  bool partner_attached_ = false;
  std::uint64_t evictions_ = 0;
  Entry* held_ = nullptr;
  // the entry the scheduling thread holds (partner attached)
};

}  // namespace podium::scheduler
