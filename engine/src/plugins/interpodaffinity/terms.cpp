#include "plugins/interpodaffinity/terms.hpp"

namespace podium::plugins::interpodaffinity::detail {
namespace {

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

}  // namespace

void PodMatcher::append_signature(std::string& out) const {
  out.push_back(all_namespaces ? 'A' : 'N');
  put(out, namespaces.size());
  for (const StringId ns : namespaces) put(out, ns);
  selector.append_signature(out);
}

std::string counter_key(std::span<const PodMatcher> matchers) {
  std::string key;
  put(key, matchers.size());
  for (const PodMatcher& m : matchers) m.append_signature(key);
  return key;
}

PodMatcher merged_matcher(const state::PodAffinityTermRecord& term, const state::ClusterState& cluster) {
  PodMatcher m;
  m.selector = term.selector;
  m.namespaces = term.namespaces;
  if (term.namespace_selector.matches_everything()) {
    m.all_namespaces = true;
  } else if (!term.namespace_selector.matches_nothing) {
    for (const auto& [ns, labels] : cluster.namespace_labels)
      if (term.namespace_selector.matches(labels)) m.namespaces.push_back(ns);
    std::sort(m.namespaces.begin(), m.namespaces.end());
    m.namespaces.erase(std::unique(m.namespaces.begin(), m.namespaces.end()), m.namespaces.end());
  }
  return m;
}

std::span<const state::LabelPair> namespace_labels(const state::ClusterState& cluster, StringId ns) {
  const auto it = cluster.namespace_labels.find(ns);
  if (it == cluster.namespace_labels.end()) return {};
  return it->second;
}

void append_term_signature(const state::PodAffinityTermRecord& term, std::string& out) {
  term.selector.append_signature(out);
  put(out, term.namespaces.size());
  for (const StringId ns : term.namespaces) put(out, ns);
  term.namespace_selector.append_signature(out);
  put(out, term.topology_key);
  put(out, static_cast<std::uint32_t>(term.weight));
}

}  // namespace podium::plugins::interpodaffinity::detail
