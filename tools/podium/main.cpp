// `podium`: Kubernetes scheduling, kube-scheduler's semantics, data-oriented engine.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "podium/common/input_error.hpp"
#include "podium/extension.hpp"

namespace {

// --plugin-library PATH: a plugin library, or a directory whose *.so files are loaded in
// name order (docs/EXTENDING.md).
void load_plugins(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    // dlopen searches the library path for a name without a slash; a file given on the
    // command line is meant as a path.
    const bool bare = path.find('/') == std::string::npos;
    podium::extension::load_plugin_library(bare && fs::exists(path, ec) ? "./" + path : path);
    return;
  }
  std::vector<std::string> libraries;
  for (const auto& entry : fs::directory_iterator(path))
    if (entry.is_regular_file() && entry.path().extension() == ".so") libraries.push_back(entry.path().string());
  std::sort(libraries.begin(), libraries.end());
  if (libraries.empty()) throw std::runtime_error("--plugin-library " + path + ": no *.so file in the directory");
  for (const auto& library : libraries) podium::extension::load_plugin_library(library);
}

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
  // Loaded as soon as it is parsed, so it must come before the subcommand: by then every
  // algorithm and plugin it registers is known to the subcommand (`podium algorithms`,
  // --algorithm, profiles).
  app.add_option_function<std::string>(
         "--plugin-library", [](const std::string& path) { load_plugins(path); },
         "Load out-of-tree algorithms and plugins from a shared library built against this Podium (or every *.so "
         "in a directory); repeatable; give it before the subcommand (docs/EXTENDING.md)")
      ->type_name("PATH")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->trigger_on_parse();
  podium::cli::add_generate_command(app);
  podium::cli::add_score_command(app);
  podium::cli::add_schedule_command(app);
  podium::cli::add_bench_command(app);
  podium::cli::add_algorithms_command(app);
  podium::cli::add_verify_command(app);
  podium::cli::add_plan_command(app);
  podium::cli::add_sweep_command(app);
  podium::cli::add_replay_command(app);
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
