#include "config/inter_pod_affinity_args.hpp"

#include <stdexcept>

namespace podium::config::detail {

plugins::interpodaffinity::InterPodAffinityArgs read_inter_pod_affinity_args(const Object& args) {
  plugins::interpodaffinity::InterPodAffinityArgs a;
  if (const Value w = args["hardPodAffinityWeight"]; w.present()) a.hard_pod_affinity_weight = w.int32();
  if (const Value ignore = args["ignorePreferredTermsOfExistingPods"]; ignore.present())
    a.ignore_preferred_terms_of_existing_pods = ignore.boolean();
  try {
    plugins::interpodaffinity::validate(a);
  } catch (const std::invalid_argument& e) {
    // validate() names only this field; report it at the field's own path.
    const std::string what = e.what();
    args["hardPodAffinityWeight"].fail(what.substr(what.find(": ") + 2));
  }
  return a;
}

}  // namespace podium::config::detail
