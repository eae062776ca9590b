#pragma once
// Hand-built clusters for tests: Kubernetes objects written in a line each, with
// quantities in Kubernetes notation, turned into a ClusterState the way the CLI does.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "podium/io/objects.hpp"
#include "podium/io/quantity.hpp"
#include "podium/state/cluster_builder.hpp"

namespace podium::testing {

inline io::Quantity q(const std::string& text) {
  std::string error;
  auto parsed = io::parse_quantity(text, &error);
  if (!parsed) throw std::invalid_argument("bad test quantity " + text + ": " + error);
  return *parsed;
}

inline io::ResourceList resources(std::vector<std::pair<std::string, std::string>> list) {
  io::ResourceList out;
  for (auto& [name, amount] : list) out.emplace_back(name, q(amount));
  return out;
}

inline io::NodeObject node(std::string name, const std::string& cpu, const std::string& memory, int pods = 110,
                           std::vector<std::pair<std::string, std::string>> extra = {}) {
  io::NodeObject n;
  n.name = std::move(name);
  n.allocatable = resources({{"cpu", cpu}, {"memory", memory}, {"pods", std::to_string(pods)}});
  for (auto& [r, amount] : extra) n.allocatable.emplace_back(r, q(amount));
  return n;
}

// A pod with one container requesting the given resources (empty string: not requested).
inline io::PodObject pod(std::string name, const std::string& cpu, const std::string& memory,
                         std::vector<std::pair<std::string, std::string>> extra = {}) {
  io::PodObject p;
  p.name = std::move(name);
  io::Container c;
  c.name = "main";
  if (!cpu.empty()) c.requests.emplace_back("cpu", q(cpu));
  if (!memory.empty()) c.requests.emplace_back("memory", q(memory));
  for (auto& [r, amount] : extra) c.requests.emplace_back(r, q(amount));
  p.containers.push_back(std::move(c));
  return p;
}

inline io::PodObject bound(io::PodObject p, std::string node_name) {
  p.node_name = std::move(node_name);
  p.phase = "Running";
  return p;
}

inline state::ClusterState cluster(std::vector<io::NodeObject> nodes, std::vector<io::PodObject> pods) {
  io::ClusterObjects objects;
  objects.nodes = std::move(nodes);
  objects.pods = std::move(pods);
  return state::build_cluster_state(objects);
}

}  // namespace podium::testing
