// libFuzzer target: the Alibaba openb trace CSV loader (datasets/openb, `podium replay
// --nodes/--pods`). An input whose first line starts with `sn,` is read as a node list;
// anything else as a pod list against a fixed node list (the shipped GPU nodes), which is
// where gpu_spec models are interned.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"
#include "openb/openb_csv.hpp"

namespace {
const std::string kFile = "fuzz-trace.csv";

const podium::gpushare::GpuCluster& fixed_nodes() {
  static const auto nodes =
      podium::datasets::openb::load_nodes(std::string(PODIUM_SOURCE_DIR) + "/datasets/openb/data/openb_node_list_gpu_node.csv");
  return nodes;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  if (text.rfind("sn,", 0) == 0) {
    podium::fuzz::expect_input_errors_only(kFile, [&] { (void)podium::datasets::openb::parse_nodes(in, kFile); });
    return 0;
  }
  auto nodes = fixed_nodes();  // parse_pods interns gpu_spec models into it
  podium::fuzz::expect_input_errors_only(kFile, [&] {
    const auto list = podium::datasets::openb::parse_pods(in, kFile, nodes);
    if (list.names.size() != list.pods.size()) podium::fuzz::finding("one name per pod");
    if (list.has_times && list.times.size() != list.pods.size()) podium::fuzz::finding("one time pair per pod");
    for (const auto& pod : list.pods)
      if (pod.gpu_milli < 0 || pod.gpu_milli > 1000 || pod.num_gpu < 0) podium::fuzz::finding("GPU request out of range");
  });
  return 0;
}
