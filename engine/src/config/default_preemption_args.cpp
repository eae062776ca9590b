#include "config/default_preemption_args.hpp"

namespace podium::config::detail {

DefaultPreemptionArgs read_default_preemption_args(const Object& args) {
  DefaultPreemptionArgs a;
  const Value percentage = args["minCandidateNodesPercentage"];
  const Value absolute = args["minCandidateNodesAbsolute"];
  if (percentage.present()) a.min_candidate_nodes_percentage = percentage.int32();
  if (absolute.present()) a.min_candidate_nodes_absolute = absolute.int32();
  // validateMinCandidateNodesPercentage / validateMinCandidateNodesAbsolute, then the
  // pair (pkg/scheduler/apis/config/validation/validation_pluginargs.go, v1.35); upstream
  // reports the pair at both fields, the first is enough to locate it.
  if (a.min_candidate_nodes_percentage < 0 || a.min_candidate_nodes_percentage > 100)
    percentage.fail("Invalid value: " + std::to_string(a.min_candidate_nodes_percentage) + ": not in valid range [0, 100]");
  if (a.min_candidate_nodes_absolute < 0)
    absolute.fail("Invalid value: " + std::to_string(a.min_candidate_nodes_absolute) + ": not in valid range [0, inf)");
  if (a.min_candidate_nodes_percentage == 0 && a.min_candidate_nodes_absolute == 0)
    (percentage.present() ? percentage : absolute)
        .fail("Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute");
  return a;
}

}  // namespace podium::config::detail
