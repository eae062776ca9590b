// libFuzzer target: io::parse_quantity, the resource.Quantity grammar every request,
// limit, capacity and allocatable goes through.
//
// Besides sanitizer reports, it checks the two conversions agree: Value() and
// MilliValue() both round away from zero, so |milli| <= 1000 |value| < |milli| + 1000.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "podium/io/quantity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto quantity = podium::io::parse_quantity(text, &error);
  if (!quantity) {
    if (error.empty()) podium::fuzz::finding("parse_quantity failed without an error message");
    return 0;
  }
  const auto value = quantity->value();
  const auto milli = quantity->milli_value();
  if (value && milli) {
    __extension__ using Wide = __int128;
    const Wide v = *value < 0 ? -Wide(*value) : Wide(*value);
    const Wide m = *milli < 0 ? -Wide(*milli) : Wide(*milli);
    if (m > 1000 * v || 1000 * v >= m + 1000) podium::fuzz::finding("Value() and MilliValue() disagree");
  }
  if (milli && !value) podium::fuzz::finding("MilliValue() fits int64 but Value() does not");
  return 0;
}
