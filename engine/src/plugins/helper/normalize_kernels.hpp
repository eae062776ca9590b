#pragma once
// NormalizeScore's per-node passes as vectorisable kernels (PODIUM_MULTIVERSION) that give
// exactly upstream's integers. On the live path they run over every feasible node of every
// pod; the scalar forms (a cmov min/max, an int64 division per node) were a tenth to a fifth
// of a constraint workload's time.
//
// Each kernel returns false, leaving the scores untouched, when its inputs are outside the
// range where its exactness is proven; the caller then runs the scalar formula.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace podium::plugins::helper {

struct ScoreRange {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
};

// The least and greatest of scores[0, count) (the empty range when count == 0).
ScoreRange score_range(const std::int64_t* scores, std::size_t count);

// The same over the scores that are not `skip`.
ScoreRange score_range_skipping(const std::int64_t* scores, std::size_t count, std::int64_t skip);

// helper.DefaultNormalizeScore's scaling for max_count > 0 (normalize_score.go):
// scores[i] = max_priority * scores[i] / max_count (Go's truncating int64 division), then
// max_priority minus that when `reverse`. `range` is the scores' score_range. Exact, and
// done, when 0 <= range.min, range.max <= max_count and max_priority * max_count < 2^52
// (a multiply by the reciprocal and one exact correction).
bool scale_to_max_priority(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_priority,
                           std::int64_t max_count, bool reverse);

// PodTopologySpread's NormalizeScore for max_score > 0 (scoring.go): `skip` (invalidScore)
// becomes 0, any other s becomes max_node_score * (max_score + min_score - s) / max_score.
// `range` is {min_score, max_score}: score_range_skipping(skip), max from 0. Exact, and
// done, when 0 <= min_score <= max_score, max_score > 0, `skip` < 0 and
// max_node_score * (max_score + min_score - skip) < 2^53 (the skipped nodes' discarded
// quotient stays overflow-free too).
bool spread_normalize(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_node_score,
                      std::int64_t skip);

// InterPodAffinity's NormalizeScore for range.max > range.min (scoring.go):
// int64(float64(max_node_score) * (float64(s - min) / float64(max - min))). Same float64
// operations in the same order, so the same bits as Go. Done when max - min does not
// overflow (always, for the scores InterPodAffinity produces).
bool ratio_normalize(std::int64_t* scores, std::size_t count, ScoreRange range, std::int64_t max_node_score);

// helper.DefaultNormalizeScore (podium/plugins/helper/normalize_score.hpp, the scalar
// formula the reference oracle keeps) with the vectorised range and scaling passes; the
// scalar formula where scale_to_max_priority's bounds do not hold. Same integers.
void default_normalize_score_vectorised(std::int64_t max_priority, bool reverse, std::span<std::int64_t> scores);

// totals[i] = base[i] + scores[i] x weight for i < count (base may equal totals, neither
// overlapping scores otherwise); returns the greatest total written (INT64_MIN for none).
// The weighted add of a split plugin's normalized part (ScorePlugin::add_normalized_part),
// with the tie rule's max on the way.
std::int64_t add_weighted_max(const std::int64_t* scores, std::size_t count, std::int64_t weight,
                              const std::int64_t* base, std::int64_t* totals);

// helper.DefaultNormalizeScore of one part of the scores given `range`, every part's
// score_range merged (maxCount is the greatest of all), then add_weighted_max: the split
// live path's step 2 for plugins normalizing by DefaultNormalizeScore (NodeAffinity,
// TaintToleration). Same integers as default_normalize_score over all the scores.
std::int64_t add_default_normalized(std::int64_t max_priority, bool reverse, ScoreRange range, std::int64_t* scores,
                                    std::size_t count, std::int64_t weight, const std::int64_t* base,
                                    std::int64_t* totals);

}  // namespace podium::plugins::helper
