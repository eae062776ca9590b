#pragma once
// NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity, v1.35; the matching rules of
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity and apimachinery labels).
//
// PreFilter: Skip for a pod with no spec.nodeSelector and no required node affinity when
// the profile adds no required affinity. When every required term names nodes with
// matchFields metadata.name In, only those nodes are candidates (PreFilterResult); terms
// whose name sets are disjoint reject the pod: "pod affinity terms conflict".
// Podium applies the PreFilterResult as part of this plugin's Filter, with upstream's
// reason for nodes left out: "node(s) didn't satisfy plugin(s) [NodeAffinity]".
//
// Filter (UnschedulableAndUnresolvable): the args' addedAffinity required terms first
// ("node(s) didn't match scheduler-enforced node affinity"), then spec.nodeSelector (every
// label equal) and the required terms, ORed ("node(s) didn't match Pod's node
// affinity/selector"). Within a term, expressions (In, NotIn, Exists, DoesNotExist, Gt,
// Lt with Go's ParseInt of the node's label) and matchFields are ANDed; an empty term, or
// one that fails to parse, matches no node; a required selector with no usable term
// matches no node.
//
// Score: the sum of the weights of the pod's and the args' preferred terms the node
// matches (terms with weight 0 are ignored); PreScore Skip when neither has any;
// NormalizeScore is DefaultNormalizeScore(MaxNodeScore, reverse = false).
//
// Node labels never change after loading, so when neither the args nor any pod of the
// cluster has preferred terms, PreScore skips every pod and nothing is ever normalized:
// the plugin then reports no NormalizeScore, keeping it node-local for the scheduler's
// equivalence-class cache.
//
// A normalizing NodeAffinity is live (run at every decision over the feasible nodes), so
// PreScore keeps each preferred-term set's raw score of every node (term matching with
// label lookups, computed once per set; node labels never change) and Score reads it. Not
// memoised when the plugin does not normalize: then it is node-local and its PreScore may
// run on concurrent Frameworks, while the memo is written without locks.
//
// Known difference: a pod whose own preferred terms fail to parse (e.g. Gt "abc", which
// API validation lets through) makes upstream's PreScore return an Error, failing the
// pod's scheduling cycle when two or more nodes are feasible. Podium's framework has no
// PreScore errors yet; the plugin returns Code::kError from pre_score and scores such a
// pod with the args' terms only.

#include <string>
#include <unordered_map>
#include <vector>

#include "podium/framework/plugin.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"

namespace podium::plugins::nodeaffinity {

class NodeAffinity final : public framework::FilterPlugin, public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "NodeAffinity";
  static constexpr std::string_view kReasonPod = "node(s) didn't match Pod's node affinity/selector";  // ErrReasonPod
  static constexpr std::string_view kReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
  static constexpr std::string_view kReasonConflict = "pod affinity terms conflict";
  // The status upstream's framework gives nodes a PreFilterResult left out.
  static constexpr std::string_view kReasonNotInPreFilterResult = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

  NodeAffinity(NodeAffinityArgs args, const framework::ClusterState& cluster);

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  // Its Filter reads the node's spec and labels and the pod, never the node's pods.
  bool verdict_ignores_bound_pods() const override { return true; }
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
  bool outside_pre_filter_result(const framework::CycleState&, const framework::PodContext&,
                                 const framework::ClusterState&, framework::NodeIndex node) const override;
  bool has_pre_filter_result(const framework::CycleState&, const framework::PodContext&,
                             const framework::ClusterState&) const override;

  framework::Status pre_score(framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                              std::span<const framework::NodeIndex>) override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
  // PreScore's Skip test, which reads only the pod and the args.
  bool pre_score_always_skips(const framework::PodContext& ctx, const framework::ClusterState&) const override {
    return !(ctx.pod.node_affinity && ctx.pod.node_affinity->has_preferred) && !has_added_preferred_;
  }
  bool has_normalize() const override { return normalize_; }
  void normalize(const framework::CycleState&, const framework::PodContext&,
                 std::span<std::int64_t> scores) const override;
  bool score_part(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                  std::span<const framework::NodeIndex> nodes, std::int64_t* scratch, Bounds& bounds) const override;
  std::int64_t add_normalized_part(const framework::CycleState&, const framework::PodContext&, Bounds merged,
                                   std::span<const framework::NodeIndex> nodes, std::int64_t* scratch,
                                   std::int64_t weight, const std::int64_t* base, std::int64_t* totals) const override;

 private:
  struct ScoreState;
  // The preferred-term sum of node n for pod (the args' terms and the pod's).
  std::int64_t raw_score(const state::PodRecord& pod, const state::NodeTable& nodes, framework::NodeIndex n) const;
  // Every node's raw_score for pods with this pod's preferred terms, from the memo.
  const std::vector<std::int64_t>& raw_scores(const state::PodRecord& pod, const framework::ClusterState& cluster);
  static constexpr std::size_t kRawMemoEntries = 64;  // 8 bytes per node each
  std::unordered_map<std::string, std::vector<std::int64_t>> raw_memo_;  // by PodNodeAffinity signature
  enum class Verdict : std::uint8_t { kFits, kNotInPreFilterResult, kEnforced, kPod };
  Verdict verdict(const state::PodRecord& pod, const state::NodeTable& nodes, framework::NodeIndex n) const;
  static bool outside_names(const state::PodRecord& pod, framework::NodeIndex n);

  bool has_added_required_ = false;
  std::vector<state::NodeSelectorTermRecord> added_required_;  // non-empty terms, ORed
  bool has_added_preferred_ = false;
  std::vector<state::PreferredTermRecord> added_preferred_;
  bool normalize_ = false;
};

}  // namespace podium::plugins::nodeaffinity
