#pragma once
// Synthetic Kubernetes clusters for benchmarks and tests, deterministic for a seed.
//
// Nodes come in ten cloud-like shapes (8-96 cores, 32-768 GiB, 110 pods) over three zones
// of one region. Pods draw from a weighted menu of request shapes, small pods most often,
// calibrated so that the default 150,000 pods on 5,000 nodes request about 70% of the
// cluster's allocatable CPU and about 32% of its memory (see datasets/README.md), and
// every pod fits. About 5% of pods request nothing (BestEffort). Nodes carry
// kubernetes.io/hostname and topology.kubernetes.io/{region,zone} labels; pods an `app`
// label (100 groups). Scheduling constraints are opt-in (generator/constraints.hpp).

#include <cstdint>
#include <iosfwd>

#include "generator/constraints.hpp"
#include "podium/io/objects.hpp"

namespace podium::datasets {

struct GeneratorOptions {
  std::uint32_t nodes = 5000;
  std::uint32_t pods = 150000;
  std::uint64_t seed = 1;
  std::uint32_t pod_shapes = 32;   // distinct request shapes (<= 64); ignored with distinct_requests
  bool distinct_requests = false;  // every pod gets its own cpu/memory request
  double gpu_fraction = 0;         // share of nodes with 8 nvidia.com/gpu, and of pods asking for one
  ConstraintOptions constraints;   // taints, node/pod affinity, spreading (generator/constraints.hpp)
};

// Throws std::invalid_argument for out-of-range options.
io::ClusterObjects generate_cluster(const GeneratorOptions& options);

// kubectl-style {"apiVersion":"v1","kind":"List","items":[nodes..., pods...]}.
void write_kube_list_json(const io::ClusterObjects& objects, std::ostream& out);

}  // namespace podium::datasets
