// PodTopologySpread PreScore / Score / NormalizeScore (scoring.go: initPreScoreState,
// PreScore, Score, NormalizeScore, topologyNormalizingWeight, scoreForCount).

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "cycle_states.hpp"
#include "node_inclusion.hpp"
#include "score_kernels.hpp"
#include "plugins/helper/normalize_kernels.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"

namespace podium::plugins::podtopologyspread {

using framework::Status;

namespace {
constexpr std::int64_t kInvalidScore = -1;  // scoring.go invalidScore

// x / d rounded toward zero, for 0 <= x < 2^52 and 0 < d < 2^52 (Go's int64 division of
// non-negative values). The double quotient is the true one correctly rounded, so its
// truncation is the floor or one more; one multiply corrects it. Cheaper than a 64-bit
// integer division inside NormalizeScore's per-node loop.
std::int64_t div_nonneg(std::int64_t x, std::int64_t d) {
  const auto q = static_cast<std::int64_t>(static_cast<double>(x) / static_cast<double>(d));
  return q * d > x ? q - 1 : q;
}

// A hostname constraint plus one other (st.count == 2, one of each): the pair kernels'
// inputs, the table left for the caller.
PairTable pair_input(const PodTopologySpread::ScoreState& st) {
  const auto& host = st.constraints[st.constraints[0].hostname ? 0 : 1];
  const auto& other = st.constraints[st.constraints[0].hostname ? 1 : 0];
  PairTable in;
  in.absent_slot = static_cast<std::size_t>(other.column->domain_count());
  in.host_weight = host.weight;
  in.host_skew = host.skew_term;
  in.domain_terms = other.domain_terms.data();
  in.nodes = host.column->domain.size();
  in.host_domain = host.column->domain.data();
  in.host_counts = host.node_counts;
  in.other_domain = other.column->domain.data();
  in.ignored = st.any_ignored ? st.ignored.data() : nullptr;
  in.invalid_score = kInvalidScore;
  return in;
}
}  // namespace

Status PodTopologySpread::pre_score(framework::CycleState& cycle, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster,
                                    std::span<const framework::NodeIndex> feasible) {
  const state::NodeTable& nodes = cluster.nodes;
  if (nodes.size == 0) return Status(framework::Code::kSkip);
  const state::PodRecord& pod = ctx.pod;
  if (!has_constraints(pod, /*hard=*/false)) return Status(framework::Code::kSkip);  // before any plugin state
  constraints_of(pod, /*hard=*/false, scratch_);
  if (scratch_.empty()) return Status(framework::Code::kSkip);
  counters_.begin_cycle();
  auto& st = cycle.get_or_create<State>(slot()).score;
  const std::size_t k = scratch_.size();
  if (st.constraints.size() < k) st.constraints.resize(k);
  st.count = k;
  // Only the pod's own constraints, or non-system defaults, require every key on a node;
  // under system defaulting a node without a zone label still spreads by hostname.
  const bool require_all = !pod.spread_constraints.empty() || !system_defaulted_;

  bool need_affinity = false;
  bool need_taints = false;
  bool every_node_has_every_key = true;
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    pc.column = &domains_.column(cluster, scratch_[i].topology_key);
    pc.hostname = scratch_[i].topology_key == hostname_key_;
    every_node_has_every_key = every_node_has_every_key && pc.column->absent_nodes == 0;
    need_affinity = need_affinity || (scratch_[i].honor_node_affinity && pod.node_affinity);
    need_taints = need_taints || scratch_[i].honor_node_taints;
  }
  // With no inclusion policy to test and no node ignored for a missing key, processAllNode
  // adds up every node of a tracked domain: the counters' per-domain sums (kept per bind)
  // give that without a pass over the nodes, and the tracked domains are found as soon as
  // the feasible list has shown every domain a node can be in.
  const bool from_domain_sums = !need_affinity && !need_taints && (!require_all || every_node_has_every_key);
  st.any_ignored = !from_domain_sums;
  if (st.any_ignored) st.ignored.assign(nodes.size, 0);
  std::vector<std::span<const std::int64_t>>& sums = sums_scratch_;
  sums.assign(k, {});
  std::size_t untracked = 0;  // slots still to be seen among the feasible nodes (fast path)
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    if (from_domain_sums && !pc.hostname) {
      const auto with = counters_.acquire_with_sums(cluster, pod.namespace_id, *scratch_[i].selector, *pc.column);
      pc.node_counts = with.counts.data();
      sums[i] = with.sums;
      // Slots domain_or_empty() can give: the domains, plus "" for nodes without the key
      // when no node is labelled key="".
      const bool absent_slot = !require_all && pc.column->absent_nodes > 0 && pc.column->empty_value_domain < 0;
      untracked += static_cast<std::size_t>(pc.column->domain_count()) + (absent_slot ? 1 : 0);
    } else {
      pc.node_counts = counters_.acquire(cluster, pod.namespace_id, *scratch_[i].selector).data();
    }
    pc.tracked_domains = 0;
    // By domain, for the other keys only: a hostname constraint reads per-node counts, and
    // its column has a domain per node (clearing 45 KB per pod was a tenth of
    // PreferredTopologySpreading's instructions).
    const auto slots = pc.hostname ? 0 : static_cast<std::size_t>(pc.column->domain_count()) + 1;  // + absent-as-""
    pc.domain_counts.assign(slots, 0);
    pc.tracked.assign(slots, 0);
    pc.skew_term = static_cast<double>(scratch_[i].max_skew - 1);
  }
  auto has_all_keys = [&](state::NodeIndex n) {
    for (std::size_t i = 0; i < k; ++i)
      if (st.constraints[i].column->domain[n] < 0) return false;
    return true;
  };

  // initPreScoreState: ignored nodes, and the domains the scored nodes span.
  std::size_t ignored = 0;
  for (const auto n : feasible) {
    if (from_domain_sums && untracked == 0) break;  // nothing left to learn (none ignored)
    if (require_all && !has_all_keys(n)) {
      st.ignored[n] = 1;
      ++ignored;
      continue;
    }
    for (std::size_t i = 0; i < k; ++i) {
      auto& pc = st.constraints[i];
      if (pc.hostname) continue;  // per-node counts are read in Score
      const auto d = static_cast<std::size_t>(pc.column->domain_or_empty(n));
      if (!pc.tracked[d]) {
        pc.tracked[d] = 1;
        ++pc.tracked_domains;
        untracked -= from_domain_sums ? 1 : 0;
      }
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    const std::size_t size = pc.hostname ? feasible.size() - ignored : pc.tracked_domains;
    pc.weight = std::log(static_cast<double>(size + 2));  // topologyNormalizingWeight
  }

  // processAllNode: matching pods of every eligible node, added to tracked domains.
  if (from_domain_sums) {
    for (std::size_t i = 0; i < k; ++i) {
      auto& pc = st.constraints[i];
      if (pc.hostname) continue;
      const auto absent = static_cast<std::size_t>(pc.column->domain_count());  // sums' last slot
      for (std::size_t d = 0; d < pc.domain_counts.size(); ++d) {
        if (!pc.tracked[d]) continue;
        // Nodes without the key count in the domain of "" (none exist under require_all).
        std::int64_t c = d < absent ? sums[i][d] : 0;
        if (static_cast<std::int32_t>(d) == pc.column->domain_or_empty_of_absent()) c += sums[i][absent];
        pc.domain_counts[d] = c;
      }
    }
  }
  for (state::NodeIndex n = 0; n < nodes.size && !from_domain_sums; ++n) {
    if (require_all && !has_all_keys(n)) continue;
    const bool affinity = !need_affinity || inclusion_->affinity_matches(pod, nodes, n);
    const bool taints = !need_taints || inclusion_->taints_tolerated(pod, nodes, n);
    for (std::size_t i = 0; i < k; ++i) {
      auto& pc = st.constraints[i];
      if (pc.hostname) continue;
      if ((scratch_[i].honor_node_affinity && !affinity) || (scratch_[i].honor_node_taints && !taints)) continue;
      const auto d = static_cast<std::size_t>(pc.column->domain_or_empty(n));
      if (pc.tracked[d]) pc.domain_counts[d] += pc.node_counts[n];
    }
  }
  // scoreForCount of every domain of the non-hostname constraints, for Score (the same
  // expression, so the same float64).
  for (std::size_t i = 0; i < k; ++i) {
    auto& pc = st.constraints[i];
    if (pc.hostname) continue;
    pc.domain_terms.resize(pc.domain_counts.size());
    for (std::size_t d = 0; d < pc.domain_counts.size(); ++d)
      pc.domain_terms[d] = static_cast<double>(pc.domain_counts[d]) * pc.weight + pc.skew_term;
  }
  st.domain_scores.clear();
  if (k == 1 && !st.constraints[0].hostname) {
    const auto& pc = st.constraints[0];
    st.domain_scores.resize(pc.domain_counts.size());
    for (std::size_t d = 0; d < pc.domain_counts.size(); ++d)
      st.domain_scores[d] = go_round(static_cast<double>(pc.domain_counts[d]) * pc.weight + pc.skew_term);
  }
  return {};
}

void PodTopologySpread::score(const framework::CycleState& cycle, const framework::PodContext&,
                              const framework::ClusterState&, std::span<const framework::NodeIndex> ids,
                              std::int64_t* scores) const {
  const auto& st = cycle.get<State>(slot()).score;
  st.ranged_scores = nullptr;
  helper::ScoreRange range;
  if (!score_nodes(st, ids, scores, range)) return;
  // Kept for normalize() over these very scores (ScoreState::ranged_scores).
  st.range = range;
  st.ranged_scores = scores;
  st.ranged_count = ids.size();
}

bool PodTopologySpread::score_part(const framework::CycleState& cycle, const framework::PodContext&,
                                   const framework::ClusterState&, std::span<const framework::NodeIndex> ids,
                                   std::int64_t* scratch, Bounds& bounds) const {
  // Score's values and NormalizeScore's reduction (min over the scores that are not
  // invalidScore, max), writing no member: the two halves run at once.
  const auto& st = cycle.get<State>(slot()).score;
  helper::ScoreRange range;
  if (!score_nodes(st, ids, scratch, range)) range = helper::score_range_skipping(scratch, ids.size(), kInvalidScore);
  bounds = {range.min, range.max};
  return true;
}

std::int64_t PodTopologySpread::add_normalized_part(const framework::CycleState& cycle, const framework::PodContext&,
                                                    Bounds merged, std::span<const framework::NodeIndex> ids,
                                                    std::int64_t* scratch, std::int64_t weight,
                                                    const std::int64_t* base, std::int64_t* totals) const {
  const auto& st = cycle.get<State>(slot()).score;
  const helper::ScoreRange range{merged.min, merged.max};
  std::int64_t max_total = 0;
  // No node ignored: no invalidScore among the scores, NormalizeScore and the add in one
  // pass (score_normalized_into's kernel) where its bounds hold.
  if (!st.any_ignored &&
      add_spread_normalized(scratch, ids.size(), {range.min, std::max<std::int64_t>(0, range.max)},
                            framework::kMaxNodeScore, weight, base, totals, max_total))
    return max_total;
  normalize_in_range(range, {scratch, ids.size()});
  return helper::add_weighted_max(scratch, ids.size(), weight, base, totals);
}

bool PodTopologySpread::score_nodes(const ScoreState& st, std::span<const framework::NodeIndex> ids,
                                    std::int64_t* scores, helper::ScoreRange& range) const {
  if (!st.domain_scores.empty()) {
    // The same numbers as the general loop below, looked up by domain.
    const std::int32_t* domain = st.constraints[0].column->domain.data();
    for (std::size_t j = 0; j < ids.size(); ++j) {
      const framework::NodeIndex n = ids[j];
      const std::int32_t d = domain[n];
      scores[j] = st.any_ignored && st.ignored[n] ? kInvalidScore : d < 0 ? 0 : st.domain_scores[static_cast<std::size_t>(d)];
    }
    return false;
  }
  // Each constraint's term read through locals: the compiler cannot keep members of the
  // state in registers across the stores to `scores` (int64, like domain_counts).
  struct Term {
    const std::int32_t* domain;
    const std::int32_t* node_counts;  // hostname: per node
    const double* domain_terms;       // others: scoreForCount per domain
    double weight;
    double skew_term;
  };
  const std::size_t k = st.count;
  if (k == 2 && st.constraints[0].hostname != st.constraints[1].hostname && score_hostname_pair(st, ids, scores, range))
    return true;
  std::array<Term, 4> terms{};
  if (k > terms.size()) {
    score_general(st, ids, scores);
    return false;
  }
  for (std::size_t i = 0; i < k; ++i) {
    const auto& pc = st.constraints[i];
    terms[i] = {pc.column->domain.data(), pc.hostname ? pc.node_counts : nullptr,
                pc.hostname ? nullptr : pc.domain_terms.data(), pc.weight, pc.skew_term};
  }
  const std::uint8_t* ignored = st.any_ignored ? st.ignored.data() : nullptr;
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const framework::NodeIndex n = ids[j];
    if (ignored != nullptr && ignored[n]) {
      scores[j] = kInvalidScore;
      continue;
    }
    // Summed in float64 in constraint order and rounded once, as Score does.
    double sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const Term& t = terms[i];
      const std::int32_t d = t.domain[n];
      if (d < 0) continue;
      sum += t.node_counts != nullptr ? static_cast<double>(t.node_counts[n]) * t.weight + t.skew_term  // scoreForCount
                                      : t.domain_terms[d];
    }
    scores[j] = go_round(sum);
  }
  return false;
}

bool PodTopologySpread::score_hostname_pair(const ScoreState& st, std::span<const framework::NodeIndex> ids,
                                            std::int64_t* scores, helper::ScoreRange& range) const {
  // A hostname constraint and one over another key (PreferredTopologySpreading's shape):
  // the node's score is round(host(count) + other(domain)). Consecutive nodes (the live
  // case) take the vectorised formula (score_kernels.hpp); otherwise, with few counts and
  // few domains, it is looked up in a table of rounded sums instead of rounded per node
  // (go_round's branches mispredict). Two float64 terms add the same in either order, and
  // 0 + t is t, so both give Score's exact value. Counts past the table, and nodes
  // without a hostname label, fall back to the formula.
  const auto& host = st.constraints[st.constraints[0].hostname ? 0 : 1];
  const auto& other = st.constraints[st.constraints[0].hostname ? 1 : 0];
  const auto domains = static_cast<std::size_t>(other.column->domain_count());
  PairTable in = pair_input(st);
  // Either loop finds NormalizeScore's range on the way (see ScoreState::ranged_scores).
  if (score_pair_vectorised(in, ids.data(), ids.size(), scores, range)) return true;
  constexpr std::size_t kCounts = kPairTableCounts;
  constexpr std::size_t kMaxSlots = 32;
  const std::size_t stride = domains + 1;  // the last slot: the node lacks the other key (adds 0)
  if (stride > kMaxSlots) return false;
  std::array<std::int64_t, kCounts * kMaxSlots> table;
  auto host_term = [&](std::int64_t count) { return static_cast<double>(count) * host.weight + host.skew_term; };
  for (std::size_t c = 0; c < kCounts; ++c) {
    const double h = host_term(static_cast<std::int64_t>(c));
    for (std::size_t d = 0; d < domains; ++d) table[c * stride + d] = go_round(h + other.domain_terms[d]);
    table[c * stride + domains] = go_round(h);
  }
  in.table = table.data();
  in.stride = stride;
  range = score_pair_by_table(in, ids.data(), ids.size(), scores);
  return true;
}

bool PodTopologySpread::score_normalized_into(const framework::CycleState& cycle, const framework::PodContext&,
                                              const framework::ClusterState&, std::span<const framework::NodeIndex> ids,
                                              std::int64_t weight, const std::int64_t* base, std::int64_t* totals,
                                              std::int64_t& max_total) const {
  // The pair shape on consecutive nodes with none ignored (the live decisions of
  // PreferredTopologySpreading): Score into int32 scratch with its range, then
  // NormalizeScore and the weighted add in one pass (score_kernels.hpp). Two passes over
  // the nodes instead of Score, NormalizeScore and the add's three over int64 arrays, the
  // same integers: Score's values (checked to fit int32), NormalizeScore's min over them
  // (none is invalidScore) and max from 0, its truncating division exactly.
  const auto& st = cycle.get<State>(slot()).score;
  if (st.count != 2 || st.constraints[0].hostname == st.constraints[1].hostname || st.any_ignored) return false;
  // A sorted list of distinct ids (a feasible list) is a run exactly when its ends are that
  // far apart: gapped lists leave here, not after the kernel's pass (which checks any list).
  if (ids.empty() || ids.back() < ids.front() || ids.back() - ids.front() != ids.size() - 1) return false;
  const PairTable in = pair_input(st);
  st.narrow_scores.resize(ids.size());
  helper::ScoreRange range;
  if (!score_pair_vectorised_narrow(in, ids.data(), ids.size(), st.narrow_scores.data(), range)) return false;
  range.max = std::max<std::int64_t>(0, range.max);
  return add_spread_normalized(st.narrow_scores.data(), ids.size(), range, framework::kMaxNodeScore, weight, base,
                               totals, max_total);
}

void PodTopologySpread::score_general(const ScoreState& st, std::span<const framework::NodeIndex> ids,
                                      std::int64_t* scores) const {
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const framework::NodeIndex n = ids[j];
    if (st.any_ignored && st.ignored[n]) {
      scores[j] = kInvalidScore;
      continue;
    }
    double sum = 0;
    for (std::size_t i = 0; i < st.count; ++i) {
      const auto& pc = st.constraints[i];
      const std::int32_t d = pc.column->domain[n];
      if (d < 0) continue;
      const std::int64_t cnt = pc.hostname ? pc.node_counts[n] : pc.domain_counts[static_cast<std::size_t>(d)];
      sum += static_cast<double>(cnt) * pc.weight + pc.skew_term;  // scoreForCount
    }
    scores[j] = go_round(sum);
  }
}

void PodTopologySpread::normalize(const framework::CycleState& cycle, const framework::PodContext&,
                                  std::span<std::int64_t> scores) const {
  // Upstream's min over the scores that are not invalidScore, max from 0: Score's, when it
  // found them for these very scores, else a vectorised pass.
  const auto& st = cycle.get<State>(slot()).score;
  const bool ranged = st.ranged_scores == scores.data() && st.ranged_count == scores.size();
  st.ranged_scores = nullptr;
  normalize_in_range(ranged ? st.range : helper::score_range_skipping(scores.data(), scores.size(), kInvalidScore),
                     scores);
}

void PodTopologySpread::normalize_in_range(helper::ScoreRange range, std::span<std::int64_t> scores) const {
  const std::int64_t min_score = range.min;
  const std::int64_t max_score = std::max<std::int64_t>(0, range.max);
  // Scores are rounded sums of count x log weights: far below 2^52 / 100, so the
  // numerator below is a non-negative exact double.
  auto normalized = [&](std::int64_t s) {
    return div_nonneg(framework::kMaxNodeScore * (max_score + min_score - s), max_score);
  };
  constexpr std::int64_t kTable = 1024;
  if (max_score > 0 && max_score - min_score < std::min<std::int64_t>(kTable, static_cast<std::int64_t>(scores.size()))) {
    // Few distinct values (scores are per domain): divide once per value, then look up.
    std::array<std::int64_t, kTable> table;
    for (std::int64_t v = 0; v <= max_score - min_score; ++v)
      table[static_cast<std::size_t>(v)] = normalized(min_score + v);
    for (std::int64_t& s : scores) s = s == kInvalidScore ? 0 : table[static_cast<std::size_t>(s - min_score)];
    return;
  }
  // Many distinct values: every node's division, vectorised where it is proven exact.
  if (max_score > 0 &&
      helper::spread_normalize(scores.data(), scores.size(), {min_score, max_score}, framework::kMaxNodeScore,
                               kInvalidScore))
    return;
  for (std::int64_t& s : scores) {
    if (s == kInvalidScore) {
      s = 0;
    } else if (max_score == 0) {
      s = framework::kMaxNodeScore;
    } else {
      s = normalized(s);
    }
  }
}

}  // namespace podium::plugins::podtopologyspread
