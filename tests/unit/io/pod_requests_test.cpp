// pod_requests against hand-computed values of upstream v1.35
// k8s.io/component-helpers/resource PodRequests (helpers.go) and the scheduler's two
// non-missing-default callers (PodInfo.CalculateResource, calculatePodResourceRequest).

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "podium/io/pod_requests.hpp"

namespace podium::io {
namespace {

using Summary = std::map<std::string, std::int64_t>;  // cpu in milli, others in units

constexpr std::int64_t kMi = 1024 * 1024;

ResourceList rl(std::initializer_list<std::pair<const char*, const char*>> items) {
  ResourceList out;
  for (const auto& [name, text] : items) out.emplace_back(name, *parse_quantity(text));
  return out;
}

Container container(ResourceList requests, bool sidecar = false) {
  Container c;
  c.requests = std::move(requests);
  c.restart_policy_always = sidecar;
  return c;
}

Summary summary(const ResourceList& list) {
  Summary s;
  for (const auto& [name, q] : list) s[name] = name == "cpu" ? *q.milli_value() : *q.value();
  return s;
}

Summary requests(const PodObject& pod, NonMissingDefaults defaults = NonMissingDefaults::kNone, bool pod_level = true) {
  return summary(pod_requests(pod, PodRequestOptions{defaults, pod_level}));
}

// The sidecar example of KEP-753: regular container c1, init containers in the order
// sidecar s1, init i2, sidecar s3, init i4.
PodObject sidecar_pod() {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "250m"}, {"memory", "100Mi"}}))};
  pod.init_containers = {
      container(rl({{"cpu", "100m"}, {"memory", "10Mi"}}), /*sidecar=*/true),
      container(rl({{"cpu", "300m"}, {"memory", "500Mi"}})),
      container(rl({{"cpu", "200m"}, {"memory", "20Mi"}}), /*sidecar=*/true),
      container(rl({{"cpu", "50m"}, {"memory", "1000Mi"}})),
  };
  return pod;
}

TEST(PodRequests, SumsRegularContainers) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "100m"}, {"memory", "100Mi"}})),
                    container(rl({{"cpu", "200m"}, {"nvidia.com/gpu", "1"}}))};
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 300}, {"memory", 100 * kMi}, {"nvidia.com/gpu", 1}}));
}

TEST(PodRequests, TakesTheLargestInitContainerPerResourceNotTheirSum) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "300m"}, {"memory", "100Mi"}}))};
  pod.init_containers = {container(rl({{"cpu", "400m"}, {"memory", "50Mi"}})),
                         container(rl({{"cpu", "500m"}, {"example.com/dongle", "1"}}))};
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 500}, {"memory", 100 * kMi}, {"example.com/dongle", 1}}));
}

TEST(PodRequests, AddsSidecarsToTheRunningSumAndToEveryLaterInitContainer) {
  // cpu:    running 250 + 100 + 200 = 550; init needs 100, 300+100, 300, 50+300 -> 400.
  // memory: running 100 + 10 + 20 = 130Mi; init needs 10, 500+10, 30, 1000+30 -> 1030Mi.
  EXPECT_EQ(requests(sidecar_pod()), (Summary{{"cpu", 550}, {"memory", 1030 * kMi}}));
}

TEST(PodRequests, DoesNotAddASidecarToInitContainersDeclaredBeforeIt) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "100m"}}))};
  pod.init_containers = {container(rl({{"cpu", "500m"}})), container(rl({{"cpu", "100m"}}), /*sidecar=*/true)};
  // running 100 + 100 = 200; init needs 500 (no sidecar yet) and 100.
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 500}}));
}

TEST(PodRequests, AddsOverheadAfterTheMaximum) {
  PodObject pod = sidecar_pod();
  pod.overhead = rl({{"cpu", "10m"}, {"memory", "5Mi"}, {"pods", "1"}});
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 560}, {"memory", 1035 * kMi}, {"pods", 1}}));
}

TEST(PodRequests, LetsPodLevelRequestsReplaceCpuMemoryAndHugepagesOnly) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "300m"}, {"memory", "100Mi"}, {"nvidia.com/gpu", "1"}}))};
  pod.pod_level_requests = rl({{"cpu", "1"}, {"memory", "1Gi"}, {"nvidia.com/gpu", "5"}, {"hugepages-2Mi", "4Mi"}});
  pod.overhead = rl({{"cpu", "10m"}});
  EXPECT_EQ(requests(pod),
            (Summary{{"cpu", 1010}, {"memory", 1024 * kMi}, {"nvidia.com/gpu", 1}, {"hugepages-2Mi", 4 * kMi}}));
}

TEST(PodRequests, LetsAnExplicitZeroPodLevelRequestReplaceTheContainers) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "300m"}, {"memory", "100Mi"}}))};
  pod.pod_level_requests = rl({{"cpu", "0"}});
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 0}, {"memory", 100 * kMi}}));
}

TEST(PodRequests, IgnoresPodLevelRequestsThatNameNoSupportedResource) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "300m"}}))};
  pod.pod_level_requests = rl({{"nvidia.com/gpu", "2"}});
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 300}}));
}

TEST(PodRequests, IgnoresPodLevelRequestsWhenTheFeatureIsOff) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "300m"}}))};
  pod.pod_level_requests = rl({{"cpu", "2"}});
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNone, /*pod_level=*/false), (Summary{{"cpu", 300}}));
}

TEST(PodRequests, ReturnsOnlyWhatIsRequestedSomewhere) {
  EXPECT_EQ(requests(PodObject{}), Summary{});
  PodObject pod;
  pod.containers = {container({})};
  pod.overhead = rl({{"memory", "1Mi"}});
  EXPECT_EQ(requests(pod), (Summary{{"memory", kMi}}));
}

TEST(PodRequests, SumsExactlyAndRoundsOnce) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "0.5m"}})), container(rl({{"cpu", "0.5m"}}))};
  const ResourceList r = pod_requests(pod);
  EXPECT_EQ(r[0].second, Quantity::from_milli(1));
  EXPECT_EQ(summary(r), (Summary{{"cpu", 1}})) << "rounding each container first would give 2m";
}

TEST(PodRequestsWithDefaults, GivesAContainerThatNamesNoCpuOrMemoryTheDefaults) {
  PodObject pod;
  // The second container asks for cpu 0 explicitly: applyNonMissing keeps a present key.
  pod.containers = {container({}), container(rl({{"cpu", "0"}})), container(rl({{"nvidia.com/gpu", "1"}}))};
  EXPECT_EQ(requests(pod, NonMissingDefaults::kAlways),
            (Summary{{"cpu", 200}, {"memory", 600 * kMi}, {"nvidia.com/gpu", 1}}));
}

TEST(PodRequestsWithDefaults, AppliesTheDefaultsToInitContainersToo) {
  PodObject pod;
  pod.containers = {container({})};
  pod.init_containers = {container(rl({{"cpu", "50m"}})), container(rl({{"memory", "300Mi"}}))};
  // running 100m / 200Mi; init needs 50m / 200Mi and 100m / 300Mi.
  EXPECT_EQ(requests(pod, NonMissingDefaults::kAlways), (Summary{{"cpu", 100}, {"memory", 300 * kMi}}));
}

TEST(PodRequestsWithDefaults, StillLetsPodLevelRequestsReplaceTheSum) {
  PodObject pod;
  pod.containers = {container({}), container({})};
  pod.pod_level_requests = rl({{"cpu", "2"}});
  EXPECT_EQ(requests(pod, NonMissingDefaults::kAlways), (Summary{{"cpu", 2000}, {"memory", 400 * kMi}}));
}

TEST(PodRequestsForNodeAccounting, DefaultsEveryContainerWithoutPodLevelRequests) {
  PodObject pod;
  pod.containers = {container({}), container(rl({{"cpu", "0"}}))};
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNodeAccounting), (Summary{{"cpu", 100}, {"memory", 400 * kMi}}));
}

TEST(PodRequestsForNodeAccounting, DefaultsOnlyWhatThePodRequestsNowhereWithPodLevelRequests) {
  PodObject pod;
  pod.containers = {container({}), container({})};
  pod.pod_level_requests = rl({{"cpu", "1"}});
  // cpu comes from the pod level; memory is missing everywhere, so each container gets
  // the default.
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNodeAccounting), (Summary{{"cpu", 1000}, {"memory", 400 * kMi}}));

  // One container naming memory makes it present in the pod's requests: no defaults.
  pod.containers[0].requests = rl({{"memory", "64Mi"}});
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNodeAccounting), (Summary{{"cpu", 1000}, {"memory", 64 * kMi}}));

  // The same pod without the feature: both defaults go to every container.
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNodeAccounting, /*pod_level=*/false),
            (Summary{{"cpu", 200}, {"memory", 264 * kMi}}));
}

TEST(PodRequestsForNodeAccounting, MatchesPlainRequestsWhenNothingIsMissing) {
  PodObject pod;
  pod.containers = {container(rl({{"cpu", "1"}})), container({})};
  pod.pod_level_requests = rl({{"cpu", "3"}, {"memory", "1Gi"}});
  EXPECT_EQ(requests(pod, NonMissingDefaults::kNodeAccounting), requests(pod));
  EXPECT_EQ(requests(pod), (Summary{{"cpu", 3000}, {"memory", 1024 * kMi}}));
}

// pod_request_variants shares work between the three lists; each must be pod_requests's,
// entry for entry in the same order, on every path (init containers and sidecars, overhead,
// pod-level requests naming cpu, memory, both or neither, explicit zeros, the feature off).
TEST(PodRequestVariants, EqualThePodRequestsOfEachMode) {
  std::vector<PodObject> pods;
  pods.push_back(sidecar_pod());
  PodObject empty;
  empty.containers = {container({}), container(rl({{"cpu", "0"}}))};
  pods.push_back(empty);
  for (const auto& level : {ResourceList{}, rl({{"cpu", "1"}}), rl({{"memory", "1Gi"}}),
                            rl({{"cpu", "2"}, {"memory", "0"}}), rl({{"example.com/foo", "1"}})}) {
    for (PodObject pod : {sidecar_pod(), empty}) {
      pod.pod_level_requests = level;
      pods.push_back(pod);
      pod.overhead = rl({{"memory", "10Mi"}, {"cpu", "5m"}});
      pods.push_back(pod);
      pod.containers.push_back(container(rl({{"memory", "64Mi"}, {"nvidia.com/gpu", "1"}})));
      pods.push_back(pod);
    }
  }
  for (std::size_t i = 0; i < pods.size(); ++i) {
    SCOPED_TRACE("pod " + std::to_string(i));
    for (const bool pod_level : {true, false}) {
      const PodRequestVariants v = pod_request_variants(pods[i], pod_level);
      auto expect_same = [&](const ResourceList& got, NonMissingDefaults mode) {
        const ResourceList want = pod_requests(pods[i], PodRequestOptions{mode, pod_level});
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t k = 0; k < got.size(); ++k) {
          EXPECT_EQ(got[k].first, want[k].first);
          EXPECT_TRUE(got[k].second == want[k].second) << got[k].first;
        }
      };
      expect_same(v.plain, NonMissingDefaults::kNone);
      expect_same(v.node_accounting, NonMissingDefaults::kNodeAccounting);
      expect_same(v.scoring, NonMissingDefaults::kAlways);
    }
  }
}

}  // namespace
}  // namespace podium::io
