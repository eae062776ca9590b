#pragma once
// Shared by the plugin tests: explain a pod through the framework's slow path, read one
// plugin's score, and dress the cluster_fixture's nodes and pods with the scheduling
// fields the TaintToleration / NodeAffinity / NodePorts / ImageLocality tests need.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../../support/cluster_fixture.hpp"
#include "podium/framework/framework.hpp"

namespace podium::testing {

// Explains the last pod of `c` (a pending pod) under `spec`.
inline framework::Explanation explain_last(state::ClusterState& c,
                                           const framework::ProfileSpec& spec = framework::default_profile_spec()) {
  const auto profile = framework::build_profile(spec, c);
  framework::Framework fw(profile, c.nodes.size, framework::TieBreaker(c.nodes.size, 1));
  const auto p = static_cast<state::PodIndex>(c.pods.size() - 1);
  return fw.explain({c.pods[p], p}, c, 0);
}

// The plugin's (normalized, unweighted) score of node `node`; -1 if it did not score.
inline std::int64_t score_of(const framework::Explanation& ex, std::size_t node, const std::string& plugin) {
  for (std::size_t s = 0; s < ex.score_plugins.size(); ++s)
    if (ex.score_plugins[s] == plugin) return ex.nodes[node].scores[s];
  return -1;
}

inline bool scored_by(const framework::Explanation& ex, const std::string& plugin) {
  for (const auto& s : ex.score_plugins)
    if (s == plugin) return true;
  return false;
}

// A profile with just one filter and/or score plugin, to look at it alone.
inline framework::ProfileSpec only(const std::string& filter, const std::string& scorer = "", std::int64_t weight = 1) {
  framework::ProfileSpec spec;
  if (!filter.empty()) spec.filters = {filter};
  if (!scorer.empty()) spec.scores = {{scorer, weight}};
  return spec;
}

inline io::NodeObject labeled(io::NodeObject n, io::StringMap labels) {
  n.labels = std::move(labels);
  return n;
}

inline io::NodeObject tainted(io::NodeObject n, std::vector<io::Taint> taints) {
  n.taints = std::move(taints);
  return n;
}

inline io::NodeObject with_images(io::NodeObject n, std::vector<io::NodeImage> images) {
  n.images = std::move(images);
  return n;
}

inline io::Toleration toleration(std::string key, std::string op, std::string value, std::string effect) {
  return {std::move(key), std::move(op), std::move(value), std::move(effect), std::nullopt};
}

inline io::NodeSelectorRequirement req(std::string key, std::string op, std::vector<std::string> values = {}) {
  return {std::move(key), std::move(op), std::move(values)};
}

inline io::NodeSelectorTerm term(std::vector<io::NodeSelectorRequirement> expressions,
                                 std::vector<io::NodeSelectorRequirement> fields = {}) {
  return {std::move(expressions), std::move(fields)};
}

inline io::PodObject requiring(io::PodObject p, std::vector<io::NodeSelectorTerm> terms) {
  if (!p.affinity) p.affinity.emplace();
  if (!p.affinity->node_affinity) p.affinity->node_affinity.emplace();
  p.affinity->node_affinity->required = std::move(terms);
  return p;
}

inline io::PodObject preferring(io::PodObject p, std::vector<io::PreferredSchedulingTerm> terms) {
  if (!p.affinity) p.affinity.emplace();
  if (!p.affinity->node_affinity) p.affinity->node_affinity.emplace();
  p.affinity->node_affinity->preferred = std::move(terms);
  return p;
}

inline io::ContainerPort host_port(std::int32_t port, std::string protocol = "TCP", std::string ip = "") {
  io::ContainerPort p;
  p.container_port = port;
  p.host_port = port;
  p.protocol = std::move(protocol);
  p.host_ip = std::move(ip);
  return p;
}

}  // namespace podium::testing
