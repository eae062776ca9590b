// The cut of a large JSON List into two documents: json_list_split.hpp.

#include "io/json_list_split.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>

namespace podium::io::detail {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

// `text[i]` opens a string: the index after its closing quote.
std::size_t skip_string(std::string_view text, std::size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kNone;
}

// A value starting at `text[i]`: the index after it. Strings are tracked, so brackets
// inside them do not count; the parse judges everything else.
std::size_t skip_value(std::string_view text, std::size_t i) {
  if (i >= text.size()) return kNone;
  if (text[i] == '"') return skip_string(text, i);
  if (text[i] != '{' && text[i] != '[') {
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && !is_space(text[i])) ++i;
    return i;
  }
  std::size_t depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = skip_string(text, i);
      if (i == kNone) return kNone;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return kNone;
}

std::optional<std::size_t> items_prefix_end(std::string_view text) {
  // The root's other fields come first in kubectl's and our generators' output and are
  // short; a prefix of more than a quarter of the file would not be worth splitting.
  const std::size_t limit = std::max(text.size() / 4, std::min(text.size(), std::size_t{1} << 16));
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  ++i;
  while (true) {
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    const std::size_t key_begin = i + 1;
    i = skip_string(text, i);
    if (i == kNone) return std::nullopt;
    const std::string_view key = text.substr(key_begin, i - 1 - key_begin);
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    i = skip_space(text, i + 1);
    if (key == "items") {
      if (i >= text.size() || text[i] != '[') return std::nullopt;
      return i + 1;
    }
    // Bounded, so that an `items` spelled with escapes is not skipped to its end.
    i = skip_value(text.substr(0, limit), i);
    if (i == kNone) return std::nullopt;
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != ',') return std::nullopt;
    ++i;
    if (i > limit) return std::nullopt;
  }
}

}  // namespace

std::optional<ListCut> find_list_cut(std::string_view text, double fraction) {
  const std::optional<std::size_t> prefix_end = items_prefix_end(text);
  if (!prefix_end) return std::nullopt;
  const auto start = *prefix_end + static_cast<std::size_t>(static_cast<double>(text.size() - *prefix_end) * fraction);
  for (std::size_t i = text.find('}', start); i != kNone; i = text.find('}', i + 1)) {
    std::size_t j = skip_space(text, i + 1);
    if (j >= text.size() || text[j] != ',') continue;
    const std::size_t comma = j;
    j = skip_space(text, j + 1);
    if (j >= text.size() || text[j] != '{') continue;
    j = skip_space(text, j + 1);
    if (j >= text.size() || (text[j] != '"' && text[j] != '}')) continue;
    return ListCut{*prefix_end, comma};
  }
  return std::nullopt;
}

namespace {

// The number of `items` fields of an object, and whether the last field is one.
std::size_t items_fields(simdjson::dom::object object, bool& last_is_items) {
  std::size_t n = 0;
  last_is_items = false;
  for (simdjson::dom::key_value_pair field : object) {
    last_is_items = field.key == "items";
    if (last_is_items) ++n;
  }
  return n;
}

}  // namespace

bool split_roots_agree(simdjson::dom::element first_root, simdjson::dom::element second_root) {
  simdjson::dom::object first, second;
  if (first_root.get_object().get(first) != simdjson::SUCCESS) return false;
  if (second_root.get_object().get(second) != simdjson::SUCCESS) return false;
  bool first_last = false, second_last = false;
  if (items_fields(first, first_last) != 1 || !first_last) return false;
  if (items_fields(second, second_last) != 1) return false;
  simdjson::dom::array a, b;
  return first.at_key("items").get_array().get(a) == simdjson::SUCCESS &&
         second.at_key("items").get_array().get(b) == simdjson::SUCCESS;
}

}  // namespace podium::io::detail
