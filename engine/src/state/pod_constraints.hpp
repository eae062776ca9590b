#pragma once
// Compiles a pod's inter-pod constraints at load: spec.topologySpreadConstraints, the
// default spreading selector its owners imply, and spec.affinity.podAffinity /
// podAntiAffinity (cluster_state.hpp's records). Pods with equal affinity share one
// record. Rejects what the API server's validation rejects, naming the field.

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "podium/io/objects.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::state {

class PodConstraintCompiler {
 public:
  // `owners` are the input's Services / ReplicationControllers / ReplicaSets / StatefulSets.
  PodConstraintCompiler(StringInterner& strings, const std::vector<io::SelectorOwnerObject>& owners);

  // `labels` and `namespace_id` are the pod's, already interned.
  std::vector<TopologySpreadConstraintRecord> spread_constraints(const io::PodObject& pod,
                                                                 const std::vector<LabelPair>& labels);
  std::optional<LabelSelectorRecord> default_spread_selector(const io::PodObject& pod,
                                                            const std::vector<LabelPair>& labels,
                                                            StringId namespace_id);
  std::shared_ptr<const PodAffinityRecord> pod_affinity(const io::PodObject& pod, const std::vector<LabelPair>& labels,
                                                        StringId namespace_id);

 private:
  struct Owner {
    std::string kind;
    std::string name;
    StringId namespace_id = 0;
    std::optional<LabelSelectorRecord> selector;  // nullopt: nil selector
    std::vector<LabelPair> map_selector;          // Service / RC: the selector map
  };
  LabelSelectorRecord compile_selector(const std::optional<io::LabelSelector>& selector, const io::SourceRef& source,
                                       const std::string& field);
  PodAffinityTermRecord compile_term(const io::PodAffinityTerm& term, const io::PodObject& pod,
                                     const std::vector<LabelPair>& labels, StringId namespace_id,
                                     const std::string& field);

  StringInterner& strings_;
  std::vector<Owner> owners_;
  std::unordered_map<std::string, std::shared_ptr<const PodAffinityRecord>> affinities_;
};

}  // namespace podium::state
