// `podium`: Kubernetes scheduling, kube-scheduler's semantics, data-oriented engine.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "podium/common/input_error.hpp"

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
    return app.exit(e);
  } catch (const podium::cli::CommandExit& e) {
    return e.code;
  } catch (const podium::InputError& e) {
    std::cerr << "podium: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "podium: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
