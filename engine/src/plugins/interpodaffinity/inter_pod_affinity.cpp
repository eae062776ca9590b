#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "plugins/interpodaffinity/domain_sums.hpp"
#include "plugins/interpodaffinity/existing_terms.hpp"
#include "plugins/interpodaffinity/match_counters.hpp"
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

// Counters cost 8 bytes per node each (count, position): keep about 64 MiB of them
// whatever the cluster size.
std::size_t counter_capacity_for(std::size_t nodes) {
  return std::clamp<std::size_t>((64U << 20) / (8 * std::max<std::size_t>(1, nodes)), 16, 4096);
}

// One topology key's per-node domain column and this cycle's per-domain sums for it.
struct DomainCheck {
  const std::int32_t* domain;  // by NodeIndex, -1: the node lacks the key
  const std::int64_t* sums;    // by domain id
};

std::vector<DomainCheck> checks_of(const DomainSums& sums, const TopologyColumns& topology) {
  std::vector<DomainCheck> out;
  for (const std::uint32_t t : sums.touched()) out.push_back({topology.domains(t), sums.column(t).sums.data()});
  return out;
}

}  // namespace

// What PreFilter / PreScore leave for Filter / Score: per topology key involved, the domain
// column and the per-domain sums, read per node with no hashing. The sums live in the
// plugin's DomainSums until the next pod's PreFilter / PreScore.
struct InterPodAffinity::State : framework::StateData {
  std::vector<DomainCheck> affinity;  // a node needs every key, and (unless first_of_group) sums > 0
  bool first_of_group = false;
  std::vector<DomainCheck> anti_affinity;           // sums > 0 rejects
  std::vector<DomainCheck> existing_anti_affinity;  // sums > 0 rejects
  std::vector<DomainCheck> score;                   // raw score: the sums of the keys the node has

  // satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity.
  Verdict verdict(NodeIndex n) const {
    for (const DomainCheck& c : affinity) {
      const std::int32_t d = c.domain[n];
      if (d < 0 || (!first_of_group && c.sums[d] <= 0)) return kAffinity;
    }
    for (const DomainCheck& c : anti_affinity) {
      const std::int32_t d = c.domain[n];
      if (d >= 0 && c.sums[d] > 0) return kAntiAffinity;
    }
    for (const DomainCheck& c : existing_anti_affinity) {
      const std::int32_t d = c.domain[n];
      if (d >= 0 && c.sums[d] > 0) return kExistingAntiAffinity;
    }
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
      : topology(cluster.nodes), counters(cluster.nodes.size, counter_capacity_for(cluster.nodes.size)) {}
  TopologyColumns topology;
  MatchCounters counters;
  ExistingTerms existing;
  std::unordered_map<const state::PodAffinityRecord*, IncomingView> views;
  DomainSums affinity_sums, anti_sums, existing_sums, score_sums;
  std::vector<std::int64_t> normalized;  // NormalizeScore's value table
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

// PreFilter: getExistingAntiAffinityCounts and getIncomingAffinityAntiAffinityCounts as
// per-domain sums, walking only the nodes / domains that hold matching pods.
Status InterPodAffinity::pre_filter(framework::CycleState& cycle, const framework::PodContext& ctx,
                                    const framework::ClusterState& cluster) {
  if (!active_) return Status(Code::kSkip);
  const state::PodRecord& pod = ctx.pod;
  Indexes& x = *idx_;
  x.counters.begin_cycle();

  // Existing pods' required anti-affinity terms that match the incoming pod, per domain.
  x.existing_sums.reset();
  const auto ns_labels = namespace_labels(cluster, pod.namespace_id);
  for (const auto& e : x.existing.entries(TermKind::kRequiredAntiAffinity)) {
    if (e.carriers_with_key == 0 || !existing_term_matches(e.term, pod, ns_labels)) continue;
    DomainSums::Column& sums = x.existing_sums.touch(e.topology, x.topology);
    for (const std::uint32_t d : e.occupied) sums.add(d, e.carriers[d]);
  }
  const IncomingView* view = pod.pod_affinity ? &view_of(*pod.pod_affinity, cluster) : nullptr;
  const bool has_affinity = view && !view->affinity.empty();
  const bool has_anti = view && !view->anti_affinity.empty();
  if (x.existing_sums.touched().empty() && !has_affinity && !has_anti) return Status(Code::kSkip);

  auto& st = cycle.get_or_create<State>(slot());
  x.affinity_sums.reset();
  x.anti_sums.reset();
  st.first_of_group = false;
  if (has_affinity) {
    const auto matching = x.counters.counts(view->affinity_key, view->affinity, cluster);
    for (const std::uint32_t t : view->affinity_topologies) (void)x.affinity_sums.touch(t, x.topology);
    bool any_pair = false;  // len(affinityCounts) > 0
    for (const NodeIndex n : matching.occupied) {
      for (const std::uint32_t t : view->affinity_topologies) {
        const std::int32_t d = x.topology.domains(t)[n];
        if (d < 0) continue;
        x.affinity_sums.touch(t, x.topology).add(static_cast<std::uint32_t>(d), matching.count[n]);
        any_pair = true;
      }
    }
    // The first pod of a group: nothing matches the terms yet, but the pod matches them.
    st.first_of_group = !any_pair && std::all_of(view->affinity.begin(), view->affinity.end(),
                                                 [&](const PodMatcher& m) { return m.matches(pod); });
  }
  if (has_anti) {
    for (const auto& term : view->anti_affinity) {
      const auto matching = x.counters.counts(term.counter_key, {&term.matcher, 1}, cluster);
      DomainSums::Column& sums = x.anti_sums.touch(term.topology, x.topology);
      const std::int32_t* domain = x.topology.domains(term.topology);
      for (const NodeIndex n : matching.occupied)
        if (domain[n] >= 0) sums.add(static_cast<std::uint32_t>(domain[n]), matching.count[n]);
    }
  }
  st.affinity = checks_of(x.affinity_sums, x.topology);
  st.anti_affinity = checks_of(x.anti_sums, x.topology);
  st.existing_anti_affinity = checks_of(x.existing_sums, x.topology);
  return {};
}

std::size_t InterPodAffinity::filter(const framework::CycleState& cycle, const framework::PodContext&,
                                     const framework::ClusterState&, std::span<const NodeIndex> candidates,
                                     NodeIndex* survivors) const {
  // One compaction pass per check over the survivors so far (the checks' order does not
  // matter for who survives; filter_node() reports the first failing one).
  const State& st = cycle.get<State>(slot());
  const NodeIndex* in = candidates.data();
  std::size_t count = candidates.size();
  auto pass = [&](const DomainCheck& c, auto keeps) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const NodeIndex n = in[i];
      survivors[kept] = n;
      kept += keeps(c.domain[n], c.sums) ? 1 : 0;
    }
    in = survivors;
    count = kept;
  };
  const bool first = st.first_of_group;
  for (const DomainCheck& c : st.affinity)
    pass(c, [first](std::int32_t d, const std::int64_t* sums) { return d >= 0 && (first || sums[d] > 0); });
  auto no_match_in_domain = [](std::int32_t d, const std::int64_t* sums) { return d < 0 || sums[d] <= 0; };
  for (const DomainCheck& c : st.anti_affinity) pass(c, no_match_in_domain);
  for (const DomainCheck& c : st.existing_anti_affinity) pass(c, no_match_in_domain);
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

// PreScore: processExistingPod over every bound pod, as per-domain sums (upstream's
// scoreMap), walking only the nodes / domains that hold matching pods.
Status InterPodAffinity::pre_score(framework::CycleState& cycle, const framework::PodContext& ctx,
                                   const framework::ClusterState& cluster, std::span<const NodeIndex>) {
  if (!active_) return Status(Code::kSkip);
  const state::PodRecord& pod = ctx.pod;
  Indexes& x = *idx_;
  const IncomingView* view = pod.pod_affinity ? &view_of(*pod.pod_affinity, cluster) : nullptr;
  const bool has_constraints = view && (!view->preferred_affinity.empty() || !view->preferred_anti_affinity.empty());
  if (args_.ignore_preferred_terms_of_existing_pods && !has_constraints) return Status(Code::kSkip);

  x.counters.begin_cycle();
  x.score_sums.reset();
  // A topology is touched only when a term matched a pod on a node that has the key:
  // touched() non-empty is upstream's len(topologyScore) > 0, even if the sums cancel.
  auto incoming = [&](const std::vector<IncomingView::Term>& terms, std::int64_t sign) {
    for (const auto& term : terms) {
      const auto matching = x.counters.counts(term.counter_key, {&term.matcher, 1}, cluster);
      const std::int32_t* domain = x.topology.domains(term.topology);
      const std::int64_t weight = sign * term.weight;
      DomainSums::Column* sums = nullptr;  // touched at the first node with the key
      for (const NodeIndex n : matching.occupied) {
        if (domain[n] < 0) continue;
        if (sums == nullptr) sums = &x.score_sums.touch(term.topology, x.topology);
        sums->add(static_cast<std::uint32_t>(domain[n]), weight * matching.count[n]);
      }
    }
  };
  if (view) {
    incoming(view->preferred_affinity, +1);
    incoming(view->preferred_anti_affinity, -1);
  }
  const auto ns_labels = namespace_labels(cluster, pod.namespace_id);
  auto existing = [&](TermKind kind, bool use_hard_weight, std::int64_t sign) {
    for (const auto& e : x.existing.entries(kind)) {
      if (e.carriers_with_key == 0 || !existing_term_matches(e.term, pod, ns_labels)) continue;
      const std::int64_t weight = sign * (use_hard_weight ? args_.hard_pod_affinity_weight : e.term.weight);
      DomainSums::Column& sums = x.score_sums.touch(e.topology, x.topology);
      for (const std::uint32_t d : e.occupied) sums.add(d, weight * e.carriers[d]);
    }
  };
  if (args_.hard_pod_affinity_weight > 0) existing(TermKind::kRequiredAffinity, true, +1);
  if (!args_.ignore_preferred_terms_of_existing_pods) {
    existing(TermKind::kPreferredAffinity, false, +1);
    existing(TermKind::kPreferredAntiAffinity, false, -1);
  }
  if (x.score_sums.touched().empty()) return Status(Code::kSkip);
  cycle.get_or_create<State>(slot()).score = checks_of(x.score_sums, x.topology);
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
      if (e.carriers_with_key > 0 && existing_term_matches(e.term, ctx.pod, ns_labels)) return true;
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
  std::fill(scores, scores + nodes.size(), 0);
  for (const DomainCheck& c : st.score)
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::int32_t d = c.domain[nodes[i]];
      scores[i] += d >= 0 ? c.sums[d] : 0;
    }
}

// NormalizeScore: MaxNodeScore * (score - min) / (max - min) in float64, truncated; every
// score 0 when they are all equal.
void InterPodAffinity::normalize(const framework::CycleState&, const framework::PodContext&,
                                 std::span<std::int64_t> scores) const {
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const std::int64_t s : scores) {
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  const std::int64_t diff = hi - lo;
  auto scaled = [diff](std::int64_t above_min) {
    return static_cast<std::int64_t>(static_cast<double>(framework::kMaxNodeScore) *
                                     (static_cast<double>(above_min) / static_cast<double>(diff)));
  };
  if (diff == 0) {
    std::fill(scores.begin(), scores.end(), 0);
  } else if (static_cast<std::uint64_t>(diff) < scores.size()) {
    // Fewer distinct values than nodes: one float division per value, not per node (the
    // same expression, so the same bits). Scratch owned by the plugin: NormalizeScore runs
    // on the scheduling thread only.
    auto& table = idx_->normalized;
    table.resize(static_cast<std::size_t>(diff) + 1);
    for (std::int64_t v = 0; v <= diff; ++v) table[static_cast<std::size_t>(v)] = scaled(v);
    for (std::int64_t& s : scores) s = table[static_cast<std::size_t>(s - lo)];
  } else {
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
