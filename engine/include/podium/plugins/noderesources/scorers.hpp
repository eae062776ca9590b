#pragma once
// The per-resource scoring formulas of upstream's noderesources package, as pure functions
// of integers so tests can pin them one by one. Each names the upstream function it
// mirrors; integer arithmetic (including Go's truncating division) is reproduced exactly.

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "podium/framework/plugin.hpp"

namespace podium::plugins::noderesources {

// Go's int64 multiply wraps on overflow; C++'s is undefined. Unsigned arithmetic gives
// Go's two's-complement result without UB (only reachable with absurd capacities).
constexpr std::int64_t go_mul(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

// least_allocated.go leastRequestedScore: free share of the capacity, 0..100.
constexpr std::int64_t least_requested_score(std::int64_t requested, std::int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) return 0;
  return go_mul(capacity - requested, framework::kMaxNodeScore) / capacity;
}

// most_allocated.go mostRequestedScore: used share of the capacity, 0..100; a request
// beyond capacity counts as exactly full.
constexpr std::int64_t most_requested_score(std::int64_t requested, std::int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) requested = capacity;
  return go_mul(requested, framework::kMaxNodeScore) / capacity;
}

// helper.FunctionShapePoint, already scaled to node-score units (score * 10).
struct ShapePoint {
  std::int64_t utilization;
  std::int64_t score;
};

// helper.BuildBrokenLinearFunction: piecewise-linear interpolation with Go integer division.
std::int64_t broken_linear(std::span<const ShapePoint> shape, std::int64_t p);

// requested_to_capacity_ratio.go resourceScoringFunction for one resource.
std::int64_t requested_to_capacity_ratio_score(std::span<const ShapePoint> shape, std::int64_t requested,
                                               std::int64_t capacity);

// balanced_allocation.go balancedResourceScorer over the fractions of the resources that
// have allocatable != 0 (each fraction already capped at 1): (1 - std) * 100, truncated.
std::int64_t balanced_resource_score(std::span<const double> fractions);

}  // namespace podium::plugins::noderesources
