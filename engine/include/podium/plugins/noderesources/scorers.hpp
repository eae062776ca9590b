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

// floor(x / a) for x >= 0 and a > 0, exactly. Below 2^53 both are exact doubles, the
// double quotient is the true quotient correctly rounded, so truncating it is either the
// floor or one more (when rounding carried it up to the next integer) — one multiply
// fixes that. A double division pipelines; a 64-bit integer division does not, and this
// sits in every node's score. Outside that range: plain integer division.
constexpr std::int64_t floor_div_nonneg(std::int64_t x, std::int64_t a) {
  if (((x | a) >> 53) != 0) return x / a;
  const auto q = static_cast<std::int64_t>(static_cast<double>(x) / static_cast<double>(a));
  return q * a > x ? q - 1 : q;
}

// least_allocated.go leastRequestedScore: free share of the capacity, 0..100.
constexpr std::int64_t least_requested_score(std::int64_t requested, std::int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) return 0;
  return floor_div_nonneg(go_mul(capacity - requested, framework::kMaxNodeScore), capacity);
}

// most_allocated.go mostRequestedScore: used share of the capacity, 0..100; a request
// beyond capacity counts as exactly full.
constexpr std::int64_t most_requested_score(std::int64_t requested, std::int64_t capacity) {
  if (capacity == 0) return 0;
  if (requested > capacity) requested = capacity;
  // A negative requested (impossible from real input) keeps Go's truncating division.
  if (requested < 0) return go_mul(requested, framework::kMaxNodeScore) / capacity;
  return floor_div_nonneg(go_mul(requested, framework::kMaxNodeScore), capacity);
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
inline std::int64_t balanced_resource_score(std::span<const double> fractions) {
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
