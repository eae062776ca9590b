#include "podium/plugins/imagelocality/image_locality.hpp"

#include <algorithm>

namespace podium::plugins {

std::int64_t image_locality_priority(std::int64_t sum_scores, std::int64_t containers) {
  const std::int64_t max_threshold = ImageLocality::kMaxContainerThreshold * containers;
  if (sum_scores < ImageLocality::kMinThreshold) {
    sum_scores = ImageLocality::kMinThreshold;
  } else if (sum_scores > max_threshold) {
    sum_scores = max_threshold;
  }
  return framework::kMaxNodeScore * (sum_scores - ImageLocality::kMinThreshold) /
         (max_threshold - ImageLocality::kMinThreshold);
}

bool ImageLocality::sign(const state::PodRecord& pod, std::string& sig) const {
  // A pod none of whose images any node holds (pod.images lists only those) scores
  // image_locality_priority(0, n) = 0 on every node whatever its container count n: sign
  // that alone, so pods differing only in their number of containers share a class.
  if (pod.images.empty()) {
    sig.push_back('0');
    sig.push_back(';');
    return true;
  }
  sig.push_back('1');
  sig.append(reinterpret_cast<const char*>(&pod.image_containers), sizeof pod.image_containers);
  for (const auto img : pod.images) sig.append(reinterpret_cast<const char*>(&img), sizeof img);
  sig.push_back(';');
  return true;
}

void ImageLocality::score(const framework::CycleState&, const framework::PodContext& ctx,
                          const framework::ClusterState& cluster, std::span<const framework::NodeIndex> ids,
                          std::int64_t* scores) const {
  const state::NodeTable& nodes = cluster.nodes;
  const auto containers = static_cast<std::int64_t>(ctx.pod.image_containers);
  if (ctx.pod.images.empty()) {
    std::fill(scores, scores + ids.size(), image_locality_priority(0, containers));
    return;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const state::ImageIndex* first = nodes.node_images.data() + nodes.image_offsets[ids[i]];
    const state::ImageIndex* last = nodes.node_images.data() + nodes.image_offsets[ids[i] + 1];
    // sumImageScores; Go's int64 addition wraps, so sum as unsigned.
    std::uint64_t sum = 0;
    for (const state::ImageIndex img : ctx.pod.images)
      if (std::binary_search(first, last, img)) sum += static_cast<std::uint64_t>(nodes.images.spread_score[img]);
    scores[i] = image_locality_priority(static_cast<std::int64_t>(sum), containers);
  }
}

}  // namespace podium::plugins

namespace podium::plugins {

bool ImageLocality::score_range(const framework::CycleState&, const framework::PodContext& ctx,
                                const framework::ClusterState&, framework::NodeIndex, std::size_t count,
                                std::int64_t weight, std::int64_t* totals) const {
  // Only the pod whose images no node holds scores one value everywhere (as score()).
  if (!ctx.pod.images.empty()) return false;
  const std::int64_t add = weight * image_locality_priority(0, static_cast<std::int64_t>(ctx.pod.image_containers));
  for (std::size_t i = 0; i < count; ++i) totals[i] += add;
  return true;
}

bool ImageLocality::uniform_score(const framework::CycleState&, const framework::PodContext& ctx,
                                  const framework::ClusterState&, std::int64_t& score) const {
  if (!ctx.pod.images.empty()) return false;
  score = image_locality_priority(0, static_cast<std::int64_t>(ctx.pod.image_containers));
  return true;
}

}  // namespace podium::plugins
