#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

#include "plugins/helper/normalize_kernels.hpp"
#include "plugins/interpodaffinity/domain_checks.hpp"
#include "plugins/interpodaffinity/domain_sums.hpp"
#include "plugins/interpodaffinity/existing_terms.hpp"
#include "plugins/interpodaffinity/match_counters.hpp"
#include "plugins/interpodaffinity/score_kernels.hpp"
#include "plugins/interpodaffinity/terms.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"

namespace podium::plugins::interpodaffinity {

using framework::Code;
using framework::Status;
using state::NodeIndex;
using namespace detail;

namespace {

// Filter's verdict on a node, in upstream's order of checks.
enum Verdict : std::uint8_t { kPass = 0, kAffinity = 1, kAntiAffinity = 2, kExistingAntiAffinity = 3 };

// Counters cost 8 bytes per node each (count, position) and a node-sized tally 12 more
// (count, position, occupied): keep about 64 MiB of them whatever the cluster size.
std::size_t counter_capacity_for(std::size_t nodes) {
  return std::clamp<std::size_t>((64U << 20) / (20 * std::max<std::size_t>(1, nodes)), 16, 4096);
}

}  // namespace

// What PreFilter / PreScore leave for Filter / Score: per source of per-domain counts (or
// per topology, when several are summed) the domain column and the counts, read per node
// with no hashing (domain_checks.hpp). Kept columns are the terms' and counters' own,
// current until the next bind; summed ones live in the plugin's DomainSums until the next
// pod's PreFilter / PreScore.
struct InterPodAffinity::State : framework::StateData {
  DomainChecks affinity;  // one kept column per key: a node needs every key and (unless first_of_group) count > 0
  bool first_of_group = false;
  DomainChecks anti_affinity;           // some column > 0 rejects
  DomainChecks existing_anti_affinity;  // some column > 0 rejects
  DomainChecks score;                   // raw score: the weighted columns of the keys the node has

  // satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity.
  Verdict verdict(NodeIndex n) const {
    for (const auto& c : affinity.kept) {
      const std::int32_t d = c.domain[n];
      if (d < 0 || (!first_of_group && c.value[d] <= 0)) return kAffinity;
    }
    if (anti_affinity.any_positive(n)) return kAntiAffinity;
    if (existing_anti_affinity.any_positive(n)) return kExistingAntiAffinity;
    return kPass;
  }
};

// The incoming pod's terms as its PreFilter / PreScore see them (namespaces merged), shared
// by every pod with the same PodAffinityRecord.
struct InterPodAffinity::IncomingView {
  struct Term {
    PodMatcher matcher;
    std::string counter_key;
    std::uint32_t topology = 0;
    std::int32_t weight = 0;
  };
  std::vector<PodMatcher> affinity;  // required affinity terms: a pod counts if it matches all
  std::string affinity_key;
  std::vector<std::uint32_t> affinity_topologies;  // distinct keys of those terms
  std::vector<Term> anti_affinity, preferred_affinity, preferred_anti_affinity;
};

struct InterPodAffinity::Indexes {
  explicit Indexes(const framework::ClusterState& cluster)
      : topology(cluster.nodes), counters(topology, cluster.nodes.size, counter_capacity_for(cluster.nodes.size)) {}
  TopologyColumns topology;
  MatchCounters counters;
  ExistingTerms existing;
  std::unordered_map<const state::PodAffinityRecord*, IncomingView> views;
  DomainSums anti_sums, existing_sums, score_sums;  // keys with more than CheckBuilder::kKeptSources sources
  CheckBuilder checks;
  bool cycle_begun_by_pre_filter = false;  // PreScore's cue not to begin another counter cycle
  std::vector<std::int64_t> normalized;  // NormalizeScore's value table
  // The range of the scores Score last wrote, found in its pass, for the NormalizeScore
  // that follows over the same buffer (the framework runs them back to back on the
  // scheduling thread). `ranged` null: Score did not find it; NormalizeScore scans.
  const std::int64_t* ranged = nullptr;
  std::size_t ranged_count = 0;
  helper::ScoreRange range;
};

InterPodAffinity::InterPodAffinity(InterPodAffinityArgs args, const framework::ClusterState& cluster)
    : args_(args), idx_(std::make_unique<Indexes>(cluster)) {
  validate(args_);
  for (state::PodIndex p = 0; p < cluster.pods.size(); ++p) {
    const state::PodRecord& pod = cluster.pods[p];
    active_ = active_ || pod.pod_affinity != nullptr;
    if (pod.bound_node != state::kNoNode) idx_->existing.apply(pod, pod.bound_node, +1, idx_->topology);
  }
}

InterPodAffinity::~InterPodAffinity() = default;

std::size_t InterPodAffinity::kept_counters() const { return idx_->counters.size(); }
std::size_t InterPodAffinity::counter_capacity() const { return idx_->counters.capacity(); }

bool InterPodAffinity::sign(const state::PodRecord&, std::string&) const {
  // Inactive, the plugin reads nothing of the pod; active, its verdicts depend on other
  // nodes' pods and no per-node result may be cached.
  return !active_;
}

const InterPodAffinity::IncomingView& InterPodAffinity::view_of(const state::PodAffinityRecord& record,
                                                                const framework::ClusterState& cluster) {
  if (const auto it = idx_->views.find(&record); it != idx_->views.end()) return it->second;
  IncomingView v;
  for (const auto& t : record.required_affinity) {
    v.affinity.push_back(merged_matcher(t, cluster));
    const std::uint32_t topology = idx_->topology.index_of(t.topology_key);
    if (std::find(v.affinity_topologies.begin(), v.affinity_topologies.end(), topology) == v.affinity_topologies.end())
      v.affinity_topologies.push_back(topology);
  }
  // A one-term conjunction and that term alone are the same predicate and share a counter.
  v.affinity_key = counter_key(v.affinity);
  auto terms = [&](const std::vector<state::PodAffinityTermRecord>& in, std::vector<IncomingView::Term>& out) {
    for (const auto& t : in) {
      IncomingView::Term term{merged_matcher(t, cluster), {}, idx_->topology.index_of(t.topology_key), t.weight};
      term.counter_key = counter_key({&term.matcher, 1});
      out.push_back(std::move(term));
    }
  };
  terms(record.required_anti_affinity, v.anti_affinity);
  terms(record.preferred_affinity, v.preferred_affinity);
  terms(record.preferred_anti_affinity, v.preferred_anti_affinity);
  return idx_->views.emplace(&record, std::move(v)).first->second;
}

// PreFilter: getExistingAntiAffinityCounts and getIncomingAffinityAntiAffinityCounts
// (filtering.go, v1.35) as per-domain counts. The bound pods' terms (ExistingTerms) and the
// counters of the pod's own terms (MatchCounters::by_domain) keep their per-domain counts
// current on every bind / unbind, so a cycle only picks the sources that apply: O(terms),
// not O(occupied domains), unless a topology has more than CheckBuilder::kKeptSources
// sources (then they are summed). Upstream's maps count pairs the node has, with only
// positive increments here, so "count > 0" per source is its "sum > 0" per pair.
Status InterPodAffinity::pre_filter(framework::CycleState& cycle, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster) {
  if (!active_) return Status(Code::kSkip);
  const state::PodRecord& pod = ctx.pod;
  Indexes& x = *idx_;
  x.counters.begin_cycle();
  x.cycle_begun_by_pre_filter = true;

  // Existing pods' required anti-affinity terms that match the incoming pod.
  CheckBuilder& checks = x.checks;
  checks.clear();
  const auto ns_labels = namespace_labels(cluster, pod.namespace_id);
  for (const auto& e : x.existing.entries(TermKind::kRequiredAntiAffinity))
    if (e.carriers.total > 0 && existing_term_matches(e.term, pod, ns_labels)) checks.add(e.topology, e.carriers, 1);
  const IncomingView* view = pod.pod_affinity ? &view_of(*pod.pod_affinity, cluster) : nullptr;
  const bool has_affinity = view && !view->affinity.empty();
  const bool has_anti = view && !view->anti_affinity.empty();
  if (checks.empty() && !has_affinity && !has_anti) return Status(Code::kSkip);

  auto& st = cycle.get_or_create<State>(slot());
  checks.build(st.existing_anti_affinity, x.existing_sums, x.topology);
  st.affinity.clear();
  st.first_of_group = false;
  if (has_affinity) {
    bool any_pair = false;  // len(affinityCounts) > 0
    for (const std::uint32_t t : view->affinity_topologies) {
      const DomainTally& tally = x.counters.by_domain(view->affinity_key, view->affinity, cluster, t);
      any_pair = any_pair || tally.total > 0;
      st.affinity.kept.push_back({x.topology.domains(t), tally.count.data(), 1});
    }
    // The first pod of a group: nothing matches the terms yet, but the pod matches them.
    st.first_of_group = !any_pair && std::all_of(view->affinity.begin(), view->affinity.end(),
                                                 [&](const PodMatcher& m) { return m.matches(pod); });
  }
  if (has_anti) {
    for (const auto& term : view->anti_affinity) {
      const DomainTally& tally = x.counters.by_domain(term.counter_key, {&term.matcher, 1}, cluster, term.topology);
      if (tally.total > 0) checks.add(term.topology, tally, 1);  // none counted: rejects no node
    }
  }
  checks.build(st.anti_affinity, x.anti_sums, x.topology);
  return {};
}

std::size_t InterPodAffinity::filter(const framework::CycleState& cycle, const framework::PodContext&,
                                     const framework::ClusterState&, std::span<const NodeIndex> candidates,
                                     NodeIndex* survivors) const {
  // One compaction pass per column over the survivors so far (the checks' order does not
  // matter for who survives; filter_node() reports the first failing one).
  const State& st = cycle.get<State>(slot());
  const NodeIndex* in = candidates.data();
  std::size_t count = candidates.size();
  auto pass = [&](const auto& c, auto keeps) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const NodeIndex n = in[i];
      survivors[kept] = n;
      kept += keeps(c.domain[n], c.value) ? 1 : 0;
    }
    in = survivors;
    count = kept;
  };
  const bool first = st.first_of_group;
  for (const auto& c : st.affinity.kept)
    pass(c, [first](std::int32_t d, const std::int32_t* v) { return d >= 0 && (first || v[d] > 0); });
  auto no_match_in_domain = [](std::int32_t d, const auto* v) { return d < 0 || v[d] <= 0; };
  for (const DomainChecks* checks : {&st.anti_affinity, &st.existing_anti_affinity}) {
    for (const auto& c : checks->kept) pass(c, no_match_in_domain);
    for (const auto& c : checks->summed) pass(c, no_match_in_domain);
  }
  if (in != survivors) std::copy_n(in, count, survivors);  // no check at all
  return count;
}

Status InterPodAffinity::filter_node(const framework::CycleState& cycle, const framework::PodContext&,
                                     const framework::ClusterState&, NodeIndex node) const {
  switch (cycle.get<State>(slot()).verdict(node)) {
    case kAffinity:
      return Status::unresolvable(std::string(kAffinityReason));
    case kAntiAffinity:
      return Status::unschedulable(std::string(kAntiAffinityReason));
    case kExistingAntiAffinity:
      return Status::unschedulable(std::string(kExistingAntiAffinityReason));
    default:
      return {};
  }
}

void InterPodAffinity::count_rejections(const framework::CycleState& cycle, const framework::PodContext&,
                                        const framework::ClusterState&, std::span<const NodeIndex> nodes,
                                        framework::ReasonCounts& counts) const {
  // filter_node's verdicts tallied in integers: one reason per rejected node.
  const State& st = cycle.get<State>(slot());
  std::size_t by_verdict[4] = {};
  for (const NodeIndex n : nodes) ++by_verdict[st.verdict(n)];
  counts.add(kAffinityReason, by_verdict[kAffinity]);
  counts.add(kAntiAffinityReason, by_verdict[kAntiAffinity]);
  counts.add(kExistingAntiAffinityReason, by_verdict[kExistingAntiAffinity]);
}

// PreScore: processExistingPod over every bound pod (scoring.go, v1.35) as per-domain
// counts times weights (upstream's scoreMap), from the same kept per-domain counts as
// PreFilter: O(terms) per cycle unless a topology has more than CheckBuilder::kKeptSources
// sources.
Status InterPodAffinity::pre_score(framework::CycleState& cycle, const framework::PodContext& ctx,
                                   const framework::ClusterState& cluster, std::span<const NodeIndex>) {
  if (!active_) return Status(Code::kSkip);
  const state::PodRecord& pod = ctx.pod;
  Indexes& x = *idx_;
  const IncomingView* view = pod.pod_affinity ? &view_of(*pod.pod_affinity, cluster) : nullptr;
  const bool has_constraints = view && (!view->preferred_affinity.empty() || !view->preferred_anti_affinity.empty());
  if (args_.ignore_preferred_terms_of_existing_pods && !has_constraints) return Status(Code::kSkip);

  // PreScore after this plugin's PreFilter belongs to the cycle PreFilter began, and may
  // run before Filter (the fused path): it must not evict the counters whose tallies
  // PreFilter handed to Filter. Without a PreFilter (a profile that only scores with this
  // plugin) it begins its own.
  if (!std::exchange(x.cycle_begun_by_pre_filter, false)) x.counters.begin_cycle();
  CheckBuilder& checks = x.checks;
  checks.clear();
  // A source counts only if some matching pod sits on a node with the key (total > 0):
  // no sources is upstream's len(topologyScore) == 0, even where the weights cancel.
  auto incoming = [&](const std::vector<IncomingView::Term>& terms, std::int64_t sign) {
    for (const auto& term : terms) {
      const DomainTally& tally = x.counters.by_domain(term.counter_key, {&term.matcher, 1}, cluster, term.topology);
      if (tally.total > 0) checks.add(term.topology, tally, sign * term.weight);
    }
  };
  if (view) {
    incoming(view->preferred_affinity, +1);
    incoming(view->preferred_anti_affinity, -1);
  }
  const auto ns_labels = namespace_labels(cluster, pod.namespace_id);
  auto existing = [&](TermKind kind, bool use_hard_weight, std::int64_t sign) {
    for (const auto& e : x.existing.entries(kind)) {
      if (e.carriers.total == 0 || !existing_term_matches(e.term, pod, ns_labels)) continue;
      checks.add(e.topology, e.carriers, sign * (use_hard_weight ? args_.hard_pod_affinity_weight : e.term.weight));
    }
  };
  if (args_.hard_pod_affinity_weight > 0) existing(TermKind::kRequiredAffinity, true, +1);
  if (!args_.ignore_preferred_terms_of_existing_pods) {
    existing(TermKind::kPreferredAffinity, false, +1);
    existing(TermKind::kPreferredAntiAffinity, false, -1);
  }
  if (checks.empty()) return Status(Code::kSkip);
  checks.build(cycle.get_or_create<State>(slot()).score, x.score_sums, x.topology);
  return {};
}

bool InterPodAffinity::pre_score_always_skips(const framework::PodContext& ctx,
                                              const framework::ClusterState& cluster) const {
  if (!active_) return true;
  const state::PodAffinityRecord* record = ctx.pod.pod_affinity.get();
  const bool has_constraints =
      record && (!record->preferred_affinity.empty() || !record->preferred_anti_affinity.empty());
  if (args_.ignore_preferred_terms_of_existing_pods && !has_constraints) return true;
  if (has_constraints) return false;  // whether its terms match anything is PreScore's to find out
  // Without terms of its own, only bound pods' scoring terms can record anything.
  const auto ns_labels = namespace_labels(cluster, ctx.pod.namespace_id);
  auto any_match = [&](TermKind kind) {
    for (const auto& e : idx_->existing.entries(kind))
      if (e.carriers.total > 0 && existing_term_matches(e.term, ctx.pod, ns_labels)) return true;
    return false;
  };
  if (args_.hard_pod_affinity_weight > 0 && any_match(TermKind::kRequiredAffinity)) return false;
  if (!args_.ignore_preferred_terms_of_existing_pods &&
      (any_match(TermKind::kPreferredAffinity) || any_match(TermKind::kPreferredAntiAffinity)))
    return false;
  return true;
}

void InterPodAffinity::score(const framework::CycleState& cycle, const framework::PodContext&,
                             const framework::ClusterState&, std::span<const NodeIndex> nodes,
                             std::int64_t* scores) const {
  const State& st = cycle.get<State>(slot());
  Indexes& x = *idx_;
  x.ranged = nullptr;
  helper::ScoreRange range;
  if (!score_nodes(st, nodes, scores, range)) return;
  // Kept for normalize() over these very scores.
  x.range = range;
  x.ranged = scores;
  x.ranged_count = nodes.size();
}

bool InterPodAffinity::score_part(const framework::CycleState& cycle, const framework::PodContext&,
                                  const framework::ClusterState&, std::span<const NodeIndex> nodes,
                                  std::int64_t* scratch, Bounds& bounds) const {
  // Score's values and NormalizeScore's min and max, writing no member: the two halves run
  // at once.
  helper::ScoreRange range;
  if (!score_nodes(cycle.get<State>(slot()), nodes, scratch, range))
    range = helper::score_range(scratch, nodes.size());
  bounds = {range.min, range.max};
  return true;
}

std::int64_t InterPodAffinity::add_normalized_part(const framework::CycleState&, const framework::PodContext&,
                                                   Bounds merged, std::span<const NodeIndex> nodes,
                                                   std::int64_t* scratch, std::int64_t weight, const std::int64_t* base,
                                                   std::int64_t* totals) const {
  // normalize()'s value table is the plugin's scratch: this thread's own instead (the other
  // half runs at once, on the other thread), kept so that no decision allocates it.
  thread_local std::vector<std::int64_t> table;
  normalize_in_range({merged.min, merged.max}, {scratch, nodes.size()}, table);
  return helper::add_weighted_max(scratch, nodes.size(), weight, base, totals);
}

bool InterPodAffinity::score_nodes(const State& st, std::span<const NodeIndex> nodes, std::int64_t* scores,
                                   helper::ScoreRange& range) const {
  const auto& kept = st.score.kept;
  if (st.score.summed.empty() && !kept.empty() && kept.size() <= 2 && kept.front().domain == kept.back().domain &&
      !nodes.empty()) {
    // One key, one or two sources (a pod's preferred term and the bound pods' same term):
    // write the scores in one pass, by node where the key's domains are the nodes, and
    // keep their range for NormalizeScore.
    const auto& a = kept.front();
    const bool two = kept.size() == 2;
    range = score_one_key(nodes.data(), nodes.size(), a.by_node ? nullptr : a.domain, a.value, a.weight,
                          two ? kept.back().value : nullptr, two ? kept.back().weight : 0, scores);
    return true;
  }
  std::fill(scores, scores + nodes.size(), 0);
  // Kept columns of one key are adjacent: one pass per key reads each node's domain once.
  for (std::size_t first = 0, last = 0; first < kept.size(); first = last) {
    while (last < kept.size() && kept[last].domain == kept[first].domain) ++last;
    const std::int32_t* domain = kept[first].domain;
    if (last - first == 2) {
      // Locals: `scores` may alias the checks as far as the compiler knows.
      const std::int32_t* va = kept[first].value;
      const std::int32_t* vb = kept[first + 1].value;
      const std::int64_t wa = kept[first].weight;
      const std::int64_t wb = kept[first + 1].weight;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::int32_t d = domain[nodes[i]];
        scores[i] += d >= 0 ? wa * va[d] + wb * vb[d] : 0;
      }
      continue;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::int32_t d = domain[nodes[i]];
      if (d < 0) continue;
      for (std::size_t k = first; k < last; ++k) scores[i] += kept[k].weight * kept[k].value[d];
    }
  }
  for (const auto& c : st.score.summed) {
    const std::int32_t* domain = c.domain;
    const std::int64_t* value = c.value;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::int32_t d = domain[nodes[i]];
      scores[i] += d >= 0 ? value[d] : 0;
    }
  }
  return false;
}

// NormalizeScore: MaxNodeScore * (score - min) / (max - min) in float64, truncated; every
// score 0 when they are all equal.
void InterPodAffinity::normalize(const framework::CycleState&, const framework::PodContext&,
                                 std::span<std::int64_t> scores) const {
  Indexes& x = *idx_;
  const bool ranged = x.ranged == scores.data() && x.ranged_count == scores.size();
  x.ranged = nullptr;
  // Scratch owned by the plugin: normalize() runs on the scheduling thread only.
  normalize_in_range(ranged ? x.range : helper::score_range(scores.data(), scores.size()),  // vectorised
                     scores, x.normalized);
}

void InterPodAffinity::normalize_in_range(helper::ScoreRange range, std::span<std::int64_t> scores,
                                          std::vector<std::int64_t>& table) {
  const std::int64_t lo = range.min;
  const std::int64_t hi = range.max;
  const std::int64_t diff = hi - lo;
  auto scaled = [diff](std::int64_t above_min) {
    return static_cast<std::int64_t>(static_cast<double>(framework::kMaxNodeScore) *
                                     (static_cast<double>(above_min) / static_cast<double>(diff)));
  };
  if (diff == 0) {
    std::fill(scores.begin(), scores.end(), 0);
  } else if (static_cast<std::uint64_t>(diff) < scores.size()) {
    // Fewer distinct values than nodes: one float division per value, not per node (the
    // same expression, so the same bits).
    table.resize(static_cast<std::size_t>(diff) + 1);
    // One multiply per node, int64(float64(s - min) * (MaxNodeScore / diff)), where it gives
    // the table's value for every v in [0, diff] (checked here, for each v): the same
    // integers without a gather per node. Otherwise (a product that rounds across an
    // integer) the table itself.
    const double factor = static_cast<double>(framework::kMaxNodeScore) / static_cast<double>(diff);
    bool factor_exact = true;
    for (std::int64_t v = 0; v <= diff; ++v) {
      table[static_cast<std::size_t>(v)] = scaled(v);
      factor_exact = factor_exact && table[static_cast<std::size_t>(v)] ==
                                         static_cast<std::int64_t>(static_cast<double>(v) * factor);
    }
    if (factor_exact && diff <= std::numeric_limits<std::int32_t>::max()) {
      scale_above_min(scores.data(), scores.size(), lo, factor);
    } else {
      apply_table(scores.data(), scores.size(), lo, table.data());
    }
  } else if (!helper::ratio_normalize(scores.data(), scores.size(), range, framework::kMaxNodeScore)) {
    for (std::int64_t& s : scores) s = scaled(s - lo);
  }
}

void InterPodAffinity::on_bind(const framework::ClusterState& cluster, state::PodIndex p, NodeIndex node) {
  const state::PodRecord& pod = cluster.pods[p];
  idx_->counters.apply(pod, node, +1);
  idx_->existing.apply(pod, node, +1, idx_->topology);
}

void InterPodAffinity::on_unbind(const framework::ClusterState& cluster, state::PodIndex p, NodeIndex node) {
  const state::PodRecord& pod = cluster.pods[p];
  idx_->counters.apply(pod, node, -1);
  idx_->existing.apply(pod, node, -1, idx_->topology);
}

}  // namespace podium::plugins::interpodaffinity
