// A program of its own on the installed engine (podium::engine): registers the example's
// algorithms and plugin in the process-wide registries, then schedules a cluster file.
//
//   podium_example_demo CLUSTER_FILE [ALGORITHM]      (default algorithm: most-pods)
//
// Prints one line per pending pod, "namespace/name -> node" (or "-> unschedulable: why").

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "example_extension.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: podium_example_demo CLUSTER_FILE [ALGORITHM]\n";
    return 2;
  }
  try {
    namespace algo = podium::algorithms;
    example::register_all(algo::AlgorithmRegistry::global(), podium::framework::Registry::global());

    podium::io::ClusterObjects objects;
    podium::io::load_objects_file(argv[1], objects);
    podium::io::validate_objects(objects);
    podium::state::ClusterState cluster = podium::state::build_cluster_state(objects);

    // The same steps as `podium schedule --algorithm NAME`: the algorithm may adjust the
    // profiles before they are built; then every pending pod is decided in queue order.
    const algo::AlgorithmSpec spec = algo::parse_algorithm_spec(argc == 3 ? argv[2] : "most-pods");
    podium::scheduler::SchedulerOptions options;
    options.algorithm = algo::make_algorithm(spec);
    podium::config::SchedulerConfiguration config = podium::config::default_scheduler_config();
    if (const auto* d = algo::AlgorithmRegistry::global().find(spec.name); d->adjust_profile)
      for (auto& profile : config.profiles) d->adjust_profile(profile);
    std::vector<podium::framework::Profile> profiles;
    for (const auto& profile : config.profiles) profiles.push_back(podium::framework::build_profile(profile, cluster));

    const auto result = podium::scheduler::schedule_pending(cluster, profiles, options);
    for (const auto& p : result.placements) {
      std::cout << cluster.pods[p.pod].key << " -> ";
      if (p.node == podium::state::kNoNode) std::cout << "unschedulable: " << p.reason << "\n";
      else std::cout << cluster.nodes.names[p.node] << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "podium_example_demo: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
