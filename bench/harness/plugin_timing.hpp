#pragma once
// Time per extension point and per plugin, measured without touching the framework's hot
// path: after the run, a sample of measured pods is replayed through each plugin's public
// API — PreFilter, Filter over every node (one batch), PreScore, Score over the feasible
// nodes, NormalizeScore — on a single thread with a steady clock around each call. Each
// sampled pod is first taken off its node (and its plugins told), so it sees the final
// cluster minus itself, then put back. The figures are per-pod single-thread costs on the
// final state: they apportion the work between plugins, they do not add up to the
// measured attempt latency (which runs batches in parallel and may reuse cached totals).

#include <cstdint>
#include <span>
#include <vector>

#include "harness/binder.hpp"
#include "harness/results.hpp"

namespace podium::bench {

// Entries in extension-point order, plugins in profile order; one more entry per
// extension point with an empty plugin name holding the point's total.
std::vector<PluginTiming> time_plugins(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                       Binder& binder, std::span<const state::PodIndex> sample);

}  // namespace podium::bench
