// `podium algorithms`: what `--algorithm` can name — each algorithm's idea, origin and knobs.

#include <iostream>

#include "commands.hpp"
#include "podium/algorithms/algorithm.hpp"

namespace podium::cli {

void add_algorithms_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("algorithms", "List the scheduling algorithms --algorithm can name, with their knobs");
  cmd->callback([] {
    for (const auto& d : algorithms::AlgorithmRegistry::global().all()) {
      std::cout << d.name << "\n    " << d.idea << "\n    from: " << d.origin << "\n";
      for (const auto& k : d.knobs)
        std::cout << "    knob " << k.name << " (default " << k.default_value << "): " << k.help << "\n";
    }
    std::cout << "\nUse: --algorithm NAME or --algorithm NAME:knob=value[:knob=value]; every algorithm keeps the "
                 "profile's filters.\n";
    if (!std::cout) throw std::runtime_error("writing to standard output failed");
  });
}

}  // namespace podium::cli
