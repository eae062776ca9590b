// Eviction entries (preemption): a victim's entry takes it off its node at that point of
// the replay, so a later pod may use the room; evicting a pod that is not running, or an
// eviction entry that also names a node, is a fault of the list.
#include <gtest/gtest.h>

#include "../../support/cluster_fixture.hpp"
#include "podium/common/input_error.hpp"
#include "podium/verify/verify.hpp"

namespace podium::verify {
namespace {

using podium::testing::bound;
using podium::testing::node;
using podium::testing::pod;

io::ClusterObjects objects() {
  io::ClusterObjects o;
  o.nodes = {node("n1", "2", "4Gi")};
  auto a = bound(pod("a", "2", "1Gi"), "n1");
  a.namespace_ = "d";
  auto hi = pod("hi", "2", "1Gi");
  hi.namespace_ = "d";
  o.pods = {a, hi};
  return o;
}

TEST(VerifyEvictions, AnEvictionFreesTheVictimsRoomFromThatPointOn) {
  const auto list = parse_placements(
      R"({"placements":[{"pod":"d/a","node":null,"evicted_by":"d/hi"},
                        {"pod":"d/hi","node":"n1","nominated":true,"victims":["d/a"]}]})",
      "p.json");
  ASSERT_TRUE(list.entries[0].evicted_by.has_value());
  const auto report = verify_placements(objects(), list);
  EXPECT_TRUE(report.ok()) << (report.errors.empty() ? "" : report.errors[0]);
  EXPECT_EQ(report.evicted, 1U);
  EXPECT_EQ(report.checked, 1U);
  EXPECT_EQ(report.unplaced, 0U);
}

TEST(VerifyEvictions, WithoutTheEvictionThePreemptorDoesNotFit) {
  const auto report = verify_placements(objects(), parse_placements(R"([{"pod":"d/hi","node":"n1"}])", "p.json"));
  ASSERT_EQ(report.violations.size(), 1U);
  EXPECT_EQ(report.violations[0].rule, "NodeResourcesFit");
}

TEST(VerifyEvictions, EvictingAPodThatIsNotRunningIsAListError) {
  const auto report = verify_placements(
      objects(), parse_placements(R"([{"pod":"d/hi","node":null,"evicted_by":"d/a"}])", "p.json"));
  ASSERT_EQ(report.errors.size(), 1U);
  EXPECT_NE(report.errors[0].find("p.json: [0].pod: pod d/hi is evicted but is not running"), std::string::npos)
      << report.errors[0];
  const auto unknown = verify_placements(
      objects(), parse_placements(R"([{"pod":"d/a","node":null,"evicted_by":"d/nobody"}])", "p.json"));
  ASSERT_EQ(unknown.errors.size(), 1U);
  EXPECT_NE(unknown.errors[0].find("[0].evicted_by: no pod d/nobody"), std::string::npos) << unknown.errors[0];
}

TEST(VerifyEvictions, ADeletionEntryFreesThePodsRoomLikeAnEviction) {
  const auto list = parse_placements(R"([{"pod":"d/a","node":null,"deleted":true},{"pod":"d/hi","node":"n1"}])", "p.json");
  ASSERT_TRUE(list.entries[0].deleted);
  const auto report = verify_placements(objects(), list);
  EXPECT_TRUE(report.ok()) << (report.errors.empty() ? "" : report.errors[0]);
  EXPECT_EQ(report.deleted, 1U);
  EXPECT_EQ(report.evicted, 0U);
  EXPECT_EQ(report.checked, 1U);
  const auto twice = verify_placements(
      objects(), parse_placements(R"([{"pod":"d/a","node":null,"deleted":true},{"pod":"d/a","node":null,"deleted":true}])", "p.json"));
  ASSERT_EQ(twice.errors.size(), 1U);
  EXPECT_NE(twice.errors[0].find("[1].pod: pod d/a is deleted but is not running"), std::string::npos) << twice.errors[0];
}

TEST(VerifyEvictions, ADeletionEntryWithANodeOrAnEvictorOrNotABoolIsRejectedByTheReader) {
  for (const char* text : {R"([{"pod":"d/a","node":"n1","deleted":true}])",
                           R"([{"pod":"d/a","node":null,"deleted":true,"evicted_by":"d/hi"}])",
                           R"([{"pod":"d/a","node":null,"deleted":"yes"}])"}) {
    EXPECT_THROW(parse_placements(text, "p.json"), InputError) << text;
  }
}

TEST(VerifyEvictions, AnEvictionEntryWithANodeIsRejectedByTheReader) {
  try {
    (void)parse_placements(R"([{"pod":"d/a","node":"n1","evicted_by":"d/hi"}])", "p.json");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("p.json: [0].node: an eviction entry", 0), 0U) << e.what();
  }
}

}  // namespace
}  // namespace podium::verify
