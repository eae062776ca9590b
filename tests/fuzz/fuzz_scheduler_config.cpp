// libFuzzer target: the KubeSchedulerConfiguration loader (config::parse_scheduler_config,
// what `--config` reads), then what the CLI does with the result: build every profile's
// plugins over a small fixed cluster (plugin args are checked there too) and derive
// `podium verify`'s rules from it.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/verify/verify.hpp"

namespace {
const std::string kFile = "fuzz-config.yaml";
const podium::state::ClusterState& fixed_cluster() {
  static const podium::state::ClusterState cluster =
      podium::state::build_cluster_state(podium::fuzz::load_fixed_cluster("tests/data/cli/small_cluster.json"));
  return cluster;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& cluster = fixed_cluster();
  podium::fuzz::expect_input_errors_only(kFile, [&] {
    const auto config = podium::config::parse_scheduler_config(text, kFile);
    if (config.profiles.empty()) podium::fuzz::finding("a configuration with no profile was accepted");
    for (const auto& spec : config.profiles) {
      try {
        (void)podium::framework::build_profile(spec, cluster);
      } catch (const std::invalid_argument&) {
        // Documented (framework/profile.hpp); the CLI reports it against profiles[i].
      }
    }
    (void)podium::verify::options_from_config(config);
  });
  return 0;
}
