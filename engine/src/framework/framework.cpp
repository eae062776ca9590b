#include "podium/framework/framework.hpp"

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <numeric>
#include <memory>
#include <optional>

#include "framework/dense_kernels.hpp"
#include "framework/live_kernels.hpp"
#include "framework/tie_rule_argmax.hpp"

namespace podium::framework {
namespace {

// Nodes per batch: large enough that a batch's loops amortise the per-batch virtual calls
// and task overhead, small enough (4 KiB of each 8-byte column) to stay in L1 while every
// plugin passes over it.
constexpr std::size_t kBatch = 512;

std::size_t batch_count(std::size_t nodes) { return (nodes + kBatch - 1) / kBatch; }

// The best of `count` scored nodes by the tie rule (framework/tie_rule_argmax.hpp).
template <class Candidate>
Candidate tie_rule_winner(const NodeIndex* ids, const std::int64_t* totals, std::size_t count,
                           const TieBreaker& ties, std::uint32_t start) {
  if (count == 0) return Candidate{};
  const TieRuleWinner w = tie_rule_argmax(ids, totals, count, ties, start);
  return Candidate{w.total, w.distance, w.node};
}

}  // namespace



Framework::Framework(const Profile& profile, std::size_t node_count, TieBreaker tie_breaker, int threads)
    : profile_(profile),
      node_count_(node_count),
      tie_breaker_(std::move(tie_breaker)),
      threads_(std::max(1, threads)),
      cycle_state_(profile.slot_count),
      candidates_(node_count),
      all_nodes_(node_count),
      totals_(node_count),
      plugin_scores_(node_count),
      feasible_mask_(node_count),
      filter_skipped_(profile.filters.size()),
      score_skipped_(profile.scores.size()) {
  // Split plugins into the cached group (node-local, no normalization, no feasible list)
  // and the live group (everything else), and collect the cached group's plugins: only
  // they make up a class signature.
  for (const auto& s : profile_.scores) {
    any_normalize_ = any_normalize_ || s.plugin->has_normalize();
    any_needs_feasible_ = any_needs_feasible_ || s.plugin->needs_feasible_nodes();
    const bool live =
        !s.plugin->depends_only_on_its_node() || s.plugin->has_normalize() || s.plugin->needs_feasible_nodes();
    score_live_.push_back(live ? 1 : 0);
    if (!live) signed_plugins_.push_back(static_cast<const Plugin*>(s.plugin));
  }
  for (const auto* f : profile_.filters) {
    const bool live = !f->depends_only_on_its_node();
    filter_live_.push_back(live ? 1 : 0);
    if (!live) signed_plugins_.push_back(static_cast<const Plugin*>(f));
  }
  // Fusing pairs: two scorers of the same group (both cached or both live), neither
  // normalizing, each in one pair at most, the pass run at the earlier one's turn.
  const std::size_t scorers = profile_.scores.size();
  fused_lead_.assign(scorers, -1);
  fused_partner_.assign(scorers, -1);
  std::vector<std::uint8_t> paired(scorers, 0);
  for (std::size_t s = 0; s < scorers && s < 64; ++s) {
    for (std::size_t t = s + 1; t < scorers && t < 64 && !paired[s]; ++t) {
      const ScorePlugin* a = profile_.scores[s].plugin;
      const ScorePlugin* b = profile_.scores[t].plugin;
      if (paired[t] || score_live_[s] != score_live_[t] || a->has_normalize() || b->has_normalize()) continue;
      const bool a_leads = a->fuses_with(*b);
      if (!a_leads && !b->fuses_with(*a)) continue;
      fused_lead_[s] = static_cast<std::int32_t>(a_leads ? s : t);
      fused_partner_[s] = static_cast<std::int32_t>(a_leads ? t : s);
      paired[s] = paired[t] = 1;
    }
  }
  // A filter that is also a fusing pair's lead (one object in both lists: NodeResourcesFit)
  // may run with the pair as one kernel: over node ranges in dense_pass (the fold needs
  // the filter and the pair in one group, so that a subset takes all three), and over the
  // class cache's dirty nodes when all three are cached (fused_refresh_applies).
  for (std::size_t s = 0; s < scorers && folded_pair_ < 0; ++s) {
    if (fused_lead_[s] < 0) continue;
    const void* lead = dynamic_cast<const void*>(profile_.scores[static_cast<std::size_t>(fused_lead_[s])].plugin);
    for (std::size_t f = 0; f < profile_.filters.size() && f < 64; ++f) {
      if (dynamic_cast<const void*>(profile_.filters[f]) != lead || filter_live_[f] != score_live_[s]) continue;
      folded_pair_ = static_cast<std::int32_t>(s);
      folded_filter_ = static_cast<std::int32_t>(f);
      if (score_live_[s] == 0) {
        refresh_filter_ = static_cast<std::int32_t>(f);
        refresh_lead_ = fused_lead_[s];
        refresh_partner_ = fused_partner_[s];
      }
      break;
    }
  }
  has_live_ = std::find(score_live_.begin(), score_live_.end(), 1) != score_live_.end() ||
              std::find(filter_live_.begin(), filter_live_.end(), 1) != filter_live_.end();
  // In profile order, once each, so signatures do not depend on the plugin lists' order.
  std::vector<const Plugin*> ordered;
  for (const auto& plugin : profile_.owned)
    if (std::find(signed_plugins_.begin(), signed_plugins_.end(), plugin.get()) != signed_plugins_.end())
      ordered.push_back(plugin.get());
  signed_plugins_ = std::move(ordered);
  cacheable_ = true;
  std::string probe;
  const state::PodRecord empty_pod;
  for (const Plugin* plugin : signed_plugins_) cacheable_ = cacheable_ && plugin->sign(empty_pod, probe);
  std::iota(all_nodes_.begin(), all_nodes_.end(), NodeIndex{0});
  to_find_ = framework::nodes_to_find(profile_, node_count_);
  if (samples()) batch_survivors_.resize((node_count_ + 63) / 64);  // select_sampled's smallest chunks
  // The partner spins while it waits: only with a second CPU to spin on.
  split_min_nodes_ = std::max<std::size_t>(2, live_split_min_nodes());
  split_live_ = threads_ >= 2 && has_live_ && node_count_ >= split_min_nodes_ && tbb::info::default_concurrency() >= 2;
}

std::string Framework::signature(const state::PodRecord& pod) const {
  std::string sig;
  for (const Plugin* plugin : signed_plugins_) {
    (void)plugin->sign(pod, sig);
    sig.push_back('|');
  }
  return sig;
}

bool Framework::prepare(const PodContext& pod, const ClusterState& cluster, Status& rejection) {
  if (!run_pre_filter(pod, cluster, rejection)) return false;
  // Live scorers' PreScore waits for the feasible list (decide_with_live).
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_live_[s]) continue;
    const Status st = profile_.scores[s].plugin->pre_score(cycle_state_, pod, cluster, {});
    score_skipped_[s] = st.is_skip() ? 1 : 0;
  }
  return true;
}

bool Framework::live_plugins_act(const PodContext& pod, const ClusterState& cluster) const {
  for (std::size_t f = 0; f < profile_.filters.size(); ++f)
    if (filter_live_[f] && !filter_skipped_[f]) return true;
  return live_scorers_act(pod, cluster);
}

bool Framework::live_scorers_act(const PodContext& pod, const ClusterState& cluster) const {
  for (std::size_t s = 0; s < profile_.scores.size(); ++s)
    if (score_live_[s] && !profile_.scores[s].plugin->pre_score_always_skips(pod, cluster)) return true;
  return false;
}

bool Framework::passes_live_filters(const PodContext& pod, const ClusterState& cluster, NodeIndex node) const {
  return filter_pass(pod, cluster, &node, 1, Subset::kLiveOnly) == 1;
}

bool Framework::decides_locally(const PodContext& pod, const ClusterState& cluster) const {
  for (std::size_t f = 0; f < profile_.filters.size(); ++f)
    if (filter_live_[f] && !profile_.filters[f]->pre_filter_always_skips(pod, cluster)) return false;
  for (std::size_t s = 0; s < profile_.scores.size(); ++s)
    if (score_live_[s] && !profile_.scores[s].plugin->pre_score_always_skips(pod, cluster)) return false;
  return true;
}

Decision Framework::decide_with_live(const PodContext& pod, const ClusterState& cluster,
                                     const std::int64_t* cached_totals, std::uint64_t decision_index) {
  const std::span<const NodeIndex> feasible = feasible_from_cached(pod, cluster, cached_totals);
  const NodeIndex* ids = feasible.data();
  const std::size_t count = feasible.size();
  if (count == 0) return unschedulable(pod, cluster, Status{});
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (!score_live_[s]) continue;
    const Status st = profile_.scores[s].plugin->pre_score(cycle_state_, pod, cluster, feasible);
    score_skipped_[s] = st.is_skip() ? 1 : 0;
  }
  std::int64_t* totals = totals_.data();
  const std::uint32_t start = tie_breaker_.start_for(decision_index);
  if (split_live_ && count >= split_min_nodes_) {
    NodeIndex winner = state::kNoNode;
    if (decide_split(pod, cluster, feasible, cached_totals, start, winner)) return {winner, count, {}, node_count_};
  }
  if (count == node_count_) {  // ascending ids, every node: ids[i] == i, the cached totals as they are
    const std::optional<std::int64_t> best_total =
        score_pass(pod, cluster, feasible, totals, plugin_scores_.data(), Subset::kLiveOnly, cached_totals);
    // The ids are the run 0, 1, ...: the tie rule's dense form, without checking them; a
    // fused scorer that wrote the totals last already knows their max (one pass fewer).
    const TieRuleWinner w = best_total ? tie_rule_argmax_range_of(0, totals, count, *best_total, tie_breaker_, start, kInfeasible)
                                       : tie_rule_argmax_range(0, totals, count, tie_breaker_, start, kInfeasible);
    return {w.node, count, {}, node_count_};
  }
  for (std::size_t i = 0; i < count; ++i) totals[i] = cached_totals[ids[i]];
  score_pass(pod, cluster, feasible, totals, plugin_scores_.data(), Subset::kLiveOnly);
  const Candidate best = tie_rule_winner<Candidate>(ids, totals, count, tie_breaker_, start);
  return {best.node, count, {}, node_count_};
}

void Framework::evaluate(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                         std::int64_t* totals_by_node) {
  // Works in kBatch chunks through the scratch buffers' first slice; live plugins are
  // left out (a class caches only the others' totals). With the fused refresh, the other
  // filters narrow the ids first and one kernel filters and scores the survivors, writing
  // their totals in place; a pod it declines takes the plugin-by-plugin path.
  std::int64_t base = 0;
  const bool fused = fused_refresh_applies(pod, cluster, base);
  const std::size_t except = fused ? static_cast<std::size_t>(refresh_filter_) : SIZE_MAX;
  for (std::size_t off = 0; off < nodes.size(); off += kBatch) {
    const std::size_t count = std::min(kBatch, nodes.size() - off);
    NodeIndex* ids = candidates_.data();
    std::copy_n(nodes.begin() + static_cast<std::ptrdiff_t>(off), count, ids);
    for (std::size_t i = 0; i < count; ++i) totals_by_node[ids[i]] = kInfeasible;
    std::size_t alive = filter_pass(pod, cluster, ids, count, Subset::kCachedOnly, except);
    if (alive == 0) continue;
    if (fused) {
      const auto& lead = profile_.scores[static_cast<std::size_t>(refresh_lead_)];
      const auto& partner = profile_.scores[static_cast<std::size_t>(refresh_partner_)];
      if (lead.plugin->filter_score_ids_fused(cycle_state_, pod, cluster, *partner.plugin, lead.weight, partner.weight,
                                              base, kInfeasible, {ids, alive}, totals_by_node))
        continue;
      alive = profile_.filters[except]->filter(cycle_state_, pod, cluster, {ids, alive}, ids);
      if (alive == 0) continue;
    }
    std::int64_t* totals = totals_.data();
    score_cached_ids(pod, cluster, {ids, alive}, totals);
    for (std::size_t i = 0; i < alive; ++i) totals_by_node[ids[i]] = totals[i];
  }
}

void Framework::evaluate_all(const PodContext& pod, const ClusterState& cluster, std::int64_t* totals_by_node) {
  const std::size_t batches = batch_count(node_count_);
  auto one = [&](std::size_t b) {
    const std::size_t begin = b * kBatch;
    const std::size_t end = std::min(node_count_, begin + kBatch);
    const BatchResult r = run_batch(pod, cluster, begin, end, 0, Subset::kCachedOnly, /*pick_best=*/false);
    if (r.feasible == 0) {
      std::fill(totals_by_node + begin, totals_by_node + end, kInfeasible);
    } else {
      std::copy(totals_.data() + begin, totals_.data() + end, totals_by_node + begin);
    }
  };
  if (threads_ == 1) {
    for (std::size_t b = 0; b < batches; ++b) one(b);
  } else {
    tbb::parallel_for(std::size_t{0}, batches, one);
  }
}

std::string Framework::unschedulable_reason(const PodContext& pod, const ClusterState& cluster,
                                            const Status& pre_filter) {
  return unschedulable(pod, cluster, pre_filter).reason;
}

bool Framework::run_pre_filter(const PodContext& pod, const ClusterState& cluster, Status& rejection) {
  for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
    FilterPlugin* plugin = profile_.filters[f];
    Status st = plugin->pre_filter(cycle_state_, pod, cluster);
    filter_skipped_[f] = st.is_skip() ? 1 : 0;
    if (!st.ok() && !st.is_skip()) {
      rejection = std::move(st.with_plugin(std::string(plugin->name())));
      return false;
    }
  }
  return true;
}

void Framework::run_pre_score(const PodContext& pod, const ClusterState& cluster,
                              std::span<const NodeIndex> feasible) {
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    const Status st = profile_.scores[s].plugin->pre_score(cycle_state_, pod, cluster, feasible);
    score_skipped_[s] = st.is_skip() ? 1 : 0;
  }
}

std::size_t Framework::filter_pass(const PodContext& pod, const ClusterState& cluster, NodeIndex* ids,
                                   std::size_t count, Subset subset, std::size_t except) const {
  for (std::size_t f = 0; f < profile_.filters.size() && count > 0; ++f) {
    if (f == except || filter_skipped_[f] || !in_subset(filter_live_[f] != 0, subset)) continue;
    count = profile_.filters[f]->filter(cycle_state_, pod, cluster, {ids, count}, ids);
  }
  return count;
}

std::optional<std::int64_t> Framework::score_pass(const PodContext& pod, const ClusterState& cluster,
                                                 std::span<const NodeIndex> ids, std::int64_t* totals,
                                                 std::int64_t* scores, Subset subset, const std::int64_t* base) const {
  std::optional<std::int64_t> max_total;  // the last fused scorer's, while no other wrote after it
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_skipped_[s] || !in_subset(score_live_[s] != 0, subset)) continue;
    const auto& entry = profile_.scores[s];
    const std::int64_t* from = base != nullptr ? base : totals;
    base = nullptr;
    std::int64_t fused_max = 0;
    if (entry.plugin->has_normalize() && !ids.empty() &&
        entry.plugin->score_normalized_into(cycle_state_, pod, cluster, ids, entry.weight, from, totals, fused_max)) {
      max_total = fused_max;
      continue;
    }
    entry.plugin->score(cycle_state_, pod, cluster, ids, scores);
    if (entry.plugin->has_normalize()) entry.plugin->normalize(cycle_state_, pod, {scores, ids.size()});
    add_weighted(totals, from, scores, ids.size(), entry.weight);
    max_total.reset();
  }
  if (base != nullptr) std::copy_n(base, ids.size(), totals);  // no scorer ran
  return max_total;
}

Framework::FusingPair Framework::fusing_pair(std::size_t s, std::uint64_t done) const {
  if (fused_lead_[s] < 0) return {};
  const auto lead = static_cast<std::size_t>(fused_lead_[s]);
  const auto partner = static_cast<std::size_t>(fused_partner_[s]);
  const std::uint64_t bits = (std::uint64_t{1} << lead) | (std::uint64_t{1} << partner);
  if (score_skipped_[lead] || score_skipped_[partner] || (done & bits) != 0) return {};
  return {&profile_.scores[lead], &profile_.scores[partner], bits};
}

void Framework::score_cached_ids(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> ids,
                                 std::int64_t* totals) {
  // dense_pass's scorer loop over scattered ids: the cached subset never normalizes (a
  // normalizing scorer is live), so each scorer only adds weight x score. Uniform scores
  // set where the totals start; a fusing pair (LeastAllocated + BalancedAllocation) adds
  // both in one pass over the nodes' columns instead of two gathers, two score arrays and
  // two weighted adds. Bit `s` of `done` marks a scorer already added.
  std::uint64_t done = 0;
  const std::int64_t uniform = uniform_scores(pod, cluster, Subset::kCachedOnly, done);
  std::fill_n(totals, ids.size(), uniform);
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_skipped_[s] || score_live_[s] != 0) continue;
    if (s < 64 && ((done >> s) & 1U) != 0) continue;
    const auto& entry = profile_.scores[s];
    if (const FusingPair pair = fusing_pair(s, done);
        pair.lead != nullptr && pair.lead->plugin->score_ids_fused(cycle_state_, pod, cluster, *pair.partner->plugin,
                                                                   pair.lead->weight, pair.partner->weight, ids, totals)) {
      done |= pair.bits;
      continue;
    }
    std::int64_t* scores = plugin_scores_.data();
    entry.plugin->score(cycle_state_, pod, cluster, ids, scores);
    add_weighted(totals, totals, scores, ids.size(), entry.weight);
  }
}

std::int64_t Framework::uniform_scores(const PodContext& pod, const ClusterState& cluster, Subset subset,
                                       std::uint64_t& done) const {
  std::int64_t uniform = 0;
  for (std::size_t s = 0; s < profile_.scores.size() && s < 64; ++s) {
    std::int64_t score = 0;
    if (((done >> s) & 1U) != 0 || score_skipped_[s] || !in_subset(score_live_[s] != 0, subset) ||
        !profile_.scores[s].plugin->uniform_score(cycle_state_, pod, cluster, score))
      continue;
    uniform += score * profile_.scores[s].weight;
    done |= std::uint64_t{1} << s;
  }
  return uniform;
}

bool Framework::fused_refresh_applies(const PodContext& pod, const ClusterState& cluster, std::int64_t& base) {
  if (refresh_filter_ < 0 || filter_skipped_[static_cast<std::size_t>(refresh_filter_)]) return false;
  const auto lead = static_cast<std::size_t>(refresh_lead_);
  const auto partner = static_cast<std::size_t>(refresh_partner_);
  if (profile_.scores.size() > 64 || score_skipped_[lead] || score_skipped_[partner]) return false;
  std::uint64_t done = 0;
  base = uniform_scores(pod, cluster, Subset::kCachedOnly, done);
  const std::uint64_t pair = (std::uint64_t{1} << lead) | (std::uint64_t{1} << partner);
  if ((done & pair) != 0) return false;
  // Every other cached scorer that acts must be uniform (its share is in `base`).
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (s == lead || s == partner || score_skipped_[s] || score_live_[s] != 0) continue;
    if (((done >> s) & 1U) == 0) return false;
  }
  return true;
}

std::unique_ptr<DetachedRefresh> Framework::detach_refresh(const PodContext& pod, const ClusterState& cluster) {
  std::int64_t base = 0;
  if (!fused_refresh_applies(pod, cluster, base)) return nullptr;
  for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
    if (filter_skipped_[f] || filter_live_[f] || f == static_cast<std::size_t>(refresh_filter_)) continue;
    if (!profile_.filters[f]->verdict_ignores_bound_pods()) return nullptr;
  }
  const auto& lead = profile_.scores[static_cast<std::size_t>(refresh_lead_)];
  const auto& partner = profile_.scores[static_cast<std::size_t>(refresh_partner_)];
  return lead.plugin->detach_refresh(cycle_state_, pod, cluster, *partner.plugin, lead.weight, partner.weight, base,
                                     kInfeasible);
}

Status Framework::first_rejection(const PodContext& pod, const ClusterState& cluster, NodeIndex node) const {
  // Nodes a PreFilterResult leaves out are never filtered upstream (findNodesThatFitPod,
  // SetAbsentNodesStatus); their status names the narrowing plugin.
  for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
    if (filter_skipped_[f] || !profile_.filters[f]->outside_pre_filter_result(cycle_state_, pod, cluster, node)) continue;
    const std::string name(profile_.filters[f]->name());
    return Status::unresolvable("node(s) didn't satisfy plugin(s) [" + name + "]").with_plugin(name);
  }
  for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
    if (filter_skipped_[f]) continue;
    Status st = profile_.filters[f]->filter_node(cycle_state_, pod, cluster, node);
    if (!st.ok()) return std::move(st.with_plugin(std::string(profile_.filters[f]->name())));
  }
  return {};
}

std::size_t Framework::filter_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin,
                                    std::size_t end) {
  std::iota(candidates_.data() + begin, candidates_.data() + end, static_cast<NodeIndex>(begin));
  return filter_pass(pod, cluster, candidates_.data() + begin, end - begin, Subset::kAll);
}

std::size_t Framework::dense_pass(const PodContext& pod, const ClusterState& cluster, NodeIndex first,
                                  std::size_t count, Subset subset, std::int64_t* best) {
  std::uint8_t* ok = feasible_mask_.data() + first;
  NodeIndex* ids = candidates_.data() + first;
  std::int64_t* totals = totals_.data() + first;
  std::fill_n(ok, count, std::uint8_t{1});
  // Bit s of `fused` marks a scorer already added (uniform, or by a fused pass).
  std::uint64_t fused = 0;
  // The folded pair's lead filters and scores the range in one pass at its filter's turn,
  // starting the totals (it runs before the scorers: PreScore came first on this path).
  const auto fold = [&]() {
    const auto s = static_cast<std::size_t>(folded_pair_);
    const FusingPair pair = fusing_pair(s, fused);
    if (pair.lead == nullptr || !in_subset(score_live_[s] != 0, subset) ||
        !pair.lead->plugin->filter_score_range_fused(cycle_state_, pod, cluster, *pair.partner->plugin,
                                                     pair.lead->weight, pair.partner->weight, first, count, ok, totals))
      return false;
    fused |= pair.bits;
    return true;
  };
  // Filters with a dense form clear their rejections in the mask; the others (bit f of
  // `sparse`; every filter past the 64th, in a profile that long) then run over the
  // survivors' ids, and the mask is rebuilt from what is left.
  std::uint64_t sparse = 0;
  bool any_sparse = false;
  auto is_sparse = [&](std::size_t f) { return f >= 64 || ((sparse >> f) & 1U) != 0; };
  for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
    if (filter_skipped_[f] || !in_subset(filter_live_[f] != 0, subset)) continue;
    if (static_cast<std::int32_t>(f) == folded_filter_ && fold()) continue;
    if (f < 64 && profile_.filters[f]->filter_range(cycle_state_, pod, cluster, first, count, ok)) continue;
    if (f < 64) sparse |= std::uint64_t{1} << f;
    any_sparse = true;
  }
  // The survivors' ids, compacted on first need (a sparse filter or scorer); -1: not yet.
  std::size_t alive = ~std::size_t{0};
  auto compact = [&] {
    if (alive != ~std::size_t{0}) return;
    alive = 0;
    for (std::size_t i = 0; i < count; ++i) {
      ids[alive] = first + static_cast<NodeIndex>(i);
      alive += ok[i];
    }
  };
  if (any_sparse) {
    compact();
    for (std::size_t f = 0; f < profile_.filters.size() && alive > 0; ++f)
      if (!filter_skipped_[f] && in_subset(filter_live_[f] != 0, subset) && is_sparse(f)) alive = profile_.filters[f]->filter(cycle_state_, pod, cluster, {ids, alive}, ids);
    std::fill_n(ok, count, std::uint8_t{0});
    for (std::size_t k = 0; k < alive; ++k) ok[ids[k] - first] = 1;
  }
  // No node left: nothing to score (the count itself comes with the masking pass below).
  if (std::memchr(ok, 1, count) == nullptr) return 0;
  // Scorers whose score is the same on every node only set where the totals start (or,
  // after a fold started them, are added by the masking pass).
  const bool folded = fused != 0;
  const std::int64_t uniform = uniform_scores(pod, cluster, subset, fused);
  if (!folded) std::fill_n(totals, count, uniform);
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_skipped_[s] || !in_subset(score_live_[s] != 0, subset)) continue;
    if (s < 64 && ((fused >> s) & 1U) != 0) continue;
    const auto& entry = profile_.scores[s];
    // The pair shares a group, so the subset takes both.
    if (const FusingPair pair = fusing_pair(s, fused);
        pair.lead != nullptr &&
        pair.lead->plugin->score_range_fused(cycle_state_, pod, cluster, *pair.partner->plugin, pair.lead->weight,
                                             pair.partner->weight, first, count, totals)) {
      fused |= pair.bits;
      continue;
    }
    if (entry.plugin->score_range(cycle_state_, pod, cluster, first, count, entry.weight, totals)) continue;
    // No dense form: score() over the feasible ids (never normalizing here: callers run
    // only scorers that need no feasible list and do not normalize).
    compact();
    std::int64_t* scores = plugin_scores_.data() + first;
    entry.plugin->score(cycle_state_, pod, cluster, {ids, alive}, scores);
    for (std::size_t k = 0; k < alive; ++k) totals[ids[k] - first] += scores[k] * entry.weight;
  }
  const MaskedTotals masked = mask_infeasible(ok, count, kInfeasible, folded ? uniform : 0, totals);
  if (best != nullptr) *best = masked.best;
  return masked.feasible;
}

Framework::BatchResult Framework::run_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin,
                                            std::size_t end, std::uint32_t start, Subset subset, bool pick_best,
                                            std::int64_t to_beat) {
  // Only scorers that need no feasible list and do not normalize may run per batch: the
  // fused path (no such scorer in the profile) and class-cache evaluation (kCachedOnly
  // leaves them out). totals_[begin, end) is by node afterwards, kInfeasible where rejected.
  BatchResult result;
  std::int64_t best = kInfeasible;
  result.feasible = dense_pass(pod, cluster, static_cast<NodeIndex>(begin), end - begin, subset, &best);
  if (result.feasible == 0 || !pick_best) return result;
  // Every node of the batch: infeasible ones hold kInfeasible, below any feasible total.
  // A batch whose best total is below `to_beat` cannot win: no ring distances needed.
  const TieRuleWinner w = tie_rule_argmax_range_of(static_cast<NodeIndex>(begin), totals_.data() + begin,
                                                   end - begin, best, tie_breaker_, start, to_beat);
  if (w.node != state::kNoNode) result.best = Candidate{w.total, w.distance, w.node};
  return result;
}

Decision Framework::select_node(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index) {
  if (node_count_ == 0) return {state::kNoNode, 0, "no nodes available to schedule pods"};
  Status rejection;
  if (!run_pre_filter(pod, cluster, rejection)) return unschedulable(pod, cluster, rejection);
  const std::uint32_t start = tie_breaker_.start_for(decision_index);
  if (any_normalize_ || any_needs_feasible_) return select_with_normalization(pod, cluster, start);

  // Fused path: PreScore needs no feasible list, so it runs first and every batch filters,
  // scores and picks its winner in one pass over its nodes.
  run_pre_score(pod, cluster, {});
  Decision decision = best_of_batches(pod, cluster, start, Subset::kAll);
  if (decision.node == state::kNoNode) return unschedulable(pod, cluster, Status{});
  return decision;
}

Decision Framework::decide_prepared(const PodContext& pod, const ClusterState& cluster,
                                    std::uint64_t decision_index) {
  return best_of_batches(pod, cluster, tie_breaker_.start_for(decision_index), Subset::kCachedOnly);
}

Decision Framework::best_of_batches(const PodContext& pod, const ClusterState& cluster, std::uint32_t start,
                                    Subset subset) {
  const std::size_t batches = batch_count(node_count_);
  auto merge = [](BatchResult a, const BatchResult& b) {
    a.feasible += b.feasible;
    if (b.best.better_than(a.best)) a.best = b.best;
    return a;
  };
  // A later batch must at least tie the winner so far to matter (the tie rule then compares
  // distances): below that total its nodes cannot win, whatever their ring positions.
  auto to_beat = [](const BatchResult& so_far) {
    return so_far.best.node == state::kNoNode ? kInfeasible : so_far.best.total;
  };
  BatchResult all;
  if (threads_ == 1) {
    for (std::size_t b = 0; b < batches; ++b)
      all = merge(all, run_batch(pod, cluster, b * kBatch, std::min(node_count_, (b + 1) * kBatch), start,
                                 subset, true, to_beat(all)));
  } else {
    all = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, batches), BatchResult{},
        [&](const tbb::blocked_range<std::size_t>& range, BatchResult acc) {
          for (std::size_t b = range.begin(); b != range.end(); ++b)
            acc = merge(acc, run_batch(pod, cluster, b * kBatch, std::min(node_count_, (b + 1) * kBatch), start,
                                       subset, true, to_beat(acc)));
          return acc;
        },
        merge);
  }
  if (all.feasible == 0) return {state::kNoNode, 0, {}, node_count_};
  return {all.best.node, all.feasible, {}, node_count_};
}

Decision Framework::select_with_normalization(const PodContext& pod, const ClusterState& cluster,
                                              std::uint32_t start) {
  const std::size_t feasible = filter_all_nodes(pod, cluster);
  if (feasible == 0) return unschedulable(pod, cluster, Status{});
  Decision decision = score_feasible(pod, cluster, feasible, start);
  decision.nodes_examined = node_count_;
  return decision;
}

std::size_t Framework::filter_all_nodes(const PodContext& pod, const ClusterState& cluster) {
  // Filter every batch, then compact the survivors into one feasible list.
  const std::size_t batches = batch_count(node_count_);
  std::vector<std::size_t> survivors(batches);
  auto filter_range = [&](std::size_t b) {
    survivors[b] = filter_batch(pod, cluster, b * kBatch, std::min(node_count_, (b + 1) * kBatch));
  };
  if (threads_ == 1) {
    for (std::size_t b = 0; b < batches; ++b) filter_range(b);
  } else {
    tbb::parallel_for(std::size_t{0}, batches, filter_range);
  }
  std::size_t feasible = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    std::copy_n(candidates_.begin() + static_cast<std::ptrdiff_t>(b * kBatch), survivors[b],
                candidates_.begin() + static_cast<std::ptrdiff_t>(feasible));
    feasible += survivors[b];
  }
  return feasible;
}

std::span<const NodeIndex> Framework::feasible_nodes(const PodContext& pod, const ClusterState& cluster,
                                                     Status& rejection) {
  if (!run_pre_filter(pod, cluster, rejection)) return {};
  return {candidates_.data(), filter_all_nodes(pod, cluster)};
}

std::span<const NodeIndex> Framework::feasible_from_cached(const PodContext& pod, const ClusterState& cluster,
                                                           const std::int64_t* cached_totals) {
  // The nodes every cached filter accepts, in node order. Every node, with no live filter
  // to narrow them (constraint workloads, most pods): the prebuilt run 0, 1, ..., not a
  // fresh copy per pod.
  const bool every = every_node_feasible(cached_totals, node_count_, kInfeasible);
  bool live_filter_runs = false;
  for (std::size_t f = 0; f < profile_.filters.size(); ++f)
    live_filter_runs = live_filter_runs || (filter_live_[f] && !filter_skipped_[f]);
  if (every && !live_filter_runs) return all_nodes_;
  NodeIndex* ids = candidates_.data();
  std::size_t count = node_count_;
  if (every) {
    std::copy(all_nodes_.begin(), all_nodes_.end(), ids);
  } else {
    count = compact_feasible(cached_totals, node_count_, kInfeasible, ids);
  }
  return {ids, filter_pass(pod, cluster, ids, count, Subset::kLiveOnly)};
}

void Framework::score_nodes(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                            std::int64_t* totals) {
  run_pre_score(pod, cluster, nodes);
  std::fill_n(totals, nodes.size(), 0);
  // The caller's ids may live in candidates_; scores go to their own scratch.
  score_pass(pod, cluster, nodes, totals, plugin_scores_.data(), Subset::kAll);
}

bool Framework::passes_filters(const PodContext& pod, const ClusterState& cluster, NodeIndex node) {
  Status rejection;
  return run_pre_filter(pod, cluster, rejection) && first_rejection(pod, cluster, node).ok();
}

NodeIndex Framework::best_by_tie_rule(std::span<const NodeIndex> nodes, const std::int64_t* totals,
                                      std::uint64_t decision_index) const {
  return framework::tie_rule_winner<Candidate>(nodes.data(), totals, nodes.size(), tie_breaker_,
                                                tie_breaker_.start_for(decision_index))
      .node;
}

Decision Framework::score_feasible(const PodContext& pod, const ClusterState& cluster, std::size_t feasible,
                                   std::uint32_t start) {
  const std::span<const NodeIndex> ids(candidates_.data(), feasible);
  run_pre_score(pod, cluster, ids);

  std::fill_n(totals_.begin(), feasible, 0);
  score_pass(pod, cluster, ids, totals_.data(), plugin_scores_.data(), Subset::kAll);
  const Candidate best = tie_rule_winner<Candidate>(ids.data(), totals_.data(), feasible, tie_breaker_, start);
  return {best.node, feasible, {}};
}

Decision Framework::select_sampled(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index,
                                   const NodeWalk& walk, std::size_t start_position) {
  if (node_count_ == 0) return {state::kNoNode, 0, "no nodes available to schedule pods"};
  Status rejection;
  if (!run_pre_filter(pod, cluster, rejection)) return unschedulable(pod, cluster, rejection);
  // findNodesThatPassFilters: walk positions 0, 1, ... (node walk.order[(start + i) % n]),
  // keeping the first to_find_ feasible nodes in walk order. Upstream's parallel walk
  // keeps whichever nodes its workers report first; the sequential order is the one
  // deterministic reading of it. Here batches of consecutive positions are filtered a
  // wave at a time (in parallel) and their survivors taken in walk order until enough.
  const std::size_t n = node_count_;
  // Chunks of consecutive positions: whole batches on one thread; with more threads, a
  // wave of `threads_` chunks sized so that one wave covers to_find_ nodes when most are
  // feasible (a sample is often about one batch long: splitting it is the parallelism).
  const std::size_t chunk =
      threads_ == 1 ? kBatch : std::clamp<std::size_t>(to_find_ / static_cast<std::size_t>(threads_), 64, kBatch);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const std::size_t wave = static_cast<std::size_t>(threads_);
  auto filter_chunk = [&](std::size_t c) {
    const std::size_t begin = c * chunk;
    const std::size_t count = std::min(n, begin + chunk) - begin;
    NodeIndex* ids = candidates_.data() + begin;
    for (std::size_t i = 0; i < count; ++i) ids[i] = walk.order[(start_position + begin + i) % n];
    batch_survivors_[c] = filter_pass(pod, cluster, ids, count, Subset::kAll);
  };
  std::size_t found = 0;
  std::size_t examined = n;  // every node, unless enough were found before the end
  for (std::size_t first = 0; first < chunks && found < to_find_; first += wave) {
    const std::size_t last = std::min(chunks, first + wave);
    if (last - first == 1) {
      filter_chunk(first);
    } else {
      tbb::parallel_for(first, last, filter_chunk);
    }
    // Compact survivors to the front in walk order (found <= c * chunk: never overtakes).
    for (std::size_t c = first; c < last && found < to_find_; ++c) {
      const std::size_t take = std::min(batch_survivors_[c], to_find_ - found);
      std::copy_n(candidates_.begin() + static_cast<std::ptrdiff_t>(c * chunk), take,
                  candidates_.begin() + static_cast<std::ptrdiff_t>(found));
      found += take;
      if (found == to_find_) {
        // processedNodes: up to and including the last node kept.
        const NodeIndex last_kept = candidates_[found - 1];
        examined = (walk.position[last_kept] + n - start_position) % n + 1;
      }
    }
  }
  if (found == 0) return unschedulable(pod, cluster, Status{});
  Decision decision = score_feasible(pod, cluster, found, tie_breaker_.start_for(decision_index));
  decision.nodes_examined = examined;
  return decision;
}

Decision Framework::unschedulable(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter) {
  // Runs for every unschedulable pod, over every node: only the counts are kept (no
  // per-node record), and no Status is built per node. Each node counts the reasons of the
  // first filter that rejects it (first_rejection's answer): the batch filter passes, in
  // profile order, find which nodes each filter rejects first (the pass of filter f removes
  // exactly those: filter() and filter_node() agree node for node), and that filter counts
  // its reasons over all of them at once (FilterPlugin::count_rejections).
  ReasonCounts counts;
  if (pre_filter.ok()) {
    // Nodes outside a PreFilterResult (rare): no filter runs on them upstream; their status
    // names the narrowing plugin, as first_rejection gives it. Only the plugins that
    // narrowed for this pod are asked, node by node.
    std::vector<const FilterPlugin*> narrowing;
    for (std::size_t f = 0; f < profile_.filters.size(); ++f)
      if (!filter_skipped_[f] && profile_.filters[f]->has_pre_filter_result(cycle_state_, pod, cluster))
        narrowing.push_back(profile_.filters[f]);
    std::vector<NodeIndex> alive(node_count_);
    std::iota(alive.begin(), alive.end(), NodeIndex{0});
    if (!narrowing.empty()) {
      alive.clear();
      for (NodeIndex n = 0; n < node_count_; ++n) {
        const bool outside = std::any_of(narrowing.begin(), narrowing.end(), [&](const FilterPlugin* plugin) {
          return plugin->outside_pre_filter_result(cycle_state_, pod, cluster, n);
        });
        if (outside) {
          counts.add(first_rejection(pod, cluster, n));
        } else {
          alive.push_back(n);
        }
      }
    }
    std::size_t last = profile_.filters.size();  // the last filter that runs
    for (std::size_t f = 0; f < profile_.filters.size(); ++f)
      if (!filter_skipped_[f]) last = f;
    std::vector<NodeIndex> before;
    std::vector<NodeIndex> rejected;
    std::vector<std::uint8_t> ok;
    std::size_t count = alive.size();
    for (std::size_t f = 0; f < profile_.filters.size() && count > 0; ++f) {
      if (filter_skipped_[f]) continue;
      const FilterPlugin& plugin = *profile_.filters[f];
      // The last filter rejects first every survivor it rejects, and count_rejections
      // counts nothing for the nodes it accepts: no pass needed to tell them apart.
      if (f == last) {
        plugin.count_rejections(cycle_state_, pod, cluster, {alive.data(), count}, counts);
        break;
      }
      rejected.clear();
      bool dense = false;
      if (count == node_count_) {
        // Every node still alive, in order (0, 1, ...): the dense, vectorised form if the
        // plugin has one, as select_node's dense passes.
        ok.assign(node_count_, 1);
        dense = plugin.filter_range(cycle_state_, pod, cluster, 0, node_count_, ok.data());
      }
      if (dense && std::memchr(ok.data(), 0, node_count_) == nullptr) continue;  // rejects none: all stay
      if (dense) {
        count = 0;
        for (NodeIndex n = 0; n < node_count_; ++n) {
          if (ok[n]) {
            alive[count++] = n;
          } else {
            rejected.push_back(n);
          }
        }
      } else {
        before.assign(alive.begin(), alive.begin() + static_cast<std::ptrdiff_t>(count));
        count = plugin.filter(cycle_state_, pod, cluster, before, alive.data());
        for (std::size_t i = 0, kept = 0; i < before.size(); ++i) {  // survivors stay in order
          if (kept < count && alive[kept] == before[i]) {
            ++kept;
          } else {
            rejected.push_back(before[i]);
          }
        }
      }
      if (!rejected.empty()) plugin.count_rejections(cycle_state_, pod, cluster, rejected, counts);
    }
  }
  return {state::kNoNode, 0, fit_error_message(node_count_, pre_filter, counts), pre_filter.ok() ? node_count_ : 0};
}

Explanation Framework::explain(const PodContext& pod, const ClusterState& cluster, std::uint64_t decision_index) {
  Explanation out;
  out.nodes.resize(node_count_);
  for (NodeIndex n = 0; n < node_count_; ++n) out.nodes[n].node = n;
  if (node_count_ == 0) {
    out.decision = {state::kNoNode, 0, "no nodes available to schedule pods"};
    return out;
  }
  if (!run_pre_filter(pod, cluster, out.pre_filter_status)) {
    for (auto& n : out.nodes) n.status = out.pre_filter_status;
    out.decision = {state::kNoNode, 0, fit_error_message(node_count_, out.pre_filter_status, ReasonCounts{})};
    return out;
  }
  std::vector<NodeIndex> feasible;
  for (NodeIndex n = 0; n < node_count_; ++n) {
    out.nodes[n].status = first_rejection(pod, cluster, n);
    if (out.nodes[n].status.ok()) feasible.push_back(n);
  }
  if (feasible.empty()) {
    out.decision = {state::kNoNode, 0, fit_error_message(node_count_, Status{}, out.nodes), node_count_};
    return out;
  }
  std::size_t examined = node_count_;
  if (samples()) {
    // The decision of a fresh scheduler (start position 0): only the first to_find_
    // feasible nodes in walk order are scored. (Scores and the tie rule do not depend on
    // the order of the feasible list.)
    const NodeWalk walk = zone_interleaved_walk(cluster);
    std::vector<NodeIndex> sampled;
    for (examined = 0; examined < node_count_ && sampled.size() < to_find_; ++examined)
      if (out.nodes[walk.order[examined]].status.ok()) sampled.push_back(walk.order[examined]);
    for (auto& node : out.nodes) node.sampled = false;
    for (const NodeIndex n : sampled) out.nodes[n].sampled = true;
    feasible = std::move(sampled);
    out.nodes_to_find = to_find_;
  }
  run_pre_score(pod, cluster, feasible);
  std::vector<std::int64_t> scores(feasible.size());
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_skipped_[s]) continue;
    const auto& entry = profile_.scores[s];
    entry.plugin->score(cycle_state_, pod, cluster, feasible, scores.data());
    if (entry.plugin->has_normalize()) entry.plugin->normalize(cycle_state_, pod, scores);
    out.score_plugins.emplace_back(entry.plugin->name());
    out.score_weights.push_back(entry.weight);
    for (std::size_t i = 0; i < feasible.size(); ++i) {
      out.nodes[feasible[i]].scores.push_back(scores[i]);
      out.nodes[feasible[i]].total += scores[i] * entry.weight;
    }
  }
  const std::uint32_t start = tie_breaker_.start_for(decision_index);
  Candidate best;
  for (NodeIndex n : feasible) {
    const Candidate c{out.nodes[n].total, tie_breaker_.distance(n, start), n};
    if (c.better_than(best)) best = c;
  }
  out.decision = {best.node, feasible.size(), {}, examined};
  return out;
}

std::string Framework::fit_error_message(std::size_t node_count, const Status& pre_filter,
                                         const std::vector<NodeExplanation>& nodes) {
  ReasonCounts counts;
  for (const auto& n : nodes) counts.add(n.status);
  return fit_error_message(node_count, pre_filter, counts);
}

std::string Framework::fit_error_message(std::size_t node_count, const Status& pre_filter,
                                         const ReasonCounts& counts) {
  std::string msg = "0/" + std::to_string(node_count) + " nodes are available:";
  if (!pre_filter.ok()) return msg + " " + pre_filter.message() + ".";
  std::vector<std::string> parts;
  for (const auto& [reason, count] : counts) parts.push_back(std::to_string(count) + " " + reason);
  std::sort(parts.begin(), parts.end());  // upstream sorts the "count reason" strings
  if (parts.empty()) return msg;
  msg += " ";
  for (std::size_t i = 0; i < parts.size(); ++i) msg += (i ? ", " : "") + parts[i];
  return msg + ".";
}

void Framework::notify_bind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node) {
  for (const auto& plugin : profile_.owned) plugin->on_bind(cluster, pod, node);
}

void Framework::notify_unbind(const ClusterState& cluster, state::PodIndex pod, NodeIndex node) {
  for (const auto& plugin : profile_.owned) plugin->on_unbind(cluster, pod, node);
}

}  // namespace podium::framework
