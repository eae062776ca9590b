// libFuzzer target: `podium bench`'s workload file loader (bench::parse_workload_text):
// test cases, templates with parameters, operations and inline node/pod templates (which
// go through the cluster loader). Template paths resolve against tests/data/bench.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "harness/workload.hpp"

namespace {
const std::string kFile = "fuzz-workload.yaml";
const std::string kBaseDir = std::string(PODIUM_SOURCE_DIR) + "/tests/data/bench";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  podium::fuzz::expect_input_errors_only(kFile, [&] { (void)podium::bench::parse_workload_text(text, kFile, kBaseDir); });
  return 0;
}
