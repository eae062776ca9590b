// resource.ParseQuantity, Quantity.MilliValue and Quantity.Value from
// k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go, amount.go), reimplemented
// over a single exact representation: a signed 128-bit count of nano-units.
//
// Upstream keeps two representations (an int64 mantissa with a decimal scale on a fast
// path, an arbitrary-precision inf.Dec otherwise). Both describe the same number, and the
// only places where the choice of path shows through are reproduced here on purpose:
//   * the slow path rounds a value finer than 1n up (away from zero) to the next nano;
//     the fast path is only taken when the value is already a whole number of nanos, so
//     "round every parsed value up to nanos" is exact for both;
//   * the slow path caps binary-suffixed values (Ki..Ei) at 2^63-1 in magnitude;
//   * deliberately stricter: a number part without any digit ("", ".", "-", as in "Ki"
//     or "-.") is an error here; upstream's fast path reads it as zero.
// Values that do not fit 128-bit nanos (about 1.7e29 units) are "too large" here, where
// upstream would keep an unbounded inf.Dec; no Kubernetes resource gets near that.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "podium/io/quantity.hpp"

namespace podium::io {
namespace {

__extension__ using u128 = unsigned __int128;

// Largest magnitude a Quantity holds: 2^127 - 1 nanos.
constexpr u128 kMaxMagnitude = (u128(1) << 127) - 1;
constexpr u128 kNanosPerUnit = 1'000'000'000;
// upstream maxAllowed (math.go): binary-suffixed values are capped at MaxInt64 units.
constexpr u128 kBinaryCap = u128(std::numeric_limits<std::int64_t>::max()) * kNanosPerUnit;

constexpr std::array<u128, 39> make_pow10() {
  std::array<u128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<u128, 39> kPow10 = make_pow10();  // 10^0 .. 10^38 (< 2^127)

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The letters upstream's scanner collects into a suffix before an optional exponent.
bool is_suffix_letter(char c) {
  switch (c) {
    case 'e': case 'E': case 'i': case 'n': case 'u': case 'm':
    case 'k': case 'K': case 'M': case 'G': case 'T': case 'P':
      return true;
    default:
      return false;
  }
}

struct Suffix {
  bool binary = false;
  std::int64_t exponent = 0;  // power of 10 (decimal) or of 2 (binary)
};

// Mirrors suffixer.interpret (suffix.go). Decimal exponents are parsed like
// strconv.ParseInt(s[1:], 10, 64) and must fit [-MaxInt32, MaxInt32]: upstream stores
// them in an int32 scale that it later negates (quantity_test.go
// TestInterpretExponentInt32Bounds; older releases silently truncated instead).
std::optional<Suffix> interpret_suffix(std::string_view s, std::string* error) {
  struct Entry { std::string_view text; bool binary; int exponent; };
  static constexpr Entry kTable[] = {
      {"", false, 0},   {"n", false, -9}, {"u", false, -6}, {"m", false, -3},
      {"k", false, 3},  {"M", false, 6},  {"G", false, 9},  {"T", false, 12},
      {"P", false, 15}, {"E", false, 18}, {"Ki", true, 10}, {"Mi", true, 20},
      {"Gi", true, 30}, {"Ti", true, 40}, {"Pi", true, 50}, {"Ei", true, 60},
  };
  for (const Entry& e : kTable) {
    if (s == e.text) return Suffix{e.binary, e.exponent};
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view digits = s.substr(1);
    bool negative = false;
    if (digits[0] == '+' || digits[0] == '-') {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (!digits.empty() && std::all_of(digits.begin(), digits.end(), is_digit)) {
      constexpr std::int64_t kMaxExponent = std::numeric_limits<std::int32_t>::max();
      std::int64_t value = 0;
      for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > kMaxExponent) {
          if (error) *error = "exponent out of range in \"" + std::string(s) + "\"";
          return std::nullopt;
        }
      }
      return Suffix{false, negative ? -value : value};
    }
  }
  if (error) *error = "unknown suffix \"" + std::string(s) + "\"";
  return std::nullopt;
}

// Arbitrary-precision unsigned integer for the rare inputs with more than 19 significant
// digits. Little-endian base-2^32 limbs.
class BigUint {
 public:
  void mul_add(std::uint32_t mul, std::uint32_t add) {
    std::uint64_t carry = add;
    for (std::uint32_t& limb : limbs_) {
      const std::uint64_t v = std::uint64_t(limb) * mul + carry;
      limb = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }
  // Divides in place; returns the remainder.
  std::uint32_t div(std::uint32_t divisor) {
    std::uint64_t rem = 0;
    for (std::size_t i = limbs_.size(); i-- > 0;) {
      const std::uint64_t cur = (rem << 32) | limbs_[i];
      limbs_[i] = static_cast<std::uint32_t>(cur / divisor);
      rem = cur % divisor;
    }
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
    return static_cast<std::uint32_t>(rem);
  }
  bool is_zero() const { return limbs_.empty(); }
  // nullopt when the value needs more than 127 bits.
  std::optional<u128> to_u128() const {
    if (limbs_.size() > 4) return std::nullopt;
    u128 v = 0;
    for (std::size_t i = limbs_.size(); i-- > 0;) v = (v << 32) | limbs_[i];
    if (v > kMaxMagnitude) return std::nullopt;
    return v;
  }

 private:
  std::vector<std::uint32_t> limbs_;
};

enum class Magnitude { kOk, kTooLarge };

// ceil(digits * 2^shift2 * 10^shift10) for a digit string without leading zeros.
// Sets `out` (at most kMaxMagnitude) or reports kTooLarge.
Magnitude scale_small(std::uint64_t digits, int shift2, std::int64_t shift10, u128& out) {
  u128 m = u128(digits) << shift2;  // digits < 10^19 < 2^64, shift2 <= 60: fits
  if (shift10 >= 0) {
    if (shift10 >= static_cast<std::int64_t>(kPow10.size())) return Magnitude::kTooLarge;
    const u128 p = kPow10[static_cast<std::size_t>(shift10)];
    if (m > kMaxMagnitude / p) return Magnitude::kTooLarge;
    out = m * p;
    return Magnitude::kOk;
  }
  if (-shift10 >= static_cast<std::int64_t>(kPow10.size())) {  // m < 2^124 < 10^38
    out = 1;
    return Magnitude::kOk;
  }
  const u128 p = kPow10[static_cast<std::size_t>(-shift10)];
  out = m / p + (m % p != 0 ? 1 : 0);
  return Magnitude::kOk;
}

Magnitude scale_big(std::string_view digits, int shift2, std::int64_t shift10, u128& out) {
  // digits has more than 19 significant digits, so the value is at least 10^19 * 10^shift10.
  if (shift10 > 20) return Magnitude::kTooLarge;
  // At most len(digits) + 19 decimal digits (2^60 < 10^19) before dividing.
  if (shift10 < 0 && -shift10 > static_cast<std::int64_t>(digits.size()) + 20) {
    out = 1;
    return Magnitude::kOk;
  }
  BigUint n;
  for (std::size_t i = 0; i < digits.size(); i += 9) {
    const std::size_t len = std::min<std::size_t>(9, digits.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t j = 0; j < len; ++j) chunk = chunk * 10 + static_cast<std::uint32_t>(digits[i + j] - '0');
    n.mul_add(static_cast<std::uint32_t>(kPow10[len]), chunk);
  }
  for (int s = shift2; s > 0; s -= 30) n.mul_add(std::uint32_t(1) << std::min(s, 30), 0);
  bool inexact = false;
  for (std::int64_t s = shift10; s > 0; s -= 9) {
    n.mul_add(static_cast<std::uint32_t>(kPow10[static_cast<std::size_t>(std::min<std::int64_t>(s, 9))]), 0);
  }
  for (std::int64_t s = -shift10; s > 0; s -= 9) {
    inexact |= n.div(static_cast<std::uint32_t>(kPow10[static_cast<std::size_t>(std::min<std::int64_t>(s, 9))])) != 0;
  }
  std::optional<u128> v = n.to_u128();
  if (!v) return Magnitude::kTooLarge;
  if (inexact) {
    if (*v == kMaxMagnitude) return Magnitude::kTooLarge;
    ++*v;
  }
  out = *v;
  return Magnitude::kOk;
}

// Quantity.ScaledValue rounding: away from zero (amount.go AsScaledInt64 /
// negativeScaleInt64; quantity_test.go TestNegativeValueRoundsAwayFromZero).
std::optional<std::int64_t> scaled(Quantity::Nanos nanos, Quantity::Nanos nanos_per_step) {
  Quantity::Nanos q = nanos / nanos_per_step;
  if (nanos % nanos_per_step != 0) q += nanos > 0 ? 1 : -1;
  if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(q);
}

}  // namespace

std::optional<std::int64_t> Quantity::milli_value() const { return scaled(nanos_, 1'000'000); }

std::optional<std::int64_t> Quantity::value() const { return scaled(nanos_, 1'000'000'000); }

std::optional<Quantity> parse_quantity(std::string_view text, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<Quantity> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty quantity");

  // Scanner: parseQuantityString (quantity.go).
  std::size_t pos = 0;
  const std::size_t end = text.size();
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    ++pos;
  }
  const std::size_t int_begin = pos;
  while (pos < end && is_digit(text[pos])) ++pos;
  const std::string_view int_digits = text.substr(int_begin, pos - int_begin);
  std::string_view frac_digits;
  if (pos < end && text[pos] == '.') {
    const std::size_t frac_begin = ++pos;
    while (pos < end && is_digit(text[pos])) ++pos;
    frac_digits = text.substr(frac_begin, pos - frac_begin);
  }
  const std::size_t suffix_begin = pos;
  while (pos < end && is_suffix_letter(text[pos])) ++pos;
  if (pos < end && (text[pos] == '+' || text[pos] == '-')) ++pos;
  while (pos < end && is_digit(text[pos])) ++pos;
  const std::string_view suffix_text = text.substr(suffix_begin);
  if (pos != end) {
    if (int_digits.empty() && frac_digits.empty()) return fail("not a quantity");
    return fail("unknown suffix \"" + std::string(suffix_text) + "\"");
  }

  std::optional<Suffix> suffix = interpret_suffix(suffix_text, error);
  if (!suffix) return std::nullopt;

  if (int_digits.empty() && frac_digits.empty()) {
    // Upstream's fast path would read the missing number as "0" ("Gi" == 0) and only its
    // slow path rejects it; a quantity without a number is a typo, so it is refused.
    return fail("no number in quantity");
  }

  // Significant digits: integer and fraction digits, leading zeros dropped, trailing
  // zeros folded into the decimal exponent.
  std::string joined;
  std::string_view digits;
  if (frac_digits.empty()) {
    digits = int_digits;
  } else if (int_digits.empty()) {
    digits = frac_digits;
  } else {
    joined.reserve(int_digits.size() + frac_digits.size());
    joined.append(int_digits).append(frac_digits);
    digits = joined;
  }
  std::int64_t shift10 = (suffix->binary ? 0 : suffix->exponent) - static_cast<std::int64_t>(frac_digits.size()) + 9;
  const int shift2 = suffix->binary ? static_cast<int>(suffix->exponent) : 0;
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) return Quantity{};  // any zero, whatever its suffix
  digits.remove_prefix(first);
  const std::size_t last = digits.find_last_not_of('0');
  shift10 += static_cast<std::int64_t>(digits.size() - 1 - last);
  digits = digits.substr(0, last + 1);

  u128 magnitude = 0;
  Magnitude m;
  if (digits.size() <= 19) {
    std::uint64_t d = 0;
    for (char c : digits) d = d * 10 + static_cast<std::uint64_t>(c - '0');
    m = scale_small(d, shift2, shift10, magnitude);
  } else {
    m = scale_big(digits, shift2, shift10, magnitude);
  }
  if (suffix->binary && (m == Magnitude::kTooLarge || magnitude > kBinaryCap)) {
    magnitude = kBinaryCap;
  } else if (m == Magnitude::kTooLarge) {
    return fail("too large");
  }
  const auto nanos = static_cast<Quantity::Nanos>(magnitude);
  return Quantity::from_nanos(negative ? -nanos : nanos);
}

}  // namespace podium::io
