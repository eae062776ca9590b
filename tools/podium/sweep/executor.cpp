// Local executors (executor.hpp).

#include "executor.hpp"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "process.hpp"
#include "results_dir.hpp"

namespace podium::sweep {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void remove_quietly(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

// What a task run that did not finish may leave: the output (perhaps bench's "interrupted"
// report), the temporary file of an atomic write cut short, the log, an old record.
void remove_task_files(const std::string& results, const Task& task, pid_t pid) {
  remove_quietly(output_path(results, task));
  if (pid > 0) remove_quietly(output_path(results, task) + ".tmp." + std::to_string(pid));
  remove_quietly(log_path(results, task));
  remove_quietly(record_path(results, task));
}

struct Running {
  Task task;
  std::vector<std::string> argv;
  Clock::time_point start;
};

// Kills and reaps every running task and removes what each left, so a rerun starts it
// afresh and merge never sees a half-run task.
void stop_all(const std::map<pid_t, Running>& running, const std::string& results) {
  for (const auto& [pid, r] : running) kill(pid, SIGKILL);
  for (const auto& [pid, r] : running) {
    int status = 0;
    waitpid(pid, &status, 0);
    remove_task_files(results, r.task, pid);
  }
}

class Progress {
 public:
  Progress(bool bar, std::size_t total) : bar_(bar), total_(total) {}
  void finished(const Task& task, int status, double seconds, const std::string& log, std::size_t running) {
    ++done_;
    if (status != 0 && status != 77) ++failed_;
    if (bar_) {
      std::fprintf(stderr, "\r\033[K[%zu/%zu] %zu running, %zu failed  %s", done_, total_, running, failed_,
                   task.stem.c_str());
      if (status != 0 && status != 77) std::fprintf(stderr, "\n  FAILED (exit %d): %s\n", status, log.c_str());
    } else {
      std::fprintf(stderr, "podium sweep: [%zu/%zu] %s %s (%.2f s)%s%s\n", done_, total_, task.stem.c_str(),
                   status == 0 ? "ok" : status == 77 ? "skipped" : ("FAILED exit " + std::to_string(status)).c_str(),
                   seconds, status == 0 || status == 77 ? "" : "; log: ", status == 0 || status == 77 ? "" : log.c_str());
    }
    std::fflush(stderr);
  }
  void end() {
    if (bar_) std::fprintf(stderr, "\n");
  }
  std::size_t failed() const { return failed_; }

 private:
  bool bar_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
};

}  // namespace

int run_local(const Spec& spec, const LocalRunOptions& options) {
  const std::string& results = options.results;
  ensure_manifest(spec, results);
  const std::string exe = self_executable();
  std::vector<std::size_t> todo;
  const std::size_t n = task_count(spec);
  for (std::size_t i = 0; i < n; ++i)
    if (options.force || !task_finished(results, task_at(spec, i))) todo.push_back(i);
  std::fprintf(stderr, "podium sweep: %s: %zu task(s), %zu finished already, %zu to run, %d at a time; results in %s\n",
               spec.name.c_str(), n, n - todo.size(), todo.size(), options.jobs, results.c_str());

  SignalScope signals;
  Progress progress(options.progress_bar, todo.size());
  std::map<pid_t, Running> running;
  std::size_t next = 0;
  int interrupted = 0;
  while (!interrupted && (next < todo.size() || !running.empty())) {
    while (next < todo.size() && running.size() < static_cast<std::size_t>(options.jobs)) {
      Running r{task_at(spec, todo[next++]), {}, Clock::now()};
      remove_task_files(results, r.task, 0);
      r.argv = task_argv(spec, r.task, output_path(results, r.task));
      pid_t pid = 0;
      try {
        pid = spawn_task(exe, r.argv, log_path(results, r.task));
      } catch (...) {
        // No orphans: the tasks already running are stopped as on an interrupt.
        stop_all(running, results);
        remove_task_files(results, r.task, 0);
        throw;
      }
      running.emplace(pid, std::move(r));
    }
    interrupted = signals.wait_for_event(200);
    int status = 0;
    pid_t pid;
    while (!running.empty() && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
      auto it = running.find(pid);
      if (it == running.end()) continue;
      const int code = exit_status_of(status);
      const double seconds = seconds_since(it->second.start);
      write_record(spec, it->second.task, it->second.argv, code, seconds, results);
      const Task task = it->second.task;
      running.erase(it);
      progress.finished(task, code, seconds, log_path(results, task), running.size());
    }
  }
  progress.end();
  if (interrupted) {
    stop_all(running, results);
    std::fprintf(stderr, "podium sweep: interrupted (%s): %zu running task(s) killed and their files removed; rerun "
                         "the same command to resume\n",
                 interrupted == SIGINT ? "SIGINT" : interrupted == SIGTERM ? "SIGTERM" : "SIGHUP", running.size());
    return 128 + interrupted;
  }
  if (progress.failed() > 0) {
    std::fprintf(stderr, "podium sweep: %zu task(s) failed (records and logs in %s); a rerun retries them\n",
                 progress.failed(), results.c_str());
    return 1;
  }
  return 0;
}

int run_task(const Spec& spec, std::size_t index, const std::string& results, bool force) {
  const Task task = task_at(spec, index);
  ensure_manifest(spec, results);
  if (!force && task_finished(results, task)) {
    std::fprintf(stderr, "podium sweep: task %zu (%s) is finished already\n", index, task.stem.c_str());
    return 0;
  }
  SignalScope signals;
  remove_task_files(results, task, 0);
  const auto argv = task_argv(spec, task, output_path(results, task));
  const auto start = Clock::now();
  const pid_t pid = spawn_task(self_executable(), argv, log_path(results, task));
  for (;;) {
    if (const int sig = signals.wait_for_event(200)) {
      // Slurm's scancel and Kubernetes' pod deletion send SIGTERM: the task dies unrecorded.
      kill(pid, SIGKILL);
      int status = 0;
      waitpid(pid, &status, 0);
      remove_task_files(results, task, pid);
      return 128 + sig;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      const int code = exit_status_of(status);
      const double seconds = seconds_since(start);
      write_record(spec, task, argv, code, seconds, results);
      std::fprintf(stderr, "podium sweep: task %zu (%s): %s in %.2f s\n", index, task.stem.c_str(),
                   code == 0 ? "ok" : ("exit " + std::to_string(code)).c_str(), seconds);
      return code;
    }
  }
}

}  // namespace podium::sweep
