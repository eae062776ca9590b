#pragma once
// helper.DefaultNormalizeScore (pkg/scheduler/framework/plugins/helper/normalize_score.go):
// scales scores from [0, max(scores)] to [0, max_priority] with Go's truncating integer
// division; `reverse` then flips them (max_priority - score). When every score is 0 they
// stay 0, or all become max_priority when reversed. Scores are assumed non-negative.

#include <algorithm>
#include <cstdint>
#include <span>

namespace podium::plugins::helper {

inline void default_normalize_score(std::int64_t max_priority, bool reverse, std::span<std::int64_t> scores) {
  std::int64_t max_count = 0;
  for (const std::int64_t s : scores) max_count = std::max(max_count, s);
  if (max_count == 0) {
    if (reverse) std::fill(scores.begin(), scores.end(), max_priority);
    return;
  }
  for (std::int64_t& s : scores) {
    const std::int64_t scaled = max_priority * s / max_count;
    s = reverse ? max_priority - scaled : scaled;
  }
}

}  // namespace podium::plugins::helper
