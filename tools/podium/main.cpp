// `podium`: Kubernetes scheduling, kube-scheduler's semantics, data-oriented engine.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.hpp"
#include "podium/common/input_error.hpp"

namespace {

// A full disk or a closed pipe on stdout must not pass for success.
bool flush_stdout() {
  errno = 0;
  std::cout.flush();
  if (std::cout && std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
  std::cerr << "podium: error: writing standard output failed" << (errno != 0 ? std::string(": ") + std::strerror(errno) : "")
            << "\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Podium: a fast, faithful Kubernetes pod scheduler engine"};
  app.require_subcommand(1);
  podium::cli::add_generate_command(app);
  podium::cli::add_score_command(app);
  podium::cli::add_schedule_command(app);
  podium::cli::add_bench_command(app);
  podium::cli::add_algorithms_command(app);
  podium::cli::add_verify_command(app);
  podium::cli::add_plan_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11's message, but the documented usage-error status: 2 (--help stays 0).
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const podium::cli::CommandExit& e) {
    return flush_stdout() ? e.code : 2;
  } catch (const podium::InputError& e) {
    std::cerr << "podium: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "podium: error: " << e.what() << "\n";
    return 2;
  }
  return flush_stdout() ? 0 : 2;
}
