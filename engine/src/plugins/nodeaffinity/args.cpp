#include "podium/plugins/nodeaffinity/args.hpp"

#include <stdexcept>
#include <string>

#include "podium/state/node_selector.hpp"

namespace podium::plugins::nodeaffinity {

void validate(const NodeAffinityArgs& args) {
  if (!args.added_affinity) return;
  // Validation needs no cluster: ids are irrelevant, only parse errors matter.
  const state::SelectorLookup lookup{[](std::string_view) { return state::kUnseenString; },
                                     [](std::string_view) { return state::kNoNode; }};
  const io::NodeAffinity& a = *args.added_affinity;
  if (a.required) {
    for (std::size_t i = 0; i < a.required->size(); ++i) {
      const auto& term = (*a.required)[i];
      if (state::is_empty_term(term)) continue;
      std::string error;
      if (!state::compile_node_selector_term(term, lookup, &error).valid)
        throw std::invalid_argument("addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[" +
                                    std::to_string(i) + "]." + error);
    }
  }
  for (std::size_t i = 0; i < a.preferred.size(); ++i) {
    const auto& term = a.preferred[i];
    if (term.weight == 0 || state::is_empty_term(term.preference)) continue;
    std::string error;
    if (!state::compile_node_selector_term(term.preference, lookup, &error).valid)
      throw std::invalid_argument("addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[" + std::to_string(i) +
                                  "]." + error);
  }
}

}  // namespace podium::plugins::nodeaffinity
