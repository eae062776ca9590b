#pragma once
// Results through logs, for executors whose storage dies with the task (a Kubernetes pod
// with an emptyDir): `podium sweep task --print-results` frames the task's files on
// standard output, and `podium sweep collect` unpacks the collected logs into a results
// directory that `podium sweep merge` reads like any other.
//
// A frame is a line `podium-sweep-file NAME BYTES`, then exactly BYTES bytes, then a newline.
// Anything between frames (other log lines) is ignored.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "spec.hpp"

namespace podium::sweep {

// Frames sweep.json, the task's record, output and log (those that exist).
void print_task_files(std::ostream& out, const std::string& results, const Task& task);

// Unpacks every frame of `logs` into `results` (atomically, file by file); returns the
// number of files written. A file name with a '/' or a truncated frame is an InputError
// naming the log and its line; two different copies of sweep.json are too.
std::size_t collect_logs(const std::vector<std::string>& logs, const std::string& results);

}  // namespace podium::sweep
