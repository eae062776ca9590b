#pragma once
// metav1.Time as it appears in JSON: time.Parse(time.RFC3339, s), to nanoseconds since the
// Unix epoch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podium::io::detail {

// Accepts what Go's time.Parse accepts for the layout "2006-01-02T15:04:05Z07:00":
// exact field widths, an optional fractional second after the seconds ('.' or ',',
// any number of digits, truncated to nanoseconds as Go does), and "Z" or a numeric
// offset "+hh:mm". Returns nullopt with `error` set when the text is not such a time or
// lies outside what int64 nanoseconds hold (years 1678..2262).
std::optional<std::int64_t> parse_rfc3339_ns(std::string_view text, std::string* error);

}  // namespace podium::io::detail
