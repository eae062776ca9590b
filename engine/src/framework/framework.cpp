#include "podium/framework/framework.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace podium::framework {
namespace {

// Nodes per batch: large enough that a batch's loops amortise the per-batch virtual calls
// and task overhead, small enough (4 KiB of each 8-byte column) to stay in L1 while every
// plugin passes over it.
constexpr std::size_t kBatch = 512;

std::size_t batch_count(std::size_t nodes) { return (nodes + kBatch - 1) / kBatch; }

}  // namespace

Framework::Framework(const Profile& profile, std::size_t node_count, TieBreaker tie_breaker, int threads)
    : profile_(profile),
      node_count_(node_count),
      tie_breaker_(std::move(tie_breaker)),
      threads_(std::max(1, threads)),
      cycle_state_(profile.slot_count),
      candidates_(node_count),
      totals_(node_count),
      plugin_scores_(node_count),
      filter_skipped_(profile.filters.size()),
      score_skipped_(profile.scores.size()) {
  cacheable_ = true;
  for (const auto& s : profile_.scores) {
    any_normalize_ = any_normalize_ || s.plugin->has_normalize();
    any_needs_feasible_ = any_needs_feasible_ || s.plugin->needs_feasible_nodes();
    cacheable_ = cacheable_ && s.plugin->depends_only_on_its_node();
  }
  for (const auto* f : profile_.filters) cacheable_ = cacheable_ && f->depends_only_on_its_node();
  std::string probe;
  const state::PodRecord empty_pod;
  for (const auto& plugin : profile_.owned) cacheable_ = cacheable_ && plugin->sign(empty_pod, probe);
  cacheable_ = cacheable_ && !any_normalize_ && !any_needs_feasible_;
}

std::string Framework::signature(const state::PodRecord& pod) const {
  std::string sig;
  for (const auto& plugin : profile_.owned) {
    (void)plugin->sign(pod, sig);
    sig.push_back('|');
  }
  return sig;
}

bool Framework::prepare(const PodContext& pod, const ClusterState& cluster, Status& rejection) {
  if (!run_pre_filter(pod, cluster, rejection)) return false;
  run_pre_score(pod, cluster, {});
  return true;
}

void Framework::evaluate(const PodContext& pod, const ClusterState& cluster, std::span<const NodeIndex> nodes,
                         std::int64_t* totals_by_node) {
  // Works in kBatch chunks through the scratch buffers' first slice.
  for (std::size_t off = 0; off < nodes.size(); off += kBatch) {
    const std::size_t count = std::min(kBatch, nodes.size() - off);
    NodeIndex* ids = candidates_.data();
    std::copy_n(nodes.begin() + static_cast<std::ptrdiff_t>(off), count, ids);
    for (std::size_t i = 0; i < count; ++i) totals_by_node[ids[i]] = kInfeasible;
    std::size_t alive = count;
    for (std::size_t f = 0; f < profile_.filters.size() && alive > 0; ++f) {
      if (filter_skipped_[f]) continue;
      alive = profile_.filters[f]->filter(cycle_state_, pod, cluster, {ids, alive}, ids);
    }
    if (alive == 0) continue;
    std::int64_t* totals = totals_.data();
    std::int64_t* scores = plugin_scores_.data();
    std::fill_n(totals, alive, 0);
    for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
      if (score_skipped_[s]) continue;
      const auto& entry = profile_.scores[s];
      entry.plugin->score(cycle_state_, pod, cluster, {ids, alive}, scores);
      for (std::size_t i = 0; i < alive; ++i) totals[i] += scores[i] * entry.weight;
    }
    for (std::size_t i = 0; i < alive; ++i) totals_by_node[ids[i]] = totals[i];
  }
}

void Framework::evaluate_all(const PodContext& pod, const ClusterState& cluster, std::int64_t* totals_by_node) {
  const std::size_t batches = batch_count(node_count_);
  auto one = [&](std::size_t b) {
    const std::size_t begin = b * kBatch;
    const std::size_t end = std::min(node_count_, begin + kBatch);
    std::fill(totals_by_node + begin, totals_by_node + end, kInfeasible);
    const BatchResult r = run_batch(pod, cluster, begin, end, 0, true);
    const NodeIndex* ids = candidates_.data() + begin;
    const std::int64_t* totals = totals_.data() + begin;
    for (std::size_t i = 0; i < r.feasible; ++i) totals_by_node[ids[i]] = totals[i];
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

std::size_t Framework::filter_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin,
                                    std::size_t end) {
  NodeIndex* ids = candidates_.data() + begin;
  std::iota(ids, ids + (end - begin), static_cast<NodeIndex>(begin));
  std::size_t count = end - begin;
  for (std::size_t f = 0; f < profile_.filters.size() && count > 0; ++f) {
    if (filter_skipped_[f]) continue;
    count = profile_.filters[f]->filter(cycle_state_, pod, cluster, {ids, count}, ids);
  }
  return count;
}

Framework::BatchResult Framework::run_batch(const PodContext& pod, const ClusterState& cluster, std::size_t begin,
                                            std::size_t end, std::uint32_t start, bool score) {
  BatchResult result;
  result.feasible = filter_batch(pod, cluster, begin, end);
  if (result.feasible == 0) return result;
  const NodeIndex* ids = candidates_.data() + begin;
  std::int64_t* totals = totals_.data() + begin;
  std::fill(totals, totals + result.feasible, 0);
  if (score) {
    std::int64_t* scores = plugin_scores_.data() + begin;
    for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
      if (score_skipped_[s]) continue;
      const auto& entry = profile_.scores[s];
      entry.plugin->score(cycle_state_, pod, cluster, {ids, result.feasible}, scores);
      for (std::size_t i = 0; i < result.feasible; ++i) totals[i] += scores[i] * entry.weight;
    }
  }
  for (std::size_t i = 0; i < result.feasible; ++i) {
    const Candidate c{totals[i], tie_breaker_.distance(ids[i], start), ids[i]};
    if (c.better_than(result.best)) result.best = c;
  }
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
  const std::size_t batches = batch_count(node_count_);
  auto merge = [](BatchResult a, const BatchResult& b) {
    a.feasible += b.feasible;
    if (b.best.better_than(a.best)) a.best = b.best;
    return a;
  };
  BatchResult all;
  if (threads_ == 1) {
    for (std::size_t b = 0; b < batches; ++b)
      all = merge(all, run_batch(pod, cluster, b * kBatch, std::min(node_count_, (b + 1) * kBatch), start, true));
  } else {
    all = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, batches), BatchResult{},
        [&](const tbb::blocked_range<std::size_t>& range, BatchResult acc) {
          for (std::size_t b = range.begin(); b != range.end(); ++b)
            acc = merge(acc, run_batch(pod, cluster, b * kBatch, std::min(node_count_, (b + 1) * kBatch), start, true));
          return acc;
        },
        merge);
  }
  if (all.feasible == 0) return unschedulable(pod, cluster, Status{});
  return {all.best.node, all.feasible, {}};
}

Decision Framework::select_with_normalization(const PodContext& pod, const ClusterState& cluster,
                                              std::uint32_t start) {
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
  if (feasible == 0) return unschedulable(pod, cluster, Status{});
  const std::span<const NodeIndex> ids(candidates_.data(), feasible);
  run_pre_score(pod, cluster, ids);

  std::fill_n(totals_.begin(), feasible, 0);
  for (std::size_t s = 0; s < profile_.scores.size(); ++s) {
    if (score_skipped_[s]) continue;
    const auto& entry = profile_.scores[s];
    entry.plugin->score(cycle_state_, pod, cluster, ids, plugin_scores_.data());
    if (entry.plugin->has_normalize())
      entry.plugin->normalize(cycle_state_, pod, {plugin_scores_.data(), feasible});
    for (std::size_t i = 0; i < feasible; ++i) totals_[i] += plugin_scores_[i] * entry.weight;
  }
  Candidate best;
  for (std::size_t i = 0; i < feasible; ++i) {
    const Candidate c{totals_[i], tie_breaker_.distance(ids[i], start), ids[i]};
    if (c.better_than(best)) best = c;
  }
  return {best.node, feasible, {}};
}

Decision Framework::unschedulable(const PodContext& pod, const ClusterState& cluster, const Status& pre_filter) {
  // Rare path: re-run the filters node by node to collect every node's reasons.
  std::vector<NodeExplanation> nodes;
  if (pre_filter.ok()) {
    nodes.resize(node_count_);
    for (NodeIndex n = 0; n < node_count_; ++n) {
      nodes[n].node = n;
      for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
        if (filter_skipped_[f]) continue;
        Status st = profile_.filters[f]->filter_node(cycle_state_, pod, cluster, n);
        if (!st.ok()) {
          nodes[n].status = std::move(st.with_plugin(std::string(profile_.filters[f]->name())));
          break;
        }
      }
    }
  }
  return {state::kNoNode, 0, fit_error_message(node_count_, pre_filter, nodes)};
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
    out.decision = {state::kNoNode, 0, fit_error_message(node_count_, out.pre_filter_status, {})};
    return out;
  }
  std::vector<NodeIndex> feasible;
  for (NodeIndex n = 0; n < node_count_; ++n) {
    for (std::size_t f = 0; f < profile_.filters.size(); ++f) {
      if (filter_skipped_[f]) continue;
      Status st = profile_.filters[f]->filter_node(cycle_state_, pod, cluster, n);
      if (!st.ok()) {
        out.nodes[n].status = std::move(st.with_plugin(std::string(profile_.filters[f]->name())));
        break;
      }
    }
    if (out.nodes[n].status.ok()) feasible.push_back(n);
  }
  if (feasible.empty()) {
    out.decision = {state::kNoNode, 0, fit_error_message(node_count_, Status{}, out.nodes)};
    return out;
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
  out.decision = {best.node, feasible.size(), {}};
  return out;
}

std::string Framework::fit_error_message(std::size_t node_count, const Status& pre_filter,
                                         const std::vector<NodeExplanation>& nodes) {
  std::string msg = "0/" + std::to_string(node_count) + " nodes are available:";
  if (!pre_filter.ok()) return msg + " " + pre_filter.message() + ".";
  std::map<std::string, std::size_t> counts;
  for (const auto& n : nodes)
    for (const auto& r : n.status.reasons()) ++counts[r];
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
