#include "scheduler/spin_partner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace podium::scheduler {
namespace {

// Each job reads what the owner wrote before post() and writes what the owner reads after
// wait(): plain (non-atomic) data, so ThreadSanitizer checks the hand-off's ordering.
TEST(SpinPartner, JobsSeeTheOwnersWritesAndTheOwnerSeesTheJobs) {
  SpinPartner partner;
  std::vector<int> input(64), output(64);
  long long expected = 0, seen = 0;
  for (int round = 0; round < 20000; ++round) {
    for (int i = 0; i < 64; ++i) input[i] = round * 64 + i;
    auto job = [&] {
      for (int i = 0; i < 64; ++i) output[i] = input[i] * 2;
    };
    partner.post(job);
    ASSERT_TRUE(partner.in_flight());
    partner.wait();
    ASSERT_FALSE(partner.in_flight());
    for (int i = 0; i < 64; ++i) {
      seen += output[i];
      expected += 2LL * (round * 64 + i);
    }
  }
  EXPECT_EQ(seen, expected);
}

TEST(SpinPartner, OwnerWorkOverlapsTheJob) {
  SpinPartner partner;
  int partner_sum = 0, owner_sum = 0;
  for (int round = 0; round < 1000; ++round) {
    auto job = [&] {
      for (int i = 0; i < 100; ++i) partner_sum += i;
    };
    partner.post(job);
    for (int i = 0; i < 100; ++i) owner_sum += i;  // the owner's own work meanwhile
    partner.wait();
  }
  EXPECT_EQ(partner_sum, 1000 * 4950);
  EXPECT_EQ(owner_sum, 1000 * 4950);
}

// After a pause the partner sleeps on its futex: a post must still wake it.
TEST(SpinPartner, AWokenPartnerRunsTheNextJob) {
  SpinPartner partner;
  int runs = 0;
  auto job = [&] { ++runs; };
  for (int round = 0; round < 5; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    partner.post(job);
    partner.wait();
  }
  EXPECT_EQ(runs, 5);
}

TEST(SpinPartner, WaitRethrowsAJobsExceptionAndThePartnerKeepsWorking) {
  SpinPartner partner;
  auto failing = [] { throw std::runtime_error("job failed"); };
  partner.post(failing);
  EXPECT_THROW(partner.wait(), std::runtime_error);
  int runs = 0;
  auto job = [&] { ++runs; };
  partner.post(job);
  partner.wait();
  EXPECT_EQ(runs, 1);
}

TEST(SpinPartner, WaitWithoutAJobReturnsAndDestructionWaitsForAJobInFlight) {
  int runs = 0;
  auto job = [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ++runs;
  };
  {
    SpinPartner partner;
    partner.wait();
    partner.post(job);
  }  // the destructor waits for the job before joining
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace podium::scheduler
