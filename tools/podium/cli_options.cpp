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

CLI::Option* add_lenient_option(CLI::App& cmd, bool& lenient) {
  return cmd.add_flag("--lenient", lenient,
                      "Warn about fields the Kubernetes API does not define (typos such as resorces) and go on; "
                      "by default they are errors, as with kubectl --validate=strict");
}

}  // namespace podium::cli
