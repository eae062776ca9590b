// Filter + score of one pod over a 5,000-node generated cluster (default profile, every
// node scored), engine batches vs the single-threaded array-of-structs reference loop.
// Each iteration is one full decision with no bind, so every iteration does the same work;
// each benchmark checks its answer against the reference before timing.

#include <benchmark/benchmark.h>

#include <stdexcept>

#include "generator/synthetic_cluster.hpp"
#include "podium/framework/framework.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;

struct Fixture {
  state::ClusterState cluster;
  framework::Profile profile;
  state::PodIndex pod = 0;
  state::NodeIndex expected = state::kNoNode;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture x;
    // 5,000 nodes, half full after 75,000 bound pods, and one more pod to decide.
    auto objects = datasets::generate_cluster({.nodes = 5000, .pods = 75001, .seed = 1, .constraints = {}});
    for (std::size_t i = 0; i + 1 < objects.pods.size(); ++i) {
      objects.pods[i].node_name = objects.nodes[i % objects.nodes.size()].name;
      objects.pods[i].phase = "Running";
    }
    x.cluster = state::build_cluster_state(objects);
    x.profile = framework::build_profile(framework::default_profile_spec(), x.cluster);
    x.pod = static_cast<state::PodIndex>(x.cluster.pods.size() - 1);
    reference::ReferenceScheduler ref(x.cluster, {});
    x.expected = ref.decide(x.cluster.pods[x.pod], 0);
    return x;
  }();
  return f;
}

void BM_EngineFilterScore(benchmark::State& st) {
  auto& f = fixture();
  framework::Framework fw(f.profile, f.cluster.nodes.size, framework::TieBreaker(f.cluster.nodes.size, 1),
                          static_cast<int>(st.range(0)));
  const framework::PodContext ctx{f.cluster.pods[f.pod], f.pod};
  if (fw.select_node(ctx, f.cluster, 0).node != f.expected) throw std::logic_error("engine disagrees with reference");
  for (auto _ : st) benchmark::DoNotOptimize(fw.select_node(ctx, f.cluster, 0));
  st.counters["nodes_per_second"] =
      benchmark::Counter(static_cast<double>(f.cluster.nodes.size), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EngineFilterScore)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ReferenceFilterScore(benchmark::State& st) {
  auto& f = fixture();
  reference::ReferenceScheduler ref(f.cluster, {});
  for (auto _ : st) benchmark::DoNotOptimize(ref.decide(f.cluster.pods[f.pod], 0));
  st.counters["nodes_per_second"] =
      benchmark::Counter(static_cast<double>(f.cluster.nodes.size), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReferenceFilterScore)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
