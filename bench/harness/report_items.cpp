// DataItems (scheduler_perf's result shape) and their JSON and CSV renderings.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "harness/report.hpp"

namespace podium::bench {
namespace {

// Quantiles of the latency CDF item: dense in the tail, where comparisons matter.
constexpr double kCdfQuantiles[] = {0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8,
                                    0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9999, 1.0};
constexpr int kUtilBins = 20;

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string number_text(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void json_string(std::ostream& out, const std::string& s) {
  out << '"';
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\t': out << "\\t"; break;
      case '\r': out << "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out << buf;
        } else {
          out << c;
        }
    }
  }
  out << '"';
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The labels every item of a run carries, after Metric.
constexpr std::size_t kCommonLabels = 8;

}  // namespace

std::vector<DataItem> data_items(const RunResult& run) {
  std::vector<DataItem> items;
  std::string labels_joined;
  for (const auto& l : run.labels) labels_joined += (labels_joined.empty() ? "" : ",") + l;
  auto item = [&](const std::string& metric, const std::string& unit,
                  std::vector<std::pair<std::string, std::string>> own = {}) -> DataItem& {
    DataItem d;
    d.unit = unit;
    // Metric, then kCommonLabels labels (write_csv relies on the count).
    d.labels = {{"Metric", metric},
                {"Name", run.test_case + "/" + run.workload},
                {"algorithm", run.algorithm},
                {"seed", std::to_string(run.seed)},
                {"threads", std::to_string(run.threads)},
                {"nodes", std::to_string(run.nodes)},
                {"workloadFile", run.file},
                {"labels", labels_joined},
                {"repetition", std::to_string(run.repetition)}};
    for (auto& l : own) d.labels.push_back(std::move(l));
    items.push_back(std::move(d));
    return items.back();
  };

  if (run.skipped) {
    item("BenchmarkResult", "", {{"skipped", run.skip_reason}}).data = {{"Passed", 0}, {"Skipped", 1}};
    return items;
  }
  const auto& tp = run.throughput;
  item("SchedulingThroughput", "pods/s").data = {
      {"Average", tp.average}, {"Perc50", tp.p50}, {"Perc90", tp.p90}, {"Perc95", tp.p95}, {"Perc99", tp.p99}};

  // result="preemption": measured attempts that ran PostFilter, kept apart from the others.
  for (const auto& [result, h] : {std::pair<const char*, const LogHistogram*>{"scheduled", &run.latency_scheduled},
                                  {"unschedulable", &run.latency_unschedulable},
                                  {"preemption", &run.latency_preemption}}) {
    if (h->count() == 0) continue;
    item("scheduler_scheduling_attempt_duration_seconds", "ms", {{"result", result}}).data = {
        {"Perc50", ms(h->value_at_quantile(0.50))},   {"Perc90", ms(h->value_at_quantile(0.90))},
        {"Perc95", ms(h->value_at_quantile(0.95))},   {"Perc99", ms(h->value_at_quantile(0.99))},
        {"Perc999", ms(h->value_at_quantile(0.999))}, {"Max", ms(h->max())},
        {"Average", h->mean() / 1e6},                 {"Count", static_cast<double>(h->count())}};
    DataItem& cdf = item("SchedulingAttemptLatencyCDF", "ms", {{"result", result}});
    for (const double q : kCdfQuantiles) cdf.data.emplace_back(number_text(q), ms(h->value_at_quantile(q)));
  }

  if (const LogHistogram& h = run.preemption_evaluation; h.count() > 0)
    item("scheduler_scheduling_algorithm_preemption_evaluation_seconds", "ms").data = {
        {"Perc50", ms(h.value_at_quantile(0.50))}, {"Perc90", ms(h.value_at_quantile(0.90))},
        {"Perc99", ms(h.value_at_quantile(0.99))}, {"Max", ms(h.max())},
        {"Average", h.mean() / 1e6},               {"Count", static_cast<double>(h.count())}};
  if (run.preemption_attempts > 0 || run.expected_preemptions || run.expected_victims) {
    DataItem& p = item("Preemption", "pods");
    p.data = {{"Attempts", static_cast<double>(run.preemption_attempts)},
              {"Preemptions", static_cast<double>(run.preemptions)},
              {"Victims", static_cast<double>(run.victims)},
              {"Requeued", static_cast<double>(run.requeued)},
              {"RequeuedPlaced", static_cast<double>(run.requeued_placed)}};
    if (run.expected_preemptions) p.data.emplace_back("ExpectedPreemptions", static_cast<double>(*run.expected_preemptions));
    if (run.expected_victims) p.data.emplace_back("ExpectedVictims", static_cast<double>(*run.expected_victims));
  }

  if (run.commit_attempts > 0)
    item("OptimisticCommits", "").data = {
        {"Attempts", static_cast<double>(run.commit_attempts)},
        {"Conflicts", static_cast<double>(run.conflicts)},
        {"ConflictRate", static_cast<double>(run.conflicts) / static_cast<double>(run.commit_attempts)}};

  for (const auto& t : run.plugin_timings) {
    if (t.plugin.empty()) {
      item("scheduler_framework_extension_point_duration_seconds", "ms",
           {{"extension_point", t.extension_point}, {"samples", std::to_string(run.timing_samples)}})
          .data = {{"Average", t.mean_us / 1000.0}};
    } else {
      item("scheduler_plugin_execution_duration_seconds", "ms",
           {{"extension_point", t.extension_point}, {"plugin", t.plugin}, {"samples", std::to_string(run.timing_samples)}})
          .data = {{"Average", t.mean_us / 1000.0}};
    }
  }

  item("PodOutcomes", "pods").data = {{"Measured", static_cast<double>(run.measured_pods)},
                                      {"Scheduled", static_cast<double>(run.scheduled)},
                                      {"Unschedulable", static_cast<double>(run.unschedulable)},
                                      {"ExpectedUnschedulable", static_cast<double>(run.expected_unschedulable)},
                                      {"InitUnschedulable", static_cast<double>(run.init_unschedulable)},
                                      {"ChurnUnschedulable", static_cast<double>(run.churn_unschedulable)},
                                      {"Deleted", static_cast<double>(run.deleted)},
                                      {"Retries", static_cast<double>(run.retries)},
                                      {"PlacedOnRetry", static_cast<double>(run.placed_on_retry)}};
  if (!run.unschedulable_reasons.empty()) {
    DataItem& reasons = item("UnschedulableReasons", "pods");
    for (const auto& [reason, count] : run.unschedulable_reasons) reasons.data.emplace_back(reason, static_cast<double>(count));
  }

  const auto& q = run.quality;
  item("NodeUtilization", "ratio", {{"resource", "cpu"}}).data = {{"Mean", q.cpu_util_mean}, {"Stddev", q.cpu_util_stddev}};
  item("NodeUtilization", "ratio", {{"resource", "memory"}}).data = {{"Mean", q.memory_util_mean},
                                                                      {"Stddev", q.memory_util_stddev}};
  if (q.has_gpu)
    item("NodeUtilization", "ratio", {{"resource", "nvidia.com/gpu"}}).data = {{"Mean", q.gpu_util_mean},
                                                                                {"Stddev", q.gpu_util_stddev}};
  DataItem& hist = item("NodeUtilizationHistogram", "nodes", {{"resource", "cpu"}});
  std::vector<double> bins(kUtilBins, 0);
  for (const double u : q.cpu_util_by_node)
    bins[static_cast<std::size_t>(std::clamp(static_cast<int>(u * kUtilBins), 0, kUtilBins - 1))] += 1;
  for (int b = 0; b < kUtilBins; ++b) hist.data.emplace_back(fixed(static_cast<double>(b) / kUtilBins, 2), bins[b]);
  item("NodesUsed", "nodes").data = {{"Used", static_cast<double>(q.nodes_used)}, {"Total", static_cast<double>(run.nodes)}};
  item("Fragmentation", "ratio").data = {{"Value", q.fragmentation}};

  if (!tp.windows.empty()) {
    DataItem& windows = item("SchedulingThroughputWindows", "pods/s", {{"window_seconds", number_text(tp.window_seconds)}});
    for (std::size_t w = 0; w < tp.windows.size(); ++w) windows.data.emplace_back(std::to_string(w), tp.windows[w]);
  }

  const auto& ph = run.phases;
  item("PhaseDuration", "s").data = {{"Load", ph.load_seconds},
                                     {"BuildState", ph.build_seconds},
                                     {"Schedule", ph.schedule_seconds},
                                     {"PluginTiming", ph.timing_seconds},
                                     {"MeasuredScheduling", run.measured_seconds}};
  item("PeakRSS", "bytes").data = {{"Value", static_cast<double>(ph.peak_rss_bytes)}};

  std::string failures;
  for (const auto& f : run.failures) failures += (failures.empty() ? "" : "; ") + f;
  item("BenchmarkResult", "", {{"failures", failures}}).data = {{"Passed", run.passed() ? 1.0 : 0.0}, {"Skipped", 0}};
  return items;
}

void write_json(std::ostream& out, std::span<const RunResult> runs, bool interrupted) {
  out << "{\"version\":\"v1\",\"dataItems\":[";
  bool first_item = true;
  for (const auto& run : runs) {
    for (const auto& d : data_items(run)) {
      out << (first_item ? "\n" : ",\n") << "{\"data\":{";
      first_item = false;
      for (std::size_t i = 0; i < d.data.size(); ++i) {
        if (i) out << ',';
        json_string(out, d.data[i].first);
        out << ':' << number_text(d.data[i].second);
      }
      out << "},\"unit\":";
      json_string(out, d.unit);
      out << ",\"labels\":{";
      for (std::size_t i = 0; i < d.labels.size(); ++i) {
        if (i) out << ',';
        json_string(out, d.labels[i].first);
        out << ':';
        json_string(out, d.labels[i].second);
      }
      out << "}}";
    }
  }
  out << "\n]" << (interrupted ? ",\"interrupted\":true" : "") << "}\n";
}

void write_csv(std::ostream& out, std::span<const RunResult> runs) {
  out << "name,algorithm,seed,threads,nodes,repetition,metric,item_labels,field,value,unit\n";
  for (const auto& run : runs) {
    for (const auto& d : data_items(run)) {
      // labels[0] is Metric, then the common labels; the rest are the item's own.
      std::string own;
      for (std::size_t i = 1 + kCommonLabels; i < d.labels.size(); ++i)
        own += (own.empty() ? "" : ";") + d.labels[i].first + "=" + d.labels[i].second;
      for (const auto& [field, value] : d.data)
        out << csv_field(run.test_case + "/" + run.workload) << ',' << csv_field(run.algorithm) << ',' << run.seed
            << ',' << run.threads << ',' << run.nodes << ',' << run.repetition << ',' << csv_field(d.labels[0].second) << ','
            << csv_field(own) << ',' << csv_field(field) << ',' << number_text(value) << ',' << csv_field(d.unit)
            << '\n';
    }
  }
}

}  // namespace podium::bench
