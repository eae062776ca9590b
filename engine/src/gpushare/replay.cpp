#include "podium/gpushare/replay.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <numeric>

#include "placement_loop.hpp"

namespace podium::gpushare {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The arrival sequence (artifact simulator.go SortClusterPods + tuneUpPods/tuneDownPods):
// the list shuffled (or in file order), cut before it passes the target, then pods drawn
// uniformly with replacement from the list while "demand + the drawn pod's milli-GPU per
// GPU" stays within the target. That test uses the per-GPU amount, not num_gpu times it,
// exactly as tuneUpPods does; the demand added is the pod's total.
std::vector<std::uint32_t> arrival_sequence(const std::vector<GpuPod>& pods, double target, const ReplayOptions& options) {
  std::vector<std::uint32_t> order(pods.size());
  std::iota(order.begin(), order.end(), 0U);
  std::uint64_t stream = framework::splitmix64(options.seed ^ 0x5EED5EEDULL);
  auto next = [&stream] { return stream = framework::splitmix64(stream); };
  if (!options.in_order)
    for (std::size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[framework::bounded(next(), static_cast<std::uint32_t>(i))]);
  std::vector<std::uint32_t> sequence;
  double demand = 0;
  for (const std::uint32_t p : order) {
    if (demand + static_cast<double>(pods[p].total_gpu_milli()) > target) return sequence;
    demand += static_cast<double>(pods[p].total_gpu_milli());
    sequence.push_back(p);
  }
  if (pods.empty()) return sequence;
  bool any_gpu = false;
  for (const GpuPod& pod : pods) any_gpu = any_gpu || pod.total_gpu_milli() > 0;
  if (!any_gpu) return sequence;  // CPU-only lists never reach a GPU target
  for (;;) {
    const std::uint32_t p = framework::bounded(next(), static_cast<std::uint32_t>(pods.size()));
    if (demand + static_cast<double>(pods[p].gpu_milli) > target) return sequence;
    demand += static_cast<double>(pods[p].total_gpu_milli());
    sequence.push_back(p);
  }
}

}  // namespace

ReplayResult replay_arrivals(GpuCluster cluster, const std::vector<GpuPod>& pods,
                             const std::vector<TypicalPod>& typical, const std::string& policy,
                             const ReplayOptions& options) {
  ReplayResult result;
  result.seed = options.seed;
  const auto capacity = static_cast<double>(cluster.gpu_capacity_milli());
  const std::vector<std::uint32_t> sequence =
      arrival_sequence(pods, options.until * capacity, options);
  const auto start = std::chrono::steady_clock::now();
  detail::PlacementLoop loop(cluster, typical, policy, options.seed);
  result.algorithm = std::string(loop.policy_name());
  double arrived = 0, allocated = 0;
  int next_percent = 1;
  if (options.keep_placements) result.placements.reserve(sequence.size());
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    const GpuPod& pod = pods[sequence[i]];
    const ReplayPlacement placed = loop.place(sequence[i], pod, i);
    arrived += static_cast<double>(pod.total_gpu_milli());
    if (placed.node == kNoNode) {
      ++result.pods_failed;
    } else {
      ++result.pods_placed;
      allocated += static_cast<double>(pod.total_gpu_milli());
    }
    if (options.keep_placements) result.placements.push_back(placed);
    while (capacity > 0 && arrived >= capacity * next_percent / 100.0) {
      result.curve.push_back(CurvePoint{arrived / capacity, allocated / capacity, loop.fragmented_gpu_milli()});
      ++next_percent;
    }
  }
  result.seconds = seconds_since(start);
  result.gpu_allocation_ratio = capacity > 0 ? allocated / capacity : 0;
  result.arrived_ratio = capacity > 0 ? arrived / capacity : 0;
  result.fragmented_gpu_milli = loop.fragmented_gpu_milli();
  return result;
}

EventReplayResult replay_events(GpuCluster cluster, const std::vector<GpuPod>& pods, const std::vector<PodTimes>& times,
                                const std::vector<TypicalPod>& typical, const std::string& policy, std::uint64_t seed,
                                int samples) {
  EventReplayResult result;
  // Events: (time, kind, pod); at one instant departures (kind 0) go before arrivals, and
  // arrivals keep the list's order.
  struct Event {
    std::int64_t time;
    int kind;
    std::uint32_t pod;
  };
  std::vector<Event> events;
  events.reserve(pods.size());
  std::int64_t first = 0, last = 0;
  for (std::uint32_t p = 0; p < pods.size(); ++p) {
    events.push_back(Event{times[p].creation, 1, p});
    first = p == 0 ? times[p].creation : std::min(first, times[p].creation);
    last = p == 0 ? times[p].deletion : std::max(last, times[p].deletion);
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.time, a.kind, a.pod) < std::tie(b.time, b.kind, b.pod);
  });
  const auto start = std::chrono::steady_clock::now();
  detail::PlacementLoop loop(cluster, typical, policy, seed);
  result.algorithm = std::string(loop.policy_name());
  const auto capacity = static_cast<double>(cluster.gpu_capacity_milli());
  std::vector<ReplayPlacement> where(pods.size());
  // A min-heap of departures of placed pods, by (deletion time, pod).
  std::vector<std::pair<std::int64_t, std::uint32_t>> departures;
  auto later = [](const auto& a, const auto& b) { return a > b; };
  double allocated = 0;
  std::int64_t running = 0, decision = 0;
  int next_sample = 0;
  auto sample_until = [&](std::int64_t t) {
    while (next_sample < samples) {
      const std::int64_t at = first + (last - first) * next_sample / std::max(1, samples - 1);
      if (at >= t) break;
      result.timeline.push_back(TimelinePoint{at, allocated / capacity, loop.fragmented_gpu_milli(), running});
      ++next_sample;
    }
  };
  auto depart_until = [&](std::int64_t t) {
    while (!departures.empty() && departures.front().first <= t) {
      sample_until(departures.front().first);
      const std::uint32_t p = departures.front().second;
      std::pop_heap(departures.begin(), departures.end(), later);
      departures.pop_back();
      loop.remove(where[p], pods[p]);
      allocated -= static_cast<double>(pods[p].total_gpu_milli());
      --running;
    }
  };
  for (const Event& e : events) {
    depart_until(e.time);
    sample_until(e.time);
    const ReplayPlacement placed = loop.place(e.pod, pods[e.pod], static_cast<std::uint64_t>(decision++));
    result.placements.push_back(placed);
    if (placed.node == kNoNode) {
      ++result.pods_failed;
      continue;
    }
    ++result.pods_placed;
    where[e.pod] = placed;
    allocated += static_cast<double>(pods[e.pod].total_gpu_milli());
    ++running;
    result.peak_allocated_ratio = std::max(result.peak_allocated_ratio, allocated / capacity);
    departures.emplace_back(times[e.pod].deletion, e.pod);
    std::push_heap(departures.begin(), departures.end(), later);
  }
  depart_until(last);
  sample_until(last + 1);
  result.seconds = seconds_since(start);
  return result;
}

std::optional<std::string> verify_placements(const GpuCluster& fresh, const std::vector<GpuPod>& pods,
                                             const std::vector<ReplayPlacement>& placements) {
  GpuCluster cluster = fresh;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    const ReplayPlacement& p = placements[i];
    if (p.node == kNoNode) continue;
    const std::string where = "placement " + std::to_string(i) + " (pod " + std::to_string(p.pod) + ")";
    if (p.pod >= pods.size()) return where + ": no such pod";
    if (p.node >= cluster.size()) return where + ": no such node";
    GpuPod pod = pods[p.pod];
    if (cluster.cpu_free(p.node) < pod.cpu_milli) return where + ": CPU over capacity on " + cluster.name(p.node);
    if (cluster.memory_free(p.node) < pod.memory_mib) return where + ": memory over capacity on " + cluster.name(p.node);
    if (pod.num_gpu > 0) {
      if (!GpuCluster::model_allowed(cluster.model(p.node), pod))
        return where + ": GPU model not allowed on " + cluster.name(p.node);
      if (p.gpu_milli < pod.gpu_milli) return where + ": takes less GPU per device than it asks";
      const int taken = std::popcount(static_cast<unsigned>(p.devices));
      if (static_cast<std::int64_t>(taken) * p.gpu_milli < pod.total_gpu_milli())
        return where + ": holds " + std::to_string(taken) + " devices, asks for " + std::to_string(pod.num_gpu);
      for (int d = 0; d < kMaxGpusPerNode; ++d) {
        if (((p.devices >> d) & 1U) == 0) continue;
        if (d >= cluster.gpu_count(p.node)) return where + ": device " + std::to_string(d) + " does not exist";
        if (cluster.devices(p.node)[static_cast<std::size_t>(d)] < p.gpu_milli)
          return where + ": device " + std::to_string(d) + " of " + cluster.name(p.node) + " over capacity";
      }
      pod.num_gpu = taken;
      pod.gpu_milli = p.gpu_milli;
    } else if (p.devices != 0) {
      return where + ": a CPU-only pod holds devices";
    }
    cluster.bind(p.node, pod, p.devices);
  }
  return std::nullopt;
}

}  // namespace podium::gpushare
