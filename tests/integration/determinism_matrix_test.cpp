// Issue 14, item 4: for every algorithm (`podium algorithms` plus bench's built-in
// configurations) and every shipped workload at its `short` label, the same seed gives
// the same decisions — pod by pod, node by node, deletions included — at 1 thread, again
// at 1 thread, and at 2 threads; and `podium verify`'s checker accepts the placements of
// the 1-thread run and of an optimistic-mode run (optimistic mode is not deterministic, so
// it is held to the rules only).
//
// One ctest entry per (workload, algorithm), so ctest spreads them over its jobs. The
// workload files are read when the test binary starts (gtest needs the parameter list),
// from the source tree; a file that fails to parse fails the listing test below.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../support/run_events_verify.hpp"
#include "harness/algorithms.hpp"
#include "harness/runner.hpp"
#include "harness/scenario.hpp"
#include "harness/workload.hpp"
#include "podium/state/cluster_builder.hpp"
#include "podium/verify/verify.hpp"

namespace podium::bench {
namespace {

const std::string kWorkloadDir = PODIUM_SOURCE_DIR "/bench/workloads";

struct MatrixCell {
  std::string file;      // path of the workload file
  std::string workload;  // TestCase/Workload
  std::string algorithm;
};

std::vector<std::string> workload_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kWorkloadDir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Every (short workload, algorithm) pair. A file that does not parse contributes nothing
// here; WorkloadFiles.AllParseAndEachHasAShortWorkload reports it.
std::vector<MatrixCell> matrix() {
  std::vector<MatrixCell> cells;
  for (const auto& file : workload_files()) {
    std::vector<Workload> workloads;
    try {
      workloads = load_workload_file(file);
    } catch (...) {
      continue;
    }
    for (const auto& w : workloads) {
      if (!labels_match(w.labels, "short")) continue;
      for (const auto& algorithm : builtin_algorithm_names()) cells.push_back({file, w.full_name(), algorithm});
    }
  }
  return cells;
}

Workload find_workload(const MatrixCell& cell) {
  for (auto& w : load_workload_file(cell.file))
    if (w.full_name() == cell.workload) return w;
  throw std::logic_error("workload " + cell.workload + " vanished from " + cell.file);
}

RunResult run(const Workload& w, const Algorithm& algorithm, int threads, scheduler::ParallelMode mode) {
  RunOptions options;
  options.seed = 7;
  options.threads = threads;
  options.parallel_mode = mode;
  options.timing_samples = 0;  // the timing pass re-binds pods; it is not a decision
  options.record_events = true;
  return run_workload(w, algorithm, options);
}

// The first event where two runs differ, for a readable failure.
std::string first_difference(const RunResult& a, const RunResult& b) {
  const std::size_t n = std::min(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!(a.events[i] == b.events[i]))
      return "event " + std::to_string(i) + ": pod " + std::to_string(a.events[i].pod) + " -> node " +
             std::to_string(a.events[i].node) + " vs pod " + std::to_string(b.events[i].pod) + " -> node " +
             std::to_string(b.events[i].node);
  return a.events.size() == b.events.size() ? "none"
                                            : std::to_string(a.events.size()) + " vs " + std::to_string(b.events.size()) + " events";
}

class DeterminismMatrix : public ::testing::TestWithParam<MatrixCell> {};

TEST_P(DeterminismMatrix, SameDecisionsAtOneAndTwoThreadsAndTheyVerify) {
  const MatrixCell& cell = GetParam();
  const Workload w = find_workload(cell);
  const Algorithm algorithm = resolve_algorithm(cell.algorithm);
  using scheduler::ParallelMode;

  const RunResult first = run(w, algorithm, 1, ParallelMode::kSequentialEquivalent);
  if (first.skipped) GTEST_SKIP() << first.skip_reason;
  ASSERT_FALSE(first.events.empty());
  const RunResult again = run(w, algorithm, 1, ParallelMode::kSequentialEquivalent);
  const RunResult two = run(w, algorithm, 2, ParallelMode::kSequentialEquivalent);
  EXPECT_TRUE(first.events == again.events) << "two 1-thread runs differ at " << first_difference(first, again);
  EXPECT_TRUE(first.events == two.events) << "1 and 2 threads differ at " << first_difference(first, two);
  EXPECT_TRUE(verifies(w, first));

  const RunResult optimistic = run(w, algorithm, 2, ParallelMode::kOptimistic);
  EXPECT_TRUE(verifies(w, optimistic));
}

std::string cell_name(const ::testing::TestParamInfo<MatrixCell>& info) {
  std::string name = std::filesystem::path(info.param.file).stem().string() + "_" + info.param.workload + "_" +
                     info.param.algorithm;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(ShortWorkloads, DeterminismMatrix, ::testing::ValuesIn(matrix()), cell_name);

TEST(WorkloadFiles, AllParseAndEachHasAShortWorkload) {
  const auto files = workload_files();
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    std::vector<Workload> workloads;
    ASSERT_NO_THROW(workloads = load_workload_file(file)) << file;
    EXPECT_TRUE(std::any_of(workloads.begin(), workloads.end(), [](const Workload& w) { return labels_match(w.labels, "short"); }))
        << file << " has no workload labelled short, so the determinism matrix does not cover it";
  }
  // Every engine algorithm is in the matrix.
  const auto names = builtin_algorithm_names();
  const std::set<std::string> in_matrix(names.begin(), names.end());
  for (const auto& a : {"default", "first-fit", "best-fit", "flow", "tetris"}) EXPECT_TRUE(in_matrix.count(a)) << a;
}

}  // namespace
}  // namespace podium::bench
