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
//   class c:   totals[node]  +  version = log length when totals were last brought current
//
// Memory is bounded: at most `max_classes` classes keep totals (least recently used are
// evicted and recomputed in full if they come back). Single-threaded (the scheduling loop).

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

class ClassCache {
 public:
  ClassCache(std::size_t node_count, std::size_t max_classes);

  struct Lookup {
    std::int64_t* totals;                     // per node, owned by the cache
    bool full;                                // true: every node must be (re)computed
    std::span<const state::NodeIndex> dirty;  // else: just these
  };
  // The class for `signature`; the caller brings its totals current, then calls mark_current.
  Lookup lookup(const std::string& signature);
  void mark_current();  // the last looked-up class now reflects the whole bind log
  void record_bind(state::NodeIndex node) { bind_log_.push_back(node); }

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::vector<std::int64_t> totals;
    std::size_t version = 0;
    std::uint64_t last_used = 0;
  };
  std::size_t node_count_;
  std::size_t max_classes_;
  std::unordered_map<std::string, Entry> classes_;
  Entry* current_ = nullptr;
  std::vector<state::NodeIndex> bind_log_;
  std::vector<state::NodeIndex> dirty_;
  std::vector<std::uint64_t> dirty_stamp_;  // per node: the lookup that last listed it
  std::uint64_t clock_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};


}  // namespace podium::scheduler
