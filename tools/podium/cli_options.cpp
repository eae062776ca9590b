// Option checks shared by the subcommands (commands.hpp).

#include <string>

#include "commands.hpp"

namespace podium::cli {

CLI::Validator input_file() {
  return CLI::Validator(
      [](std::string& path) -> std::string {
        if (path == "-") return {};
        return CLI::ExistingFile(path);
      },
      "FILE|-", "input file or - (standard input)");
}

CLI::Option* add_threads_option(CLI::App& cmd, int& threads) {
  return cmd
      .add_option("--threads", threads,
                  "Worker threads: 0 (every core) or 1.." + std::to_string(kMaxThreads))
      ->check(CLI::Range(0, kMaxThreads))
      ->capture_default_str();
}

}  // namespace podium::cli
