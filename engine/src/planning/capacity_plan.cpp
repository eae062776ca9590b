#include "podium/planning/capacity_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
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
  std::size_t growth = std::max<std::size_t>(1, (lower_bound + 31) / 32);
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
    const std::size_t step = std::max(o.more_nodes_hint, growth);
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
    if (pod.terminated()) continue;
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

ProbeRun Planner::schedule(state::ClusterState cluster, std::size_t nodes_added, double build_seconds) {
  const auto start = std::chrono::steady_clock::now();
  ProbeRun run;
  run.nodes_added = nodes_added;
  run.cluster = std::move(cluster);
  const auto profiles = profiles_for(input_.config, run.cluster);
  run.result = scheduler::schedule_pending(run.cluster, profiles, input_.options);
  run.plan_pods = plan_pods_;
  for (const scheduler::Placement& p : run.result.placements) {
    const bool placed = p.node != state::kNoNode;
    if (p.pod >= first_plan_record_) {
      if (placed) ++run.placed;
      else run.unplaced.push_back(p.pod);
    } else {
      ++run.snapshot_pending;
      if (placed) ++run.snapshot_pending_placed;
    }
  }
  run.seconds = build_seconds + seconds_since(start);
  if (std::getenv("PODIUM_PLAN_DEBUG")) fprintf(stderr, "probe %zu build %.3f schedule %.3f (loop %.3f) unplaced %zu\n", nodes_added, build_seconds, seconds_since(start), run.result.schedule_seconds, run.unplaced.size());
  return run;
}

ProbeRun Planner::probe(std::size_t nodes_added) {
  if (nodes_added == 0 && pending_probe_) {  // the snapshot's state, built by lower_bound()
    ProbeRun kept = std::move(*pending_probe_);
    pending_probe_.reset();
    return schedule(std::move(kept.cluster), 0, kept.seconds);
  }
  const auto start = std::chrono::steady_clock::now();
  state::ClusterState cluster = build(nodes_added);
  return schedule(std::move(cluster), nodes_added, seconds_since(start));
}

// One empty template node with the plan pods alone (the snapshot's pods moved aside, so
// nothing but the pod and the node decides): which pods the node-local filters reject
// there, and each pod's requests of the bounded resources in the builder's units.
void Planner::analyse_template() {
  if (analysed_) return;
  analysed_ = true;
  io::ClusterObjects& objects = input_.objects;
  std::vector<io::NodeObject> snapshot_nodes = std::move(objects.nodes);
  std::vector<io::PodObject> all_pods = std::move(objects.pods);
  const auto first = all_pods.begin() + static_cast<std::ptrdiff_t>(input_.first_plan_pod);
  objects.nodes.clear();
  objects.pods.assign(std::make_move_iterator(first), std::make_move_iterator(all_pods.end()));
  auto restore = [&] {
    std::move(objects.pods.begin(), objects.pods.end(), first);
    objects.pods = std::move(all_pods);
    objects.nodes = std::move(snapshot_nodes);
  };
  std::optional<state::ClusterState> built;
  try {
    io::NodeObject node = *input_.node_template;
    node.name = added_node_name(1);
    for (auto& [key, value] : node.labels)
      if (key == "kubernetes.io/hostname") value = node.name;
    objects.nodes.push_back(std::move(node));
    built = state::build_cluster_state(objects);
  } catch (...) {
    restore();
    throw;
  }
  restore();
  const state::ClusterState& cluster = *built;

  config::SchedulerConfiguration local = input_.config;
  for (auto& spec : local.profiles)
    std::erase_if(spec.filters, [](const std::string& f) { return !node_local(f); });
  const auto profiles = profiles_for(local, cluster);
  std::vector<std::unique_ptr<framework::Framework>> frameworks;
  for (const auto& profile : profiles)
    frameworks.push_back(std::make_unique<framework::Framework>(profile, 1, framework::TieBreaker(1, 0), 1));

  // Which resources each profile's NodeResourcesFit checks (else a request is no bound).
  for (std::size_t r = 0; r < cluster.resources.size(); ++r)
    bounded_.push_back(cluster.resources.name(static_cast<state::ResourceId>(r)));
  bounded_.push_back(kPodCount);
  const std::size_t k = bounded_.size();
  std::vector<std::vector<std::uint8_t>> checks(input_.config.profiles.size(), std::vector<std::uint8_t>(k, 0));
  for (std::size_t p = 0; p < input_.config.profiles.size(); ++p) {
    const auto& spec = input_.config.profiles[p];
    if (!has_filter(spec, "NodeResourcesFit")) continue;
    const auto args = fit_args(spec);
    for (std::size_t r = 0; r < k; ++r) checks[p][r] = r + 1 == k || !plugins::noderesources::fit_ignores(args, bounded_[r]);
  }
  template_allocatable_.resize(k);
  for (std::size_t r = 0; r + 1 < k; ++r) template_allocatable_[r] = cluster.nodes.allocatable[r][0];
  template_allocatable_[k - 1] = cluster.nodes.allowed_pods[0];

  template_fits_.assign(cluster.pods.size(), 0);
  plan_requests_.assign(cluster.pods.size() * k, 0);
  for (state::PodIndex i = 0; i < cluster.pods.size(); ++i) {
    const state::PodRecord& pod = cluster.pods[i];
    std::size_t p = 0;
    while (p < profiles.size() && profiles[p].scheduler_name != pod.scheduler_name) ++p;
    if (p == profiles.size()) {
      never_fit_.push_back({pod.key, "no profile for schedulerName \"" + pod.scheduler_name + "\""});
      continue;
    }
    const framework::PodContext ctx{pod, i};
    framework::Status rejection;
    if (frameworks[p]->feasible_nodes(ctx, cluster, rejection).empty()) {
      never_fit_.push_back({pod.key, frameworks[p]->unschedulable_reason(ctx, cluster, rejection)});
      continue;
    }
    template_fits_[i] = 1;
    for (std::size_t r = 0; r < k; ++r)
      if (checks[p][r]) plan_requests_[i * k + r] = r + 1 == k ? 1 : pod.requests[r];
  }
}

const std::vector<Unplaceable>& Planner::never_fit_template() {
  analyse_template();
  return never_fit_;
}

const LowerBound& Planner::lower_bound() {
  if (lower_bound_) return *lower_bound_;
  analyse_template();
  const std::size_t k = bounded_.size();
  std::vector<std::int64_t> need(k, 0);
  for (std::size_t i = 0; i < template_fits_.size(); ++i)
    for (std::size_t r = 0; r < k; ++r) need[r] += plan_requests_[i * k + r];

  // The snapshot's free room, from its state before any pending pod is placed (kept for
  // probe(0), which the search runs first when the bound comes out 0).
  if (snapshot_nodes_ > 0) {
    const auto start = std::chrono::steady_clock::now();
    state::ClusterState snapshot = build(0);
    const state::NodeTable& t = snapshot.nodes;
    for (std::size_t r = 0; r < k; ++r) {
      std::int64_t free = 0;
      if (r + 1 == k) {
        for (std::size_t n = 0; n < t.size; ++n) free += std::max<std::int64_t>(0, t.allowed_pods[n] - t.pod_count[n]);
      } else if (const auto id = snapshot.resources.find(bounded_[r])) {
        for (std::size_t n = 0; n < t.size; ++n)
          free += std::max<std::int64_t>(0, t.allocatable[*id][n] - t.requested[*id][n]);
      }
      need[r] -= free;
    }
    ProbeRun kept;
    kept.cluster = std::move(snapshot);
    kept.seconds = seconds_since(start);
    pending_probe_ = std::move(kept);
  }
  LowerBound bound;
  for (std::size_t r = 0; r < k; ++r) {
    if (template_allocatable_[r] <= 0) continue;  // no pod that fits the template asks for it
    const std::size_t nodes = ceil_div(need[r], template_allocatable_[r]);
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
    if (template_allocatable_[r] > 0) o.more_nodes_hint = std::max(o.more_nodes_hint, ceil_div(need[r], template_allocatable_[r]));
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
        k.unplaced.push_back({run.cluster.pods[p.pod].key, p.reason});
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
