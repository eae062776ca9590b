// ImageLocality: spread-scaled image sizes, the 23 MiB / 1000 MiB-per-container
// thresholds, image name normalization, and the image table built at load.

#include <gtest/gtest.h>

#include "plugin_fixture.hpp"
#include "podium/plugins/imagelocality/image_locality.hpp"

namespace {

using namespace podium;
using namespace podium::testing;

constexpr std::int64_t kMiB = 1024 * 1024;

io::PodObject with_container_images(io::PodObject p, const std::vector<std::string>& images) {
  p.containers.clear();
  for (std::size_t i = 0; i < images.size(); ++i) {
    io::Container c;
    c.name = "c" + std::to_string(i);
    c.image = images[i];
    p.containers.push_back(c);
  }
  return p;
}

// Upstream's test nodes: machine1 has gcr.io/40 (also tagged v1), gcr.io/300 and
// gcr.io/2000; machine2 has gcr.io/250 and gcr.io/10.
std::vector<io::NodeObject> machines() {
  return {with_images(node("machine1", "4", "8Gi"),
                      {{{"gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"}, 40 * kMiB},
                       {{"gcr.io/300:latest", "gcr.io/300:v1"}, 300 * kMiB},
                       {{"gcr.io/2000:latest"}, 2000 * kMiB}}),
          with_images(node("machine2", "4", "8Gi"),
                      {{{"gcr.io/250:latest"}, 250 * kMiB}, {{"gcr.io/10:latest", "gcr.io/10:v1"}, 10 * kMiB}})};
}

std::vector<std::int64_t> image_scores(state::ClusterState& c) {
  const auto ex = explain_last(c, only("", "ImageLocality"));
  std::vector<std::int64_t> out;
  for (std::size_t n = 0; n < c.nodes.size; ++n) out.push_back(score_of(ex, n, "ImageLocality"));
  return out;
}

struct LocalityCase {
  const char* name;
  std::vector<std::string> images;
  bool third_node_without_images;
  std::vector<std::int64_t> expected;
};

class UpstreamImageLocality : public ::testing::TestWithParam<LocalityCase> {};

TEST_P(UpstreamImageLocality, ScoresLikeCalculatePriority) {
  auto nodes = machines();
  if (GetParam().third_node_without_images) nodes.push_back(node("machine3", "4", "8Gi"));
  auto c = cluster(nodes, {with_container_images(pod("p", "1", "1Gi"), GetParam().images)});
  EXPECT_EQ(image_scores(c), GetParam().expected);
}

// Two containers: the ceiling is 2 x 1000 MiB, the floor 23 MiB.
INSTANTIATE_TEST_SUITE_P(
    Images, UpstreamImageLocality,
    ::testing::Values(
        // machine1: 40 MiB * 1/2 = 20 MiB < 23 MiB -> 0.
        // machine2: 250 MiB * 1/2 = 125 MiB -> 100 * (125 - 23) / (2000 - 23) = 5.
        LocalityCase{"TwoImagesOnTwoNodesPreferTheLargerOne", {"gcr.io/40", "gcr.io/250"}, false, {0, 5}},
        // machine1: (40 + 300) / 2 = 170 MiB -> 100 * 147 / 1977 = 7.
        LocalityCase{"TwoImagesOnOneNodePreferThatNode", {"gcr.io/40", "gcr.io/300"}, false, {7, 0}},
        // machine1: 2000 / 2 = 1000 MiB -> 100 * 977 / 1977 = 49; machine2: 10 / 2 = 5 MiB -> 0.
        LocalityCase{"LargeAndSmallImage", {"gcr.io/2000", "gcr.io/10"}, false, {49, 0}},
        // With a third, empty node: int64(2000 MiB / 3) = 699050666 bytes -> 32.
        LocalityCase{"SpreadCountsEveryNodeOfTheCluster", {"gcr.io/2000", "gcr.io/10"}, true, {32, 0, 0}}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ImageLocalityScore, ClampsBetweenTheFloorAndThePerContainerCeiling) {
  auto big = with_images(node("n1", "4", "8Gi"), {{{"big:latest"}, 3000 * kMiB}, {{"small:latest"}, 20 * kMiB}});
  auto c = cluster({big}, {with_container_images(pod("p", "1", "1Gi"), {"big"})});
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{100}));  // 3000 MiB > 1000 MiB x 1
  c = cluster({big}, {with_container_images(pod("p", "1", "1Gi"), {"big", "x", "y"})});
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{100 * (3000 - 23) / (3000 - 23)}));
  c = cluster({big}, {with_container_images(pod("p", "1", "1Gi"), {"big", "x", "y", "z"})});
  // 3000 MiB of a 4000 MiB ceiling: 100 * (3000 - 23) / (4000 - 23) = 74.
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{74}));
  c = cluster({big}, {with_container_images(pod("p", "1", "1Gi"), {"small"})});
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{0}));  // 20 MiB is under the floor
}

TEST(ImageLocalityScore, AddsLatestOnlyToUntaggedPodImages) {
  auto n = with_images(node("n1", "4", "8Gi"), {{{"repo/app:latest"}, 500 * kMiB},
                                                {{"repo/tool:v2"}, 500 * kMiB},
                                                {{"registry:5000/bare"}, 500 * kMiB},
                                                {{"repo/digest@sha256:abc"}, 500 * kMiB}});
  // 500 MiB on the only node: 100 * (500 - 23) / (1000 - 23) = 48.
  auto score = [&](const std::string& image) {
    auto c = cluster({n}, {with_container_images(pod("p", "1", "1Gi"), {image})});
    return image_scores(c)[0];
  };
  EXPECT_EQ(score("repo/app"), 48);               // -> repo/app:latest
  EXPECT_EQ(score("repo/app:latest"), 48);
  EXPECT_EQ(score("repo/tool"), 0);               // repo/tool:latest is not there
  EXPECT_EQ(score("repo/tool:v2"), 48);
  EXPECT_EQ(score("registry:5000/bare"), 0);      // the port is no tag: -> registry:5000/bare:latest
  EXPECT_EQ(score("repo/digest@sha256:abc"), 48);  // has a ':' after the last '/': unchanged
}

TEST(ImageLocalityScore, CountsInitContainersInTheSumAndTheCeiling) {
  auto n = with_images(node("n1", "4", "8Gi"), {{{"init:latest"}, 600 * kMiB}, {{"app:latest"}, 600 * kMiB}});
  auto p = with_container_images(pod("p", "1", "1Gi"), {"app"});
  io::Container init;
  init.name = "init";
  init.image = "init";
  p.init_containers = {init};
  auto c = cluster({n}, {p});
  // 1200 MiB of a 2000 MiB ceiling: 100 * (1200 - 23) / (2000 - 23) = 59.
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{59}));
  EXPECT_EQ(c.pods.back().image_containers, 2U);
}

TEST(ImageLocalityScore, TakesAnImagesSizeFromTheFirstNodeListingIt) {
  auto a = with_images(node("a", "4", "8Gi"), {{{"app:latest"}, 400 * kMiB}});
  auto b = with_images(node("b", "4", "8Gi"), {{{"app:latest"}, 800 * kMiB}});
  auto c = cluster({a, b}, {with_container_images(pod("p", "1", "1Gi"), {"app"})});
  // Both nodes score 400 MiB * 2/2: 100 * 377 / 977 = 38.
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{38, 38}));
  ASSERT_EQ(c.nodes.images.size(), 1U);
  EXPECT_EQ(c.nodes.images.node_count[0], 2);
  EXPECT_EQ(c.nodes.images.spread_score[0], 400 * kMiB);
}

TEST(ImageLocalityScore, GivesZeroToPodsWhoseImagesNoNodeHas) {
  auto c = cluster(machines(), {with_container_images(pod("p", "1", "1Gi"), {"elsewhere/app"})});
  EXPECT_EQ(image_scores(c), (std::vector<std::int64_t>{0, 0}));
  EXPECT_TRUE(c.pods.back().images.empty());
}

TEST(ImageLocalityPriority, IsCalculatePriorityWithGoIntegerDivision) {
  EXPECT_EQ(plugins::image_locality_priority(0, 1), 0);
  EXPECT_EQ(plugins::image_locality_priority(23 * kMiB, 1), 0);
  EXPECT_EQ(plugins::image_locality_priority(23 * kMiB + 9'770'000, 1), 0);   // 0.95 -> 0
  EXPECT_EQ(plugins::image_locality_priority(23 * kMiB + 10'300'000, 1), 1);  // 1.005 -> 1
  EXPECT_EQ(plugins::image_locality_priority(1000 * kMiB, 1), 100);
  EXPECT_EQ(plugins::image_locality_priority(5000 * kMiB, 3), 100);
  EXPECT_EQ(plugins::image_locality_priority(0, 0), 0);  // no container: 0 * ... / -23 MiB
}

TEST(ImageLocalityScore, WeighsOneInTheDefaultProfile) {
  auto c = cluster(machines(), {with_container_images(pod("p", "", ""), {"gcr.io/40", "gcr.io/300"})});
  const auto ex = explain_last(c);
  EXPECT_EQ(score_of(ex, 0, "ImageLocality"), 7);
  EXPECT_EQ(ex.nodes[0].total, ex.nodes[1].total + 7);
}

}  // namespace
