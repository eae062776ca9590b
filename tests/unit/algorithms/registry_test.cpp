// The algorithm registry and `--algorithm` specs: names, knobs, and the errors users see.

#include <gtest/gtest.h>

#include "podium/algorithms/algorithm.hpp"

namespace {

using namespace podium::algorithms;

TEST(AlgorithmRegistry, ListsTheBuiltInsInOrder) {
  EXPECT_EQ(AlgorithmRegistry::global().names(),
            (std::vector<std::string>{"default", "kube-sampled", "first-fit", "best-fit", "worst-fit", "random",
                                      "power-of-k", "tetris", "flow", "fgd", "dot-product", "gpu-packing",
                                      "gpu-clustering"}));
}

TEST(AlgorithmRegistry, RefusesADuplicateName) {
  AlgorithmRegistry r;
  AlgorithmDescriptor d{"mine", "idea", "here", {}, nullptr, [](const KnobValues&) { return Algorithm{}; }};
  r.add(d);
  EXPECT_THROW(r.add(d), std::invalid_argument);
}

TEST(AlgorithmSpec, ParsesNameAndKnobs) {
  const auto spec = parse_algorithm_spec("power-of-k:k=3");
  EXPECT_EQ(spec.name, "power-of-k");
  EXPECT_EQ(spec.knobs.at("k"), "3");
  EXPECT_TRUE(parse_algorithm_spec("best-fit").knobs.empty());
}

TEST(AlgorithmSpec, RejectsMalformedKnobs) {
  EXPECT_THROW(parse_algorithm_spec("power-of-k:k"), std::invalid_argument);
  EXPECT_THROW(parse_algorithm_spec("power-of-k:=3"), std::invalid_argument);
  EXPECT_THROW(parse_algorithm_spec("power-of-k:k=1:k=2"), std::invalid_argument);
  EXPECT_THROW(parse_algorithm_spec(":k=1"), std::invalid_argument);
}

TEST(MakeAlgorithm, AnUnknownNameListsTheKnownOnes) {
  try {
    (void)make_algorithm({"bestfit", {}});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown algorithm \"bestfit\" (known: default, kube-sampled, first-fit"),
              std::string::npos)
        << e.what();
  }
}

TEST(MakeAlgorithm, AnUnknownKnobOrBadValueNamesIt) {
  EXPECT_THROW((void)make_algorithm({"best-fit", {{"k", "2"}}}), std::invalid_argument);
  for (const char* bad : {"0", "-1", "two", "2x", ""}) {
    try {
      (void)make_algorithm({"power-of-k", {{"k", bad}}});
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("knob k="), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(make_algorithm({"power-of-k", {{"k", "5"}}}).chooser != nullptr);
}

TEST(MakeAlgorithm, DefaultAndKubeSampledAreKubesOwnChoice) {
  EXPECT_TRUE(make_algorithm({"default", {}}).is_default());
  EXPECT_TRUE(make_algorithm({"kube-sampled", {}}).is_default());
  podium::framework::ProfileSpec spec;
  AlgorithmRegistry::global().find("kube-sampled")->adjust_profile(spec);
  EXPECT_EQ(spec.percentage_of_nodes_to_score, 0);  // upstream's adaptive percentage
}

}  // namespace
