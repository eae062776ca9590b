#pragma once
// NodeAffinityArgs (pkg/scheduler/apis/config, v1): addedAffinity, node affinity every pod
// of the profile must also satisfy (required) or is also scored by (preferred).

#include <optional>

#include "podium/io/objects.hpp"

namespace podium::plugins::nodeaffinity {

struct NodeAffinityArgs {
  std::optional<io::NodeAffinity> added_affinity;
};

// validation.ValidateNodeAffinityArgs: every non-empty required term and every preferred
// term with a non-zero weight must parse (nodeaffinity.NewNodeSelector /
// NewPreferredSchedulingTerms). Throws std::invalid_argument naming the field, e.g.
// "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: ...".
void validate(const NodeAffinityArgs& args);

}  // namespace podium::plugins::nodeaffinity
