#pragma once
// PodTopologySpread Score's per-node pass for a hostname constraint plus one other
// (PreferredTopologySpreading's shape): Score's rounded value looked up in a table by the
// node's hostname count and other domain, and, in the same pass, the least and greatest
// score that NormalizeScore needs (its own pass over the scores is then saved).
//
// Scalar on purpose: vectorised forms were measured slower here (AVX-512 gathers are slow
// under the gather-data-sampling mitigation, and a gather-free select chain over the
// domain terms costs more per node than the table read).

#include <cstddef>
#include <cstdint>

#include "plugins/helper/normalize_kernels.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::podtopologyspread {

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
  const std::int32_t* host_domain = nullptr;   // hostname column: < 0 without the label
  const std::int32_t* host_counts = nullptr;   // matching pods per node
  const std::int32_t* other_domain = nullptr;  // the other key's column: < 0 without it
  const std::uint8_t* ignored = nullptr;       // by node: IgnoredNodes, or null when none
  std::int64_t invalid_score = -1;             // an ignored node's score
};

// scores[j] = Score of node ids[j] (invalid_score when ignored). Returns the least and
// greatest score over the nodes not ignored (the empty range when all are).
helper::ScoreRange score_pair_by_table(const PairTable& in, const state::NodeIndex* ids, std::size_t count,
                                       std::int64_t* scores);

}  // namespace podium::plugins::podtopologyspread
