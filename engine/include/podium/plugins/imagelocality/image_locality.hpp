#pragma once
// ImageLocality (pkg/scheduler/framework/plugins/imagelocality, v1.35).
//
// Score: for each init and regular container of the pod, the image's spread score if the
// node has the image (the name normalized: an untagged image gets ":latest"; node image
// names are matched as the node reports them), where spread score =
// int64(float64(size) * numNodesWithImage / totalNodes); the sum is clamped to
// [23 MiB, 1000 MiB * number of containers] and scaled to 0..100 with Go's int64 math:
//   100 * (sum - 23 MiB) / (1000 MiB * containers - 23 MiB).
// No NormalizeScore. Node images never change, so every number but the node's membership
// is computed at load (NodeTable::images).
//
// Not modelled: image volumes (spec.volumes[].image.reference), which upstream also sums;
// Podium does not read pod volumes.

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

// calculatePriority: the clamped, scaled score for the summed spread scores.
std::int64_t image_locality_priority(std::int64_t sum_scores, std::int64_t containers);

class ImageLocality final : public framework::ScorePlugin {
 public:
  static constexpr std::string_view kName = "ImageLocality";
  static constexpr std::int64_t kMiB = 1024 * 1024;
  static constexpr std::int64_t kMinThreshold = 23 * kMiB;
  static constexpr std::int64_t kMaxContainerThreshold = 1000 * kMiB;

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;
  // A pod none of whose images any node holds scores image_locality_priority(0, n) on every
  // node, as score() fills it: the class cache's refresh then adds it once, not per node.
  bool uniform_score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::int64_t& score) const override;
  bool score_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                   framework::NodeIndex first, std::size_t count, std::int64_t weight,
                   std::int64_t* totals) const override;
  void score(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
             std::span<const framework::NodeIndex> nodes, std::int64_t* scores) const override;
};

}  // namespace podium::plugins
