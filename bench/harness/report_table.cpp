// The terminal table: for each workload, one column per algorithm, so configurations run
// on the same workload and seed read side by side.
#include <algorithm>
#include <cstdio>
#include <map>

#include "harness/report.hpp"

namespace podium::bench {
namespace {

std::string format(const char* fmt, double a, double b = 0) {
  char buf[96];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string us(std::uint64_t ns) { return format("%.1f", static_cast<double>(ns) / 1000.0); }

struct Row {
  std::string label;
  std::vector<std::string> cells;
};

void print_rows(std::ostream& out, const std::vector<std::string>& header, const std::vector<Row>& rows) {
  std::size_t label_w = 0;
  for (const auto& r : rows) label_w = std::max(label_w, r.label.size());
  std::vector<std::size_t> w(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    w[c] = std::max<std::size_t>(12, header[c].size());
    for (const auto& r : rows) w[c] = std::max(w[c], r.cells[c].size());
  }
  auto pad_left = [](const std::string& s, std::size_t width) { return std::string(width - std::min(width, s.size()), ' ') + s; };
  out << std::string(label_w, ' ');
  for (std::size_t c = 0; c < header.size(); ++c) out << "  " << pad_left(header[c], w[c]);
  out << '\n';
  for (const auto& r : rows) {
    out << r.label << std::string(label_w - r.label.size(), ' ');
    for (std::size_t c = 0; c < header.size(); ++c) out << "  " << pad_left(r.cells[c], w[c]);
    out << '\n';
  }
}

}  // namespace

void write_table(std::ostream& out, std::span<const RunResult> runs) {
  // Group by workload, keeping first-seen order.
  std::vector<std::string> names;
  std::map<std::string, std::vector<const RunResult*>> groups;
  for (const auto& r : runs) {
    const auto name = r.test_case + "/" + r.workload;
    if (!groups.contains(name)) names.push_back(name);
    groups[name].push_back(&r);
  }
  for (const auto& name : names) {
    const auto& g = groups[name];
    const RunResult& first = *g.front();
    out << "\n" << name << "  (" << first.nodes << " nodes, " << first.measured_pods << " measured pods, seed "
        << first.seed << ", " << first.threads << " thread" << (first.threads == 1 ? "" : "s") << ")\n";
    std::vector<std::string> header;
    const bool repeated = std::any_of(g.begin(), g.end(), [](const RunResult* r) { return r->repetition > 0; });
    for (const auto* r : g) header.push_back(repeated ? r->algorithm + " #" + std::to_string(r->repetition + 1) : r->algorithm);
    std::vector<Row> rows;
    auto row = [&](const std::string& label, auto cell) {
      Row r{label, {}};
      for (const auto* run : g) r.cells.push_back(run->skipped ? "-" : cell(*run));
      rows.push_back(std::move(r));
    };
    row("SchedulingThroughput avg (pods/s)", [](const RunResult& r) { return format("%.0f", r.throughput.average); });
    row("  windows p50 / p90 / p99", [](const RunResult& r) {
      return format("%.0f / ", r.throughput.p50) + format("%.0f / ", r.throughput.p90) + format("%.0f", r.throughput.p99);
    });
    row("Attempt latency scheduled (us) p50", [](const RunResult& r) { return us(r.latency_scheduled.value_at_quantile(0.5)); });
    row("  p90 / p99", [](const RunResult& r) {
      return us(r.latency_scheduled.value_at_quantile(0.9)) + " / " + us(r.latency_scheduled.value_at_quantile(0.99));
    });
    row("  p99.9 / max", [](const RunResult& r) {
      return us(r.latency_scheduled.value_at_quantile(0.999)) + " / " + us(r.latency_scheduled.max());
    });
    row("Attempt latency unschedulable p50 / p99", [](const RunResult& r) {
      if (r.latency_unschedulable.count() == 0) return std::string("-");
      return us(r.latency_unschedulable.value_at_quantile(0.5)) + " / " + us(r.latency_unschedulable.value_at_quantile(0.99));
    });
    if (std::any_of(g.begin(), g.end(), [](const RunResult* r) { return r->preemption_attempts > 0; })) {
      row("Attempt latency preemption p50 / p90 / p99", [](const RunResult& r) {
        const LogHistogram& h = r.latency_preemption;
        if (h.count() == 0) return std::string("-");
        return us(h.value_at_quantile(0.5)) + " / " + us(h.value_at_quantile(0.9)) + " / " + us(h.value_at_quantile(0.99));
      });
      row("  of which PostFilter p50 / p99", [](const RunResult& r) {
        const LogHistogram& h = r.preemption_evaluation;
        if (h.count() == 0) return std::string("-");
        return us(h.value_at_quantile(0.5)) + " / " + us(h.value_at_quantile(0.99));
      });
      row("Preemptions / victims (of PostFilter runs)", [](const RunResult& r) {
        return std::to_string(r.preemptions) + " / " + std::to_string(r.victims) + " (" +
               std::to_string(r.preemption_attempts) + ")";
      });
      row("  expected", [](const RunResult& r) {
        return (r.expected_preemptions ? std::to_string(*r.expected_preemptions) : std::string("-")) + " / " +
               (r.expected_victims ? std::to_string(*r.expected_victims) : std::string("-"));
      });
      row("Victims requeued / placed again", [](const RunResult& r) {
        return std::to_string(r.requeued) + " / " + std::to_string(r.requeued_placed);
      });
    }
    row("Scheduled / unschedulable", [](const RunResult& r) {
      return std::to_string(r.scheduled) + " / " + std::to_string(r.unschedulable);
    });
    row("  expected unschedulable", [](const RunResult& r) { return std::to_string(r.expected_unschedulable); });
    row("Retries / placed on a retry", [](const RunResult& r) {
      return std::to_string(r.retries) + " / " + std::to_string(r.placed_on_retry);
    });
    row("Nodes used", [](const RunResult& r) { return std::to_string(r.quality.nodes_used); });
    row("CPU util mean +- sd (%)", [](const RunResult& r) {
      return format("%.1f +- %.1f", 100 * r.quality.cpu_util_mean, 100 * r.quality.cpu_util_stddev);
    });
    row("Memory util mean +- sd (%)", [](const RunResult& r) {
      return format("%.1f +- %.1f", 100 * r.quality.memory_util_mean, 100 * r.quality.memory_util_stddev);
    });
    if (std::any_of(g.begin(), g.end(), [](const RunResult* r) { return r->quality.has_gpu; }))
      row("GPU util mean +- sd (%)", [](const RunResult& r) {
        return format("%.1f +- %.1f", 100 * r.quality.gpu_util_mean, 100 * r.quality.gpu_util_stddev);
      });
    row("Fragmentation (% free CPU stranded)", [](const RunResult& r) { return format("%.1f", 100 * r.quality.fragmentation); });
    row("Phases load / build / schedule (s)", [](const RunResult& r) {
      return format("%.2f / ", r.phases.load_seconds) + format("%.2f / ", r.phases.build_seconds) +
             format("%.2f", r.phases.schedule_seconds);
    });
    row("Peak RSS (MiB)", [](const RunResult& r) { return format("%.0f", static_cast<double>(r.phases.peak_rss_bytes) / (1 << 20)); });
    row("Result", [](const RunResult& r) { return std::string(r.passed() ? "PASS" : "FAIL"); });
    for (std::size_t c = 0; c < g.size(); ++c)
      if (g[c]->skipped) rows.back().cells[c] = "SKIP";
    print_rows(out, header, rows);

    // Time per extension point and plugin, one row per (point, plugin) any algorithm ran.
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto* r : g)
      for (const auto& t : r->plugin_timings)
        if (std::find(keys.begin(), keys.end(), std::pair(t.extension_point, t.plugin)) == keys.end())
          keys.emplace_back(t.extension_point, t.plugin);
    if (!keys.empty()) {
      out << "  time per pod (us, single thread, " << first.timing_samples << " sampled pods replayed on the final state)\n";
      std::vector<Row> trows;
      for (const auto& [point, plugin] : keys) {
        Row r{plugin.empty() ? point + " (total)" : "  " + point + "/" + plugin, {}};
        for (const auto* run : g) {
          std::string cell = "-";
          for (const auto& t : run->plugin_timings)
            if (t.extension_point == point && t.plugin == plugin) cell = format("%.1f", t.mean_us);
          r.cells.push_back(cell);
        }
        trows.push_back(std::move(r));
      }
      print_rows(out, header, trows);
    }
    for (const auto* r : g) {
      if (!r->unschedulable_reasons.empty()) {
        out << "  unschedulable reasons [" << r->algorithm << "]:";
        for (const auto& [reason, count] : r->unschedulable_reasons) out << " " << reason << " (" << count << " pods);";
        out << "\n";
      }
      if (r->skipped) out << "  SKIPPED [" << r->algorithm << "]: " << r->skip_reason << "\n";
      for (const auto& f : r->failures) out << "  FAILED [" << r->algorithm << "]: " << f << "\n";
    }
  }
}

}  // namespace podium::bench
