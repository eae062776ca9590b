#include "podium/plugins/podtopologyspread/args.hpp"

#include <stdexcept>

#include "podium/state/node_selector.hpp"

namespace podium::plugins::podtopologyspread {
namespace {

[[noreturn]] void fail(const std::string& field, const std::string& message) {
  throw std::invalid_argument(field + ": " + message);
}

}  // namespace

// ValidatePodTopologySpreadArgs (validation_pluginargs.go): the first error found, in
// upstream's order (defaultingType, then each constraint's maxSkew, topologyKey,
// whenUnsatisfiable, labelSelector, repetition).
void validate(const PodTopologySpreadArgs& args) {
  if (args.defaulting_type == DefaultingType::kSystem && !args.default_constraints.empty())
    fail("defaultingType", "Invalid value: \"System\": when .defaultConstraints are not empty");
  for (std::size_t i = 0; i < args.default_constraints.size(); ++i) {
    const DefaultConstraint& c = args.default_constraints[i];
    const std::string at = "defaultConstraints[" + std::to_string(i) + "]";
    if (c.max_skew <= 0) fail(at + ".maxSkew", "Invalid value: " + std::to_string(c.max_skew) + ": not in valid range");
    if (c.topology_key.empty()) fail(at + ".topologyKey", "Required value: can not be empty");
    if (!state::is_valid_label_key(c.topology_key))
      fail(at + ".topologyKey", "Invalid value: \"" + c.topology_key + "\": not a valid label key");
    if (c.when_unsatisfiable.empty()) fail(at + ".whenUnsatisfiable", "Required value: can not be empty");
    if (c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway")
      fail(at + ".whenUnsatisfiable", "Unsupported value: \"" + c.when_unsatisfiable +
                                          "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
    if (c.has_label_selector)
      fail(at + ".labelSelector", "Forbidden: constraint must not define a selector, as they deduced for each pod");
    for (std::size_t j = 0; j < i; ++j) {
      const DefaultConstraint& other = args.default_constraints[j];
      if (other.topology_key == c.topology_key && other.when_unsatisfiable == c.when_unsatisfiable)
        fail(at, "Duplicate value: \"{" + c.topology_key + ", " + c.when_unsatisfiable + "}\"");
    }
  }
}

const std::vector<DefaultConstraint>& system_default_constraints() {
  static const std::vector<DefaultConstraint> constraints = [] {
    auto soft = [](std::int32_t max_skew, const char* key) {
      DefaultConstraint c;
      c.max_skew = max_skew;
      c.topology_key = key;
      c.when_unsatisfiable = "ScheduleAnyway";
      return c;
    };
    return std::vector<DefaultConstraint>{soft(3, "kubernetes.io/hostname"), soft(5, "topology.kubernetes.io/zone")};
  }();
  return constraints;
}

const std::vector<DefaultConstraint>& effective_default_constraints(const PodTopologySpreadArgs& args) {
  return args.defaulting_type == DefaultingType::kSystem ? system_default_constraints() : args.default_constraints;
}

}  // namespace podium::plugins::podtopologyspread
