#pragma once
// Runs the built `podium` binary with a command line and collects what it printed and its
// exit status: the CLI tests' one way of invoking the tool as a user would.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace podium::testing {

inline const std::string kPodiumBinary = PODIUM_BINARY_DIR "/tools/podium/podium";

struct PodiumRun {
  int exit_code = 0;  // -1 when the process did not exit normally
  std::string out;    // stdout, and stderr too unless left out
};

inline PodiumRun run_podium(const std::string& args, bool with_stderr = true) {
  PodiumRun r;
  FILE* pipe = ::popen((kPodiumBinary + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace podium::testing
