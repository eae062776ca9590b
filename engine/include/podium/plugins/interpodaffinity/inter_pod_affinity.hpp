#pragma once
// InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity, v1.35).
//
// Filter (UnschedulableAndUnresolvable / Unschedulable, in this order):
//   1. the incoming pod's required affinity: every term's topology key must be a label of
//      the node, and the node's domain must hold a bound pod matching *all* the terms —
//      unless no bound pod anywhere matches them and the pod matches its own terms (the
//      first pod of a group), "node(s) didn't match pod affinity rules";
//   2. its required anti-affinity: no bound pod matching a term in the node's domain of
//      that term's key, "node(s) didn't match pod anti-affinity rules";
//   3. existing pods' required anti-affinity: no bound pod whose term matches the incoming
//      pod may sit in the node's domain of that term's key,
//      "node(s) didn't satisfy existing pods anti-affinity rules".
// Score: per topology domain, + weight for every bound pod matching one of the pod's
//   preferred affinity terms, - weight per preferred anti-affinity match, + hardPodAffinityWeight
//   per bound pod whose required affinity term matches the pod, +/- weight per bound pod
//   whose preferred (anti-)affinity term matches it (unless ignorePreferredTermsOfExistingPods);
//   a node scores the sum over the keys it has; NormalizeScore maps [min, max] over the
//   feasible nodes onto [0, 100] (all equal: 0).
//
// Data layout (engine/src/plugins/interpodaffinity/): per topology key a per-node domain
// column (topology_columns.hpp); per distinct incoming matcher a per-node count of bound
// pods, and per topology key it was asked for a per-domain tally, all kept current by
// on_bind/on_unbind (match_counters.hpp, domain_tally.hpp); the bound pods' own terms
// grouped by distinct term with per-domain carrier tallies (existing_terms.hpp). PreFilter
// and PreScore pick the tallies that apply to the pod and hand them to Filter / Score as
// they are, or summed per key when a key has more than a few (domain_checks.hpp); Filter
// and Score then read, per node, domain column -> count: no hashing, no allocation, const
// and safe on concurrent batches. A cycle costs O(distinct terms) before Filter (plus the
// occupied domains of keys with many sources), and O(nodes x columns) in Filter / Score.
//
// A cluster whose pods (bound and pending, as loaded when the plugin is built) carry no pod
// affinity at all gets a plugin that always skips: it then reports itself node-local,
// signs every pod and does not normalize, which keeps the fused path and the
// equivalence-class cache of the rest of the profile.

#include <memory>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/plugins/interpodaffinity/args.hpp"

namespace podium::plugins::helper {
struct ScoreRange;
}  // namespace podium::plugins::helper

namespace podium::plugins::interpodaffinity {

class InterPodAffinity final : public framework::FilterPlugin, public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "InterPodAffinity";
  static constexpr std::string_view kAffinityReason = "node(s) didn't match pod affinity rules";
  static constexpr std::string_view kAntiAffinityReason = "node(s) didn't match pod anti-affinity rules";
  static constexpr std::string_view kExistingAntiAffinityReason =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  InterPodAffinity(InterPodAffinityArgs args, const framework::ClusterState& cluster);
  ~InterPodAffinity() override;

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return !active_; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;

  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;

  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex>) override;
  // True when PreScore will skip: the plugin is inert, or the pod has no preferred terms and
  // no bound pod's term that scores it matches it (ignoring the feasible nodes, as PreScore
  // does). Lets the scheduler keep such pods on its equivalence-class cache.
  bool pre_score_always_skips(const framework::PodContext& pod, const framework::ClusterState& cluster) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
  bool has_normalize() const override { return active_; }
  void normalize(const framework::CycleState&, const framework::PodContext&,
                 std::span<std::int64_t> scores) const override;
  bool score_part(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                  std::span<const framework::NodeIndex> nodes, std::int64_t* scratch, Bounds& bounds) const override;
  std::int64_t add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                   std::span<const framework::NodeIndex> nodes, std::int64_t* scratch,
                                   std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const override;

  void on_bind(const framework::ClusterState& cluster, state::PodIndex pod, framework::NodeIndex node) override;
  void on_unbind(const framework::ClusterState& cluster, state::PodIndex pod, framework::NodeIndex node) override;

  // For tests: how many per-node match counters are kept now, and at most.
  std::size_t kept_counters() const;
  std::size_t counter_capacity() const;

 private:
  struct State;
  struct Indexes;
  struct IncomingView;
  // Score of `nodes` into `scores`, writing no member; true when it found the scores' range
  // on the way (then in `range`).
  bool score_nodes(const State& st, std::span<const framework::NodeIndex> nodes, std::int64_t* scores,
                   helper::ScoreRange& range) const;
  // NormalizeScore given the scores' least and greatest; `table` is scratch.
  static void normalize_in_range(helper::ScoreRange range, std::span<std::int64_t> scores,
                                 std::vector<std::int64_t>& table);
  const IncomingView& view_of(const state::PodAffinityRecord& record, const framework::ClusterState& cluster);

  InterPodAffinityArgs args_;
  bool active_ = false;  // some pod of the cluster has pod affinity or anti-affinity
  std::unique_ptr<Indexes> idx_;
};

}  // namespace podium::plugins::interpodaffinity
