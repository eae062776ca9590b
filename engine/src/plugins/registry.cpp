// The one place that wires plugin names to implementations (upstream
// pkg/scheduler/framework/plugins/registry.go).

#include <any>

#include "podium/framework/registry.hpp"
#include "podium/plugins/imagelocality/image_locality.hpp"
#include "podium/plugins/interpodaffinity/inter_pod_affinity.hpp"
#include "podium/plugins/nodeaffinity/node_affinity.hpp"
#include "podium/plugins/nodename/node_name.hpp"
#include "podium/plugins/nodeports/node_ports.hpp"
#include "podium/plugins/noderesources/balanced_allocation.hpp"
#include "podium/plugins/noderesources/fit.hpp"
#include "podium/plugins/nodeunschedulable/node_unschedulable.hpp"
#include "podium/plugins/podtopologyspread/pod_topology_spread.hpp"
#include "podium/plugins/tainttoleration/taint_toleration.hpp"

namespace podium::framework {
namespace {

// Typed args, or the plugin's defaults when the profile gives none.
template <class Args>
Args args_or_default(const std::any& args) {
  if (!args.has_value()) return Args{};
  return std::any_cast<Args>(args);
}

Registry make_builtin() {
  namespace nr = plugins::noderesources;
  namespace na = plugins::nodeaffinity;
  Registry r;
  r.add(std::string(plugins::NodeUnschedulable::kName), [](const std::any&, const ClusterState& c) {
    return std::make_unique<plugins::NodeUnschedulable>(c);
  });
  r.add(std::string(plugins::NodeName::kName),
        [](const std::any&, const ClusterState&) { return std::make_unique<plugins::NodeName>(); });
  r.add(std::string(plugins::TaintToleration::kName), [](const std::any&, const ClusterState& c) {
    return std::make_unique<plugins::TaintToleration>(c);
  });
  r.add(std::string(na::NodeAffinity::kName), [](const std::any& a, const ClusterState& c) {
    return std::make_unique<na::NodeAffinity>(args_or_default<na::NodeAffinityArgs>(a), c);
  });
  r.add(std::string(plugins::NodePorts::kName),
        [](const std::any&, const ClusterState&) { return std::make_unique<plugins::NodePorts>(); });
  r.add(std::string(nr::Fit::kName), [](const std::any& a, const ClusterState& c) {
    return std::make_unique<nr::Fit>(args_or_default<nr::FitArgs>(a), c);
  });
  r.add(std::string(nr::BalancedAllocation::kName), [](const std::any& a, const ClusterState& c) {
    return std::make_unique<nr::BalancedAllocation>(args_or_default<nr::BalancedAllocationArgs>(a), c);
  });
  r.add(std::string(plugins::interpodaffinity::InterPodAffinity::kName), [](const std::any& a, const ClusterState& c) {
    namespace ipa = plugins::interpodaffinity;
    return std::make_unique<ipa::InterPodAffinity>(args_or_default<ipa::InterPodAffinityArgs>(a), c);
  });
  namespace pts = plugins::podtopologyspread;
  r.add(std::string(pts::PodTopologySpread::kName), [](const std::any& a, const ClusterState& c) {
    return std::make_unique<pts::PodTopologySpread>(args_or_default<pts::PodTopologySpreadArgs>(a), c);
  });
  r.add(std::string(plugins::ImageLocality::kName),
        [](const std::any&, const ClusterState&) { return std::make_unique<plugins::ImageLocality>(); });
  return r;
}

}  // namespace

const Registry& Registry::builtin() {
  static const Registry registry = make_builtin();
  return registry;
}

Registry& Registry::global() {
  static Registry registry = builtin();
  return registry;
}

}  // namespace podium::framework
