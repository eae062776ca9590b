// The placement list reader: schedule's output, bare arrays, and bad input located by
// file and JSON path.
#include <gtest/gtest.h>

#include "podium/common/input_error.hpp"
#include "podium/verify/verify.hpp"

namespace podium::verify {
namespace {

TEST(PlacementsFile, ReadsScheduleOutputWithNullForUnplacedPods) {
  const auto p = parse_placements(
      R"({"placements":[{"pod":"d/a","node":"n1"},{"pod":"d/b","node":null,"reason":"0/1 nodes"}],"metrics":{}})", "p.json");
  ASSERT_EQ(p.entries.size(), 2U);
  EXPECT_EQ(p.entries[0].pod, "d/a");
  EXPECT_EQ(p.entries[0].node, "n1");
  EXPECT_FALSE(p.entries[1].node.has_value());
  EXPECT_EQ(p.entries[1].path, "placements[1]");
}

TEST(PlacementsFile, ReadsABareArrayOfEntries) {
  const auto p = parse_placements(R"([{"pod":"d/a","node":"n1"}])", "p.json");
  ASSERT_EQ(p.entries.size(), 1U);
  EXPECT_EQ(p.entries[0].path, "[0]");
}

struct BadCase {
  const char* name;
  const char* text;
  const char* message;
};

TEST(PlacementsFile, NamesTheFileAndTheJsonPathOfBadInput) {
  const BadCase cases[] = {
      {"malformed JSON", R"({"placements":[)", "p.json: invalid JSON"},
      {"no placements key", R"({"metrics":{}})", "p.json: placements: missing"},
      {"placements not an array", R"({"placements":3})", "p.json: placements: want an array"},
      {"entry not an object", R"({"placements":[1]})", "p.json: placements[0]: want an object"},
      {"pod missing", R"({"placements":[{"node":"n1"}]})", "p.json: placements[0].pod: missing"},
      {"pod without namespace", R"([{"pod":"a","node":"n1"}])", "p.json: [0].pod: want namespace/name"},
      {"node a number", R"({"placements":[{"pod":"d/a","node":"n"},{"pod":"d/b","node":7}]})",
       "p.json: placements[1].node: want a string or null"},
      {"node missing", R"([{"pod":"d/a"}])", "p.json: [0].node: missing"},
  };
  for (const auto& c : cases) {
    try {
      (void)parse_placements(c.text, "p.json");
      ADD_FAILURE() << c.name << ": no error";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(c.message, 0), 0U) << c.name << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace podium::verify
