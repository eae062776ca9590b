#pragma once
// Kubernetes resource.Quantity, exactly as k8s.io/apimachinery/pkg/api/resource parses it.
//
// A Quantity is held as a signed 128-bit count of nano-units (10^-9). Upstream rounds any
// value finer than a nano *up* to the next nano when it parses, so nano precision loses
// nothing upstream keeps; sums of quantities (container requests, overhead) are exact, and
// only the final conversion rounds, like upstream's MilliValue()/Value() (both round up,
// i.e. away from zero: towards +infinity for the non-negative quantities the engine sees).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podium::io {

class Quantity {
 public:
  __extension__ using Nanos = __int128;  // __extension__: GCC/Clang builtin, silences -Wpedantic

  constexpr Quantity() = default;
  static constexpr Quantity from_nanos(Nanos nanos) { Quantity q; q.nanos_ = nanos; return q; }
  static constexpr Quantity from_units(std::int64_t units) { return from_nanos(Nanos(units) * 1'000'000'000); }
  static constexpr Quantity from_milli(std::int64_t milli) { return from_nanos(Nanos(milli) * 1'000'000); }

  constexpr Nanos nanos() const { return nanos_; }
  constexpr bool is_zero() const { return nanos_ == 0; }
  constexpr bool is_negative() const { return nanos_ < 0; }

  // Upstream Quantity.MilliValue(): value * 1000 rounded away from zero (ceil when
  // non-negative). nullopt if it does not fit int64.
  std::optional<std::int64_t> milli_value() const;
  // Upstream Quantity.Value(): value rounded away from zero (ceil when non-negative).
  // nullopt if it does not fit int64.
  std::optional<std::int64_t> value() const;

  constexpr Quantity& operator+=(Quantity o) { nanos_ += o.nanos_; return *this; }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return a += b; }
  friend constexpr bool operator==(Quantity a, Quantity b) { return a.nanos_ == b.nanos_; }
  friend constexpr auto operator<=>(Quantity a, Quantity b) { return a.nanos_ <=> b.nanos_; }

 private:
  Nanos nanos_ = 0;
};

// Parses the Quantity grammar of resource.ParseQuantity:
//   <sign>? <digits>[.<digits>] <suffix>, suffix one of
//   binary  Ki Mi Gi Ti Pi Ei, decimal  n u m "" k M G T P E, or an exponent e<int> / E<int>.
// As upstream, "5." and ".5" are numbers, values finer than 1n round up to 1n (away from
// zero), binary-suffixed values are capped at 2^63-1, exponents must fit an int32, and a
// number with no digit at all ("Ki", "-", ".") reads as zero where upstream's fast path
// does (see quantity.cpp). No surrounding whitespace: callers trim, as UnmarshalJSON does.
// Returns nullopt with `error` set ("unknown suffix \"K\"", "too large", ...) on failure.
// Magnitudes beyond what 128-bit nanos hold are errors, never wrap-around.
std::optional<Quantity> parse_quantity(std::string_view text, std::string* error = nullptr);

}  // namespace podium::io
