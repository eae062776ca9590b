// libFuzzer target: the placement list `podium verify` reads (verify::parse_placements),
// replayed by verify_placements on a small fixed cluster with constraints
// (tests/data/verify/cluster.json), so unknown, repeated and unplaced entries reach the checker.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "podium/verify/verify.hpp"

namespace {
const std::string kFile = "fuzz-placements.json";
const podium::io::ClusterObjects& fixed_cluster() {
  static const podium::io::ClusterObjects objects = podium::fuzz::load_fixed_cluster("tests/data/verify/cluster.json");
  return objects;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& objects = fixed_cluster();
  podium::fuzz::expect_input_errors_only(kFile, [&] {
    const auto placements = podium::verify::parse_placements(text, kFile);
    const auto report = podium::verify::verify_placements(objects, placements);
    if (report.checked + report.unplaced + report.errors.size() < placements.entries.size())
      podium::fuzz::finding("verify_placements skipped an entry without reporting it");
  });
  return 0;
}
