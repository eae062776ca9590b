#include "score_kernels.hpp"

#include <algorithm>
#include <array>
#include <bit>

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
template <std::size_t kDomains>
PODIUM_MULTIVERSION bool pair_vector_loop(const PairTable& in, const state::NodeIndex* __restrict ids,
                                          std::size_t count, std::int64_t* __restrict scores, std::int64_t& lo,
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
    scores[j] = score;
    a = std::min(a, score);
    b = std::max(b, score);
  }
  lo = a;
  hi = b;
  return off == 0;
}

template <std::size_t kDomains>
bool pair_vector(const PairTable& in, const state::NodeIndex* ids, std::size_t count, std::int64_t* scores,
                 helper::ScoreRange& range) {
  range = {};
  return pair_vector_loop<kDomains>(in, ids, count, scores, range.min, range.max);
}

}  // namespace

bool score_pair_vectorised(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                           std::int64_t* scores, helper::ScoreRange& range) {
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

helper::ScoreRange score_pair_by_table(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                       std::int64_t* scores) {
  if (in.ignored != nullptr) return pair_loop<true>(in, ids, count, scores);
  return pair_loop<false>(in, ids, count, scores);
}

}  // namespace podium::plugins::podtopologyspread
