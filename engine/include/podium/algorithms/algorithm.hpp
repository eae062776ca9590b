#pragma once
// Scheduling algorithms beside kube's: how a pod's node is *chosen* once the profile's
// filters have said which nodes may take it.
//
//   queue ─► Framework: PreFilter + Filter (the profile's hard constraints, unchanged)
//                │ feasible nodes, ascending
//                ▼
//            NodeChooser::choose ─► one node ─► bind        (greedy algorithms)
//
//   queue ─► window of W pods ─► WindowPlacer::propose ─► a node (or none) per pod
//                ─► the scheduler commits in queue order, re-checking every filter on
//                   the proposed node; a pod whose proposal fails (or has none) gets the
//                   profile's own decision                   (batch algorithms: flow)
//
// Every algorithm therefore keeps every hard constraint of the active profile (resources,
// taints, node affinity, ports, topology spread, inter-pod affinity): it differs only in
// which feasible node it takes, or which pods it places together. `default` (no chooser,
// no placer) is kube's own choice: the best weighted total, ties by the documented rule.
//
// Determinism: a chooser's answer may depend only on the pod, the cluster as it stands,
// the feasible list, the seed and the decision index — never on the thread count. Seeded
// choices derive from framework::splitmix64(seed, decision index).
//
// Thread-safety: choose() and propose() are called from the scheduling thread only, one
// decision at a time; an algorithm may keep scratch state between calls.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "podium/framework/framework.hpp"
#include "podium/framework/profile.hpp"

namespace podium::algorithms {

using state::NodeIndex;
using state::PodIndex;

// What a chooser sees for one decision.
struct ChoiceContext {
  const framework::PodContext& pod;
  const state::ClusterState& cluster;
  // The profile's framework, PreFilter already run for this pod: score_nodes() gives the
  // profile's weighted totals for any subset of the feasible nodes, best_by_tie_rule()
  // the documented tie rule.
  framework::Framework& framework;
  std::uint64_t seed;
  std::uint64_t decision_index;
};

class NodeChooser {
 public:
  virtual ~NodeChooser() = default;
  // Picks one of `feasible` (non-empty, ascending node index; each node passes every filter
  // of the profile for this pod on the cluster as it stands now).
  virtual NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) = 0;
  // GPU-sharing choosers: the devices (bit d = device d) the last choose() picked for the
  // pod on its node, which the scheduler binds; 0 leaves the choice to ClusterState::bind.
  virtual std::uint8_t gpu_devices_of_last_choice() const { return 0; }
};

// What a batch algorithm sees for one window.
struct WindowContext {
  const state::ClusterState& cluster;
  // The profile deciding each pod of the window (nullptr: no profile names the pod's
  // schedulerName; leave it unproposed).
  std::function<framework::Framework*(PodIndex)> framework_of;
  std::uint64_t seed;
  std::uint64_t first_decision;  // the decision index of window[0]
};

// Statistics a batch algorithm reports (summed over windows into the schedule's metrics).
struct WindowStats {
  std::uint64_t windows = 0;
  std::uint64_t window_pods = 0;      // pods handed to propose()
  std::uint64_t proposed = 0;         // pods given a node
  std::uint64_t graph_nodes = 0;      // algorithm-specific size measures (flow: vertices, arcs)
  std::uint64_t graph_arcs = 0;
  double solve_seconds = 0;
  std::uint64_t fell_back = 0;        // pods the scheduler decided greedily instead
  std::uint64_t proposal_rejected = 0;  // proposals that failed a filter at commit time
};

class WindowPlacer {
 public:
  virtual ~WindowPlacer() = default;
  // proposal[i] = the node proposed for window[i], or kNoNode to let the profile decide it.
  // The cluster is as before the window's first pod; proposals are committed in window
  // order, each re-checked against every filter on the state of its turn.
  virtual void propose(const WindowContext& ctx, std::span<const PodIndex> window, std::span<NodeIndex> proposal,
                       WindowStats& stats) = 0;
};

// One tunable of an algorithm, as `podium algorithms` lists it.
struct Knob {
  std::string name;
  std::string default_value;
  std::string help;
};

// Knob values by name, as given on the command line (`NAME:key=value:key=value`).
using KnobValues = std::map<std::string, std::string, std::less<>>;

// An algorithm ready to run: what SchedulerOptions carries.
struct Algorithm {
  std::string name;
  std::shared_ptr<NodeChooser> chooser;  // null: the profile's own choice (kube's)
  std::shared_ptr<WindowPlacer> placer;  // batch algorithms; null otherwise
  std::size_t window = 0;                // pods per propose() call (batch algorithms)
  bool is_default() const { return !chooser && !placer; }
};

struct AlgorithmDescriptor {
  std::string name;
  std::string idea;    // one line
  std::string origin;  // paper or system it follows
  std::vector<Knob> knobs;
  // Changes to the profile the algorithm needs (kube-sampled sets percentageOfNodesToScore).
  std::function<void(framework::ProfileSpec&)> adjust_profile;
  // Builds the algorithm from knob values (every knob present: defaults filled in).
  // Throws std::invalid_argument naming the knob for a bad value.
  std::function<Algorithm(const KnobValues&)> make;
};

// The algorithms by name: the built-ins, plus any registered out of tree. Not thread-safe
// to register while others read; register before scheduling.
class AlgorithmRegistry {
 public:
  // The process-wide registry, built-ins included.
  static AlgorithmRegistry& global();
  // Throws std::invalid_argument for a duplicate or empty name.
  void add(AlgorithmDescriptor descriptor);
  const AlgorithmDescriptor* find(std::string_view name) const;
  const std::vector<AlgorithmDescriptor>& all() const { return descriptors_; }
  std::vector<std::string> names() const;

 private:
  std::vector<AlgorithmDescriptor> descriptors_;
};

// A parsed `--algorithm` entry: `NAME` or `NAME:key=value[:key=value...]`.
struct AlgorithmSpec {
  std::string name;
  KnobValues knobs;
};
// Throws std::invalid_argument for a malformed spec.
AlgorithmSpec parse_algorithm_spec(std::string_view text);

// Looks the name up and builds the algorithm, knobs defaulted and checked. Throws
// std::invalid_argument listing the known names for an unknown one, or naming the knob
// for an unknown knob or a bad value.
Algorithm make_algorithm(const AlgorithmSpec& spec, const AlgorithmRegistry& registry = AlgorithmRegistry::global());

// Knob parsing helpers for descriptors' make().
std::uint64_t knob_unsigned(const KnobValues& knobs, std::string_view algorithm, std::string_view knob,
                            std::uint64_t min, std::uint64_t max);

}  // namespace podium::algorithms
