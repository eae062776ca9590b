#pragma once
// The Alibaba GPU cluster trace v2023 ("openb", the FGD paper's data) as GpuCluster nodes
// and GpuPod requests. Columns and units: datasets/openb/README.md.
//
//   node list: sn,cpu_milli,memory_mib,gpu,model
//   pod list:  name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,qos,pod_phase,
//              creation_time,deletion_time,scheduled_time]   (multigpu50 has the first 5)
//
// A bad header or row throws InputError naming the file, `line N` and the column.

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "podium/common/string_interner.hpp"
#include "podium/gpushare/gpu_cluster.hpp"
#include "podium/gpushare/replay.hpp"

namespace podium::datasets::openb {

// Nodes in file order; GPU models are interned into the cluster.
gpushare::GpuCluster load_nodes(const std::string& path);

struct PodList {
  std::vector<std::string> names;
  std::vector<gpushare::GpuPod> pods;
  StringInterner specs;                   // gpu_spec texts (GpuPod::spec); id 0 is ""
  bool has_times = false;                 // the 11-column variant
  std::vector<gpushare::PodTimes> times;  // creation/deletion seconds, when has_times
};

// Pods in file order. gpu_spec models are interned into `cluster` (a model no node has gets
// a bit no node matches), so load the node list first.
PodList load_pods(const std::string& path, gpushare::GpuCluster& cluster);

// The same from a stream (the fuzz target's entry point); errors name `file_name`.
gpushare::GpuCluster parse_nodes(std::istream& in, const std::string& file_name);
PodList parse_pods(std::istream& in, const std::string& file_name, gpushare::GpuCluster& cluster);

}  // namespace podium::datasets::openb
