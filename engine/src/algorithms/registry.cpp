#include <charconv>
#include <stdexcept>

#include "algorithms/builtin_algorithms.hpp"
#include "podium/algorithms/algorithm.hpp"

namespace podium::algorithms {

AlgorithmRegistry& AlgorithmRegistry::global() {
  // Built once, on first use; out-of-tree algorithms add themselves afterwards.
  static AlgorithmRegistry registry = [] {
    AlgorithmRegistry r;
    for (auto& descriptor : builtin_algorithms()) r.add(std::move(descriptor));
    return r;
  }();
  return registry;
}

void AlgorithmRegistry::add(AlgorithmDescriptor descriptor) {
  if (descriptor.name.empty()) throw std::invalid_argument("an algorithm needs a name");
  if (!descriptor.make) throw std::invalid_argument("algorithm \"" + descriptor.name + "\" has no make()");
  if (find(descriptor.name) != nullptr)
    throw std::invalid_argument("algorithm \"" + descriptor.name + "\" is registered twice");
  descriptors_.push_back(std::move(descriptor));
}

const AlgorithmDescriptor* AlgorithmRegistry::find(std::string_view name) const {
  for (const auto& d : descriptors_)
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string> AlgorithmRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& d : descriptors_) out.push_back(d.name);
  return out;
}

AlgorithmSpec parse_algorithm_spec(std::string_view text) {
  AlgorithmSpec spec;
  const auto colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  if (spec.name.empty()) throw std::invalid_argument("--algorithm \"" + std::string(text) + "\": empty name");
  std::string_view rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  while (colon != std::string_view::npos) {
    const auto next = rest.find(':');
    const std::string_view item = rest.substr(0, next);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw std::invalid_argument("--algorithm \"" + std::string(text) + "\": expected key=value, got \"" +
                                  std::string(item) + "\"");
    if (!spec.knobs.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))).second)
      throw std::invalid_argument("--algorithm \"" + std::string(text) + "\": knob \"" +
                                  std::string(item.substr(0, eq)) + "\" given twice");
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return spec;
}

Algorithm make_algorithm(const AlgorithmSpec& spec, const AlgorithmRegistry& registry) {
  const AlgorithmDescriptor* d = registry.find(spec.name);
  if (d == nullptr) {
    std::string known;
    for (const auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown algorithm \"" + spec.name + "\" (known: " + known + ")");
  }
  KnobValues knobs;
  for (const auto& k : d->knobs) knobs[k.name] = k.default_value;
  for (const auto& [key, value] : spec.knobs) {
    auto it = knobs.find(key);
    if (it == knobs.end()) {
      std::string known;
      for (const auto& k : d->knobs) known += (known.empty() ? "" : ", ") + k.name;
      throw std::invalid_argument("algorithm \"" + spec.name + "\" has no knob \"" + key + "\" (knobs: " +
                                  (known.empty() ? "none" : known) + ")");
    }
    it->second = value;
  }
  Algorithm algorithm = d->make(knobs);
  algorithm.name = spec.name;
  return algorithm;
}

std::uint64_t knob_unsigned(const KnobValues& knobs, std::string_view algorithm, std::string_view knob,
                            std::uint64_t min, std::uint64_t max) {
  const auto it = knobs.find(knob);
  const std::string text = it == knobs.end() ? std::string() : it->second;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    throw std::invalid_argument("algorithm \"" + std::string(algorithm) + "\": knob " + std::string(knob) + "=\"" +
                                text + "\" is not an integer in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "]");
  return value;
}

}  // namespace podium::algorithms
