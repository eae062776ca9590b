#pragma once
// Sequential-equivalent parallel placement: speculate in parallel, commit in queue order.
//
//   queue:   ... | p8 p9 p10 p11 p12 p13 p14 p15 | p16 ...     one batch of 4 x threads pods
//   classify (committing thread): which pods need a full scan and decide node-locally
//   speculate (oneTBB workers):   each such pod, on its own single-threaded Framework:
//                                 PreFilter/PreScore, every node's total, a RingMaxTree —
//                                 against the cluster as it stands at the batch start
//   commit (committing thread, queue order):
//       p8  speculated: nothing committed yet in the batch → its tree's best is the answer
//       p9  cached class / sampled / cross-node: decided now, as one thread would
//       p10 speculated: recompute its totals on the nodes p8 and p9 were bound to, fix
//           those tree leaves (or block winners), take the best → exactly the answer one
//           thread gives
//
// Why the correction is exact: a speculated pod decides node-locally
// (Framework::decides_locally), so its total on a node depends only on that node's state,
// and the only nodes whose state changed since the batch started are the ones the batch's
// earlier commits bound pods to. Placements are byte-identical to threads = 1.
//
// Speculated totals become the class's cache entry when the profile caches classes and
// the cache admits the class (ClassCache::admit: seen before), so a class met again is not
// computed twice. A class met for the first time keeps no tree: its best comes from block
// winners (scheduler/block_argmax.hpp), a pass over totals still in cache.
//
// Cost model: a batch that speculates fewer than two pods runs on one thread, so the next
// pods are placed one at a time without classifying them, for a stretch that doubles
// (batch size up to 512 pods) while probe batches keep finding nothing to speculate.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "scheduler/block_argmax.hpp"
#include "scheduler/class_totals.hpp"
#include "scheduler/placement_session.hpp"

namespace podium::scheduler {

class SpeculativeBatches {
 public:
  SpeculativeBatches(PlacementSession& session, int threads);

  // Places `queue` (decision numbers from `first_decision`), appending to result.placements.
  // Call inside the oneTBB arena the speculation should use.
  void run(std::span<const state::PodIndex> queue, std::uint64_t first_decision, ScheduleResult& result);

 private:
  struct Entry {
    state::PodIndex pod = 0;
    std::uint64_t decision = 0;
    std::size_t profile = 0;
    bool speculate = false;
    std::size_t slot = 0;           // speculated: its Framework and ClassTotals
    std::string signature;          // speculated with a caching profile: the class key
    // Speculated: the class cache admits the pod's class (its second sighting), so its
    // totals get a class tree and join the cache at commit; otherwise block winners
    // (scheduler/block_argmax.hpp) answer this one decision and the totals are dropped.
    bool cache_class = false;
    bool prepared = false;          // speculated: PreFilter accepted the pod at the snapshot
    state::NodeIndex snapshot_best = state::kNoNode;
  };

  void classify(std::span<const state::PodIndex> queue, std::size_t begin, std::uint64_t first_decision);
  void speculate();
  Placement commit_speculated(Entry& e, ScheduleResult& result);
  framework::Framework& slot_framework(std::size_t profile, std::size_t slot);

  PlacementSession& session_;
  std::size_t batch_size_;
  std::vector<Entry> batch_;
  std::vector<std::size_t> speculated_;  // batch_ positions of the speculated entries
  // Per profile, per slot: a single-threaded Framework (its CycleState holds the slot's pod).
  std::vector<std::vector<std::unique_ptr<framework::Framework>>> slot_frameworks_;
  std::vector<ClassTotals> slot_totals_;
  std::vector<BlockArgmax> slot_blocks_;
  std::vector<state::NodeIndex> bound_in_batch_;  // nodes the batch's commits so far bound pods to
  std::vector<state::NodeIndex> changed_;         // the same, each node once
  std::vector<std::uint64_t> changed_stamp_;      // per node: the commit that last listed it
  std::uint64_t stamp_ = 0;
};

}  // namespace podium::scheduler
