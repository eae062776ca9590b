#include "harness/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace podium::bench {

std::size_t LogHistogram::bucket_of(std::uint64_t value) {
  if (value < kExactLimit) return static_cast<std::size_t>(value);
  const int e = 63 - std::countl_zero(value);  // 2^e <= value < 2^(e+1), e >= kSubBits
  const std::uint64_t sub = (value >> (e - (kSubBits - 1))) & (kSubBuckets - 1);
  return kExactLimit + static_cast<std::size_t>(e - kSubBits) * kSubBuckets + static_cast<std::size_t>(sub);
}

std::uint64_t LogHistogram::bucket_low(std::size_t bucket) {
  if (bucket < kExactLimit) return bucket;
  const std::size_t rel = bucket - kExactLimit;
  const int e = static_cast<int>(rel / kSubBuckets) + kSubBits;
  const std::uint64_t sub = rel % kSubBuckets;
  return (std::uint64_t{1} << e) + (sub << (e - (kSubBits - 1)));
}

std::uint64_t LogHistogram::bucket_high(std::size_t bucket) {
  if (bucket < kExactLimit) return bucket;
  const std::size_t rel = bucket - kExactLimit;
  const int e = static_cast<int>(rel / kSubBuckets) + kSubBits;
  return bucket_low(bucket) + ((std::uint64_t{1} << (e - (kSubBits - 1))) - 1);
}

void LogHistogram::record(std::uint64_t value) {
  ++counts_[bucket_of(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void LogHistogram::merge(const LogHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

std::uint64_t LogHistogram::value_at_quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Nearest rank: the ceil(q * n)-th smallest sample (at least the first).
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBucketCount; ++b) {
    seen += counts_[b];
    if (seen >= rank) return std::clamp(bucket_high(b), min(), max_);
  }
  return max_;
}

}  // namespace podium::bench
