#pragma once
// ReasonCounts: how many nodes gave each rejection reason, the numbers a FitError prints
// (upstream FitError.Error counts Diagnosis.NodeToStatus reasons). A pod rejects few
// distinct reasons, so a linear scan over (text, count) pairs beats a map, and a reason
// already seen costs one string comparison and no allocation: a plugin that counts its
// rejections over many nodes adds each reason once with the number of nodes
// (FilterPlugin::count_rejections), not once per node.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "podium/framework/status.hpp"

namespace podium::framework {

class ReasonCounts {
 public:
  using Entry = std::pair<std::string, std::size_t>;  // reason text, nodes giving it

  // `nodes` more nodes gave `reason`. Adding 0 nodes records nothing (a FitError never
  // prints a reason no node gave).
  void add(std::string_view reason, std::size_t nodes = 1) {
    if (nodes == 0) return;
    for (auto& [text, count] : entries_)
      if (text == reason) {
        count += nodes;
        return;
      }
    entries_.emplace_back(std::string(reason), nodes);
  }
  // One node's status: each of its reasons once.
  void add(const Status& status) {
    for (const auto& reason : status.reasons()) add(reason);
  }

  // In the order reasons were first added (fit_error_message sorts).
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace podium::framework
