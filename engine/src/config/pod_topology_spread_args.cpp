#include "config/pod_topology_spread_args.hpp"

namespace podium::config::detail {

namespace pts = plugins::podtopologyspread;

pts::PodTopologySpreadArgs read_pod_topology_spread_args(const Object& args) {
  pts::PodTopologySpreadArgs a;
  if (const Value type = args["defaultingType"]; type.present()) {
    const std::string t = type.string();
    if (t == "System") {
      a.defaulting_type = pts::DefaultingType::kSystem;
    } else if (t == "List") {
      a.defaulting_type = pts::DefaultingType::kList;
    } else {
      // validateDefaultingType
      type.fail("Unsupported value: \"" + t + "\": supported values: \"System\", \"List\"");
    }
  }
  for (const Value& item : args["defaultConstraints"].items()) {
    const Object c = item.object({"maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains",
                                  "nodeAffinityPolicy", "nodeTaintsPolicy", "matchLabelKeys"});
    pts::DefaultConstraint d;
    if (c["maxSkew"].present()) d.max_skew = c["maxSkew"].int32();
    if (c["topologyKey"].present()) d.topology_key = c["topologyKey"].string();
    if (c["whenUnsatisfiable"].present()) d.when_unsatisfiable = c["whenUnsatisfiable"].string();
    d.has_label_selector = c["labelSelector"].present();
    if (c["minDomains"].present()) d.min_domains = c["minDomains"].int32();
    if (c["nodeAffinityPolicy"].present()) d.node_affinity_policy = c["nodeAffinityPolicy"].string();
    if (c["nodeTaintsPolicy"].present()) d.node_taints_policy = c["nodeTaintsPolicy"].string();
    // matchLabelKeys would be merged into a selector that buildDefaultConstraints then
    // replaces with the pod's default selector: read for its type, otherwise unused.
    if (c["matchLabelKeys"].present()) (void)c["matchLabelKeys"].strings();
    a.default_constraints.push_back(std::move(d));
  }
  return a;
}

}  // namespace podium::config::detail
