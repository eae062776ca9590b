#include "score_kernels.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

#include "common/multiversion.hpp"

namespace podium::plugins::podtopologyspread {
namespace {

template <bool kAnyIgnored>
helper::ScoreRange pair_loop(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                             std::int64_t* __restrict scores) {
  const std::int64_t* __restrict table = in.table;
  const std::int32_t* __restrict host_domain = in.host_domain;
  const std::int32_t* __restrict host_counts = in.host_counts;
  const std::int32_t* __restrict other_domain = in.other_domain;
  const std::uint8_t* __restrict ignored = in.ignored;
  const std::size_t stride = in.stride;
  const std::size_t absent_slot = in.absent_slot;
  helper::ScoreRange range;
  for (std::size_t j = 0; j < count; ++j) {
    const state::NodeIndex n = ids[j];
    if (kAnyIgnored && ignored[n]) {
      scores[j] = in.invalid_score;
      continue;
    }
    const std::int32_t d = other_domain[n];
    const std::size_t slot = d < 0 ? absent_slot : static_cast<std::size_t>(d);
    const auto c = static_cast<std::uint32_t>(host_counts[n]);
    std::int64_t score;
    if (host_domain[n] >= 0 && c < kPairTableCounts) {
      score = table[c * stride + slot];
    } else {  // the formula: each term only when the node has that key, as Score sums them
      double sum = host_domain[n] >= 0 ? static_cast<double>(host_counts[n]) * in.host_weight + in.host_skew : 0.0;
      if (d >= 0) sum += in.domain_terms[slot];
      score = go_round(sum);
    }
    scores[j] = score;
    range.min = std::min(range.min, score);
    range.max = std::max(range.max, score);
  }
  return range;
}

// The same for contiguous nodes without ignored ones and with kDomains (<= 8) other domains,
// gather-free so the compiler vectorises it: the node columns are plain loads, the domain
// term is picked by masks (exactly one matches, or none for d < 0) and the sum is rounded
// with arithmetic. Every step gives the formula's float64 bits: x * 1.0 is x, x * 0.0 and
// a bitwise pick of nothing are +0 (the terms are finite and >= 0), and x + 0.0 is x.
// Score (an int64 score array for NormalizeScore) is int64; the fused path stores int32
// (half the bytes) after checking that the range fits.
template <std::size_t kDomains, class Score>
PODIUM_MULTIVERSION bool pair_vector_loop(const PairTable& in, const state::NodeIndex* __restrict ids,
                                          std::size_t count, Score* __restrict scores, std::int64_t& lo,
                                          std::int64_t& hi) {
  const state::NodeIndex first = ids[0];
  const std::int32_t* __restrict host_domain = in.host_domain + first;
  const std::int32_t* __restrict host_counts = in.host_counts + first;
  const std::int32_t* __restrict other_domain = in.other_domain + first;
  const double weight = in.host_weight;
  const double skew = in.host_skew;
  std::array<std::uint64_t, kDomains> term_bits{};
  for (std::size_t s = 0; s < kDomains; ++s) term_bits[s] = std::bit_cast<std::uint64_t>(in.domain_terms[s]);
  std::int64_t a = lo;
  std::int64_t b = hi;
  state::NodeIndex off = 0;  // non-zero: ids is not first, first + 1, ... (then discarded)
  for (std::size_t j = 0; j < count; ++j) {
    // Every id checked, in this same pass: a sampled feasible list is in walk order, which
    // can be a shuffle of a contiguous range.
    off |= ids[j] ^ (first + static_cast<state::NodeIndex>(j));
    const double host_term = static_cast<double>(host_counts[j]) * weight + skew;
    // Times 1 or 0, not a select: GCC does not if-convert a float select under trapping math.
    const double host = host_term * static_cast<double>(host_domain[j] >= 0);
    const std::int64_t d = other_domain[j];
    std::uint64_t bits = 0;
    for (std::size_t s = 0; s < kDomains; ++s)
      bits |= term_bits[s] & (std::uint64_t{0} - static_cast<std::uint64_t>(d == static_cast<std::int64_t>(s)));
    const double sum = host + std::bit_cast<double>(bits);
    // math.Round, half away from zero (go_round without branches).
    const auto t = static_cast<std::int64_t>(sum);
    const double fraction = sum - static_cast<double>(t);
    const std::int64_t score =
        t + static_cast<std::int64_t>(fraction >= 0.5) - static_cast<std::int64_t>(fraction <= -0.5);
    scores[j] = static_cast<Score>(score);
    a = std::min(a, score);
    b = std::max(b, score);
  }
  lo = a;
  hi = b;
  return off == 0;
}

template <std::size_t kDomains, class Score>
bool pair_vector(const PairTable& in, const state::NodeIndex* ids, std::size_t count, Score* scores,
                 helper::ScoreRange& range) {
  range = {};
  return pair_vector_loop<kDomains>(in, ids, count, scores, range.min, range.max);
}

template <class Score>
bool pair_vectorised(const PairTable& in, const state::NodeIndex* ids, std::size_t count, Score* scores,
                     helper::ScoreRange& range) {
  // The loop reads the columns at ids[0] + j before it knows whether the ids run: they
  // must hold that many nodes.
  if (count == 0 || in.ignored != nullptr || ids[0] > in.nodes || in.nodes - ids[0] < count) return false;
  switch (in.absent_slot) {  // the other key's domain count
    case 1: return pair_vector<1>(in, ids, count, scores, range);
    case 2: return pair_vector<2>(in, ids, count, scores, range);
    case 3: return pair_vector<3>(in, ids, count, scores, range);
    case 4: return pair_vector<4>(in, ids, count, scores, range);
    case 5: return pair_vector<5>(in, ids, count, scores, range);
    case 6: return pair_vector<6>(in, ids, count, scores, range);
    case 7: return pair_vector<7>(in, ids, count, scores, range);
    case 8: return pair_vector<8>(in, ids, count, scores, range);
    default: return false;
  }
}

// NormalizeScore's quotient max_node_score * (max + min - s) / max for one score: exact
// integer division through the float64 reciprocal (helper/normalize_kernels.cpp proves it
// for numerators and divisors below 2^52), with the remainder's correction in doubles,
// which hold every value exactly (numerators below 2^52, q x divisor below numerator +
// divisor). The quotient is in [0, max_node_score]; times the weight it is an int32
// product (add_spread_normalized's bounds).
struct SpreadDivision {
  double max_plus_min;
  double max_score;
  double inverse;  // 1 / max_score
  double max_node_score;
};

inline std::int32_t spread_quotient(std::int32_t s, const SpreadDivision& d) {
  const double a = d.max_node_score * (d.max_plus_min - static_cast<double>(s));
  const auto q = static_cast<std::int32_t>(a * d.inverse);
  const double r = a - static_cast<double>(q) * d.max_score;
  // Integer corrections: GCC does not if-convert a float select under trapping math.
  return q - static_cast<std::int32_t>(r < 0) + static_cast<std::int32_t>(r >= d.max_score);
}

// Score: int32, or int64 holding int32 values (add_spread_normalized's range check).
template <class Score>
PODIUM_MULTIVERSION std::int64_t spread_add_loop(const Score* __restrict scores, std::size_t count, SpreadDivision d,
                                                 std::int32_t weight, const std::int64_t* __restrict base,
                                                 std::int64_t* __restrict totals) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) {
    totals[i] = base[i] + spread_quotient(static_cast<std::int32_t>(scores[i]), d) * weight;
    best = std::max(best, totals[i]);
  }
  return best;
}

// The same in place (base == totals): separate loops keep both restrict-clean.
template <class Score>
PODIUM_MULTIVERSION std::int64_t spread_add_in_place_loop(const Score* __restrict scores, std::size_t count,
                                                          SpreadDivision d, std::int32_t weight,
                                                          std::int64_t* __restrict totals) {
  std::int64_t best = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) {
    totals[i] += spread_quotient(static_cast<std::int32_t>(scores[i]), d) * weight;
    best = std::max(best, totals[i]);
  }
  return best;
}

template <class Score>
bool spread_normalized(const Score* scores, std::size_t count, helper::ScoreRange range, std::int64_t max_node_score,
                       std::int64_t weight, const std::int64_t* base, std::int64_t* totals, std::int64_t& max_total) {
  // range: {min_score, max_score} with max from 0, of scores that are int32 by type. The
  // bounds keep every step exact: max_node_score <= 2^30 and max <= 2^31 make the
  // numerators max_node_score * (max + min - s) <= max_node_score * max checkable below
  // 2^52 without overflow; quotients lie in [0, max_node_score] and, with
  // |weight| x max_node_score < 2^31, quotient x weight is an int32 product (AVX2 has no
  // int64 multiply), widened for the add, the same int64 value as Go's.
  constexpr std::int64_t kNodeScoreBound = std::int64_t{1} << 30;
  constexpr std::int64_t kNumeratorBound = std::int64_t{1} << 52;
  constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
  if (count == 0 || range.min < 0 || range.max <= 0 || range.max < range.min || range.max > kInt32Max ||
      max_node_score < 0 || max_node_score > kNodeScoreBound || max_node_score * range.max >= kNumeratorBound ||
      weight < -kInt32Max || weight > kInt32Max || (max_node_score > 0 && (weight < 0 ? -weight : weight) > kInt32Max / max_node_score))
    return false;
  const auto narrow_weight = static_cast<std::int32_t>(weight);
  const auto max_score = static_cast<double>(range.max);
  const SpreadDivision d{static_cast<double>(range.max + range.min), max_score, 1.0 / max_score,
                         static_cast<double>(max_node_score)};
  max_total = base == totals ? spread_add_in_place_loop(scores, count, d, narrow_weight, totals)
                             : spread_add_loop(scores, count, d, narrow_weight, base, totals);
  return true;
}

}  // namespace

bool score_pair_vectorised(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                           std::int64_t* scores, helper::ScoreRange& range) {
  return pair_vectorised(in, ids, count, scores, range);
}

bool score_pair_vectorised_narrow(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                  std::int32_t* scores, helper::ScoreRange& range) {
  if (!pair_vectorised(in, ids, count, scores, range)) return false;
  return range.min >= std::numeric_limits<std::int32_t>::min() && range.max <= std::numeric_limits<std::int32_t>::max();
}

bool add_spread_normalized(const std::int32_t* scores, std::size_t count, helper::ScoreRange range,
                           std::int64_t max_node_score, std::int64_t weight, const std::int64_t* base,
                           std::int64_t* totals, std::int64_t& max_total) {
  return spread_normalized(scores, count, range, max_node_score, weight, base, totals, max_total);
}

bool add_spread_normalized(const std::int64_t* scores, std::size_t count, helper::ScoreRange range,
                           std::int64_t max_node_score, std::int64_t weight, const std::int64_t* base,
                           std::int64_t* totals, std::int64_t& max_total) {
  // Every score lies in [range.min, range.max], which the check keeps inside int32: the
  // narrowing read is exact.
  return spread_normalized(scores, count, range, max_node_score, weight, base, totals, max_total);
}

helper::ScoreRange score_pair_by_table(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                       std::int64_t* scores) {
  if (in.ignored != nullptr) return pair_loop<true>(in, ids, count, scores);
  return pair_loop<false>(in, ids, count, scores);
}

}  // namespace podium::plugins::podtopologyspread
