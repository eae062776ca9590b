#pragma once
// LogHistogram: an HdrHistogram-style recorder of non-negative integer samples (here:
// nanoseconds per scheduling attempt) with a fixed relative precision, so percentiles
// come from counts in buckets instead of a sort of every sample.
//
// Layout: values below 2^kSubBits are exact (one bucket each). Above, each power of two
// [2^e, 2^(e+1)) is cut into 2^(kSubBits-1) equal sub-buckets, so a bucket's width is at
// most 2^-(kSubBits-1) of its lower bound (kSubBits = 8: < 0.8% relative error).
//
//   bucket index:  [ 0 .. 255 exact ][ e=8: 128 sub-buckets ][ e=9: 128 ] ... [ e=63: 128 ]
//
// Memory is fixed (~7,300 counters) whatever the range; recording is a bit scan and an
// increment. Not thread-safe: one recorder per thread, merge() afterwards.

#include <array>
#include <cstdint>

namespace podium::bench {

class LogHistogram {
 public:
  static constexpr int kSubBits = 8;
  static constexpr std::uint64_t kExactLimit = std::uint64_t{1} << kSubBits;
  static constexpr std::size_t kSubBuckets = std::size_t{1} << (kSubBits - 1);
  static constexpr std::size_t kBucketCount = kExactLimit + (64 - kSubBits) * kSubBuckets;

  void record(std::uint64_t value);
  void merge(const LogHistogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // The smallest recorded-bucket upper bound v such that at least q of the samples are
  // <= v (nearest rank, as HdrHistogram's getValueAtPercentile), clamped to [min, max].
  // q in [0, 1]; 0 for an empty histogram.
  std::uint64_t value_at_quantile(double q) const;

  // Bucket arithmetic, public for tests: the bucket of a value and its inclusive bounds.
  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_high(std::size_t bucket);

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;  // 2^64 ns is 584 years of attempts: no overflow in practice
  std::uint64_t min_ = ~std::uint64_t{0};
  std::uint64_t max_ = 0;
};

}  // namespace podium::bench
