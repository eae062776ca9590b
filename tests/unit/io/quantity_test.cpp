// parse_quantity and Quantity::milli_value/value against upstream
// k8s.io/apimachinery/pkg/api/resource (quantity_test.go TestQuantityParse and its
// invalid list, TestNegativeValueRoundsAwayFromZero, TestInterpretExponentInt32Bounds),
// plus the places where the 128-bit representation has limits of its own.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "podium/io/quantity.hpp"

namespace podium::io {
namespace {

using Nanos = Quantity::Nanos;

constexpr Nanos kUnit = 1'000'000'000;
constexpr Nanos kKi = 1024;
constexpr Nanos kBinaryCap = Nanos(std::numeric_limits<std::int64_t>::max()) * kUnit;

std::string to_string(Nanos v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  __extension__ unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return negative ? "-" + s : s;
}

struct ValidCase {
  const char* name;
  const char* text;
  Nanos nanos;
};

void expect_parses(const std::vector<ValidCase>& cases) {
  for (const ValidCase& tc : cases) {
    SCOPED_TRACE(std::string(tc.name) + ": \"" + tc.text + "\"");
    std::string error;
    const std::optional<Quantity> q = parse_quantity(tc.text, &error);
    ASSERT_TRUE(q.has_value()) << error;
    EXPECT_EQ(to_string(q->nanos()), to_string(tc.nanos));
  }
}

TEST(ParseQuantity, AcceptsEveryDecimalSuffix) {
  expect_parses({
      {"no suffix is units", "9", 9 * kUnit},
      {"n is nano", "5n", 5},
      {"u is micro", "4u", 4'000},
      {"m is milli", "3m", 3'000'000},
      {"k is kilo", "8k", 8'000 * kUnit},
      {"M is mega", "7M", 7'000'000 * kUnit},
      {"G is giga", "6G", 6'000'000'000 * kUnit},
      {"T is tera", "5T", 5'000'000'000'000 * kUnit},
      {"P is peta", "2P", 2'000'000'000'000'000 * kUnit},
      {"E alone is exa, not an exponent", "1E", 1'000'000'000'000'000'000 * kUnit},
      {"exa values beyond int64 stay exact", "12E", Nanos(12) * 1'000'000'000'000'000'000 * kUnit},
  });
}

TEST(ParseQuantity, AcceptsEveryBinarySuffix) {
  expect_parses({
      {"Ki is 2^10", "1Ki", kKi * kUnit},
      {"Ki scales the number", "8Ki", 8 * kKi * kUnit},
      {"Mi is 2^20", "7Mi", 7 * kKi * kKi * kUnit},
      {"Gi is 2^30", "6Gi", 6 * kKi * kKi * kKi * kUnit},
      {"Ti is 2^40", "5Ti", 5 * kKi * kKi * kKi * kKi * kUnit},
      {"Pi is 2^50", "4Pi", 4 * kKi * kKi * kKi * kKi * kKi * kUnit},
      {"Ei is 2^60", "3Ei", 3 * kKi * kKi * kKi * kKi * kKi * kKi * kUnit},
      {"a fraction of Gi", "1.5Gi", 1'610'612'736 * kUnit},
      {"a fraction of Mi", "0.5Mi", 524'288 * kUnit},
      {"a fraction of Ki that is not whole", "100.035Ki", 102'435'840'000'000},
      {"a fraction of Gi finer than a unit", "0.05Gi", 53'687'091'200'000'000},
      {"a binary value below one nano rounds up", "0.000000000001Ki", 2},
  });
}

TEST(ParseQuantity, AcceptsDecimalExponents) {
  expect_parses({
      {"lower-case e", "1e3", 1'000 * kUnit},
      {"upper-case E with digits is an exponent", "1E3", 1'000 * kUnit},
      {"negative exponent", "1E-3", 1'000'000},
      {"lower-case negative exponent", "1e-3", 1'000'000},
      {"explicit plus in the exponent", "1.3E+6", 1'300'000 * kUnit},
      {"several digits before the exponent", "129e6", 129'000'000 * kUnit},
      {"a fraction with an exponent", "1.2e3", 1'200 * kUnit},
      {"an exponent of zero", "0.5e0", kUnit / 2},
      {"leading zeros in the exponent", "1e0003", 1'000 * kUnit},
      {"the largest exponent upstream accepts, on zero", "0e2147483647", 0},
      {"the smallest exponent upstream accepts rounds up to a nano", "1e-2147483647", 1},
  });
}

TEST(ParseQuantity, AcceptsFractionsWrittenEveryWay) {
  expect_parses({
      {"digits on both sides", "9.01", 9'010'000'000},
      {"no integer digits", ".5", kUnit / 2},
      {"no fraction digits", "5.", 5 * kUnit},
      {"no fraction digits before a suffix", "1.G", 1'000'000'000 * kUnit},
      {"a fraction with a suffix", "100.035k", 100'035 * kUnit},
      {"a fraction of k below one", "0.0005k", kUnit / 2},
      {"trailing zeros", "0.50000", kUnit / 2},
      {"explicit plus sign", "+1.5", 1'500'000'000},
      {"minus sign", "-1.5", -1'500'000'000},
      {"leading zeros", "007", 7 * kUnit},
  });
}

TEST(ParseQuantity, RoundsValuesFinerThanANanoAwayFromZero) {
  expect_parses({
      {"a fraction of a nano", "3.001n", 4},
      {"an exponent below nano", "1.1E-9", 2},
      {"one tenth of a nano", "0.0000000001", 1},
      {"half a nano", "0.5e-9", 1},
      {"nine tenths of a nano", "0.9n", 1},
      {"a value with digits past the nano", "0.00000012345", 124},
      {"negative values round away from zero", "-0.1n", -1},
      {"tiny values far below a nano", "0.00000000000000000000001", 1},
  });
}

TEST(ParseQuantity, AcceptsZeroInAnyForm) {
  expect_parses({
      {"plain zero", "0", 0},
      {"zero with a suffix", "0Ki", 0},
      {"zero nano", "0n", 0},
      {"negative zero", "-0", 0},
      {"zero with a fraction", "0.000", 0},
      {"zero with Ei takes upstream's slow path", "0Ei", 0},
  });
}

// Upstream's fast path reads a number part without digits as "0" ("Gi" == 0); Podium
// refuses it (issue 14): a quantity with no number is a typo, not a zero.
TEST(ParseQuantity, RejectsADigitlessNumber) {
  for (const char* text : {"Ki", "Gi", "Ti", "m", ".", "-", "+.", "e5", "Pi", "Ei", "e-10", "-.e-10"}) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(parse_quantity(text, &error).has_value());
    EXPECT_EQ(error, "no number in quantity");
  }
}

TEST(ParseQuantity, CapsBinaryValuesAtMaxInt64LikeUpstream) {
  expect_parses({
      {"9Ei is above 2^63-1", "9Ei", kBinaryCap},
      {"max int64 Ki", "9223372036854775807Ki", kBinaryCap},
      {"a negative binary value is capped in magnitude", "-9Ei", -kBinaryCap},
      {"far beyond 128 bits is capped, not an error", "123456789012345678901234567890123456789012Ei", kBinaryCap},
      {"just below 8Ei is below the cap", "7.999999999999999999Ei",
       Nanos(9'223'372'036'854'775'806) * kUnit + 847'078'496},
  });
}

TEST(ParseQuantity, KeepsEveryDigitOfLongNumbers) {
  expect_parses({
      {"twenty integer digits", "12345678901234567890", Nanos(1234567890123456789LL) * 10 * kUnit},
      {"a unit plus one nano written with 25 fraction digits", "1.0000000000000000000000001", kUnit + 1},
      {"a long fraction of Ki", "0.1234567890123456789012Ki", 126'419'751'949},
      {"the largest magnitude that fits", "170141183460469231731687303715.884105727",
       std::numeric_limits<Nanos>::max()},
      {"the largest negative magnitude that fits", "-170141183460469231731687303715.884105727",
       -std::numeric_limits<Nanos>::max()},
      {"a large exponent that still fits", "1e29", Nanos(100'000'000'000'000'000LL) * Nanos(1'000'000'000'000'000'000LL) * 1000},
  });
}

TEST(ParseQuantity, ReportsMagnitudesBeyond128BitNanosAsTooLarge) {
  for (const char* text : {"170141183460469231731687303715.884105728", "1e30", "2e29", "1e2147483647",
                           "99999999999999999999999999999999999999999"}) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(parse_quantity(text, &error).has_value());
    EXPECT_EQ(error, "too large");
  }
}

TEST(ParseQuantity, RejectsWhatUpstreamRejects) {
  struct Case {
    const char* name;
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"empty", "", "empty quantity"},
      {"upper-case K is not a suffix", "1K", "unknown suffix \"K\""},
      {"kb is not a suffix", "1kb", "unknown suffix \"kb\""},
      {"ki is not Ki", "1ki", "unknown suffix \"ki\""},
      {"mi is not Mi", "0.1mi", "unknown suffix \"mi\""},
      {"a letter outside the suffix alphabet", "0.1am", "unknown suffix \"am\""},
      {"i alone", "1i", "unknown suffix \"i\""},
      {"i after a fraction", "-3.01i", "unknown suffix \"i\""},
      {"e without digits", "1e", "unknown suffix \"e\""},
      {"an exponent sign without digits", "-3.01e-", "unknown suffix \"e-\""},
      {"a suffix after an exponent", "1e3m", "unknown suffix \"e3m\""},
      {"a fractional exponent", "1e3.5", "unknown suffix \"e3.5\""},
      {"two dots", "1.1.M", "unknown suffix \".M\""},
      {"an embedded sign", "1+1.0M", "unknown suffix \"+1.0M\""},
      {"leading whitespace", " 1", "not a quantity"},
      {"trailing whitespace", "1 ", "unknown suffix \" \""},
      {"words", "aoeu", "not a quantity"},
      {"two signs", "--1", "unknown suffix \"-1\""},
      {"a fraction of i", ".5i", "unknown suffix \"i\""},
      {"an exponent past int32", "1e4294967297", "exponent out of range in \"e4294967297\""},
      {"the int32 minimum as exponent", "1E-2147483648", "exponent out of range in \"E-2147483648\""},
      {"an exponent past int64", "1e9223372036854775808", "exponent out of range in \"e9223372036854775808\""},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(std::string(tc.name) + ": \"" + tc.text + "\"");
    std::string error;
    EXPECT_FALSE(parse_quantity(tc.text, &error).has_value());
    EXPECT_EQ(error, tc.error);
  }
}

TEST(ParseQuantity, WorksWithoutAnErrorString) {
  EXPECT_FALSE(parse_quantity("1K").has_value());
  EXPECT_TRUE(parse_quantity("1k").has_value());
}

struct ScaledCase {
  const char* name;
  const char* text;
  std::optional<std::int64_t> milli;
  std::optional<std::int64_t> value;
};

TEST(QuantityScaledValue, RoundsUpLikeMilliValueAndValue) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const ScaledCase cases[] = {
      {"whole units", "2", 2'000, 2},
      {"a tenth of a milli is one milli", "0.1m", 1, 1},
      {"100n is one milli", "100n", 1, 1},
      {"a milli-exponent", "1e-3", 1, 1},
      {"1.5Gi in bytes", "1.5Gi", 1'610'612'736'000, 1'610'612'736},
      {"129e6", "129e6", 129'000'000'000, 129'000'000},
      {"1500m rounds up to 2 units", "1500m", 1'500, 2},
      {"a long binary fraction", "9.5000000001Gi", 10'200'547'328'108, 10'200'547'329},
      {"negative values round away from zero", "-1500m", -1'500, -2},
      {"small negative values round away from zero", "-0.0005", -1, -1},
      {"a negative binary fraction", "-9.5000000001Gi", -10'200'547'328'108, -10'200'547'329},
      {"max int64 units have no milli value", "9223372036854775807", std::nullopt, kMax},
      {"max int64 milli", "9223372036854775807m", kMax, 9'223'372'036'854'776},
      {"rounding up past max int64 milli overflows", "9223372036854775807.001m", std::nullopt, 9'223'372'036'854'776},
      {"2^63 units overflow", "9223372036854775808", std::nullopt, std::nullopt},
      {"the binary cap is exactly max int64", "16Ei", std::nullopt, kMax},
      {"min int64 units", "-9223372036854775808", std::nullopt, std::numeric_limits<std::int64_t>::min()},
  };
  for (const ScaledCase& tc : cases) {
    SCOPED_TRACE(std::string(tc.name) + ": \"" + tc.text + "\"");
    const std::optional<Quantity> q = parse_quantity(tc.text);
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->milli_value(), tc.milli);
    EXPECT_EQ(q->value(), tc.value);
  }
}

TEST(QuantityArithmetic, SumsExactlyAndRoundsOnlyAtTheEnd) {
  Quantity sum;
  for (int i = 0; i < 3; ++i) sum += *parse_quantity("0.1");
  EXPECT_EQ(sum, Quantity::from_milli(300));
  EXPECT_EQ(*parse_quantity("1.5Gi") + *parse_quantity("0.5Gi"), *parse_quantity("2Gi"));
  // Ten requests of 0.1m: upstream rounds the sum (1m), not each term (10m).
  Quantity tiny;
  for (int i = 0; i < 10; ++i) tiny += *parse_quantity("0.1m");
  EXPECT_EQ(tiny.milli_value(), 1);
  EXPECT_EQ(Quantity::from_units(3).milli_value(), 3'000);
  EXPECT_TRUE(Quantity().is_zero());
  EXPECT_TRUE(parse_quantity("-1m")->is_negative());
  EXPECT_LT(*parse_quantity("999m"), *parse_quantity("1"));
}

}  // namespace
}  // namespace podium::io
