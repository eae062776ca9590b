#include "plugins/interpodaffinity/existing_terms.hpp"

#include "plugins/interpodaffinity/terms.hpp"

namespace podium::plugins::interpodaffinity::detail {

const std::vector<ExistingTerms::Ref>& ExistingTerms::refs_of(const state::PodAffinityRecord& record,
                                                              TopologyColumns& topology) {
  if (const auto it = refs_.find(&record); it != refs_.end()) return it->second;
  std::vector<Ref> refs;
  auto add = [&](TermKind kind, const std::vector<state::PodAffinityTermRecord>& terms) {
    const auto k = static_cast<std::size_t>(kind);
    for (const auto& term : terms) {
      std::string sig;
      append_term_signature(term, sig);
      auto [it, fresh] = by_signature_[k].try_emplace(sig, static_cast<std::uint32_t>(entries_[k].size()));
      if (fresh) {
        Entry e;
        e.term = term;
        e.topology = topology.index_of(term.topology_key);
        e.carriers.reset(topology.domain_count(e.topology));
        entries_[k].push_back(std::move(e));
      }
      refs.push_back({kind, it->second});
    }
  };
  add(TermKind::kRequiredAntiAffinity, record.required_anti_affinity);
  add(TermKind::kRequiredAffinity, record.required_affinity);
  add(TermKind::kPreferredAffinity, record.preferred_affinity);
  add(TermKind::kPreferredAntiAffinity, record.preferred_anti_affinity);
  return refs_.emplace(&record, std::move(refs)).first->second;
}

void ExistingTerms::apply(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta,
                          TopologyColumns& topology) {
  if (!pod.pod_affinity) return;
  for (const Ref& ref : refs_of(*pod.pod_affinity, topology)) {
    Entry& e = entries_[static_cast<std::size_t>(ref.kind)][ref.entry];
    const std::int32_t domain = topology.domains(e.topology)[node];
    if (domain < 0) continue;
    e.carriers.add(static_cast<std::uint32_t>(domain), delta);
  }
}

}  // namespace podium::plugins::interpodaffinity::detail
