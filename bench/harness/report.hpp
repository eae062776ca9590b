#pragma once
// Report writers for `podium bench` results (formats in docs/FORMATS.md, "podium bench").
//   table: side-by-side text for a terminal, one column per algorithm;
//   json:  scheduler_perf's DataItems {"version":"v1","dataItems":[{data, unit, labels}]};
//   csv:   the same DataItems, one row per data field (long format, for spreadsheets/plots).

#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "harness/results.hpp"

namespace podium::bench {

struct DataItem {
  std::vector<std::pair<std::string, double>> data;    // field -> value, in a fixed order
  std::string unit;
  std::vector<std::pair<std::string, std::string>> labels;  // Metric and the item's own labels
};

// Every DataItem of one run; labels hold Metric, Name (TestCase/Workload) and the run's
// identity (algorithm, seed, threads, nodes) followed by the item's own labels.
std::vector<DataItem> data_items(const RunResult& run);

// `interrupted`: the run was stopped by a signal and `runs` holds only the finished runs;
// the report then carries a top-level "interrupted": true.
void write_json(std::ostream& out, std::span<const RunResult> runs, bool interrupted = false);
void write_csv(std::ostream& out, std::span<const RunResult> runs);
void write_table(std::ostream& out, std::span<const RunResult> runs);

}  // namespace podium::bench
