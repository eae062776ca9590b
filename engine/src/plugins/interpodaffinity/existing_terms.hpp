#pragma once
// The (anti-)affinity terms the bound pods carry, grouped by distinct term, with how many
// carriers sit in each domain of the term's topology key. This is what the symmetric
// rules read — an existing pod's required anti-affinity rejecting the incoming pod
// (PreFilter's getExistingAntiAffinityCounts), and the existing pods' required / preferred
// terms scoring it (PreScore's processExistingPod) — so a cycle costs O(distinct terms +
// their domains) instead of a walk over every existing pod.
//
//   kind (required anti, required affinity, preferred affinity, preferred anti)
//     └─ entry e: term (copied), topology column, carriers: a DomainTally (int32 per domain,
//                 the domains with carriers, their total), which PreFilter / PreScore hand
//                 to Filter / Score as is when it is the only source of its topology
//
// A pod carrying the same term twice counts twice, as upstream visits each term of each
// pod. Carriers on nodes without the key are not counted anywhere: upstream's
// topologyToMatchedTermCount / scoreMap only record pairs the node has.
//
// Thread-safety: none; updated by the scheduling thread between cycles.

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "plugins/interpodaffinity/domain_tally.hpp"
#include "plugins/interpodaffinity/topology_columns.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::plugins::interpodaffinity::detail {

enum class TermKind : std::uint8_t { kRequiredAntiAffinity, kRequiredAffinity, kPreferredAffinity, kPreferredAntiAffinity };
inline constexpr std::size_t kTermKinds = 4;

class ExistingTerms {
 public:
  struct Entry {
    state::PodAffinityTermRecord term;
    std::uint32_t topology = 0;
    DomainTally carriers;  // by domain of `topology`
  };

  // Pod `pod` (with pod_affinity) was bound to (+1) or left (-1) node `node`.
  void apply(const state::PodRecord& pod, state::NodeIndex node, std::int32_t delta, TopologyColumns& topology);
  const std::vector<Entry>& entries(TermKind kind) const { return entries_[static_cast<std::size_t>(kind)]; }

 private:
  struct Ref {
    TermKind kind;
    std::uint32_t entry;
  };
  const std::vector<Ref>& refs_of(const state::PodAffinityRecord& record, TopologyColumns& topology);

  std::array<std::vector<Entry>, kTermKinds> entries_;
  std::array<std::unordered_map<std::string, std::uint32_t>, kTermKinds> by_signature_;
  // Records are shared by pods with equal terms: resolve each record's terms once.
  std::unordered_map<const state::PodAffinityRecord*, std::vector<Ref>> refs_;
};

}  // namespace podium::plugins::interpodaffinity::detail
