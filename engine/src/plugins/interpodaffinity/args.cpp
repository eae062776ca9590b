#include "podium/plugins/interpodaffinity/args.hpp"

#include <stdexcept>

namespace podium::plugins::interpodaffinity {

void validate(const InterPodAffinityArgs& args) {
  // validateHardPodAffinityWeight
  if (args.hard_pod_affinity_weight < 0 || args.hard_pod_affinity_weight > 100)
    throw std::invalid_argument("hardPodAffinityWeight: not in valid range [0, 100]");
}

}  // namespace podium::plugins::interpodaffinity
