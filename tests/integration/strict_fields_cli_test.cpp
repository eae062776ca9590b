// Unknown fields end to end (kubectl --validate=strict): every command that reads
// Kubernetes objects refuses a typo with exit 2, the file, the path and the line, and
// writes nothing; with --lenient it warns on stderr (bounded) and places pods exactly as if
// the misspelt field were absent.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/run_podium.hpp"

namespace {

namespace fs = std::filesystem;
using podium::testing::run_podium;

// Node a is roomier, so a pod with no nodeSelector goes there; nodeSelector zone=b sends it to b.
std::string cluster(const std::string& pod_spec_extra) {
  return "apiVersion: v1\nkind: List\nitems:\n"
         "- {apiVersion: v1, kind: Node, metadata: {name: a, labels: {zone: a}},\n"
         "   status: {allocatable: {cpu: '4', memory: 8Gi, pods: '10'}}}\n"
         "- {apiVersion: v1, kind: Node, metadata: {name: b, labels: {zone: b}},\n"
         "   status: {allocatable: {cpu: '2', memory: 4Gi, pods: '10'}}}\n"
         "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web, namespace: default}\n  spec:\n" +
         pod_spec_extra +
         "    containers:\n    - name: c\n      resources: {requests: {cpu: '1'}}\n";
}

class StrictFieldsCli : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("podium_strict_cli_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  static nlohmann::json placements(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in)["placements"];
  }
};

TEST_F(StrictFieldsCli, ScheduleRefusesATypoWithFilePathAndLineAndWritesNothing) {
  const std::string typo = write("typo.yaml", cluster("    nodeSelecter: {zone: b}\n"));
  const std::string out = (dir_ / "out.json").string();
  auto r = run_podium("schedule --cluster " + typo + " --output " + out);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("podium: error: " + typo +
                       ": items[2].spec.nodeSelecter: strict decoding error: unknown field \"spec.nodeSelecter\" (line 12)"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(out));
  // Standard input is checked the same way.
  r = run_podium("schedule --cluster - --output " + out + " < " + typo);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("<stdin>: items[2].spec.nodeSelecter: strict decoding error"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(StrictFieldsCli, LenientWarnsAndPlacesAsIfTheFieldWereAbsent) {
  const std::string typo = write("typo.yaml", cluster("    nodeSelecter: {zone: b}\n"));
  const std::string absent = write("absent.yaml", cluster(""));
  const std::string spelt = write("spelt.yaml", cluster("    nodeSelector: {zone: b}\n"));
  for (const std::string* f : {&typo, &absent, &spelt}) {
    const auto r = run_podium("schedule --lenient --cluster " + *f + " --output " + *f + ".out");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const bool warned = r.out.find("podium: warning: ") != std::string::npos;
    EXPECT_EQ(warned, f == &typo) << r.out;
  }
  const auto r = run_podium("schedule --lenient --cluster " + typo + " --output " + typo + ".out");
  EXPECT_EQ(r.out, "podium: warning: " + typo + ": items[2].spec.nodeSelecter: unknown field \"spec.nodeSelecter\" (line 12)\n");
  EXPECT_EQ(placements(typo + ".out"), placements(absent + ".out"));
  EXPECT_EQ(placements(absent + ".out")[0]["node"], "a");
  EXPECT_EQ(placements(spelt + ".out")[0]["node"], "b");  // the field the typo meant does change the answer
  for (const std::string* f : {&absent, &spelt}) {  // podium verify agrees with every answer
    const auto v = run_podium("verify --cluster " + *f + " --placements " + *f + ".out");
    EXPECT_EQ(v.exit_code, 0) << v.out;
  }
}

TEST_F(StrictFieldsCli, WarningsAreBoundedWithACount) {
  std::string text = cluster("");
  for (int i = 0; i < 25; ++i)
    text += "- {kind: Pod, metadata: {name: p" + std::to_string(i) + "}, spec: {containers: [{name: c, imag: x}]}}\n";
  const std::string f = write("many.yaml", text);
  const auto r = run_podium("schedule --lenient --cluster " + f + " --output " + f + ".out");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = r.out.find("podium: warning: ", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 21u) << r.out;
  EXPECT_NE(r.out.find("podium: warning: ... and 5 more unknown fields\n"), std::string::npos) << r.out;
}

TEST_F(StrictFieldsCli, EveryCommandThatReadsObjectsIsStrictUnlessLenient) {
  const std::string typo = write("typo.yaml", cluster("    tolerations: [{key: k, efect: NoSchedule}]\n"));
  const std::string clean = write("clean.yaml", cluster(""));
  const std::string pod = write("pod.yaml", "kind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, resorces: {}}]\n");
  const std::string node = write("node.yaml", "kind: Node\nmetadata: {name: t}\nstatus: {allocatable: {cpu: '4', pods: '9'}}\n");
  const std::string node_typo = write("node_typo.yaml", "kind: Node\nmetadata: {name: t}\nspec: {taint: []}\n"
                                                        "status: {allocatable: {cpu: '4', pods: '9'}}\n");
  const std::string pod_ok = write("pod_ok.yaml", "kind: Pod\nmetadata: {name: y}\nspec: {containers: [{name: c}]}\n");
  const std::string placed = (dir_ / "placed.json").string();
  ASSERT_EQ(run_podium("schedule --cluster " + clean + " --output " + placed).exit_code, 0);
  const std::string commands[] = {
      "score --cluster " + clean + " --pod " + pod,
      "verify --cluster " + typo + " --placements " + placed,
      "plan --cluster " + clean + " --pods " + pod + " --node-template " + node,
      "plan --pods " + pod_ok + " --node-template " + node_typo,
      "schedule --cluster " + clean + " --pods " + pod + " --output " + (dir_ / "x.json").string(),
  };
  for (const std::string& args : commands) {
    SCOPED_TRACE(args);
    const auto strict = run_podium(args);
    EXPECT_EQ(strict.exit_code, 2) << strict.out;
    EXPECT_NE(strict.out.find("strict decoding error: unknown field"), std::string::npos) << strict.out;
    const auto lenient = run_podium(args + " --lenient");
    EXPECT_NE(lenient.exit_code, 2) << lenient.out;
    EXPECT_NE(lenient.out.find("podium: warning: "), std::string::npos) << lenient.out;
  }
}

}  // namespace
