// scheduler::schedule_queue: a caller-given queue (what `podium bench` uses to schedule one
// step's pods while later steps' pods stay pending) places exactly as schedule_pending,
// also when the queue is cut into calls, and leaves pods outside the queue untouched.

#include <gtest/gtest.h>

#include <algorithm>

#include "../../support/random_cluster.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace {

using namespace podium;

TEST(ScheduleQueue, CutIntoCallsPlacesLikeOneSchedulePendingCall) {
  for (std::uint64_t seed = 50; seed < 54; ++seed) {
    const auto objects = podium::testing::random_cluster_objects(seed, {.nodes = 80, .pending_pods = 600});
    auto whole = state::build_cluster_state(objects);
    const auto profile_a = framework::build_profile(framework::default_profile_spec(), whole);
    const auto expected = scheduler::schedule_pending(whole, {&profile_a, 1}, {seed, 1, true});

    auto cut = state::build_cluster_state(objects);
    const auto profile_b = framework::build_profile(framework::default_profile_spec(), cut);
    const auto queue = cut.pending_in_queue_order();
    std::vector<scheduler::Placement> got;
    for (std::size_t pos = 0; pos < queue.size(); pos += 37) {
      const auto chunk = std::span(queue).subspan(pos, std::min<std::size_t>(37, queue.size() - pos));
      auto r = scheduler::schedule_queue(cut, {&profile_b, 1}, chunk, {seed, 1, true, pos});
      for (auto& p : r.placements) got.push_back(std::move(p));
    }
    ASSERT_EQ(got.size(), expected.placements.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].pod, expected.placements[i].pod) << seed << " " << i;
      EXPECT_EQ(got[i].node, expected.placements[i].node) << seed << " " << i;
    }
  }
}

TEST(ScheduleQueue, PodsOutsideTheQueueStayPending) {
  const auto objects = podium::testing::random_cluster_objects(7, {.nodes = 30, .pending_pods = 100});
  auto cluster = state::build_cluster_state(objects);
  const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
  const auto pending = cluster.pending_in_queue_order();
  const auto first_half = std::span(pending).first(pending.size() / 2);
  const auto r = scheduler::schedule_queue(cluster, {&profile, 1}, first_half, {7, 1, true, 0});
  EXPECT_EQ(r.placements.size(), first_half.size());
  for (std::size_t i = pending.size() / 2; i < pending.size(); ++i)
    EXPECT_EQ(cluster.pods[pending[i]].bound_node, state::kNoNode);
  EXPECT_EQ(cluster.pending_in_queue_order().size(),
            pending.size() - static_cast<std::size_t>(std::count_if(r.placements.begin(), r.placements.end(),
                                                                     [](const auto& p) { return p.node != state::kNoNode; })));
}

}  // namespace
