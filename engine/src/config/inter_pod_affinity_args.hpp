#pragma once
// pluginConfig args of InterPodAffinity (InterPodAffinityArgs, kubescheduler.config.k8s.io/v1).

#include "config/yaml_value.hpp"
#include "podium/plugins/interpodaffinity/args.hpp"

namespace podium::config::detail {

// The fields of an args object whose keys (TypeMeta + hardPodAffinityWeight,
// ignorePreferredTermsOfExistingPods) the caller has checked, with v1 defaulting
// (SetDefaults_InterPodAffinityArgs: hardPodAffinityWeight 1 when absent; an explicit 0
// stays) and validation (ValidateInterPodAffinityArgs: hardPodAffinityWeight in [0, 100]).
// Wrong types and invalid values throw InputError at the field's path.
plugins::interpodaffinity::InterPodAffinityArgs read_inter_pod_affinity_args(const Object& args);

}  // namespace podium::config::detail
