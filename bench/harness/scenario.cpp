#include "harness/scenario.hpp"

#include <limits>

#include "generator/synthetic_cluster.hpp"
#include "podium/common/input_error.hpp"

namespace podium::bench {
namespace {

void set_label(io::StringMap& labels, const std::string& key, const std::string& value) {
  for (auto& [k, v] : labels)
    if (k == key) {
      v = value;
      return;
    }
  labels.emplace_back(key, value);
}

void set_resource(io::ResourceList& list, const std::string& name, const io::Quantity& q) {
  for (auto& [n, v] : list)
    if (n == name) {
      v = q;
      return;
    }
  list.emplace_back(name, q);
}

// Creation timestamps order the queue (PrioritySort: priority, then age): one microsecond
// apart in creation order, from a fixed epoch.
constexpr std::int64_t kEpochNs = 1'700'000'000'000'000'000LL;

}  // namespace

std::int64_t churn_steps(const Workload& workload, std::size_t op_index) {
  const Op& churn = workload.ops[op_index];
  std::int64_t steps = 1;
  for (std::size_t i = op_index + 1; i < workload.ops.size(); ++i)
    if (workload.ops[i].code == OpCode::kCreatePods) steps += *workload.ops[i].count / churn.churn_interval_pods;
  return steps;
}

Scenario plan_scenario(const Workload& workload, std::uint64_t seed) {
  Scenario out;
  out.op_pods.resize(workload.ops.size());
  out.op_nodes.resize(workload.ops.size());
  bool pods_seen = false;  // a pod step ran before: later nodes are created mid-run
  std::uint64_t pods_total = 0;
  for (std::size_t i = 0; i < workload.ops.size(); ++i) {
    const Op& op = workload.ops[i];
    if (op.code == OpCode::kCreatePods) pods_total += static_cast<std::uint64_t>(*op.count);
    if (op.code == OpCode::kChurn)
      pods_total += static_cast<std::uint64_t>(churn_steps(workload, i)) * static_cast<std::uint64_t>(op.churn_number);
  }
  if (pods_total >= std::numeric_limits<std::uint32_t>::max())
    throw InputError(workload.file, "", workload.full_name() + " creates " + std::to_string(pods_total) + " pods, too many");
  std::int64_t nodes_total = 0;
  for (const Op& op : workload.ops) {
    if (op.code != OpCode::kCreateNodes) continue;
    nodes_total += *op.count;
    if (nodes_total > kMaxWorkloadNodes)
      throw InputError(workload.file, op.where + ".count",
                       workload.full_name() + " creates " + std::to_string(nodes_total) + " nodes, too many (at most " +
                           std::to_string(kMaxWorkloadNodes) + ")");
  }

  std::uint64_t sequence = 0;  // creation order across every pod
  std::uint32_t pods = 0;
  // Copy k of a step: name prefix + k, uid "uid-<op>-<sequence>", created one microsecond
  // after the pod before it.
  auto add_pods = [&](const Op& op, std::size_t op_index, std::int64_t count, const std::string& prefix) {
    // One stamp for a plain step; one per pod where pods differ: `shapes: distinct` (each its
    // own request) or `podTemplates` (templates interleaved by weight).
    const bool per_pod = op.distinct_requests || !op.pod_templates.empty();
    const std::int64_t stamps = per_pod ? count : (count > 0 ? 1 : 0);
    std::vector<std::int64_t> credit(op.pod_templates.size(), 0);
    for (std::int64_t k = 0; k < stamps; ++k) {
      std::size_t t = 0;
      if (!op.pod_templates.empty()) t = next_weighted_template(op.pod_template_weights, credit);
      state::PodStamp& stamp = out.stamps.emplace_back();
      stamp.pod_template = op.pod_templates.empty() ? op.pod_template : op.pod_templates[t];
      stamp.pod_template.namespace_ = op.namespace_;
      stamp.pod_template.source = {workload.file, op.pod_templates.empty()
                                                      ? op.where + ".podTemplate"
                                                      : op.where + ".podTemplates[" + std::to_string(t) + "]"};
      stamp.count = per_pod ? 1U : static_cast<std::uint32_t>(count);
      stamp.name_prefix = prefix;
      stamp.first_copy = static_cast<std::uint32_t>(k);
      stamp.uid_prefix = "uid-" + std::to_string(op_index) + "-";
      stamp.uid_first = sequence;
      stamp.first_creation_ns = kEpochNs + static_cast<std::int64_t>(sequence) * 1000;
      stamp.creation_step_ns = 1000;
      if (op.distinct_requests) {
        // (k / 4096, k mod 4096) differs for every k: no two pods of the op share a shape.
        for (auto& [name, q] : stamp.pod_template.containers.front().requests) {
          if (name == "cpu") q += io::Quantity::from_milli(k / 4096);
          if (name == "memory") q += io::Quantity::from_units((k % 4096) << 20);
        }
      }
      sequence += stamp.count;
      pods += stamp.count;
    }
  };

  for (std::size_t i = 0; i < workload.ops.size(); ++i) {
    const Op& op = workload.ops[i];
    switch (op.code) {
      case OpCode::kCreateNodes: {
        const auto count = static_cast<std::uint32_t>(*op.count);
        const auto first = static_cast<std::uint32_t>(out.objects.nodes.size());
        out.op_nodes[i] = {first, first + count};
        if (!pods_seen) out.initial_nodes = first + count;
        io::ClusterObjects shapes;
        if (op.mixed_shapes) {
          datasets::GeneratorOptions g;
          g.nodes = count;
          g.pods = 0;
          g.seed = seed + i;  // a different draw per op, fixed by the run's seed
          shapes = datasets::generate_cluster(g);
        }
        for (std::uint32_t k = 0; k < count; ++k) {
          io::NodeObject node = op.node_template;
          node.name = "node-" + std::to_string(out.objects.nodes.size());
          node.source = {workload.file, op.where + ".nodeTemplate"};
          set_label(node.labels, "kubernetes.io/hostname", node.name);
          if (op.zones > 0) {
            set_label(node.labels, "topology.kubernetes.io/region", "region-1");
            set_label(node.labels, "topology.kubernetes.io/zone", "zone-" + std::to_string(k % op.zones));
          }
          if (op.mixed_shapes) {
            const io::NodeObject& shape = shapes.nodes[k];
            for (const auto& [name, q] : shape.allocatable)
              if (name == "cpu" || name == "memory") set_resource(node.allocatable, name, q);
            for (const auto& [key, value] : shape.labels)
              if (key == "node.kubernetes.io/instance-type") set_label(node.labels, key, value);
          }
          out.objects.nodes.push_back(std::move(node));
        }
        break;
      }
      case OpCode::kCreatePods: {
        pods_seen = true;
        const std::uint32_t begin = pods;
        add_pods(op, i, *op.count, "pod-" + std::to_string(i) + "-");
        out.op_pods[i] = {begin, pods};
        break;
      }
      case OpCode::kChurn: {
        pods_seen = true;
        const std::uint32_t begin = pods;
        add_pods(op, i, churn_steps(workload, i) * op.churn_number, "churn-" + std::to_string(i) + "-");
        out.op_pods[i] = {begin, pods};
        break;
      }
      case OpCode::kDeletePods:
      case OpCode::kBarrier:
      case OpCode::kSleep:
        break;
    }
  }
  return out;
}

Scenario build_scenario(const Workload& workload, std::uint64_t seed) {
  Scenario out = plan_scenario(workload, seed);
  std::size_t pods = 0;
  for (const state::PodStamp& stamp : out.stamps) pods += stamp.count;
  out.objects.pods.reserve(pods);
  for (const state::PodStamp& stamp : out.stamps)
    for (std::uint32_t k = 0; k < stamp.count; ++k) out.objects.pods.push_back(state::stamp_copy(stamp, k));
  out.stamps.clear();
  return out;
}

}  // namespace podium::bench
