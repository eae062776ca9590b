// PodTopologySpread Score's hostname-plus-one-key kernels (score_pair_by_table, score_pair_vectorised) against
// scoring.go's Score written out per node: each constraint's scoreForCount added in float64
// only when the node has the key, rounded half away from zero (math.Round, std::round).
// Covers the vectorised loop (consecutive nodes, none ignored, 1..8 other domains: it must
// take them, and refuse a shuffled, gapped or too long list) and the table loop (any list,
// ignored nodes, more domains), nodes without the hostname label or the other key, and
// counts past the table. Then the fused path's halves: the int32 form of the vectorised
// loop, and NormalizeScore plus the weighted add in one pass (add_spread_normalized)
// against scoring.go's NormalizeScore and the framework's add written out.

#include "plugins/podtopologyspread/score_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace podium::plugins::podtopologyspread {
namespace {

constexpr std::int64_t kInvalid = -1;

struct Case {
  std::size_t nodes = 0;
  std::size_t domains = 0;
  double host_weight = 0;
  double host_skew = 0;
  std::vector<double> domain_terms;  // by domain id
  std::vector<std::int32_t> host_domain, host_counts, other_domain;
  std::vector<std::uint8_t> ignored;  // empty: none
};

Case random_case(std::mt19937_64& rng, std::size_t nodes, std::size_t domains, bool with_ignored) {
  Case c;
  c.nodes = nodes;
  c.domains = domains;
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // topologyNormalizingWeight = log(size + 2), maxSkew - 1, and per-domain counts times a weight.
  c.host_weight = std::log(static_cast<double>(uniform(1, 6000) + 2));
  c.host_skew = static_cast<double>(uniform(0, 4));
  const double other_weight = std::log(static_cast<double>(domains + 2));
  for (std::size_t d = 0; d < domains; ++d)
    c.domain_terms.push_back(static_cast<double>(uniform(0, 5000)) * other_weight + static_cast<double>(uniform(0, 2)));
  for (std::size_t n = 0; n < nodes; ++n) {
    c.host_domain.push_back(uniform(0, 9) == 0 ? -1 : static_cast<std::int32_t>(n));  // some without the label
    c.host_counts.push_back(uniform(0, 7) == 0 ? uniform(0, 100) : uniform(0, 3));   // some past the table
    c.other_domain.push_back(uniform(0, 7) == 0 ? -1 : uniform(0, static_cast<int>(domains) - 1));
    if (with_ignored) c.ignored.push_back(static_cast<std::uint8_t>(uniform(0, 5) == 0));
  }
  return c;
}

// Score's value, written out.
std::int64_t expected_score(const Case& c, state::NodeIndex n) {
  if (!c.ignored.empty() && c.ignored[n]) return kInvalid;
  double sum = 0;
  if (c.host_domain[n] >= 0) sum += static_cast<double>(c.host_counts[n]) * c.host_weight + c.host_skew;
  if (c.other_domain[n] >= 0) sum += c.domain_terms[static_cast<std::size_t>(c.other_domain[n])];
  return static_cast<std::int64_t>(std::round(sum));
}

// The table scoring.cpp builds: rounded sums for counts below kPairTableCounts.
std::vector<std::int64_t> table_of(const Case& c) {
  const std::size_t stride = c.domains + 1;
  std::vector<std::int64_t> table(kPairTableCounts * stride);
  for (std::size_t k = 0; k < kPairTableCounts; ++k) {
    const double h = static_cast<double>(k) * c.host_weight + c.host_skew;
    for (std::size_t d = 0; d < c.domains; ++d) table[k * stride + d] = static_cast<std::int64_t>(std::round(h + c.domain_terms[d]));
    table[k * stride + c.domains] = static_cast<std::int64_t>(std::round(h));
  }
  return table;
}

// The kernels' input for case c (no table).
PairTable pair_table_of(const Case& c) {
  PairTable in;
  in.absent_slot = c.domains;
  in.host_weight = c.host_weight;
  in.host_skew = c.host_skew;
  in.domain_terms = c.domain_terms.data();
  in.nodes = c.nodes;
  in.host_domain = c.host_domain.data();
  in.host_counts = c.host_counts.data();
  in.other_domain = c.other_domain.data();
  in.ignored = c.ignored.empty() ? nullptr : c.ignored.data();
  in.invalid_score = kInvalid;
  return in;
}

// Both loops against the formula; `vectorised`: whether score_pair_vectorised must take ids.
void check(const Case& c, const std::vector<state::NodeIndex>& ids, const char* what, bool vectorised) {
  const std::vector<std::int64_t> table = table_of(c);
  PairTable in = pair_table_of(c);
  in.table = table.data();
  in.stride = c.domains + 1;
  helper::ScoreRange want;
  for (const bool by_table : {true, false}) {
    std::vector<std::int64_t> scores(ids.size(), 12345);
    helper::ScoreRange range;
    if (by_table) {
      range = score_pair_by_table(in, ids.data(), ids.size(), scores.data());
    } else {
      ASSERT_EQ(score_pair_vectorised(in, ids.data(), ids.size(), scores.data(), range), vectorised) << what;
      if (!vectorised) continue;
    }
    want = {};
    for (std::size_t j = 0; j < ids.size(); ++j) {
      const std::int64_t e = expected_score(c, ids[j]);
      ASSERT_EQ(scores[j], e) << what << ": node " << ids[j] << " domains " << c.domains;
      if (c.ignored.empty() || !c.ignored[ids[j]]) {
        want.min = std::min(want.min, e);
        want.max = std::max(want.max, e);
      }
    }
    EXPECT_EQ(range.min, want.min) << what << " domains " << c.domains;
    EXPECT_EQ(range.max, want.max) << what << " domains " << c.domains;
  }
  // The fused path's int32 form takes exactly the lists the int64 one takes, same values.
  std::vector<std::int32_t> narrow(ids.size(), 12345);
  helper::ScoreRange narrow_range;
  ASSERT_EQ(score_pair_vectorised_narrow(in, ids.data(), ids.size(), narrow.data(), narrow_range), vectorised) << what;
  if (!vectorised) return;
  for (std::size_t j = 0; j < ids.size(); ++j)
    ASSERT_EQ(narrow[j], expected_score(c, ids[j])) << what << " (int32): node " << ids[j];
  EXPECT_EQ(narrow_range.min, want.min) << what << " (int32)";
  EXPECT_EQ(narrow_range.max, want.max) << what << " (int32)";
}

TEST(SpreadPairKernel, ContiguousNodesMatchScoreForEveryDomainCount) {
  std::mt19937_64 rng(7);
  for (std::size_t domains = 1; domains <= 12; ++domains) {
    const Case c = random_case(rng, 777, domains, /*with_ignored=*/false);
    std::vector<state::NodeIndex> all(c.nodes);
    std::iota(all.begin(), all.end(), 0);
    check(c, all, "every node", domains <= 8);
    // A run that does not start at 0 (still contiguous).
    check(c, std::vector<state::NodeIndex>(all.begin() + 100, all.begin() + 613), "a run", domains <= 8);
  }
}

TEST(SpreadPairKernel, ShuffledGappedAndIgnoredNodesMatchScore) {
  std::mt19937_64 rng(11);
  for (std::size_t domains = 1; domains <= 9; ++domains) {
    for (const bool with_ignored : {false, true}) {
      const Case c = random_case(rng, 500, domains, with_ignored);
      std::vector<state::NodeIndex> all(c.nodes);
      std::iota(all.begin(), all.end(), 0);
      check(c, all, with_ignored ? "every node, some ignored" : "every node", !with_ignored && domains <= 8);
      // A shuffle of a contiguous range (a sampled walk order): first and last alone would
      // call it contiguous.
      std::vector<state::NodeIndex> shuffled = all;
      std::shuffle(shuffled.begin() + 1, shuffled.end() - 1, rng);
      check(c, shuffled, "shuffled", false);
      // A run starting late, as long as the node count: its ids[0] + j leave the columns.
      std::vector<state::NodeIndex> late(all.begin() + 250, all.end());
      late.resize(all.size(), 0);
      check(c, late, "a late start", false);
      std::vector<state::NodeIndex> gapped;
      for (state::NodeIndex n = 0; n < c.nodes; n += 3) gapped.push_back(n);
      check(c, gapped, "every third node", false);
    }
  }
}

TEST(SpreadPairKernel, AllIgnoredGivesTheEmptyRange) {
  std::mt19937_64 rng(3);
  Case c = random_case(rng, 40, 3, /*with_ignored=*/true);
  std::fill(c.ignored.begin(), c.ignored.end(), std::uint8_t{1});
  std::vector<state::NodeIndex> all(c.nodes);
  std::iota(all.begin(), all.end(), 0);
  check(c, all, "all ignored", false);
}

TEST(SpreadPairKernel, NarrowFormRefusesScoresPastInt32) {
  // Counts of 2^30 matching pods at weight ln(6002) ~ 8.7 give scores near 2^33: the int64
  // loop holds them, the int32 one must refuse rather than truncate.
  std::mt19937_64 rng(5);
  Case c = random_case(rng, 64, 3, /*with_ignored=*/false);
  c.host_counts[17] = 1 << 30;
  c.host_domain[17] = 17;
  std::vector<state::NodeIndex> all(c.nodes);
  std::iota(all.begin(), all.end(), 0);
  c.host_weight = std::log(6002.0);
  const PairTable in = pair_table_of(c);
  std::vector<std::int64_t> wide(c.nodes);
  std::vector<std::int32_t> narrow(c.nodes);
  helper::ScoreRange range;
  ASSERT_TRUE(score_pair_vectorised(in, all.data(), all.size(), wide.data(), range));
  EXPECT_GT(range.max, std::int64_t{1} << 32);
  EXPECT_FALSE(score_pair_vectorised_narrow(in, all.data(), all.size(), narrow.data(), range));
}

// NormalizeScore (scoring.go) written out, then the framework's weighted add: what the
// fused pass must give, node by node.
std::int64_t normalized_total(std::int64_t base, std::int64_t s, std::int64_t min_score, std::int64_t max_score,
                              std::int64_t weight) {
  constexpr std::int64_t kMaxNodeScore = 100;
  const std::int64_t normalized =
      max_score == 0 ? kMaxNodeScore : kMaxNodeScore * (max_score + min_score - s) / max_score;
  return base + normalized * weight;
}

void check_fused(const std::vector<std::int32_t>& scores, std::int64_t weight, std::mt19937_64& rng,
                 const char* what) {
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = 0;  // NormalizeScore's max starts at 0
  for (const std::int32_t s : scores) {
    lo = std::min<std::int64_t>(lo, s);
    hi = std::max<std::int64_t>(hi, s);
  }
  std::vector<std::int64_t> base(scores.size());
  for (auto& b : base) b = std::uniform_int_distribution<std::int64_t>(-1000, 100000)(rng);
  std::vector<std::int64_t> want(scores.size());
  std::int64_t want_max = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < scores.size(); ++i) {
    want[i] = normalized_total(base[i], scores[i], lo, hi, weight);
    want_max = std::max(want_max, want[i]);
  }
  for (const bool in_place : {false, true}) {
    std::vector<std::int64_t> totals = in_place ? base : std::vector<std::int64_t>(scores.size(), 777);
    std::int64_t max_total = 0;
    ASSERT_TRUE(add_spread_normalized(scores.data(), scores.size(), {lo, hi}, 100, weight,
                                      in_place ? totals.data() : base.data(), totals.data(), max_total))
        << what;
    for (std::size_t i = 0; i < scores.size(); ++i)
      ASSERT_EQ(totals[i], want[i]) << what << " score " << scores[i] << " range " << lo << ".." << hi << " weight "
                                    << weight << (in_place ? " in place" : "");
    EXPECT_EQ(max_total, want_max) << what;
  }
}

TEST(SpreadFusedNormalize, MatchesNormalizeScoreThenTheWeightedAdd) {
  std::mt19937_64 rng(13);
  for (const std::int64_t weight : {1, 2, 3, 7, -2, 1000}) {
    // Few distinct values (per-domain scores), many (hostname counts), huge ones (the
    // int32 edge), a lone value, and scores from 0.
    for (const std::int32_t top : {1, 2, 3, 9, 100, 4096, 1 << 20, std::numeric_limits<std::int32_t>::max()}) {
      std::vector<std::int32_t> scores(1000 + static_cast<std::size_t>(top % 13));
      for (auto& s : scores) s = std::uniform_int_distribution<std::int32_t>(0, top)(rng);
      scores[3] = top;  // the max is there
      check_fused(scores, weight, rng, "uniform");
      for (auto& s : scores) s = std::max(0, top - std::uniform_int_distribution<std::int32_t>(0, 2)(rng));  // min near max
      check_fused(scores, weight, rng, "near the top");
      std::fill(scores.begin(), scores.end(), top);
      check_fused(scores, weight, rng, "all equal");
    }
  }
  // Every quotient edge for small maxima: each s in [min, max] once.
  for (std::int32_t max_score = 1; max_score <= 300; ++max_score) {
    for (const std::int32_t min_score : {0, 1, max_score / 2, max_score}) {
      std::vector<std::int32_t> scores;
      for (std::int32_t s = min_score; s <= max_score; ++s) scores.push_back(s);
      check_fused(scores, 2, rng, "every value");
    }
  }
}

TEST(SpreadFusedNormalize, RefusesWhatItCannotDoExactlyAndWritesNothing) {
  const std::vector<std::int32_t> scores = {0, 0, 0};
  std::vector<std::int64_t> base = {5, 6, 7};
  std::vector<std::int64_t> totals = {-9, -9, -9};
  std::int64_t max_total = -1;
  // max == 0 is NormalizeScore's every-score-MaxNodeScore arm (the caller's), a negative
  // min an invalidScore among them, and weights past the int32 product bound.
  EXPECT_FALSE(add_spread_normalized(scores.data(), 3, {0, 0}, 100, 1, base.data(), totals.data(), max_total));
  EXPECT_FALSE(add_spread_normalized(scores.data(), 3, {-1, 5}, 100, 1, base.data(), totals.data(), max_total));
  EXPECT_FALSE(add_spread_normalized(scores.data(), 3, {0, 5}, 100, std::int64_t{1} << 25, base.data(), totals.data(),
                                     max_total));
  EXPECT_FALSE(add_spread_normalized(scores.data(), 0, {0, 5}, 100, 1, base.data(), totals.data(), max_total));
  EXPECT_EQ(totals, (std::vector<std::int64_t>{-9, -9, -9}));
  EXPECT_EQ(max_total, -1);
}

}  // namespace
}  // namespace podium::plugins::podtopologyspread
