// FilterPlugin::count_rejections, which counts an unschedulable pod's FitError reasons over
// many nodes at once, against its per-node truth: filter_node's reasons summed node by
// node. Random clusters with every filter's constraints (node-local ones, topology spread,
// inter-pod affinity, scheduler-enforced node affinity), their pending pods scheduled one
// by one so the state evolves; then the whole FitError text of the batched path against
// the one counted from explain()'s per-node statuses.

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "../../support/random_pod_affinity.hpp"
#include "../../support/random_spread_cluster.hpp"
#include "../../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"
#include "podium/plugins/nodeaffinity/args.hpp"

namespace {

using namespace podium;
using Tally = std::map<std::string, std::size_t>;

io::ClusterObjects filter_cluster(std::uint64_t seed) {
  auto objects = podium::testing::random_spread_cluster_objects(seed, {.nodes = 80, .pending_pods = 240, .bound_pods = 120});
  podium::testing::add_random_pod_affinity(objects, seed);
  // Every fifth pod tolerates cordoned nodes (NodeUnschedulable's other branch).
  for (std::size_t i = 0; i < objects.pods.size(); i += 5)
    objects.pods[i].tolerations.push_back({"node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule", std::nullopt});
  return objects;
}

// The default profile, and one whose NodeAffinity also enforces added affinity (its
// second reason).
std::vector<framework::ProfileSpec> specs() {
  auto enforced = framework::default_profile_spec();
  plugins::nodeaffinity::NodeAffinityArgs args;
  args.added_affinity.emplace();
  args.added_affinity->required =
      std::vector<io::NodeSelectorTerm>{{{{"zone", "NotIn", {"c"}}}, {}}, {{{"disk", "Exists", {}}}, {}}};
  enforced.args["NodeAffinity"] = args;
  return {framework::default_profile_spec(), enforced};
}

// Binds pod p where the engine puts it (so later pods meet fuller, more spread nodes) and
// records the placement for podium verify. False if no node takes it.
bool place(framework::Framework& fw, state::ClusterState& cluster, state::PodIndex p,
           scheduler::ScheduleResult& placed) {
  const auto d = fw.select_node({cluster.pods[p], p}, cluster, placed.placements.size());
  scheduler::Placement placement;
  placement.pod = p;
  placement.node = d.node;
  placed.placements.push_back(std::move(placement));
  if (d.node == state::kNoNode) return false;
  cluster.bind(p, d.node);
  fw.notify_bind(cluster, p, d.node);
  return true;
}

// body(seed, cluster, profile, fw, placed) on a fresh cluster for every seed in [first, last]
// and every spec; then podium verify checks the pods body placed.
template <class Body>
void for_each_cluster(std::uint64_t first, std::uint64_t last, Body body) {
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    for (const auto& spec : specs()) {
      const auto objects = filter_cluster(seed);
      auto cluster = state::build_cluster_state(objects);
      const auto profile = framework::build_profile(spec, cluster);
      framework::Framework fw(profile, cluster.nodes.size, framework::TieBreaker(cluster.nodes.size, seed));
      scheduler::ScheduleResult placed;
      body(seed, cluster, profile, fw, placed);
      EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, placed)) << "seed " << seed;
    }
  }
}

Tally tally(const framework::ReasonCounts& counts) {
  Tally out;
  for (const auto& [reason, nodes] : counts) {
    EXPECT_GT(nodes, 0U) << reason;  // a FitError never prints "0 <reason>"
    out[reason] += nodes;
  }
  return out;
}

TEST(CountRejections, EqualsFilterNodeReasonsSummedNodeByNode) {
  Tally rejected_by_plugin;                // nodes each plugin rejects, over every check
  std::size_t nodes_with_many_reasons = 0;  // Fit's several shortfalls on one node
  std::size_t pods_narrowed = 0;            // NodeAffinity's PreFilterResult (metadata.name In)
  std::size_t cordons_tolerated = 0;        // NodeUnschedulable accepting a cordoned node
  for_each_cluster(1, 5, [&](std::uint64_t seed, state::ClusterState& cluster, const framework::Profile& profile,
                             framework::Framework& fw, scheduler::ScheduleResult& placed) {
    framework::CycleState cycle(profile.slot_count);
    std::vector<state::NodeIndex> all(cluster.nodes.size);
    std::iota(all.begin(), all.end(), state::NodeIndex{0});
    std::vector<state::NodeIndex> odd;  // a sparse, out-of-order subset
    for (auto n = all.rbegin(); n != all.rend(); ++n)
      if (*n % 2 == 1) odd.push_back(*n);
    for (const auto p : cluster.pending_in_queue_order()) {
      const framework::PodContext ctx{cluster.pods[p], p};
      for (framework::FilterPlugin* plugin : profile.filters) {
        if (!plugin->pre_filter(cycle, ctx, cluster).ok()) continue;  // skipped or rejected: no Filter
        // has_pre_filter_result lets the framework skip asking outside_pre_filter_result.
        const bool narrowed = plugin->has_pre_filter_result(cycle, ctx, cluster);
        pods_narrowed += narrowed ? 1 : 0;
        for (const state::NodeIndex n : all)
          ASSERT_TRUE(narrowed || !plugin->outside_pre_filter_result(cycle, ctx, cluster, n)) << plugin->name();
        for (const auto* nodes : {&all, &odd}) {
          framework::ReasonCounts batch;
          plugin->count_rejections(cycle, ctx, cluster, *nodes, batch);
          Tally node_by_node;
          for (const state::NodeIndex n : *nodes) {
            const auto status = plugin->filter_node(cycle, ctx, cluster, n);
            for (const auto& reason : status.reasons()) ++node_by_node[reason];
            if (nodes == &all) rejected_by_plugin[std::string(plugin->name())] += status.ok() ? 0 : 1;
            nodes_with_many_reasons += status.reasons().size() > 1 ? 1 : 0;
            cordons_tolerated += plugin->name() == "NodeUnschedulable" && status.ok() && cluster.nodes.unschedulable[n];
          }
          ASSERT_EQ(tally(batch), node_by_node) << plugin->name() << " seed " << seed << " pod " << ctx.pod.key;
        }
      }
      (void)place(fw, cluster, p, placed);
    }
  });
  // The comparison means little unless every overriding plugin rejected nodes here.
  for (const char* name : {"NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
                           "PodTopologySpread", "InterPodAffinity"})
    EXPECT_GT(rejected_by_plugin[name], 0U) << name;
  EXPECT_GT(nodes_with_many_reasons, 0U);
  EXPECT_GT(pods_narrowed, 0U);
  EXPECT_GT(cordons_tolerated, 0U);
}

TEST(CountRejections, FitErrorEqualsTheOneCountedFromEveryNodesFirstRejection) {
  // Framework::unschedulable_reason (batch passes + count_rejections) against explain()'s
  // statuses (first_rejection node by node), for every pending pod, placeable or not.
  std::size_t unplaceable = 0;
  std::size_t outside_pre_filter_result = 0;  // FitErrors counting nodes NodeAffinity's PreFilterResult left out
  for_each_cluster(1, 6, [&](std::uint64_t seed, state::ClusterState& cluster, const framework::Profile&,
                             framework::Framework& fw, scheduler::ScheduleResult& placed) {
    for (const auto p : cluster.pending_in_queue_order()) {
      const framework::PodContext ctx{cluster.pods[p], p};
      const auto explanation = fw.explain(ctx, cluster, placed.placements.size());
      framework::Status rejection;
      const std::string expected =
          fw.pre_filter(ctx, cluster, rejection)
              ? framework::Framework::fit_error_message(cluster.nodes.size, {}, explanation.nodes)
              : framework::Framework::fit_error_message(cluster.nodes.size, rejection, framework::ReasonCounts{});
      EXPECT_EQ(fw.unschedulable_reason(ctx, cluster, rejection), expected) << "seed " << seed << " " << ctx.pod.key;
      outside_pre_filter_result += expected.find("didn't satisfy plugin(s) [NodeAffinity]") != std::string::npos;
      unplaceable += place(fw, cluster, p, placed) ? 0 : 1;
    }
  });
  EXPECT_GT(unplaceable, 0U);
  EXPECT_GT(outside_pre_filter_result, 0U);
}

}  // namespace
