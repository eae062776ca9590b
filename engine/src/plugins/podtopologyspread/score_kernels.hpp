#pragma once
// PodTopologySpread Score's per-node pass for a hostname constraint plus one other
// (PreferredTopologySpreading's shape), and, in the same pass, the least and greatest score
// that NormalizeScore needs (its own pass over the scores is then saved).
//
// Consecutive nodes with none ignored and at most 8 other domains (the live case) take a
// gather-free vectorised loop: AVX-512 gathers, measured, were slower than the scalar table
// read here (gather-data-sampling mitigation). Everything else reads Score's rounded value
// from a table by count and domain, as before.

#include <cstddef>
#include <cstdint>

#include "plugins/helper/normalize_kernels.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::podtopologyspread {

// Go's math.Round (half away from zero) for |x| < 2^52, without a libm call: the
// truncation and the fraction are exact in that range. Score's rounding (scoring.go).
inline std::int64_t go_round(double x) {
  const auto t = static_cast<std::int64_t>(x);
  const double fraction = x - static_cast<double>(t);
  if (fraction >= 0.5) return t + 1;
  if (fraction <= -0.5) return t - 1;
  return t;
}

// Counts below this are in the table; larger ones take the formula.
inline constexpr std::uint32_t kPairTableCounts = 32;

struct PairTable {
  // table[c * stride + slot]: Score's value for c matching pods on the node in the other
  // key's domain `slot` (slot absent_slot: the node lacks the other key).
  const std::int64_t* table = nullptr;
  std::size_t stride = 0;
  std::size_t absent_slot = 0;
  // The formula, for nodes outside the table: scoreForCount terms.
  double host_weight = 0;
  double host_skew = 0;
  const double* domain_terms = nullptr;  // by the other key's domain id
  std::size_t nodes = 0;                       // the columns' length
  const std::int32_t* host_domain = nullptr;   // hostname column: < 0 without the label
  const std::int32_t* host_counts = nullptr;   // matching pods per node
  const std::int32_t* other_domain = nullptr;  // the other key's column: < 0 without it
  const std::uint8_t* ignored = nullptr;       // by node: IgnoredNodes, or null when none
  std::int64_t invalid_score = -1;             // an ignored node's score
};

// scores[j] = Score of node ids[j] (invalid_score when ignored), by the table. Returns the
// least and greatest score over the nodes not ignored (the empty range when all are).
helper::ScoreRange score_pair_by_table(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                       std::int64_t* scores);

// The same scores and range without the table, vectorised, when ids are consecutive
// (ids[j] == ids[0] + j), no node is ignored and the other key has at most 8 domains; false
// otherwise, leaving scores and range unspecified (the caller then uses the table).
bool score_pair_vectorised(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                           std::int64_t* scores, helper::ScoreRange& range);

// score_pair_vectorised storing int32 scores (half the bytes of the fused path's scratch);
// also false when a score is outside int32 (the range is still the int64 one).
bool score_pair_vectorised_narrow(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                  std::int32_t* scores, helper::ScoreRange& range);

// NormalizeScore and the framework's weighted add in one pass (PodTopologySpread's fused
// form, ScorePlugin::score_normalized_into): totals[i] = base[i] + weight x
// (max_node_score * (max + min - scores[i]) / max) for scores with no invalidScore among
// them, `range` being {min_score, max_score} as NormalizeScore takes them (max from 0).
// max_total = the greatest total written. Exact, and done, when 0 <= min <= max, 0 < max,
// max_node_score * max < 2^52 and the operands are in the bounds the source states; false,
// writing nothing, otherwise (max == 0 is NormalizeScore's every-score-max arm: the
// caller's). base may equal totals.
bool add_spread_normalized(const std::int32_t* scores, std::size_t count, helper::ScoreRange range,
                           std::int64_t max_node_score, std::int64_t weight, const std::int64_t* base,
                           std::int64_t* totals, std::int64_t& max_total);
// The same over int64 scores (the split live path's scratch, ScorePlugin::score_part); the
// range check keeps every score inside int32, as above.
bool add_spread_normalized(const std::int64_t* scores, std::size_t count, helper::ScoreRange range,
                           std::int64_t max_node_score, std::int64_t weight, const std::int64_t* base,
                           std::int64_t* totals, std::int64_t& max_total);

}  // namespace podium::plugins::podtopologyspread
