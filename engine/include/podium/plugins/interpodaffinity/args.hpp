#pragma once
// InterPodAffinityArgs (pkg/scheduler/apis/config, v1.35), after v1 defaulting.

#include <cstdint>

namespace podium::plugins::interpodaffinity {

struct InterPodAffinityArgs {
  // Score added per existing pod whose *required* affinity term matches the incoming pod
  // (symmetric hard affinity). v1 default 1 (SetDefaults_InterPodAffinityArgs); an explicit
  // 0 stays 0 and turns the symmetric part off.
  std::int32_t hard_pod_affinity_weight = 1;
  // When true, existing pods' *preferred* terms are not scored, and PreScore skips pods
  // that have no preferred terms of their own.
  bool ignore_preferred_terms_of_existing_pods = false;
};

// validation.ValidateInterPodAffinityArgs: hardPodAffinityWeight in [0, 100]. Throws
// std::invalid_argument "hardPodAffinityWeight: not in valid range [0, 100]".
void validate(const InterPodAffinityArgs& args);

}  // namespace podium::plugins::interpodaffinity
