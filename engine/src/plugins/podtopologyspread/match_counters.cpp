#include "podium/plugins/podtopologyspread/match_counters.hpp"

namespace podium::plugins::podtopologyspread {

namespace {
// The slot of node n in a DomainSums vector: its domain, or the last slot without the key.
std::size_t sum_slot(const DomainColumn& column, state::NodeIndex n) {
  const std::int32_t d = column.domain[n];
  return static_cast<std::size_t>(d >= 0 ? d : column.domain_count());
}
}  // namespace

std::span<const std::int32_t> MatchCounters::acquire(const state::ClusterState& cluster, StringId namespace_id,
                                                     const state::LabelSelectorRecord& selector) {
  if (selector.matches_nothing || selector.requirements.empty()) {
    if (zeros_.size() != cluster.nodes.size) zeros_.assign(cluster.nodes.size, 0);
    return zeros_;
  }
  return find_or_add(cluster, namespace_id, selector)->counts;
}

MatchCounters::WithSums MatchCounters::acquire_with_sums(const state::ClusterState& cluster, StringId namespace_id,
                                                         const state::LabelSelectorRecord& selector,
                                                         const DomainColumn& column) {
  const auto slots = static_cast<std::size_t>(column.domain_count()) + 1;
  if (selector.matches_nothing || selector.requirements.empty()) {
    if (zeros_.size() != cluster.nodes.size) zeros_.assign(cluster.nodes.size, 0);
    // Sized once for any column (domains <= nodes), so earlier spans stay valid.
    if (zero_sums_.size() < cluster.nodes.size + 1) zero_sums_.assign(cluster.nodes.size + 1, 0);
    return {zeros_, {zero_sums_.data(), slots}};
  }
  Entry* entry = find_or_add(cluster, namespace_id, selector);
  for (const DomainSums& s : entry->by_column)
    if (s.column == &column) return {entry->counts, s.sums};
  DomainSums& s = entry->by_column.emplace_back();
  s.column = &column;
  s.sums.assign(slots, 0);
  for (state::NodeIndex n = 0; n < cluster.nodes.size; ++n) s.sums[sum_slot(column, n)] += entry->counts[n];
  return {entry->counts, s.sums};
}

MatchCounters::Entry* MatchCounters::find_or_add(const state::ClusterState& cluster, StringId namespace_id,
                                                 const state::LabelSelectorRecord& selector) {
  std::string key(reinterpret_cast<const char*>(&namespace_id), sizeof namespace_id);
  selector.append_signature(key);
  ++clock_;
  if (const auto it = by_key_.find(key); it != by_key_.end()) {
    it->second->last_used = clock_;
    return it->second;
  }
  if (entries_.size() >= capacity_) evict_one();
  auto entry = std::make_unique<Entry>();
  entry->namespace_id = namespace_id;
  entry->selector = selector;
  entry->key = key;
  entry->counts.assign(cluster.nodes.size, 0);
  entry->last_used = clock_;
  if (!indexed_) index_bound_pods(cluster);
  std::vector<state::PodIndex> scratch;
  for (const state::PodIndex i : candidates(selector, scratch)) {
    const state::PodRecord& p = cluster.pods[i];
    if (p.namespace_id == namespace_id && selector.matches(p.labels)) ++entry->counts[p.bound_node];
  }
  Entry* raw = entry.get();
  entries_.push_back(std::move(entry));
  by_key_.emplace(std::move(key), raw);
  return raw;
}

// Drops the least recently used entry not acquired in the current cycle; when every entry
// is in use by the current pod, the table grows past its capacity instead.
void MatchCounters::evict_one() {
  std::size_t victim = entries_.size();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i]->last_used > cycle_start_) continue;
    if (victim == entries_.size() || entries_[i]->last_used < entries_[victim]->last_used) victim = i;
  }
  if (victim == entries_.size()) return;
  by_key_.erase(entries_[victim]->key);
  entries_[victim] = std::move(entries_.back());
  entries_.pop_back();
}

namespace {
std::uint64_t label_key(StringId key, StringId value) { return (std::uint64_t{key} << 32) | value; }
}  // namespace

void MatchCounters::index_bound_pods(const state::ClusterState& cluster) {
  for (state::PodIndex p = 0; p < cluster.pods.size(); ++p)
    if (cluster.pods[p].bound_node != state::kNoNode) index_pod(cluster.pods[p], p, true);
  indexed_ = true;
}

void MatchCounters::index_pod(const state::PodRecord& pod, state::PodIndex p, bool bound) {
  auto update = [&](std::vector<state::PodIndex>& list) {
    if (bound) {
      list.push_back(p);
    } else {
      std::erase(list, p);
    }
  };
  update(bound_);
  for (const state::LabelPair& l : pod.labels) update(bound_by_label_[label_key(l.key, l.value)]);
}

const std::vector<state::PodIndex>& MatchCounters::candidates(const state::LabelSelectorRecord& selector,
                                                              std::vector<state::PodIndex>& scratch) const {
  for (const state::LabelRequirement& r : selector.requirements) {
    if (r.op != state::SelectorOp::kIn) continue;
    // A pod matching the selector carries one of this requirement's values.
    scratch.clear();
    for (const StringId v : r.values)
      if (const auto it = bound_by_label_.find(label_key(r.key, v)); it != bound_by_label_.end())
        scratch.insert(scratch.end(), it->second.begin(), it->second.end());
    return scratch;
  }
  return bound_;
}

void MatchCounters::add(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta) {
  for (const auto& e : entries_)
    if (e->namespace_id == pod.namespace_id && e->selector.matches(pod.labels)) {
      e->counts[node] += delta;
      for (DomainSums& s : e->by_column) s.sums[sum_slot(*s.column, node)] += delta;
    }
}

void MatchCounters::on_bind(const state::ClusterState& cluster, state::PodIndex pod, state::NodeIndex node) {
  add(cluster.pods[pod], node, +1);
  if (indexed_) index_pod(cluster.pods[pod], pod, true);
}

void MatchCounters::on_unbind(const state::ClusterState& cluster, state::PodIndex pod, state::NodeIndex node) {
  add(cluster.pods[pod], node, -1);
  if (indexed_) index_pod(cluster.pods[pod], pod, false);
}

}  // namespace podium::plugins::podtopologyspread
