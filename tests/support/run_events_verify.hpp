#pragma once
// A bench run's events (RunOptions::record_events) as a `podium verify` list, and the
// check that podium verify accepts them on the workload's scenario (build_scenario at the
// run's seed): each placed attempt binds its pod, each deletion (workload deletePods,
// churn, a preemption victim) is a deletion entry that frees the pod's node, each node a
// createNodes op added mid-run is a creation entry (the node does not exist before it), and
// a pod that never got placed is listed once, unplaced, at its last attempt (the living
// queue may try a pod several times; a list names it once).

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "harness/results.hpp"
#include "harness/scenario.hpp"
#include "harness/workload.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/verify/verify.hpp"

namespace podium::bench {

inline verify::Placements placements_of(const io::ClusterObjects& objects, const RunResult& r) {
  const state::ClusterState cluster = state::build_cluster_state(objects);
  verify::Placements out;
  out.file = "<" + r.test_case + "/" + r.workload + " [" + r.algorithm + "]>";
  std::map<std::uint32_t, std::size_t> last_attempt;
  for (std::size_t i = 0; i < r.events.size(); ++i)
    if (r.events[i].kind == RunEvent::Kind::kAttempt) last_attempt[r.events[i].pod] = i;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const RunEvent& e = r.events[i];
    verify::PlacementEntry entry;
    entry.path = "events[" + std::to_string(i) + "]";
    if (e.kind == RunEvent::Kind::kCreateNode) {
      entry.node = cluster.nodes.names[static_cast<std::size_t>(e.node)];
      entry.created = true;
      out.entries.push_back(std::move(entry));
      continue;
    }
    const bool placed = e.kind == RunEvent::Kind::kAttempt && e.node >= 0;
    const bool deletion = e.kind == RunEvent::Kind::kDelete;
    if (!placed && !deletion && last_attempt[e.pod] != i) continue;
    entry.pod = cluster.pods[e.pod].key;
    if (placed) entry.node = cluster.nodes.names[static_cast<std::size_t>(e.node)];
    entry.deleted = deletion;
    out.entries.push_back(std::move(entry));
  }
  return out;
}

inline ::testing::AssertionResult verifies(const Workload& w, const RunResult& r) {
  const Scenario scenario = build_scenario(w, r.seed);
  const auto report = verify::verify_placements(scenario.objects, placements_of(scenario.objects, r), {});
  if (report.ok()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << r.algorithm << " at " << r.threads << " thread(s): " << report.violations.size() << " violation(s), "
          << report.errors.size() << " list error(s)";
  for (std::size_t k = 0; k < report.errors.size() && k < 10; ++k) failure << "\n  " << report.errors[k];
  for (std::size_t k = 0; k < report.violations.size() && k < 10; ++k)
    failure << "\n  " << verify::format_violation(report.violations[k]) << " [" << report.violations[k].rule << "]";
  return failure;
}

}  // namespace podium::bench
