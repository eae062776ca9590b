// FieldSchema: indexes the generated field table (k8s_field_table.inc).

#include "io/field_schema.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace podium::io::detail {
namespace {

constexpr std::string_view kTable =
#include "io/k8s_field_table.inc"
    ;

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Splits on runs of spaces.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!(s = trim(s)).empty()) {
    const auto end = std::min(s.find(' '), s.size());
    out.push_back(s.substr(0, end));
    s.remove_prefix(end);
  }
  return out;
}

}  // namespace

FieldSchema::FieldSchema(std::string_view table) {
  // Two passes: names first (so that a field may name a type defined further down), then fields.
  std::vector<std::pair<std::string_view, std::string_view>> rows;  // type name, field list
  while (!table.empty()) {
    const auto eol = std::min(table.find('\n'), table.size());
    const std::string_view line = trim(table.substr(0, eol));
    table.remove_prefix(std::min(eol + 1, table.size()));
    if (line.empty()) continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw std::logic_error("field table: no ':' in \"" + std::string(line) + "\"");
    rows.emplace_back(trim(line.substr(0, colon)), line.substr(colon + 1));
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& row : rows) names_.push_back(row.first);
  if (std::adjacent_find(names_.begin(), names_.end()) != names_.end())
    throw std::logic_error("field table: a type is defined twice");

  auto type_id = [&](std::string_view name) {
    const auto it = std::lower_bound(names_.begin(), names_.end(), name);
    if (it == names_.end() || *it != name)
      throw std::logic_error("field table: undefined type \"" + std::string(name) + "\"");
    return static_cast<TypeId>(it - names_.begin());
  };
  types_.resize(rows.size());
  for (std::size_t t = 0; t < rows.size(); ++t) {
    for (const std::string_view word : words(rows[t].second)) {
      Field f;
      const auto eq = word.find('=');
      f.name = word.substr(0, eq);
      if (eq != std::string_view::npos) {
        std::string_view ref = word.substr(eq + 1);
        if (ref.size() > 2 && ref.front() == '[' && ref.back() == ']') {
          f.shape = Shape::kArray;
          ref = ref.substr(1, ref.size() - 2);
        } else if (ref.size() > 2 && ref.front() == '{' && ref.back() == '}') {
          f.shape = Shape::kMap;
          ref = ref.substr(1, ref.size() - 2);
        } else {
          f.shape = Shape::kObject;
        }
        f.type = type_id(ref);
      }
      types_[t].fields.push_back(f);
    }
    auto& fields = types_[t].fields;
    std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) {
      return a.name.size() != b.name.size() ? a.name.size() < b.name.size() : a.name < b.name;
    });
    const std::size_t longest = fields.empty() ? 0 : fields.back().name.size();
    auto& start = types_[t].length_start;
    start.assign(longest + 2, 0);
    for (std::size_t n = 0; n <= longest + 1; ++n) {
      start[n] = static_cast<std::uint16_t>(
          std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name.size() >= n; }) -
          fields.begin());
    }
  }
}

const FieldSchema::Type* FieldSchema::type_named(std::string_view name) const {
  const auto it = std::lower_bound(names_.begin(), names_.end(), name);
  if (it == names_.end() || *it != name) return nullptr;
  return &types_[static_cast<std::size_t>(it - names_.begin())];
}

const FieldSchema& kubernetes_field_schema() {
  static const FieldSchema schema(kTable);
  return schema;
}

}  // namespace podium::io::detail
