#pragma once
// Benchmark workload files, in the spirit of kube-scheduler's scheduler_perf
// performance-config.yaml (the full format is in docs/FORMATS.md, "podium bench"):
//
//   - name: SchedulingBasic                 # a test case: a template of operations ...
//     labels: [basic]                       # (optional) labels every workload inherits
//     requiredPlugins: [PodTopologySpread]  # (optional) skipped when the profile lacks one
//     workloadTemplate:
//     - opcode: createNodes
//       countParam: $initNodes
//     - opcode: createPods
//       countParam: $measurePods
//       collectMetrics: true
//     workloads:                            # ... run once per named parameter set
//     - name: 500Nodes
//       labels: [short]
//       params: {initNodes: 500, measurePods: 1000}
//       expect: {unschedulable: 0}          # the answer the run must produce (also
//                                           # placedOnRetry, preemptions, victims)
//       threshold: 100                      # (optional) minimum average pods/s
//       requeueVictims: true                # (optional) evicted pods are recreated
//
// Loading expands every (test case, workload) pair into a Workload whose operations have
// their parameters substituted and their node/pod templates parsed into Kubernetes objects
// (io::load_objects_text, so templates are checked exactly as cluster files are). Every
// problem — unknown key or opcode, missing or unused parameter, a bad template — throws
// podium::InputError naming the file and the key path (e.g. `[0].workloadTemplate[2].podTemplatePath`),
// before anything runs.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "podium/io/objects.hpp"

namespace podium::bench {

enum class OpCode { kCreateNodes, kCreatePods, kDeletePods, kChurn, kBarrier, kSleep };
const char* opcode_name(OpCode code);

// The most nodes one workload may create (all createNodes ops together); a larger count
// is an InputError rather than an allocation that never ends (docs/FORMATS.md).
inline constexpr std::int64_t kMaxWorkloadNodes = 1'000'000;

struct Op {
  OpCode code = OpCode::kBarrier;
  std::string where;  // key path of the op in its file, for messages

  // createNodes / createPods / deletePods: how many (deletePods: nullopt = every pod of the
  // namespace bound so far).
  std::optional<std::int64_t> count;

  // createNodes
  io::NodeObject node_template;
  bool mixed_shapes = false;  // cpu/memory from datasets/generator's ten node shapes
  std::int64_t zones = 0;     // > 0: topology.kubernetes.io/zone = zone-<i % zones>

  // createPods / churn
  io::PodObject pod_template;
  // createPods with `podTemplates`: several templates and their weights (both non-empty
  // together; pod_template is then unused). Pods take them interleaved, each template's
  // share of `count` proportional to its weight (pod_template_for).
  std::vector<io::PodObject> pod_templates;
  std::vector<std::int64_t> pod_template_weights;
  std::string namespace_;       // createPods default: namespace-<op index>; churn: churn-<op index>
  bool collect_metrics = false;
  // createPods `shapes: distinct`: pod k's first container requests the template's cpu +
  // k / 4096 m and memory + (k mod 4096) Mi (podium generate --distinct-requests).
  bool distinct_requests = false;

  // churn: every `interval_pods` decisions of later createPods ops, `number` pods are
  // created (mode create) or the previous step's pods are deleted and `number` fresh ones
  // created (mode recreate).
  bool churn_recreate = false;
  std::int64_t churn_number = 0;
  std::int64_t churn_interval_pods = 0;

  // sleep: accepted for familiarity; Podium simulates without a clock, so it only records.
  double sleep_seconds = 0;
};

struct Workload {
  std::string file;
  std::string test_case;
  std::string name;  // the workload's own name, e.g. 500Nodes
  std::vector<std::string> labels;  // test case labels + workload labels
  std::vector<std::pair<std::string, std::int64_t>> params;
  std::vector<std::string> required_plugins;
  std::vector<Op> ops;
  std::int64_t expected_unschedulable = 0;  // of the collectMetrics pods, after every retry
  std::optional<std::int64_t> expected_placed_on_retry;  // expect.placedOnRetry (any step's pods)
  std::optional<std::int64_t> expected_preemptions;      // expect.preemptions (any step's pods)
  std::optional<std::int64_t> expected_victims;          // expect.victims: evictions by preemption
  std::optional<double> threshold;          // minimum average pods/s over the measured pods
  // requeueVictims: true — preemption victims come back as fresh pending pods, as their
  // controllers would recreate them (`podium schedule --requeue-victims`).
  bool requeue_victims = false;

  std::string full_name() const { return test_case + "/" + name; }
};

// Which of `weights` (all positive) pod number k of a createPods step takes, for
// k = 0, 1, 2, ... in turn: smooth weighted round-robin (nginx's), so each template's
// share of any prefix of the pods stays within one pod of its weight's share and every
// shape shows up all through the queue instead of in one block. `credit` (one entry per
// weight, zero at the start) carries the state from one pod to the next.
std::size_t next_weighted_template(std::span<const std::int64_t> weights, std::vector<std::int64_t>& credit);

// Parses a workload file (YAML) and expands every workload. Throws InputError.
std::vector<Workload> load_workload_file(const std::string& path);
std::vector<Workload> parse_workload_text(const std::string& text, const std::string& file_name,
                                          const std::string& base_dir);

// scheduler_perf's label filter: comma-separated labels that must all be present; a
// leading '-' means the label must be absent. Empty filter: everything matches.
bool labels_match(const std::vector<std::string>& labels, const std::string& filter);

}  // namespace podium::bench
