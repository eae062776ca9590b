#include "podium/planning/capacity_plan.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <memory>
#include <utility>

#include "podium/common/input_error.hpp"
#include "podium/framework/framework.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::planning {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::size_t ceil_div(std::int64_t a, std::int64_t b) {
  return a <= 0 ? 0 : static_cast<std::size_t>((a + b - 1) / b);
}

// The filters whose verdict on a node depends on that node and the pod alone, and which an
// empty node of the template's shape answers for every template node: a pod they reject
// there no template node ever takes. (NodePorts passes on an empty node; PodTopologySpread
// and InterPodAffinity depend on where other pods are.)
constexpr std::string_view kNodeLocalFilters[] = {"NodeUnschedulable", "NodeName", "NodeResourcesFit",
                                                  "TaintToleration", "NodeAffinity"};

bool node_local(std::string_view filter) {
  return std::find(std::begin(kNodeLocalFilters), std::end(kNodeLocalFilters), filter) != std::end(kNodeLocalFilters);
}

bool has_filter(const framework::ProfileSpec& spec, std::string_view name) {
  return std::find(spec.filters.begin(), spec.filters.end(), name) != spec.filters.end();
}

plugins::noderesources::FitArgs fit_args(const framework::ProfileSpec& spec) {
  if (auto it = spec.args.find("NodeResourcesFit"); it != spec.args.end())
    return std::any_cast<plugins::noderesources::FitArgs>(it->second);
  return {};
}

const std::string kPodCount = "pods";

// Whether some pod's node constraints name a string of the added nodes' form (a hostname
// label value or a matchFields metadata.name): only a fresh build resolves those.
bool names_added_node(const io::ClusterObjects& objects, const std::string& prefix) {
  auto named = [&](const std::string& v) { return v.starts_with(prefix); };
  auto in_term = [&](const io::NodeSelectorTerm& term) {
    for (const auto* list : {&term.match_expressions, &term.match_fields})
      for (const auto& req : *list)
        if (std::any_of(req.values.begin(), req.values.end(), named)) return true;
    return false;
  };
  for (const io::PodObject& pod : objects.pods) {
    for (const auto& [key, value] : pod.node_selector)
      if (named(value)) return true;
    if (!pod.affinity || !pod.affinity->node_affinity) continue;
    const io::NodeAffinity& na = *pod.affinity->node_affinity;
    if (na.required && std::any_of(na.required->begin(), na.required->end(), in_term)) return true;
    for (const auto& preferred : na.preferred)
      if (in_term(preferred.preference)) return true;
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The search.

SearchResult search_node_count(std::size_t lower_bound, const SearchLimits& limits,
                               const std::function<ProbeOutcome(std::size_t)>& probe) {
  SearchResult out;
  auto run = [&](std::size_t n) {
    const auto start = std::chrono::steady_clock::now();
    const ProbeOutcome o = probe(n);
    out.probes.push_back({n, o.placed, o.unplaced, seconds_since(start)});
    return o;
  };

  // Grow from the bound until a probe places everything.
  std::size_t n = std::min(lower_bound, limits.max_nodes);
  std::size_t growth = std::max<std::size_t>(1, (lower_bound + 255) / 256);
  std::optional<std::size_t> failed;  // the largest count known to fail
  std::optional<ProbeOutcome> last_failure;
  for (;;) {
    const ProbeOutcome o = run(n);
    if (o.unplaced == 0) break;
    out.nodes_added = n;
    if (n >= limits.max_nodes) {
      out.outcome = SearchOutcome::kCapReached;
      return out;
    }
    // The hint counts only pods a template node can take; 0 means none of them.
    const bool stalled = o.more_nodes_hint == 0 ||
                         (last_failure && n - *failed >= last_failure->more_nodes_hint &&
                          o.unplaced >= last_failure->unplaced);
    if (stalled) {
      out.outcome = SearchOutcome::kStalled;
      return out;
    }
    failed = n;
    last_failure = o;
    // The hint packs the unplaced pods perfectly and so falls short of what fragmentation
    // needs; twice it overshoots a little, and the bisection pays one probe for that.
    const std::size_t step = std::max(2 * o.more_nodes_hint, growth);
    growth = growth > limits.max_nodes ? growth : growth * 2;
    n = step >= limits.max_nodes - n ? limits.max_nodes : n + step;
  }

  // Bisect between the largest known failure (or the bound: every count below it fails)
  // and the success.
  std::size_t hi = n;
  if (!failed && lower_bound > 0 && hi > lower_bound - 1) failed = lower_bound - 1;
  if (failed) {
    std::size_t lo = *failed;
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (run(mid).unplaced == 0) hi = mid;
      else lo = mid;
    }
  }
  out.outcome = SearchOutcome::kFound;
  out.nodes_added = hi;
  return out;
}

// ---------------------------------------------------------------------------------------
// Probes on the engine.

Planner::Planner(PlanInput input) : input_(std::move(input)) {
  io::ClusterObjects& objects = input_.objects;
  snapshot_nodes_ = objects.nodes.size();
  for (std::size_t i = 0; i < objects.pods.size(); ++i) {
    const io::PodObject& pod = objects.pods[i];
    if (pod.ignored_by_scheduler()) continue;
    if (i < input_.first_plan_pod) {
      ++first_plan_record_;
      continue;
    }
    if (!pod.node_name.empty())
      throw InputError(pod.source.file, pod.source.path.empty() ? "spec.nodeName" : pod.source.path + ".spec.nodeName",
                       "pod " + pod.key() + " is bound to \"" + pod.node_name +
                           "\"; a pod with spec.nodeName bypasses the scheduler, so there is nothing to plan for "
                           "it (clear spec.nodeName to plan for it as a pending pod, or put it in --cluster)");
    ++plan_pods_;
  }
  io::validate_objects(objects);
  reuse_ = input_.node_template && !names_added_node(objects, input_.node_template->name + "-plan-");
  if (input_.node_template) {
    const std::string prefix = input_.node_template->name + "-plan-";
    for (const io::NodeObject& node : objects.nodes) {
      if (!node.name.starts_with(prefix)) continue;
      const std::string_view rest = std::string_view(node.name).substr(prefix.size());
      if (!rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw InputError(node.source.file, node.source.path.empty() ? "metadata.name" : node.source.path + ".metadata.name",
                         "node \"" + node.name + "\" has the name form of the nodes `podium plan` adds (" + prefix +
                             "<i>); rename the template node");
    }
  }
}

std::string Planner::added_node_name(std::size_t i) const {
  return input_.node_template->name + "-plan-" + std::to_string(i);
}

std::vector<framework::Profile> Planner::profiles_for(const config::SchedulerConfiguration& config,
                                                      const state::ClusterState& cluster) const {
  if (input_.make_profiles) return input_.make_profiles(config, cluster);
  std::vector<framework::Profile> profiles;
  for (const auto& spec : config.profiles) profiles.push_back(framework::build_profile(spec, cluster));
  return profiles;
}

// The snapshot's nodes, then the added ones: copies of the template, renamed (with their
// kubernetes.io/hostname label, when the template has one), labels, taints, allocatable and
// images as the template's. Appended to the parsed objects for the build and removed after.
state::ClusterState Planner::build(std::size_t nodes_added) {
  std::vector<io::NodeObject>& nodes = input_.objects.nodes;
  nodes.reserve(snapshot_nodes_ + nodes_added);
  struct Restore {
    std::vector<io::NodeObject>& nodes;
    std::size_t size;
    ~Restore() { nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(size), nodes.end()); }
  } restore{nodes, snapshot_nodes_};
  for (std::size_t i = 1; i <= nodes_added; ++i) {
    io::NodeObject node = *input_.node_template;
    node.name = added_node_name(i);
    for (auto& [key, value] : node.labels)
      if (key == "kubernetes.io/hostname") value = node.name;
    nodes.push_back(std::move(node));
  }
  return state::build_cluster_state(input_.objects);
}

void Planner::prepare(std::size_t nodes_added) {
  if (!reuse_) {
    state_.reset();  // the old state's memory goes before the new one is built
    state_ = build(nodes_added);
    placed_last_.clear();
    return;
  }
  if (!state_) {
    state_ = build(1);
    shape_ = state::capture_node(*state_, static_cast<state::NodeIndex>(snapshot_nodes_));
    snapshot_ports_.assign(state_->nodes.used_ports.begin(),
                           state_->nodes.used_ports.begin() + static_cast<std::ptrdiff_t>(snapshot_nodes_));
  } else {
    for (const state::PodIndex p : placed_last_) state_->unbind(p);
    std::copy(snapshot_ports_.begin(), snapshot_ports_.end(), state_->nodes.used_ports.begin());
  }
  placed_last_.clear();
  state::resize_node_tail(*state_, snapshot_nodes_, shape_, nodes_added,
                          [this](std::size_t i) { return added_node_name(i); });
}

ProbeRun Planner::probe(std::size_t nodes_added) {
  const auto start = std::chrono::steady_clock::now();
  prepare(nodes_added);
  ProbeRun run;
  run.nodes_added = nodes_added;
  run.cluster = &*state_;
  const auto profiles = profiles_for(input_.config, *state_);
  run.result = scheduler::schedule_pending(*state_, profiles, input_.options);
  run.plan_pods = plan_pods_;
  for (const scheduler::Placement& p : run.result.placements) {
    const bool placed = p.node != state::kNoNode;
    if (placed) placed_last_.push_back(p.pod);
    if (p.pod >= first_plan_record_) {
      if (placed) ++run.placed;
      else run.unplaced.push_back(p.pod);
    } else {
      ++run.snapshot_pending;
      if (placed) ++run.snapshot_pending_placed;
    }
  }
  run.seconds = seconds_since(start);
  return run;
}

// The snapshot plus one empty template node, before any pending pod is placed: which plan
// pods the node-local filters reject on that node, each plan pod's requests of the bounded
// resources in the builder's units, and the snapshot's free room.
void Planner::analyse_template() {
  if (analysed_) return;
  analysed_ = true;
  prepare(1);
  const state::ClusterState& cluster = *state_;
  const auto t = static_cast<state::NodeIndex>(snapshot_nodes_);

  config::SchedulerConfiguration local = input_.config;
  for (auto& spec : local.profiles)
    std::erase_if(spec.filters, [](const std::string& f) { return !node_local(f); });
  const auto profiles = profiles_for(local, cluster);
  std::vector<std::unique_ptr<framework::Framework>> frameworks;
  for (const auto& profile : profiles)
    frameworks.push_back(
        std::make_unique<framework::Framework>(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, 0), 1));

  // Which resources each profile's NodeResourcesFit checks (else a request bounds nothing).
  for (std::size_t r = 0; r < cluster.resources.size(); ++r)
    bounded_.push_back(cluster.resources.name(static_cast<state::ResourceId>(r)));
  bounded_.push_back(kPodCount);
  const std::size_t k = bounded_.size();
  std::vector<std::vector<std::uint8_t>> checks(input_.config.profiles.size(), std::vector<std::uint8_t>(k, 0));
  for (std::size_t p = 0; p < input_.config.profiles.size(); ++p) {
    const auto& spec = input_.config.profiles[p];
    if (!has_filter(spec, "NodeResourcesFit")) continue;
    const auto args = fit_args(spec);
    for (std::size_t r = 0; r < k; ++r)
      checks[p][r] = r + 1 == k || !plugins::noderesources::fit_ignores(args, bounded_[r]);
  }
  const state::NodeTable& nodes = cluster.nodes;
  template_allocatable_.resize(k);
  snapshot_free_.assign(k, 0);
  for (std::size_t r = 0; r + 1 < k; ++r) {
    template_allocatable_[r] = nodes.allocatable[r][t];
    for (std::size_t n = 0; n < snapshot_nodes_; ++n)
      snapshot_free_[r] += std::max<std::int64_t>(0, nodes.allocatable[r][n] - nodes.requested[r][n]);
  }
  template_allocatable_[k - 1] = nodes.allowed_pods[t];
  for (std::size_t n = 0; n < snapshot_nodes_; ++n)
    snapshot_free_[k - 1] += std::max<std::int64_t>(0, nodes.allowed_pods[n] - nodes.pod_count[n]);

  template_fits_.assign(plan_pods_, 0);
  plan_requests_.assign(plan_pods_ * k, 0);
  std::vector<std::size_t> rejected;
  for (std::size_t i = 0; i < plan_pods_; ++i) {
    const auto index = static_cast<state::PodIndex>(first_plan_record_ + i);
    const state::PodRecord& pod = cluster.pods[index];
    std::size_t p = 0;
    while (p < profiles.size() && profiles[p].scheduler_name != pod.scheduler_name) ++p;
    if (p == profiles.size() || !frameworks[p]->passes_filters({pod, index}, cluster, t)) {
      rejected.push_back(i);
      continue;
    }
    template_fits_[i] = 1;
    for (std::size_t r = 0; r < k; ++r)
      if (checks[p][r]) plan_requests_[i * k + r] = r + 1 == k ? 1 : pod.requests[r];
  }
  if (!rejected.empty()) never_fit_ = explain_never_fit(rejected);
}

// Why: the rejected pods alone with one empty template node, so that the FitError counts
// that node only ("0/1 nodes are available: 1 Insufficient cpu.").
std::vector<Unplaceable> Planner::explain_never_fit(const std::vector<std::size_t>& plan_pods) {
  io::ClusterObjects alone;
  alone.namespaces = input_.objects.namespaces;
  alone.priority_classes = input_.objects.priority_classes;
  alone.selector_owners = input_.objects.selector_owners;
  io::NodeObject node = *input_.node_template;
  node.name = added_node_name(1);
  for (auto& [key, value] : node.labels)
    if (key == "kubernetes.io/hostname") value = node.name;
  alone.nodes.push_back(std::move(node));
  for (std::size_t i = input_.first_plan_pod, ordinal = 0, next = 0; i < input_.objects.pods.size() && next < plan_pods.size(); ++i) {
    if (input_.objects.pods[i].ignored_by_scheduler()) continue;
    if (ordinal++ == plan_pods[next]) {
      alone.pods.push_back(input_.objects.pods[i]);
      ++next;
    }
  }
  const state::ClusterState cluster = state::build_cluster_state(alone);
  config::SchedulerConfiguration local = input_.config;
  for (auto& spec : local.profiles)
    std::erase_if(spec.filters, [](const std::string& f) { return !node_local(f); });
  const auto profiles = profiles_for(local, cluster);
  std::vector<Unplaceable> out;
  for (state::PodIndex i = 0; i < cluster.pods.size(); ++i) {
    const state::PodRecord& pod = cluster.pods[i];
    const auto profile = std::find_if(profiles.begin(), profiles.end(),
                                      [&](const framework::Profile& p) { return p.scheduler_name == pod.scheduler_name; });
    if (profile == profiles.end()) {
      out.push_back({pod.key, "no profile for schedulerName \"" + pod.scheduler_name + "\""});
      continue;
    }
    framework::Framework fw(*profile, 1, framework::TieBreaker(1, 0), 1);
    framework::Status rejection;
    const framework::PodContext ctx{pod, i};
    std::string reason = fw.feasible_nodes(ctx, cluster, rejection).empty()
                             ? fw.unschedulable_reason(ctx, cluster, rejection)
                             : "rejected on an empty template node";
    out.push_back({pod.key, std::move(reason)});
  }
  return out;
}

const std::vector<Unplaceable>& Planner::never_fit_template() {
  analyse_template();
  return never_fit_;
}

const LowerBound& Planner::lower_bound() {
  if (lower_bound_) return *lower_bound_;
  analyse_template();
  const std::size_t k = bounded_.size();
  LowerBound bound;
  for (std::size_t r = 0; r < k; ++r) {
    if (template_allocatable_[r] <= 0) continue;  // no pod that fits the template asks for it
    std::int64_t need = -snapshot_free_[r];
    for (std::size_t i = 0; i < plan_pods_; ++i) need += plan_requests_[i * k + r];
    const std::size_t nodes = ceil_div(need, template_allocatable_[r]);
    if (nodes > bound.nodes) bound = {nodes, bounded_[r]};
  }
  lower_bound_ = bound;
  return *lower_bound_;
}

ProbeOutcome Planner::outcome(const ProbeRun& run) {
  analyse_template();
  ProbeOutcome o;
  o.placed = run.placed;
  o.unplaced = run.unplaced.size();
  const std::size_t k = bounded_.size();
  std::vector<std::int64_t> need(k, 0);
  bool any_fits = false;
  for (const state::PodIndex pod : run.unplaced) {
    const std::size_t i = pod - first_plan_record_;
    if (!template_fits_[i]) continue;
    any_fits = true;
    for (std::size_t r = 0; r < k; ++r) need[r] += plan_requests_[i * k + r];
  }
  if (!any_fits) return o;
  o.more_nodes_hint = 1;
  for (std::size_t r = 0; r < k; ++r)
    if (template_allocatable_[r] > 0)
      o.more_nodes_hint = std::max(o.more_nodes_hint, ceil_div(need[r], template_allocatable_[r]));
  return o;
}

// ---------------------------------------------------------------------------------------

PlanResult plan(Planner& planner, const SearchLimits& limits) {
  PlanResult out;
  out.pods = planner.plan_pods();
  const auto& never = planner.never_fit_template();
  if (!never.empty() && planner.snapshot_nodes() == 0) {
    out.outcome = PlanOutcome::kNeverFits;
    out.unplaced = never;
    return out;
  }
  out.lower_bound = planner.lower_bound();

  // What the report needs of a probe, kept for the answer's and for the last one.
  struct Kept {
    std::size_t placed = 0;
    std::size_t snapshot_pending = 0;
    std::size_t snapshot_pending_placed = 0;
    std::vector<Unplaceable> unplaced;
  };
  std::map<std::size_t, Kept> kept;
  const SearchResult search = search_node_count(out.lower_bound.nodes, limits, [&](std::size_t n) {
    ProbeRun run = planner.probe(n);
    Kept k{run.placed, run.snapshot_pending, run.snapshot_pending_placed, {}};
    for (const scheduler::Placement& p : run.result.placements)
      if (p.node == state::kNoNode && planner.is_plan_pod(p.pod))
        k.unplaced.push_back({run.cluster->pods[p.pod].key, p.reason});
    kept[n] = std::move(k);
    return planner.outcome(run);
  });
  out.probes = search.probes;
  out.nodes_added = search.nodes_added;
  out.outcome = search.outcome == SearchOutcome::kFound        ? PlanOutcome::kFound
                : search.outcome == SearchOutcome::kCapReached ? PlanOutcome::kCapReached
                                                               : PlanOutcome::kStalled;
  const Kept& k = kept[search.nodes_added];
  out.placed = k.placed;
  out.snapshot_pending = k.snapshot_pending;
  out.snapshot_pending_placed = k.snapshot_pending_placed;
  if (out.outcome != PlanOutcome::kFound) out.unplaced = k.unplaced;
  return out;
}

}  // namespace podium::planning
