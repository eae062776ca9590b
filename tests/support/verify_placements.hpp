#pragma once
// Checks an engine run with `podium verify`'s independent checker (podium/verify): every
// placed pod of `result`, replayed in decision order on the cluster `objects` describes,
// obeys the filters' rules. For any algorithm test:
//
//   auto cluster = state::build_cluster_state(objects);
//   const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, options);
//   EXPECT_TRUE(testing::placements_verify(objects, cluster, result));
//
// `cluster` is only read for pod keys and node names (its pods and nodes in the order
// the builder gives them), so it may be the state the scheduler mutated.

#include <gtest/gtest.h>

#include <string>

#include "podium/io/objects.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_state.hpp"
#include "podium/verify/verify.hpp"

namespace podium::testing {

inline verify::Placements placements_of(const state::ClusterState& cluster, const scheduler::ScheduleResult& result) {
  verify::Placements out;
  out.file = "<ScheduleResult>";
  for (std::size_t i = 0; i < result.placements.size(); ++i) {
    const auto& p = result.placements[i];
    verify::PlacementEntry e;
    e.pod = cluster.pods[p.pod].key;
    if (p.node != state::kNoNode) e.node = cluster.nodes.names[p.node];
    // GPU sharing: the devices the pod took at its bind (kept if it was evicted since).
    if (const auto& pod = cluster.pods[p.pod]; p.node != state::kNoNode && cluster.gpu && pod.uses_gpu_sharing()) {
      e.gpus.emplace();
      for (int d = 0; d < 8; ++d)
        if (((pod.last_gpu_devices >> d) & 1U) != 0) e.gpus->push_back(d);
    }
    if (p.evicted_by != scheduler::kNoPod) e.evicted_by = cluster.pods[p.evicted_by].key;
    e.path = "placements[" + std::to_string(i) + "]";
    out.entries.push_back(std::move(e));
  }
  return out;
}

inline ::testing::AssertionResult placements_verify(const io::ClusterObjects& objects,
                                                    const state::ClusterState& cluster,
                                                    const scheduler::ScheduleResult& result,
                                                    const verify::VerifyOptions& options = {}) {
  const auto report = verify::verify_placements(objects, placements_of(cluster, result), options);
  if (report.ok()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << report.violations.size() << " violation(s), " << report.errors.size() << " list error(s):";
  std::size_t shown = 0;
  for (const auto& e : report.errors)
    if (shown++ < 20) failure << "\n  " << e;
  for (const auto& v : report.violations)
    if (shown++ < 20) failure << "\n  " << verify::format_violation(v) << " [" << v.rule << "]";
  return failure;
}

}  // namespace podium::testing
