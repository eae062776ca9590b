#pragma once
// The files of a sweep's results directory, whichever executor wrote them:
//
//   sweep.json              the manifest: spec name, command, axes, every task's stem
//   0007-...-seed=2.json    task 7's output (written atomically by the podium command)
//   0007-...-seed=2.log     its standard output and error
//   0007-...-seed=2.task.json   its record: argv, exit status, seconds; written last,
//                           atomically, so a record means the task ran to its end
//
// A task is finished when its record says exit 0 (or 77: bench skipped every workload);
// a rerun skips finished tasks and runs the rest again, whatever they left behind.

#include <optional>
#include <string>
#include <vector>

#include "spec.hpp"

namespace podium::sweep {

std::string output_path(const std::string& results, const Task& task);
std::string log_path(const std::string& results, const Task& task);
std::string record_path(const std::string& results, const Task& task);
std::string manifest_path(const std::string& results);

struct Record {
  std::size_t index = 0;
  int exit_status = -1;
  double seconds = 0;
};

// Writes sweep.json unless an identical one is there; throws InputError when the directory
// holds another sweep's manifest (results of two grids must not mix).
void ensure_manifest(const Spec& spec, const std::string& results);

void write_record(const Spec& spec, const Task& task, const std::vector<std::string>& argv, int exit_status,
                  double seconds, const std::string& results);
// The record at `path`, or nothing when it is absent or unreadable (a task to run again).
std::optional<Record> read_record(const std::string& path);

inline bool finished(const Record& r) { return r.exit_status == 0 || r.exit_status == 77; }
bool task_finished(const std::string& results, const Task& task);

}  // namespace podium::sweep
