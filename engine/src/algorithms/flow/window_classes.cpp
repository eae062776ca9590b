#include "algorithms/flow/window_classes.hpp"

#include <map>
#include <string>

namespace podium::algorithms::flow {
namespace {

// Whether the flow may decide this pod (see the header's list of who is left out).
bool flow_decides(framework::Framework& fw, const state::PodRecord& pod, PodIndex p, const state::ClusterState& cluster) {
  if (fw.samples() || !pod.host_ports.empty()) return false;
  return fw.decides_locally({pod, p}, cluster);
}

}  // namespace

WindowClasses classify_window(const WindowContext& ctx, std::span<const PodIndex> window) {
  const state::ClusterState& cluster = ctx.cluster;
  WindowClasses out;
  out.node_count = cluster.nodes.size;

  // Key: (profile, signature). Profiles are numbered in order of first appearance.
  std::vector<framework::Framework*> profiles;
  std::map<std::pair<std::size_t, std::string>, std::size_t> class_of;
  for (std::size_t i = 0; i < window.size(); ++i) {
    const PodIndex p = window[i];
    framework::Framework* fw = ctx.framework_of(p);
    if (fw == nullptr) continue;
    const state::PodRecord& pod = cluster.pods[p];
    if (!flow_decides(*fw, pod, p, cluster)) continue;
    std::size_t profile = 0;
    while (profile < profiles.size() && profiles[profile] != fw) ++profile;
    if (profile == profiles.size()) profiles.push_back(fw);
    // An unsignable profile: the window position makes the key unique.
    std::string key;
    if (fw->node_results_cacheable()) {
      key = fw->signature(pod);
    } else {
      key = std::to_string(i);
      key.push_back('#');  // no signature ends in '#' ('|' ends each fragment)
    }
    const auto [it, inserted] = class_of.try_emplace({profile, std::move(key)}, out.classes.size());
    if (inserted) {
      PodClass c;
      c.framework = fw;
      c.representative = p;
      for (std::size_t r = 0; r < pod.requests.size(); ++r)
        if (pod.requests[r] > 0) c.demand.emplace_back(static_cast<state::ResourceId>(r), pod.requests[r]);
      out.classes.push_back(std::move(c));
    }
    out.classes[it->second].members.push_back(static_cast<std::uint32_t>(i));
  }

  // One evaluation per class on the window-start state. A class whose PreFilter rejects
  // the representative is dropped whole: its pods fall back and get the profile's reason.
  out.totals.resize(out.classes.size() * out.node_count);
  std::size_t kept = 0;
  for (std::size_t c = 0; c < out.classes.size(); ++c) {
    PodClass& cls = out.classes[c];
    const framework::PodContext pod{cluster.pods[cls.representative], cls.representative};
    framework::Status rejection;
    if (!cls.framework->prepare(pod, cluster, rejection)) continue;
    cls.framework->evaluate_all(pod, cluster, out.totals.data() + kept * out.node_count);
    if (kept != c) out.classes[kept] = std::move(cls);
    ++kept;
  }
  out.classes.resize(kept);
  out.totals.resize(kept * out.node_count);
  return out;
}

}  // namespace podium::algorithms::flow
