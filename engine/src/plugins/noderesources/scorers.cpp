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

}  // namespace podium::plugins::noderesources
