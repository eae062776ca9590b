#pragma once
// `podium sweep merge`: one table from a results directory, whichever executor filled it.
//
// JSON: scheduler_perf's DataItems ({"version":"v1","dataItems":[...]}, what tools/compare
// and tools/plot read) plus a "sweep" section: the grid, and which tasks are missing, failed
// or skipped. Each item keeps its own labels and gains `sweepTask` (the index) and one label
// per axis that the item does not carry already (bench's own `seed` and `algorithm` stay).
// Outputs that are not DataItems (schedule, plan) become one item per task, Metric = the
// command, data = the output's numeric fields (nested keys joined with '.').
// Items follow task order, then the order within each output: the merged file depends only
// on the outputs, not on which executor ran them or in what order.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace podium::sweep {

struct MergeSummary {
  std::size_t tasks = 0;
  std::size_t merged = 0;  // tasks whose output was read
  std::vector<std::size_t> missing;
  std::vector<std::size_t> failed;
  std::vector<std::size_t> skipped;
};

// Reads `dir` (throws InputError when it holds no sweep manifest or an unreadable output)
// and writes the JSON and, when `csv` is not null, the CSV.
MergeSummary merge_results(const std::string& dir, std::ostream& json, std::ostream* csv);

}  // namespace podium::sweep
