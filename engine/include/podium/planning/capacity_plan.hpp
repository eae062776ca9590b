#pragma once
// Capacity planning (`podium plan`): how many nodes shaped like a template must be added to
// a cluster so that every pod of a set is placed by a given algorithm?
//
// Nothing here models the scheduler: every candidate count is answered by a *probe*, a
// full schedule of the real engine on the snapshot plus that many template nodes.
//
//   objects (parsed once) ─► + n copies of the template ─► ClusterState ─► schedule_pending
//                                                                              │
//         search_node_count ◄── ProbeOutcome {placed, unplaced, more_nodes_hint} ┘
//
// The search (search_node_count) knows nothing of clusters: it is handed a lower bound
// and a probe function, so its logic is tested on made-up probes. It probes the lower
// bound L first (every count below L is proven too small, so success there is the exact
// answer), then grows — each step the larger of twice the failed probe's hint (the nodes
// its unplaced pods would fill by resource sum, which fragmentation makes an underestimate)
// and a geometric step (from L/256, doubling on every failure) — until a probe places every
// pod, then bisects between the last failure and the first success.
//
// Monotonicity: more nodes does not place more pods for every algorithm (kube's
// LeastAllocated spreads and is monotone in practice; first-fit and others need not be
// exactly). The answer is therefore "the smallest count the search found that places every
// pod": the final count is always a probe that placed every pod, and every count below the
// lower bound provably fails, but a count between them that the search skipped might also
// succeed for a non-monotone algorithm.
//
// Thread-safety: none; a Planner is used by one thread (each probe's schedule uses
// SchedulerOptions::threads inside).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/objects.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::planning {

// ---------------------------------------------------------------------------------------
// The search.

// What a probe at some node count reports.
struct ProbeOutcome {
  std::size_t placed = 0;    // pods of the plan placed
  std::size_t unplaced = 0;  // pods of the plan left unplaced (0: the count is enough)
  // A guess of how many more template nodes the unplaced pods need (their resource-sum
  // bound on the template); 0 when none of them fits a template node at all. Only steers
  // the search; correctness never depends on it.
  std::size_t more_nodes_hint = 0;
};

struct ProbeRecord {
  std::size_t nodes_added = 0;
  std::size_t placed = 0;
  std::size_t unplaced = 0;
  double seconds = 0;  // build + schedule
};

enum class SearchOutcome {
  kFound,       // nodes_added places every pod
  kCapReached,  // a probe at SearchLimits::max_nodes still left pods unplaced
  // More nodes stopped helping: a failed probe's unplaced pods fit no template node
  // (hint 0), or a probe that added at least the previous failure's hint more nodes left
  // as many pods unplaced (constraints the template cannot satisfy: topology spread over
  // domains the template is not in, pod affinity, a snapshot-only pod, ...).
  kStalled,
};

struct SearchResult {
  SearchOutcome outcome = SearchOutcome::kFound;
  std::size_t nodes_added = 0;  // kFound: the smallest count found; else the last probe's
  std::vector<ProbeRecord> probes;  // in the order run
};

struct SearchLimits {
  std::size_t max_nodes = 1'000'000;
};

// `probe(n)` schedules with n nodes added; the search stops at the first count (in the
// order above) that leaves nothing unplaced and bisects down to the smallest it can find.
// `lower_bound` must be a valid bound: every count below it leaves some pod unplaced.
[[nodiscard]] SearchResult search_node_count(std::size_t lower_bound, const SearchLimits& limits,
                                             const std::function<ProbeOutcome(std::size_t)>& probe);

// ---------------------------------------------------------------------------------------
// Probes on the engine.

// Builds the profiles of a configuration for a cluster (the CLI's turns plugin-arg errors
// into InputError on the config file). The default builds each with framework::build_profile.
using ProfileFactory =
    std::function<std::vector<framework::Profile>(const config::SchedulerConfiguration&, const state::ClusterState&)>;

struct PlanInput {
  // The snapshot's objects (nodes, bound and pending pods, namespaces, ...), and after them
  // the pods to plan for: objects.pods[first_plan_pod ..]. Those must be pending
  // (spec.nodeName empty); terminated ones (Succeeded / Failed) are dropped, as everywhere.
  io::ClusterObjects objects;
  std::size_t first_plan_pod = 0;
  // The shape of the nodes to add; nullopt for a plain "do they fit?" probe at 0.
  std::optional<io::NodeObject> node_template;
  config::SchedulerConfiguration config;  // algorithm adjustments already applied
  scheduler::SchedulerOptions options;    // algorithm, seed, threads
  ProfileFactory make_profiles;           // empty: framework::build_profile per profile
};

// A pod of the plan that no template node can take, and why.
struct Unplaceable {
  std::string pod;     // namespace/name
  std::string reason;  // kube's FitError text on one empty template node
};

// The resource-sum lower bound: max over resources (the pod count included) of
// ceil(max(0, Σ requests of the plan pods a template node can take − the snapshot's free
// room) / the template's allocatable). Valid for every algorithm: NodeResourcesFit keeps
// each node's requests within its allocatable, so the pods that do not land on the
// snapshot (whose free room is all they can use there) need that many template nodes.
// Only resources every profile's NodeResourcesFit checks are counted (an extended resource
// it is told to ignore is not); pods that fit no template node are left out of the sums.
struct LowerBound {
  std::size_t nodes = 0;
  std::string resource;  // the resource giving it ("pods" for the pod count); "" when 0
};

// One probe's schedule, kept whole for reports.
struct ProbeRun {
  std::size_t nodes_added = 0;
  const state::ClusterState* cluster = nullptr;  // the Planner's; valid until its next probe
  scheduler::ScheduleResult result;
  std::size_t plan_pods = 0;
  std::size_t placed = 0;                          // plan pods placed
  std::vector<state::PodIndex> unplaced;           // plan pods left unplaced, decision order
  std::size_t snapshot_pending = 0;                // pending snapshot pods (they compete)
  std::size_t snapshot_pending_placed = 0;
  double seconds = 0;
};

// Probes reuse one ClusterState: the pods are compiled once (snapshot plus one template
// node), and before each probe the pods the previous one placed are unbound and the tail of
// template nodes is re-sized (state::resize_node_tail). Where a pod names an added node
// (a nodeSelector / node affinity value or matchFields of the form <template>-plan-<i>),
// which only a fresh build resolves, every probe builds its state from the objects instead.
class Planner {
 public:
  // Throws podium::InputError for a plan pod that is bound (spec.nodeName: it would bypass
  // the scheduler), or a snapshot node whose name has the added nodes' form
  // `<template name>-plan-<i>`; then validates the object set (io::validate_objects).
  explicit Planner(PlanInput input);

  std::size_t plan_pods() const { return plan_pods_; }
  std::size_t snapshot_nodes() const { return snapshot_nodes_; }
  bool has_template() const { return input_.node_template.has_value(); }
  // Whether pod `p` of a probe's ClusterState is one of the plan's (else a snapshot pod).
  bool is_plan_pod(state::PodIndex p) const { return p >= first_plan_record_; }
  // `<template name>-plan-<i>`, i from 1.
  std::string added_node_name(std::size_t i) const;
  // False when every probe rebuilds its state (see above).
  bool reuses_state() const { return reuse_; }

  // Plan pods that fail the node-local filters of their profile (NodeUnschedulable,
  // NodeName, NodeResourcesFit, TaintToleration, NodeAffinity) on an empty template node,
  // or that name no profile: no number of template nodes places them. Needs a template.
  const std::vector<Unplaceable>& never_fit_template();
  // Needs a template.
  const LowerBound& lower_bound();

  // The snapshot plus `nodes_added` template nodes; schedules every pending pod.
  ProbeRun probe(std::size_t nodes_added);
  // The probe's outcome for the search: counts and the hint for its unplaced plan pods.
  ProbeOutcome outcome(const ProbeRun& run);

 private:
  void analyse_template();
  void prepare(std::size_t nodes_added);  // state_ = snapshot + nodes_added, pods pending
  state::ClusterState build(std::size_t nodes_added);
  std::vector<Unplaceable> explain_never_fit(const std::vector<std::size_t>& plan_pods);
  std::vector<framework::Profile> profiles_for(const config::SchedulerConfiguration& config,
                                               const state::ClusterState& cluster) const;

  PlanInput input_;
  std::size_t snapshot_nodes_ = 0;
  std::size_t plan_pods_ = 0;              // non-terminated plan pods
  std::size_t first_plan_record_ = 0;      // their first PodIndex in a probe's ClusterState
  bool reuse_ = false;
  std::optional<state::ClusterState> state_;
  state::NodeShape shape_;
  std::vector<std::vector<state::HostPortRecord>> snapshot_ports_;  // before any probe
  std::vector<state::PodIndex> placed_last_;  // pods the last probe bound

  bool analysed_ = false;
  std::vector<Unplaceable> never_fit_;
  // Per plan pod (in order): whether an empty template node takes it, and its requests of
  // the bounded resources (bounded_ order, the pod count last), 0 where its profile does
  // not check the resource.
  std::vector<std::uint8_t> template_fits_;
  std::vector<std::string> bounded_;                // resource names; "pods" last
  std::vector<std::int64_t> template_allocatable_;  // per bounded_ entry
  std::vector<std::int64_t> snapshot_free_;         // per bounded_ entry
  std::vector<std::int64_t> plan_requests_;         // plan_pods_ x bounded_.size()
  std::optional<LowerBound> lower_bound_;
};

// The whole answer of `podium plan` with a template.
enum class PlanOutcome { kFound, kNeverFits, kCapReached, kStalled };

struct PlanResult {
  PlanOutcome outcome = PlanOutcome::kFound;
  std::size_t nodes_added = 0;  // kFound: the answer
  std::size_t pods = 0;         // plan pods
  std::size_t placed = 0;       // by the answer's probe (kFound: == pods), else the last probe's
  LowerBound lower_bound;
  std::vector<ProbeRecord> probes;
  // kNeverFits: the pods no template node takes; kCapReached / kStalled: the pods the last
  // probe left unplaced, with the scheduler's reasons.
  std::vector<Unplaceable> unplaced;
  std::size_t snapshot_pending = 0;
  std::size_t snapshot_pending_placed = 0;  // by the answer's probe
};

// Never-fit check, lower bound, search. With snapshot nodes, plan pods no template node
// takes do not stop the plan (the snapshot may take them); the search stalls if it does not.
[[nodiscard]] PlanResult plan(Planner& planner, const SearchLimits& limits);

}  // namespace podium::planning
