#include "podium/plugins/noderesources/scorers.hpp"

namespace podium::plugins::noderesources {

std::int64_t broken_linear(std::span<const ShapePoint> shape, std::int64_t p) {
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (p <= shape[i].utilization) {
      if (i == 0) return shape[0].score;
      return shape[i - 1].score + (shape[i].score - shape[i - 1].score) * (p - shape[i - 1].utilization) /
                                      (shape[i].utilization - shape[i - 1].utilization);
    }
  }
  return shape.back().score;
}

std::int64_t requested_to_capacity_ratio_score(std::span<const ShapePoint> shape, std::int64_t requested,
                                               std::int64_t capacity) {
  constexpr std::int64_t kMaxUtilization = 100;
  if (capacity == 0 || requested > capacity) return broken_linear(shape, kMaxUtilization);
  return broken_linear(shape, go_mul(requested, kMaxUtilization) / capacity);
}

std::int64_t balanced_resource_score(std::span<const double> fractions) {
  double std_dev = 0.0;
  // Upstream special-cases two resources as |f1 - f2| / 2 (the population standard
  // deviation of two values); the general formula could round differently, so keep both.
  if (fractions.size() == 2) {
    std_dev = std::abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.size() > 2) {
    double total = 0.0;
    for (double f : fractions) total += f;
    const double mean = total / static_cast<double>(fractions.size());
    double sum = 0.0;
    for (double f : fractions) sum = sum + (f - mean) * (f - mean);
    std_dev = std::sqrt(sum / static_cast<double>(fractions.size()));
  }
  return static_cast<std::int64_t>((1 - std_dev) * static_cast<double>(framework::kMaxNodeScore));
}

}  // namespace podium::plugins::noderesources
