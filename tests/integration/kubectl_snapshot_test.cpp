// A user's real cluster, as `kubectl get nodes,pods,namespaces -A -o json` prints it:
// tests/data/snapshot/kubectl_snapshot.json (written by make_snapshot.py beside it) carries
// managedFields, last-applied annotations, ownerReferences, node conditions, addresses,
// images and nodeInfo, pod conditions and containerStatuses, and every kind of pod a live
// cluster has. The expected answers below were worked out by hand from the snapshot.
//
// Nodes (all 4 cpu; kindnet, a DaemonSet at 100m, runs on each):
//   cp-1       zone a  control-plane taint; etcd 100m, apiserver 250m, controller-manager 200m,
//                      scheduler 100m (mirror pods), two CoreDNS 100m
//   worker-a1  zone a  web-x2v9k 1000m, shop/postgres-dev 250m  -> 1350m used, 2650m free;
//                      also a Succeeded Job pod (2000m) and a Failed pod (1000m): if they
//                      counted, 4350m would be used and nothing more would fit
//   worker-b1  zone b  web-r7p4q 1000m, data/postgres-0 2000m, and web-5b8f7c6d9-old1 500m,
//                      which is being deleted but still holds its room -> 3600m used
//   worker-b2  zone b  only DaemonSets (joined just before the snapshot)
//   worker-c1  zone c  cordoned (spec.unschedulable + its taint); web-d5m2w 1000m, bound
//                      while still Pending (ContainerCreating): counts
//   worker-c2  zone c  NotReady: node.kubernetes.io/not-ready NoSchedule + NoExecute taints
//
// Pending pods, in queue order (priority, then creationTimestamp):
//   kube-proxy-q7x2p    DaemonSet for worker-c2, tolerates everything     -> worker-c2
//   fluent-bit-8kd2w    DaemonSet for worker-c1 (the controller's tolerations include
//                       node.kubernetes.io/unschedulable)                   -> worker-c1
//   node-problem-detector-zt5lq  DaemonSet for worker-c2, the controller's tolerations do
//                       not cover not-ready:NoSchedule -> unschedulable: worker-c2's taint,
//                       and the 5 other nodes left out by NodeAffinity's PreFilterResult
//   etl-nightly-...     2500m, nodeSelector zone a: cp-1 tainted, worker-a1 has 2650m free
//                       only because finished pods do not count          -> worker-a1
//   spark-exec-1        schedulerName volcano: no profile serves it, not scheduled
//   web-6c7b9d5f4-k2x9p 1000m, required anti-affinity to app=web per hostname: a1, b1, c1
//                       hold web pods, c1 is cordoned, c2 NotReady, cp-1 tainted -> worker-b2
//   web-6c7b9d5f4-m8v3r the same: a1 (150m free after etl) and b1 (400m) lack cpu, b2 now
//                       has a web pod                                     -> unschedulable
//   web-6c7b9d5f4-zq7n4 pending with a deletionTimestamp: skipped (skipPodSchedule), absent
//   report-ui-...       300m, required pod affinity (hostname) to app=postgres in namespaces
//                       labelled team=data: only data/postgres-0 on worker-b1 qualifies
//                       (shop/postgres-dev on worker-a1 is in a team=shop namespace)
//                                                                          -> worker-b1
//   cart-warmup         600m, nodeSelector hostname worker-b1: 3600m + 300m used, 100m free
//                       (it would fit if the pod being deleted did not count) -> unschedulable

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "../support/placement_runs.hpp"
#include "../support/run_podium.hpp"
#include "../support/verify_placements.hpp"
#include "podium/framework/framework.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;
using podium::testing::run_podium;

const std::string kDir = PODIUM_SOURCE_DIR "/tests/data/snapshot/";
const std::string kSnapshot = kDir + "kubectl_snapshot.json";

// pod key -> node name ("" when unplaced), as every test below expects it.
const std::map<std::string, std::string> kExpected = {
    {"kube-system/kube-proxy-q7x2p", "worker-c2"},
    {"kube-system/fluent-bit-8kd2w", "worker-c1"},
    {"monitoring/node-problem-detector-zt5lq", ""},
    {"batch/etl-nightly-29012345-5tq9z", "worker-a1"},
    {"batch/spark-exec-1", ""},
    {"shop/web-6c7b9d5f4-k2x9p", "worker-b2"},
    {"shop/web-6c7b9d5f4-m8v3r", ""},
    {"shop/report-ui-5f8d7c9b6-qq4wz", "worker-b1"},
    {"shop/cart-warmup", ""},
};

io::ClusterObjects load_snapshot() {
  io::ClusterObjects objects;
  io::load_objects_file(kSnapshot, objects);
  io::validate_objects(objects);
  return objects;
}

TEST(KubectlSnapshot, LoadsEveryObjectDespiteTheFieldsPodiumDoesNotRead) {
  const auto objects = load_snapshot();
  EXPECT_EQ(objects.nodes.size(), 6U);
  EXPECT_EQ(objects.pods.size(), 36U);
  EXPECT_EQ(objects.namespaces.size(), 8U);
  const auto& c2 = objects.nodes[5];
  ASSERT_EQ(c2.name, "worker-c2");
  ASSERT_EQ(c2.taints.size(), 2U);
  EXPECT_EQ(c2.taints[0].key, "node.kubernetes.io/not-ready");
  EXPECT_EQ(objects.nodes[4].unschedulable, true);  // worker-c1, cordoned
  // status.images: the node's own images plus the three every node has, sizes kept.
  const auto& b1 = objects.nodes[2];
  ASSERT_EQ(b1.images.size(), 5U);
  EXPECT_EQ(b1.images[0].names[1], "registry.example.com/shop/web:2.3.1");
  EXPECT_EQ(b1.images[0].size_bytes, 524288000);
}

TEST(KubectlSnapshot, ReadsWhichPodsTheSchedulerIgnores) {
  const auto objects = load_snapshot();
  std::map<std::string, const io::PodObject*> by_key;
  for (const auto& p : objects.pods) by_key[p.key()] = &p;
  EXPECT_TRUE(by_key.at("batch/report-29012340-7kq2d")->ignored_by_scheduler());  // Succeeded
  EXPECT_TRUE(by_key.at("batch/reindex-manual-x8z4t")->ignored_by_scheduler());   // Failed
  EXPECT_TRUE(by_key.at("shop/web-6c7b9d5f4-zq7n4")->ignored_by_scheduler());     // pending, being deleted
  const auto* old = by_key.at("shop/web-5b8f7c6d9-old1");                          // bound, being deleted
  EXPECT_TRUE(old->deleting());
  EXPECT_FALSE(old->ignored_by_scheduler());
  // 2026-12-02T08:58:30Z
  EXPECT_EQ(old->deletion_timestamp_ns, std::optional<std::int64_t>(1796201910LL * 1000000000LL));
}

TEST(KubectlSnapshot, FinishedPodsDoNotCountAndPodsBeingDeletedDo) {
  const auto objects = load_snapshot();
  const auto cluster = state::build_cluster_state(objects);
  const auto a1 = *cluster.find_node("worker-a1");
  const auto b1 = *cluster.find_node("worker-b1");
  EXPECT_EQ(cluster.nodes.requested[state::kCpu][a1], 100 + 1000 + 250);       // kindnet, web, postgres-dev
  EXPECT_EQ(cluster.nodes.requested[state::kCpu][b1], 100 + 1000 + 2000 + 500);  // ... and the pod being deleted
}

TEST(KubectlSnapshot, PlacesThePendingPodsAsWorkedOutByHand) {
  const auto objects = load_snapshot();
  for (const int threads : {1, 2}) {
    auto cluster = state::build_cluster_state(objects);
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, {1, threads});
    std::map<std::string, std::string> got;
    for (const auto& p : result.placements)
      got[cluster.pods[p.pod].key] = p.node == state::kNoNode ? "" : cluster.nodes.names[p.node];
    EXPECT_EQ(got, kExpected) << threads << " thread(s)";
    EXPECT_TRUE(podium::testing::placements_verify(objects, cluster, result));
  }
  // The single-threaded oracle agrees.
  const auto reference = podium::testing::reference_nodes(objects, 1);
  EXPECT_EQ(podium::testing::engine_nodes(objects, 1, 1), reference);
}

TEST(KubectlSnapshot, SchedulesThroughTheCliWithUpstreamsReasons) {
  const auto run = run_podium("schedule --cluster " + kSnapshot + " --threads 2", /*with_stderr=*/false);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto out = nlohmann::json::parse(run.out);
  std::map<std::string, std::string> got, reasons;
  for (const auto& p : out["placements"]) {
    got[p["pod"]] = p["node"].is_null() ? "" : p["node"].get<std::string>();
    if (p.contains("reason")) reasons[p["pod"]] = p["reason"];
  }
  EXPECT_EQ(got, kExpected);
  EXPECT_EQ(reasons["monitoring/node-problem-detector-zt5lq"],
            "0/6 nodes are available: 1 node(s) had untolerated taint(s), "
            "5 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  EXPECT_EQ(reasons["shop/web-6c7b9d5f4-m8v3r"],
            "0/6 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) were unschedulable, "
            "2 Insufficient cpu, 2 node(s) had untolerated taint(s).");
  EXPECT_EQ(reasons["shop/cart-warmup"],
            "0/6 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable, "
            "2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s).");
  EXPECT_EQ(reasons["batch/spark-exec-1"], "no profile for schedulerName \"volcano\"");

  // The same placements, read back by `podium verify` from the file schedule wrote.
  const auto placements = std::filesystem::temp_directory_path() / "podium_kubectl_snapshot_placements.json";
  std::ofstream(placements) << run.out;
  const auto verify = run_podium("verify --cluster " + kSnapshot + " --placements " + placements.string());
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("ok: 5 placements checked, 4 unplaced"), std::string::npos) << verify.out;
}

// "What if I add nodes like worker-b2?" Three more web replicas (created after the
// snapshot, so queued after its pending pods) each need a node without a web pod. The
// snapshot's own pending replicas come first: k2x9p takes worker-b2 and m8v3r takes one
// added node, so three replicas need three more: 4. With 3, one replica is left over.
TEST(KubectlSnapshot, PlansHowManyNodesToAdd) {
  const auto run = run_podium("plan --cluster " + kSnapshot + " --pods " + kDir + "more_web_replicas.json" +
                                  " --node-template " + kDir + "node_template.json",
                              /*with_stderr=*/false);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const auto out = nlohmann::json::parse(run.out);
  EXPECT_EQ(out["outcome"], "found");
  EXPECT_EQ(out["nodes_added"], 4);
  EXPECT_EQ(out["pods"], 3);
  EXPECT_EQ(out["placed"], 3);
  EXPECT_EQ(out["snapshot_nodes"], 6);
  EXPECT_EQ(out["snapshot_pending"], 9);
  bool probed_three = false;
  for (const auto& probe : out["probes"])
    if (probe["nodes_added"] == 3) {
      probed_three = true;
      EXPECT_EQ(probe["placed"], 2);
    }
  EXPECT_TRUE(probed_three) << out.dump();
}

TEST(KubectlSnapshot, PlanWithoutATemplateSaysTheReplicasDoNotFit) {
  const auto run = run_podium("plan --cluster " + kSnapshot + " --pods " + kDir + "more_web_replicas.json",
                              /*with_stderr=*/false);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  const auto out = nlohmann::json::parse(run.out);
  EXPECT_EQ(out["fits"], false);
  EXPECT_EQ(out["placed"], 0);
  EXPECT_EQ(out["unplaced"].size(), 3U);
}

// tools/snapshot/kubectl_noise.py (the loading benchmark's input) adds only fields the
// scheduler ignores: a small generated cluster places the same with and without them.
TEST(KubectlSnapshot, TheBenchmarksNoiseLeavesPlacementsUnchanged) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const auto dir = std::filesystem::temp_directory_path() / "podium_kubectl_noise_test";
  std::filesystem::create_directories(dir);
  const std::string plain = (dir / "plain.json").string(), noisy = (dir / "noisy.json").string();
  ASSERT_EQ(run_podium("generate --nodes 30 --pods 300 --seed 3 --spread-groups 0.2 --output " + plain).exit_code, 0);
  ASSERT_EQ(std::system(("/usr/bin/python3 " PODIUM_SOURCE_DIR "/tools/snapshot/kubectl_noise.py " + plain + " " + noisy).c_str()), 0);
  EXPECT_GT(std::filesystem::file_size(noisy), 5 * std::filesystem::file_size(plain));
  auto placements = [](const std::string& file) {
    const auto run = run_podium("schedule --cluster " + file + " --threads 1", /*with_stderr=*/false);
    EXPECT_EQ(run.exit_code, 0) << run.out;
    return nlohmann::json::parse(run.out)["placements"];
  };
  const auto expected = placements(plain);
  EXPECT_EQ(expected.size(), 300U);
  EXPECT_EQ(placements(noisy), expected);
}

}  // namespace
