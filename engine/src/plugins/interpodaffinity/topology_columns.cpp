#include "plugins/interpodaffinity/topology_columns.hpp"

namespace podium::plugins::interpodaffinity::detail {

std::uint32_t TopologyColumns::index_of(StringId key) {
  if (const auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  auto column = std::make_unique<Column>();
  column->key = key;
  column->domain.assign(nodes_.size, -1);
  std::unordered_map<StringId, std::int32_t> ids;
  for (state::NodeIndex n = 0; n < nodes_.size; ++n) {
    const std::size_t at = nodes_.find_label(n, key);
    if (at == state::NodeTable::npos) continue;
    const StringId value = nodes_.label_pairs[at].value;
    const auto [it, fresh] = ids.try_emplace(value, static_cast<std::int32_t>(column->values.size()));
    if (fresh) column->values.push_back(value);
    column->domain[n] = it->second;
  }
  // Domain ids follow first appearance in node order, so a key whose values are all
  // distinct and present on every node numbers its domains as the nodes.
  column->by_node = column->values.size() == nodes_.size;
  for (state::NodeIndex n = 0; column->by_node && n < nodes_.size; ++n)
    column->by_node = column->domain[n] == static_cast<std::int32_t>(n);
  const auto index = static_cast<std::uint32_t>(columns_.size());
  columns_.push_back(std::move(column));
  by_key_.emplace(key, index);
  return index;
}

}  // namespace podium::plugins::interpodaffinity::detail
