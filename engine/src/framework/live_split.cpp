// Framework::decide_with_live's two-thread split (decide_split) and its settings: which
// decisions split, the partner of each scheduling thread, and the hand-off protocol's use
// (framework/live_split.hpp). BENCHMARKS.md, "Constraint workloads on two threads (stop 22)".
#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

#include "framework/live_split.hpp"
#include "framework/tie_rule_argmax.hpp"
#include "podium/framework/framework.hpp"

namespace podium::framework {
namespace {

// Below this many feasible nodes the live path stays on one thread (see
// live_split_min_nodes): a split decision costs ~2 us of hand-offs (four one-way cache-line
// transfers, ~0.3-0.5 us each on the 2-vCPU machine measured) and saves ~0.4 ns per node;
// measured break-even 4,000-5,000 nodes (BENCHMARKS.md, "Constraint workloads on two
// threads (stop 22)").
constexpr std::size_t kLiveSplitMinNodes = 4500;
// Live scorers a split decision takes at most (each needs a node_count_ scratch column).
constexpr std::size_t kMaxSplitScorers = 8;

// The live split's break-even (BENCHMARKS.md, "Constraint workloads on two threads").
std::atomic<std::size_t> split_min_nodes{kLiveSplitMinNodes};
std::atomic<std::size_t> split_decisions{0};

// One partner per scheduling thread, shared by its Frameworks (a session has one per
// profile: a partner each would leave several spinning on two CPUs).
LiveSplit& live_split_of_this_thread() {
  thread_local std::unique_ptr<LiveSplit> split;
  if (!split) split = std::make_unique<LiveSplit>();
  return *split;
}

}  // namespace

std::size_t live_split_min_nodes() { return split_min_nodes.load(std::memory_order_relaxed); }
void set_live_split_min_nodes(std::size_t nodes) { split_min_nodes.store(nodes, std::memory_order_relaxed); }
std::size_t live_split_decisions() { return split_decisions.load(std::memory_order_relaxed); }

bool Framework::decide_split(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> feasible,
                             const std::int64_t* cached_totals, std::uint32_t start, NodeIndex& winner) {
  // The live scorers that act, in profile order.
  std::array<std::size_t, kMaxSplitScorers> active{};
  std::size_t k = 0;
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (!score_live_[s] || score_skipped_[s]) continue;
    if (k == kMaxSplitScorers) return false;
    active[k++] = s;
  }
  if (k == 0) return false;  // no live scorer: the cached totals' tie rule alone, one pass
  const std::size_t count = feasible.size();
  // Every node (ids 0..n-1, decide_with_live's common case): totals by node, the tie rule's
  // dense form.
  const bool every = count == node_count_;
  if (split_scratch_.size() < k * node_count_) split_scratch_.resize(k * node_count_);

  // The partner takes feasible[0, half), this thread feasible[half, count): each part's
  // values are the ones one thread computes for those nodes (Score and the add are per
  // node), so the totals are the same, and the two winners merge by the tie rule's total
  // order.
  struct Part {
    std::size_t first = 0;
    std::size_t count = 0;
    std::array<ScorePlugin::Bounds, kMaxSplitScorers> bounds{};
    bool scored = true;
    TieRuleWinner best;
  };
  // Halves (a 7/16 share for the partner, whose job starts a hand-off later, measured no
  // better: BENCHMARKS.md, stop 22).
  const std::size_t half = count / 2;
  std::array<Part, 2> parts{};
  parts[0].count = half;
  parts[1].first = half;
  parts[1].count = count - half;
  const NodeIndex* all = feasible.data();
  std::int64_t* totals = totals_.data();
  std::int64_t* scratch = split_scratch_.data();
  // Step 1: each scorer's Score and NormalizeScore bounds over the part.
  auto score_step = [&](std::size_t p) {
    Part& part = parts[p];
    for (std::size_t j = 0; j < k && part.scored; ++j)
      part.scored = profile_.scores[active[j]].plugin->score_part(cycle_state_, pod, cluster,
                                                                  {all + part.first, part.count},
                                                                  scratch + j * node_count_ + part.first, part.bounds[j]);
  };
  // Between: every part's bounds merged (least min, greatest max), per scorer.
  std::array<ScorePlugin::Bounds, kMaxSplitScorers> merged{};
  auto merge_bounds = [&] {
    if (!parts[0].scored || !parts[1].scored) return false;
    for (std::size_t j = 0; j < k; ++j) {
      merged[j] = parts[0].bounds[j];
      merged[j].merge(parts[1].bounds[j]);
    }
    return true;
  };
  // Step 2: each scorer's normalized, weighted share added in profile order (the first onto
  // the cached totals), then the part's winner by the tie rule from the last add's max.
  auto add_step = [&](std::size_t p) {
    Part& part = parts[p];
    std::int64_t* to = totals + part.first;
    const std::int64_t* from = cached_totals + part.first;
    if (!every) {  // the part's cached totals, by position
      for (std::size_t i = 0; i < part.count; ++i) to[i] = cached_totals[all[part.first + i]];
      from = to;
    }
    std::int64_t best = kInfeasible;
    for (std::size_t j = 0; j < k; ++j) {
      const auto& entry = profile_.scores[active[j]];
      best = entry.plugin->add_normalized_part(cycle_state_, pod, merged[j], {all + part.first, part.count},
                                               scratch + j * node_count_ + part.first, entry.weight, from, to);
      from = to;
    }
    part.best = every ? tie_rule_argmax_range_of(static_cast<NodeIndex>(part.first), to, part.count, best,
                                                 tie_breaker_, start, kInfeasible)
                      : tie_rule_argmax(all + part.first, to, part.count, tie_breaker_, start);
  };
  if (!live_split_of_this_thread().two_steps(score_step, merge_bounds, add_step)) return false;
  const TieRuleWinner& a = parts[0].best;
  const TieRuleWinner& b = parts[1].best;
  const bool a_wins = a.total > b.total || (a.total == b.total && a.distance < b.distance);
  winner = a_wins ? a.node : b.node;
  split_decisions.fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace podium::framework
