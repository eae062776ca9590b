#pragma once
// Running tasks as child processes of the podium executable itself, without a shell:
// posix_spawn of /proc/self/exe with the task's argv, standard output and error to the
// task's log file, each child in its own process group so that a terminal's Ctrl-C reaches
// only the sweep, which then kills its children and cleans up after them.

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace podium::sweep {

// The running podium executable (/proc/self/exe resolved), for children and emitted scripts.
std::string self_executable();

// Starts `exe argv...` with stdout and stderr appended to `log` (truncated first), or
// inherited when `log` is empty. Throws std::runtime_error when the child cannot start.
pid_t spawn_task(const std::string& exe, const std::vector<std::string>& argv, const std::string& log);

// waitpid's status as a shell would report it: the exit code, or 128 + the signal.
int exit_status_of(int wait_status);

// Blocks SIGINT, SIGTERM, SIGHUP and SIGCHLD for this process (children get them back, see
// spawn_task) so the executor takes them synchronously with wait_for_event.
class SignalScope {
 public:
  SignalScope();
  ~SignalScope();
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;
  // Waits up to `timeout_ms` for a signal; returns the interrupting signal (SIGINT, SIGTERM,
  // SIGHUP), or 0 for SIGCHLD or the timeout (reap with waitpid(WNOHANG) after either).
  int wait_for_event(int timeout_ms);

 private:
  sigset_t previous_;
};

}  // namespace podium::sweep
