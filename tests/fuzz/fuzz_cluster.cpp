// libFuzzer target: the cluster loader, JSON and YAML alike (io::load_objects_text picks
// by content, as for `--cluster`), with its unknown-field check in both modes, then what `podium schedule` does with the objects before
// scheduling: validate_objects, build_cluster_state and the default profile's plugins
// (whose build reads pods' affinity terms and spread constraints).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"
#include "podium/common/input_error.hpp"
#include "podium/config/scheduler_config.hpp"
#include "podium/framework/profile.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {
const std::string kFile = "fuzz-cluster";
const podium::config::SchedulerConfiguration kDefaultConfig = podium::config::default_scheduler_config();
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  podium::fuzz::expect_input_errors_only(kFile, [&] {
    // Lenient, so that a mutated key (an unknown field) still reaches the stages below;
    // then the strict load must refuse exactly what the lenient one logged.
    podium::io::ClusterObjects objects;
    podium::io::UnknownFieldLog unknown;
    podium::io::load_objects_text(text, kFile, objects, {.lenient = &unknown});
    (void)unknown.warning_lines();
    if (unknown.count() > 0) {
      try {
        podium::io::ClusterObjects strict;
        podium::io::load_objects_text(text, kFile, strict);
        std::abort();  // a finding: strict accepted what lenient reported
      } catch (const podium::InputError&) {
      }
    }
    podium::io::validate_objects(objects);
    const auto cluster = podium::state::build_cluster_state(objects);
    for (const auto& spec : kDefaultConfig.profiles) {
      try {
        (void)podium::framework::build_profile(spec, cluster);
      } catch (const std::invalid_argument&) {
        // Documented (framework/profile.hpp); the CLI reports it against the profile.
      }
    }
  });
  return 0;
}
