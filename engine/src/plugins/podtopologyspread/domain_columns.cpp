#include "podium/plugins/podtopologyspread/domain_columns.hpp"

#include <unordered_map>

namespace podium::plugins::podtopologyspread {

const DomainColumn& DomainColumns::column(const state::ClusterState& cluster, StringId key) {
  for (const auto& c : columns_)
    if (c->key == key) return *c;
  auto col = std::make_unique<DomainColumn>();
  col->key = key;
  const state::NodeTable& nodes = cluster.nodes;
  col->domain.assign(nodes.size, -1);
  const StringId empty = cluster.strings.find("").value_or(state::kUnseenString);
  std::unordered_map<StringId, std::int32_t> ids;
  for (state::NodeIndex n = 0; n < nodes.size; ++n) {
    const std::size_t at = nodes.find_label(n, key);
    if (at == state::NodeTable::npos) {
      ++col->absent_nodes;
      continue;
    }
    const StringId value = nodes.label_pairs[at].value;
    auto [it, fresh] = ids.try_emplace(value, col->domain_count());
    if (fresh) {
      col->values.push_back(value);
      if (value == empty) col->empty_value_domain = it->second;
    }
    col->domain[n] = it->second;
  }
  columns_.push_back(std::move(col));
  return *columns_.back();
}

}  // namespace podium::plugins::podtopologyspread
