#pragma once
// PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread, v1.35).
//
// Constraints: the pod's spec.topologySpreadConstraints (matchLabelKeys already merged into
// the selector at load, as the API server does); a pod with none gets the args' default
// constraints with the selector of the Services / controller owning it
// (PodRecord::default_spread_selector), or none when that selector is empty.
//
// PreFilter (DoNotSchedule constraints; Skip when there are none): per constraint, the
// number of bound pods in the pod's namespace the selector matches, summed per domain of
// the topology key over the eligible nodes — nodes carrying every constraint's key and
// passing its nodeAffinityPolicy / nodeTaintsPolicy — and the global minimum over those
// domains, taken as 0 when there are fewer domains than minDomains.
// Filter: a node lacking a constraint's key is UnschedulableAndUnresolvable ("... (missing
// required label)"); otherwise matches in its domain + 1 if the pod matches its own
// selector − global minimum must be ≤ maxSkew, else Unschedulable.
//
// PreScore (ScheduleAnyway constraints; Skip when none): feasible nodes lacking a key are
// ignored (not under system defaulting, where nodes need not carry every key); each
// constraint is weighted log(domains among the scored nodes + 2) (hostname: number of
// scored nodes); counts per domain come from all eligible nodes, per node for hostname.
// Score: Σ round-free count·weight + (maxSkew − 1), rounded once. NormalizeScore:
// 100·(max + min − s)/max over non-ignored nodes, every node 100 when max is 0, ignored
// nodes 0.
//
// Data layout: a DomainColumns table (int32 domain per node per key, built once) and a
// MatchCounters table (int32 matching-pod count per node per (namespace, selector), kept
// exact by on_bind / on_unbind). PreFilter/PreScore are one O(nodes) pass over those
// columns; Filter/Score index per-domain arrays in the cycle state, with no hashing.
//
// Score contract: score() writes −1 (upstream's invalidScore) for ignored nodes; normalize()
// maps them to 0. The raw scores are only meaningful through normalize().
//
// The plugin looks across nodes, so the scheduler's class cache runs it live at every
// decision. A cluster where no pod has spread constraints and no pod can get default ones
// makes it Skip every pod; it then reports itself node-local, signs every pod alike and
// does not normalize, so it does not even count as live.

#include <memory>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/plugins/podtopologyspread/args.hpp"
#include "podium/plugins/podtopologyspread/domain_columns.hpp"
#include "podium/plugins/podtopologyspread/match_counters.hpp"

namespace podium::plugins::helper {
struct ScoreRange;
}  // namespace podium::plugins::helper

namespace podium::plugins::podtopologyspread {

class NodeInclusion;

// One constraint as the plugin evaluates it (upstream topologySpreadConstraint).
struct Constraint {
  std::int32_t max_skew = 1;
  StringId topology_key = state::kUnseenString;
  const state::LabelSelectorRecord* selector = nullptr;  // the pod's, or its default selector
  std::int32_t min_domains = 1;
  bool honor_node_affinity = true;
  bool honor_node_taints = false;
};

class PodTopologySpread final : public framework::FilterPlugin, public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "PodTopologySpread";
  static constexpr std::string_view kReasonConstraintsNotMatch =
      "node(s) didn't match pod topology spread constraints";  // ErrReasonConstraintsNotMatch
  static constexpr std::string_view kReasonNodeLabelNotMatch =
      "node(s) didn't match pod topology spread constraints (missing required label)";
  static constexpr std::string_view kHostnameKey = "kubernetes.io/hostname";  // v1.LabelHostname

  // Throws std::invalid_argument (validate(args)) for invalid args.
  PodTopologySpread(PodTopologySpreadArgs args, const framework::ClusterState& cluster,
                    std::size_t counter_capacity = 64);
  ~PodTopologySpread() override;

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return !active_; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;

  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  bool pre_filter_always_skips(const framework::PodContext& ctx, const framework::ClusterState&) const override {
    return !has_constraints(ctx.pod, /*hard=*/true);
  }
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;

  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex> feasible) override;
  bool needs_feasible_nodes() const override { return active_; }
  bool pre_score_always_skips(const framework::PodContext& ctx, const framework::ClusterState& cluster) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
  bool has_normalize() const override { return active_; }
  void normalize(const framework::CycleState&, const framework::PodContext&,
                 std::span<std::int64_t> scores) const override;
  bool score_normalized_into(const framework::CycleState&, const framework::PodContext&,
                             const framework::ClusterState&, std::span<const framework::NodeIndex> nodes,
                             std::int64_t weight, const std::int64_t* base, std::int64_t* totals,
                             std::int64_t& max_total) const override;
  bool score_part(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                  std::span<const framework::NodeIndex> nodes, std::int64_t* scratch, Bounds& bounds) const override;
  std::int64_t add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                   std::span<const framework::NodeIndex> nodes, std::int64_t* scratch,
                                   std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const override;

  void on_bind(const framework::ClusterState& cluster, state::PodIndex pod, framework::NodeIndex node) override;
  void on_unbind(const framework::ClusterState& cluster, state::PodIndex pod, framework::NodeIndex node) override;

  // The pod's constraints of one kind (DoNotSchedule when `hard`), in spec order, or the
  // default ones (getConstraints / initPreScoreState + buildDefaultConstraints).
  void constraints_of(const state::PodRecord& pod, bool hard, std::vector<Constraint>& out) const;
  // Whether constraints_of(pod, hard, ...) would give any, without building them.
  bool has_constraints(const state::PodRecord& pod, bool hard) const;
  const MatchCounters& counters() const { return counters_; }

  struct FilterState;
  struct ScoreState;
  struct State;

 private:
  // Score of `ids` into `scores`, writing no member; true when it found NormalizeScore's
  // range on the way (then in `range`: min over the scores not invalidScore, max).
  bool score_nodes(const ScoreState& st, std::span<const framework::NodeIndex> ids, std::int64_t* scores,
                   helper::ScoreRange& range) const;
  // NormalizeScore given Score's range (min skipping invalidScore, max before "from 0").
  void normalize_in_range(helper::ScoreRange range, std::span<std::int64_t> scores) const;
  // Score's loop for pods with more constraints than its fast loop holds.
  void score_general(const ScoreState& st, std::span<const framework::NodeIndex> ids, std::int64_t* scores) const;
  // Score for a hostname constraint plus one other, by table; false when it does not apply.
  bool score_hostname_pair(const ScoreState& st, std::span<const framework::NodeIndex> ids, std::int64_t* scores,
                           helper::ScoreRange& range) const;
  struct CompiledDefault {
    Constraint constraint;  // selector filled per pod
    bool do_not_schedule = false;
  };
  std::vector<CompiledDefault> defaults_;
  bool system_defaulted_ = false;
  bool active_ = false;
  StringId hostname_key_ = state::kUnseenString;
  std::unique_ptr<const NodeInclusion> inclusion_;
  DomainColumns domains_;
  MatchCounters counters_;
  std::vector<std::span<const std::int64_t>> sums_scratch_;  // PreScore: per-domain sums by constraint
  std::vector<Constraint> scratch_;  // constraints of the pod in PreFilter/PreScore
};

}  // namespace podium::plugins::podtopologyspread
