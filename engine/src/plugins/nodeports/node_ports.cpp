#include "podium/plugins/nodeports/node_ports.hpp"

namespace podium::plugins {

using framework::Status;

namespace {

// HostPortInfo.CheckConflict for one wanted port against a node's ports (both sanitized).
bool conflicts(const state::HostPortRecord& want, const std::vector<state::HostPortRecord>& used, StringId any_ip) {
  for (const auto& u : used) {
    if (u.port != want.port || u.protocol != want.protocol) continue;
    if (want.ip == any_ip || u.ip == any_ip || u.ip == want.ip) return true;
  }
  return false;
}

// fitsPorts
bool fits(const state::PodRecord& pod, const state::NodeTable& nodes, framework::NodeIndex n) {
  const auto& used = nodes.used_ports[n];
  if (used.empty()) return true;
  for (const auto& want : pod.host_ports)
    if (conflicts(want, used, nodes.any_ip)) return false;
  return true;
}

}  // namespace

bool NodePorts::sign(const state::PodRecord& pod, std::string& sig) const {
  for (const auto& p : pod.host_ports) {
    const std::uint32_t fields[] = {p.ip, p.protocol, static_cast<std::uint32_t>(p.port)};
    sig.append(reinterpret_cast<const char*>(fields), sizeof fields);
  }
  sig.push_back(';');
  return true;
}

Status NodePorts::pre_filter(framework::CycleState&, const framework::PodContext& ctx, const framework::ClusterState&) {
  if (ctx.pod.host_ports.empty()) return Status(framework::Code::kSkip);
  return {};
}

std::size_t NodePorts::filter(const framework::CycleState&, const framework::PodContext& ctx,
                              const framework::ClusterState& cluster, std::span<const framework::NodeIndex> candidates,
                              framework::NodeIndex* survivors) const {
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    kept += fits(ctx.pod, cluster.nodes, n) ? 1 : 0;
  }
  return kept;
}

Status NodePorts::filter_node(const framework::CycleState&, const framework::PodContext& ctx,
                              const framework::ClusterState& cluster, framework::NodeIndex node) const {
  if (fits(ctx.pod, cluster.nodes, node)) return {};
  return Status::unschedulable(std::string(kReason));
}

void NodePorts::count_rejections(const framework::CycleState&, const framework::PodContext& ctx,
                                 const framework::ClusterState& cluster, std::span<const framework::NodeIndex> nodes,
                                 framework::ReasonCounts& counts) const {
  std::size_t rejected = 0;
  for (const auto n : nodes) rejected += fits(ctx.pod, cluster.nodes, n) ? 0 : 1;
  counts.add(kReason, rejected);
}

}  // namespace podium::plugins
