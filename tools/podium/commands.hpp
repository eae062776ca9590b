#pragma once
// Each `podium` subcommand lives in its own file and registers itself on the top-level
// CLI11 app. A subcommand reports bad input by throwing podium::InputError (or
// std::runtime_error for I/O); main() prints it as `podium: error: ...` and exits 2.

#include <CLI/CLI.hpp>

namespace podium::cli {

void add_generate_command(CLI::App& app);   // cmd_generate.cpp
void add_score_command(CLI::App& app);      // cmd_score.cpp
void add_schedule_command(CLI::App& app);   // cmd_schedule.cpp
void add_bench_command(CLI::App& app);      // cmd_bench.cpp
void add_algorithms_command(CLI::App& app); // cmd_algorithms.cpp
void add_verify_command(CLI::App& app);     // cmd_verify.cpp
void add_plan_command(CLI::App& app);       // cmd_plan.cpp
void add_sweep_command(CLI::App& app);      // cmd_sweep.cpp
void add_replay_command(CLI::App& app);     // cmd_replay.cpp

// Thrown by a subcommand that ran but must exit with a given status (e.g. `podium bench`
// when a workload gave the wrong answer: 1); main() returns `code` without a message.
struct CommandExit {
  int code;
};

// --threads: 0 (every core) or 1..kMaxThreads; anything else is a usage error (exit 2).
inline constexpr int kMaxThreads = 1024;
CLI::Option* add_threads_option(CLI::App& cmd, int& threads);  // cli_options.cpp

// An existing file, or `-` for standard input (io::load_objects_file and the other
// loaders read `-` as stdin).
CLI::Validator input_file();  // cli_options.cpp

// --lenient on every command that reads Kubernetes objects: unknown fields are warnings
// instead of errors (kubectl's --validate=warn instead of strict; cluster_input.hpp's FieldCheck).
CLI::Option* add_lenient_option(CLI::App& cmd, bool& lenient);  // cli_options.cpp

}  // namespace podium::cli
