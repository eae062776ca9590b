#include "generator/constraints.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "podium/framework/tie_breaker.hpp"

namespace podium::datasets {
namespace {

using framework::bounded;
using framework::splitmix64;

// Each constraint draws from its own stream (seed mixed with a salt), so turning one on
// never moves another's picks.
enum Salt : std::uint64_t {
  kTaintSalt = 0x7a1d'0001,
  kTolerationSalt = 0x7a1d'0002,
  kLabelSalt = 0x7a1d'0003,
  kNodeAffinitySalt = 0x7a1d'0004,
  kSpreadSalt = 0x7a1d'0005,
  kAntiAffinitySalt = 0x7a1d'0006,
  kPodAffinitySalt = 0x7a1d'0007,
};

// Exactly round(share x count) of `count` items, picked by a seeded partial Fisher-Yates.
std::vector<std::uint8_t> pick(std::size_t count, double share, std::uint64_t seed, Salt salt) {
  std::vector<std::uint8_t> picked(count, 0);
  const auto k = static_cast<std::size_t>(std::llround(share * static_cast<double>(count)));
  if (k == 0) return picked;
  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0U);
  std::uint64_t state = splitmix64(seed ^ salt);
  for (std::size_t i = 0; i < k; ++i) {
    state = splitmix64(state);
    const std::size_t j = i + bounded(state, static_cast<std::uint32_t>(count - i));
    std::swap(order[i], order[j]);
    picked[order[i]] = 1;
  }
  return picked;
}

void check_share(double share, const char* flag) {
  if (!(share >= 0 && share <= 1)) throw std::invalid_argument(std::string(flag) + " must be in [0, 1]");
}

void check_member(const std::string& value, std::initializer_list<const char*> allowed, const char* flag) {
  for (const char* a : allowed)
    if (value == a) return;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw std::invalid_argument(std::string(flag) + " must be one of " + list + ", not \"" + value + "\"");
}

io::LabelSelector group_selector(std::uint32_t group) {
  io::LabelSelector selector;
  selector.match_labels = {{"app", "app-" + std::to_string(group)}};
  return selector;
}

io::Affinity& affinity_of(io::PodObject& pod) {
  if (!pod.affinity) pod.affinity.emplace();
  return *pod.affinity;
}

}  // namespace

void validate(const ConstraintOptions& o) {
  check_share(o.taint_nodes, "--taint-nodes");
  check_share(o.tolerate_pods, "--tolerate-pods");
  check_share(o.label_nodes, "--label-nodes");
  check_share(o.node_affinity_pods, "--node-affinity-pods");
  check_share(o.spread_groups, "--spread-groups");
  check_share(o.anti_affinity_groups, "--anti-affinity-groups");
  check_share(o.pod_affinity_groups, "--pod-affinity-groups");
  check_member(o.taint_effect, {"NoSchedule", "PreferNoSchedule"}, "--taint-effect");
  check_member(o.node_affinity, {"required", "preferred", "selector"}, "--node-affinity");
  check_member(o.spread_topology, {"zone", "hostname"}, "--spread-topology");
  check_member(o.spread_when, {"DoNotSchedule", "ScheduleAnyway"}, "--spread-when");
  if (o.spread_max_skew < 1) throw std::invalid_argument("--spread-max-skew must be at least 1");
}

void add_constraints(io::ClusterObjects& objects, const ConstraintOptions& o, std::uint64_t seed) {
  validate(o);
  if (!o.any()) return;
  auto& nodes = objects.nodes;
  auto& pods = objects.pods;

  // Nodes: node-with-taint's taint, and the label node affinity looks for.
  const auto tainted = pick(nodes.size(), o.taint_nodes, seed, kTaintSalt);
  const auto labeled = pick(nodes.size(), o.label_nodes, seed, kLabelSalt);
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    if (tainted[n]) nodes[n].taints.push_back({kTaintKey, kTaintValue, o.taint_effect});
    if (labeled[n]) nodes[n].labels.emplace_back(kPoolLabel, kPoolValue);
  }

  // Pods, one by one: tolerations and node affinity.
  const auto tolerating = pick(pods.size(), o.tolerate_pods, seed, kTolerationSalt);
  const auto targeting = pick(pods.size(), o.node_affinity_pods, seed, kNodeAffinitySalt);
  io::NodeSelectorTerm pool_term;
  pool_term.match_expressions = {{kPoolLabel, "In", {kPoolValue}}};
  for (std::size_t p = 0; p < pods.size(); ++p) {
    io::PodObject& pod = pods[p];
    if (tolerating[p]) pod.tolerations.push_back({kTaintKey, "Equal", kTaintValue, o.taint_effect, std::nullopt});
    if (!targeting[p]) continue;
    if (o.node_affinity == "selector") {
      pod.node_selector.emplace_back(kPoolLabel, kPoolValue);
    } else {
      auto& node_affinity = affinity_of(pod).node_affinity;
      if (!node_affinity) node_affinity.emplace();
      if (o.node_affinity == "required") {
        node_affinity->required = std::vector<io::NodeSelectorTerm>{pool_term};
      } else {
        node_affinity->preferred.push_back({50, pool_term});
      }
    }
  }

  // Pods, by app group: spreading, anti-affinity, affinity toward the own group.
  const auto groups = app_group_count(static_cast<std::uint32_t>(pods.size()));
  const auto spreading = pick(groups, o.spread_groups, seed, kSpreadSalt);
  const auto repelling = pick(groups, o.anti_affinity_groups, seed, kAntiAffinitySalt);
  const auto attracting = pick(groups, o.pod_affinity_groups, seed, kPodAffinitySalt);
  const std::string spread_key =
      o.spread_topology == "zone" ? "topology.kubernetes.io/zone" : "kubernetes.io/hostname";
  for (std::size_t p = 0; p < pods.size(); ++p) {
    io::PodObject& pod = pods[p];
    const std::uint32_t group = app_group(static_cast<std::uint32_t>(p));
    if (spreading[group]) {
      io::TopologySpreadConstraint c;
      c.max_skew = o.spread_max_skew;
      c.topology_key = spread_key;
      c.when_unsatisfiable = o.spread_when;
      c.label_selector = group_selector(group);
      pod.topology_spread_constraints.push_back(std::move(c));
    }
    if (repelling[group]) {
      auto& anti = affinity_of(pod).pod_anti_affinity;
      if (!anti) anti.emplace();
      io::PodAffinityTerm term;
      term.label_selector = group_selector(group);
      term.topology_key = "kubernetes.io/hostname";
      anti->required.push_back(std::move(term));
    }
    if (attracting[group]) {
      auto& affinity = affinity_of(pod).pod_affinity;
      if (!affinity) affinity.emplace();
      io::PodAffinityTerm term;
      term.label_selector = group_selector(group);
      term.topology_key = "topology.kubernetes.io/zone";
      affinity->preferred.push_back({1, std::move(term)});
    }
  }
}

}  // namespace podium::datasets
