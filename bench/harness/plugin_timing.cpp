#include "harness/plugin_timing.hpp"

#include <chrono>
#include <map>
#include <numeric>

namespace podium::bench {
namespace {

constexpr const char* kPoints[] = {"PreFilter", "Filter", "PreScore", "Score", "NormalizeScore"};

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  std::uint64_t ns() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

struct Cell {
  std::uint64_t ns = 0;
  std::uint64_t calls = 0;
};

}  // namespace

std::vector<PluginTiming> time_plugins(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                       Binder& binder, std::span<const state::PodIndex> sample) {
  // (point index, plugin name) -> time; plugin order remembered per point.
  std::map<std::pair<int, std::string>, Cell> cells;
  std::vector<std::vector<std::string>> order(std::size(kPoints));
  auto add = [&](int point, std::string_view plugin, std::uint64_t ns) {
    auto [it, inserted] = cells.try_emplace({point, std::string(plugin)});
    if (inserted) order[point].emplace_back(plugin);
    it->second.ns += ns;
    ++it->second.calls;
  };

  std::vector<framework::NodeIndex> all(cluster.nodes.size);
  std::iota(all.begin(), all.end(), framework::NodeIndex{0});
  std::vector<framework::NodeIndex> feasible;
  std::vector<std::int64_t> scores;
  for (const state::PodIndex p : sample) {
    const framework::Profile* profile = nullptr;
    for (const auto& candidate : profiles)
      if (candidate.scheduler_name == cluster.pods[p].scheduler_name) profile = &candidate;
    if (profile == nullptr) continue;
    const state::NodeIndex home = binder.unbind(p);
    framework::CycleState cycle(profile->slot_count);
    const framework::PodContext ctx{cluster.pods[p], p};

    std::vector<bool> filter_skip(profile->filters.size(), false);
    bool rejected = false;
    for (std::size_t f = 0; f < profile->filters.size() && !rejected; ++f) {
      const Stopwatch sw;
      const framework::Status st = profile->filters[f]->pre_filter(cycle, ctx, cluster);
      add(0, profile->filters[f]->name(), sw.ns());
      filter_skip[f] = st.is_skip();
      rejected = !st.ok() && !st.is_skip();
    }
    if (!rejected) {
      feasible = all;
      std::size_t alive = feasible.size();
      for (std::size_t f = 0; f < profile->filters.size(); ++f) {
        if (filter_skip[f]) continue;
        const Stopwatch sw;
        alive = profile->filters[f]->filter(cycle, ctx, cluster, {feasible.data(), alive}, feasible.data());
        add(1, profile->filters[f]->name(), sw.ns());
      }
      feasible.resize(alive);
      if (!feasible.empty()) {
        scores.resize(feasible.size());
        for (const auto& entry : profile->scores) {
          auto* plugin = entry.plugin;
          Stopwatch pre;
          const framework::Status st = plugin->pre_score(
              cycle, ctx, cluster,
              plugin->needs_feasible_nodes() ? std::span<const framework::NodeIndex>(feasible)
                                             : std::span<const framework::NodeIndex>{});
          add(2, plugin->name(), pre.ns());
          if (!st.ok()) continue;  // Skip (or an error): the framework would not score with it
          const Stopwatch sw;
          plugin->score(cycle, ctx, cluster, feasible, scores.data());
          add(3, plugin->name(), sw.ns());
          if (plugin->has_normalize()) {
            const Stopwatch nw;
            plugin->normalize(cycle, ctx, scores);
            add(4, plugin->name(), nw.ns());
          }
        }
      }
    }
    if (home != state::kNoNode) binder.bind(p, home);
  }

  std::vector<PluginTiming> out;
  const double pods = static_cast<double>(sample.empty() ? 1 : sample.size());
  for (int point = 0; point < static_cast<int>(std::size(kPoints)); ++point) {
    double total_us = 0;
    std::uint64_t total_calls = 0;
    for (const auto& plugin : order[point]) {
      const Cell& c = cells.at({point, plugin});
      const double us = static_cast<double>(c.ns) / 1000.0 / pods;
      out.push_back({kPoints[point], plugin, us, c.calls});
      total_us += us;
      total_calls += c.calls;
    }
    if (!order[point].empty()) out.push_back({kPoints[point], "", total_us, total_calls});
  }
  return out;
}

}  // namespace podium::bench
