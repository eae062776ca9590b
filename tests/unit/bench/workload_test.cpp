#include "harness/workload.hpp"

#include <gtest/gtest.h>

#include <string>

#include "podium/common/input_error.hpp"

namespace podium::bench {
namespace {

const std::string kDataDir = std::string(PODIUM_SOURCE_DIR) + "/tests/data/bench";

// A valid one-workload file whose op list and params can be swapped per test.
std::string workload_file(const std::string& ops, const std::string& params = "{nodes: 10, pods: 5}",
                          const std::string& expect = "{unschedulable: 0}") {
  return "- name: Case\n"
         "  workloadTemplate:\n"
         "  - opcode: createNodes\n"
         "    countParam: $nodes\n" +
         ops +
         "  workloads:\n"
         "  - name: Small\n"
         "    labels: [short]\n"
         "    params: " + params + "\n"
         "    expect: " + expect + "\n";
}

const std::string kMeasured = "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n";

// Parses `text` expecting an InputError; returns it.
InputError parse_error(const std::string& text) {
  try {
    parse_workload_text(text, "w.yaml", kDataDir);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return InputError("", "", "");
}

TEST(WorkloadFile, ExpandsParametersIntoOperations) {
  const auto workloads = parse_workload_text(workload_file(kMeasured), "w.yaml", kDataDir);
  ASSERT_EQ(workloads.size(), 1u);
  const Workload& w = workloads[0];
  EXPECT_EQ(w.full_name(), "Case/Small");
  ASSERT_EQ(w.ops.size(), 2u);
  EXPECT_EQ(w.ops[0].code, OpCode::kCreateNodes);
  EXPECT_EQ(*w.ops[0].count, 10);
  EXPECT_EQ(*w.ops[1].count, 5);
  EXPECT_TRUE(w.ops[1].collect_metrics);
  // The default pod template: 100m / 500Mi, as scheduler_perf's pod-default.yaml.
  ASSERT_EQ(w.ops[1].pod_template.containers.size(), 1u);
  EXPECT_EQ(w.ops[1].pod_template.containers[0].requests.size(), 2u);
  EXPECT_EQ(w.ops[1].namespace_, "namespace-1");
  EXPECT_EQ(w.labels, std::vector<std::string>{"short"});
}

TEST(WorkloadFile, DistinctShapesNeedCpuAndMemoryInTheTemplate) {
  const auto w = parse_workload_text(
      workload_file("  - opcode: createPods\n    countParam: $pods\n    shapes: distinct\n    collectMetrics: true\n"),
      "w.yaml", kDataDir);
  EXPECT_TRUE(w[0].ops[1].distinct_requests);
  const auto bad = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    shapes: distinct\n    collectMetrics: true\n"
      "    podTemplate: {spec: {containers: [{name: c, resources: {requests: {cpu: 1}}}]}}\n"));
  EXPECT_EQ(bad.location(), "[0].workloadTemplate[1].shapes");
  EXPECT_NE(bad.message().find("must have both"), std::string::npos) << bad.what();
  const auto typo = parse_error(
      workload_file("  - opcode: createPods\n    countParam: $pods\n    shapes: distinkt\n    collectMetrics: true\n"));
  EXPECT_EQ(typo.location(), "[0].workloadTemplate[1].shapes");
}

const std::string kTwoTemplates =
    "  - opcode: createPods\n"
    "    countParam: $pods\n"
    "    collectMetrics: true\n"
    "    podTemplates:\n"
    "    - weight: 3\n"
    "      podTemplate: {spec: {containers: [{name: a, resources: {requests: {cpu: 500m}}}]}}\n"
    "    - podTemplate: {spec: {containers: [{name: b, resources: {requests: {cpu: \"0.25\"}}}]}}\n";

TEST(WorkloadFile, PodTemplatesListTemplatesWithWeights) {
  const Workload w = parse_workload_text(workload_file(kTwoTemplates), "w.yaml", kDataDir)[0];
  const Op& op = w.ops[1];
  ASSERT_EQ(op.pod_templates.size(), 2u);
  EXPECT_EQ(op.pod_template_weights, (std::vector<std::int64_t>{3, 1}));  // weight defaults to 1
  EXPECT_EQ(op.pod_templates[0].containers[0].name, "a");
  EXPECT_EQ(op.pod_templates[1].containers[0].name, "b");
}

TEST(WorkloadFile, PodTemplatesAndPodTemplateTogetherAreRefused) {
  const auto e = parse_error(workload_file(kTwoTemplates + "    podTemplate: {spec: {containers: [{name: c}]}}\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplate");
  EXPECT_NE(std::string(e.what()).find("not both"), std::string::npos) << e.what();
}

TEST(WorkloadFile, PodTemplatesNeedAPositiveWeightAndATemplate) {
  auto e = parse_error(workload_file(kMeasured + "    podTemplates:\n    - weight: 0\n      podTemplate: {}\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplates[0].weight");
  e = parse_error(workload_file(kMeasured + "    podTemplates:\n    - weight: 2\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplates[0]");
  e = parse_error(workload_file(kMeasured + "    podTemplates: []\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplates");
}

TEST(WorkloadFile, BadFieldInAListedTemplateNamesItsPath) {
  const auto e = parse_error(workload_file(
      kMeasured + "    podTemplates:\n    - podTemplate: {spec: {containers: [{name: a, resources: {requests: {cpu: lots}}}]}}\n"));
  EXPECT_NE(e.location().find("[0].workloadTemplate[1].podTemplates[0].podTemplate.spec.containers[0]"), std::string::npos)
      << e.location();
}

TEST(WeightedTemplates, InterleaveInProportionToTheirWeights) {
  // Smooth weighted round-robin: weights 5, 1, 1 give a a b a c a a per 7 pods, never
  // a block of one template longer than its share requires.
  const std::vector<std::int64_t> weights{5, 1, 1};
  std::vector<std::int64_t> credit(3, 0);
  std::string order;
  for (int k = 0; k < 14; ++k) order.push_back(static_cast<char>('a' + next_weighted_template(weights, credit)));
  EXPECT_EQ(order, "aabacaaaabacaa");
  std::vector<std::int64_t> many{400, 37, 5, 1};
  std::vector<std::int64_t> c(4, 0);
  std::vector<int> counts(4, 0);
  for (int k = 0; k < 443 * 3; ++k) ++counts[next_weighted_template(many, c)];
  EXPECT_EQ(counts, (std::vector<int>{1200, 111, 15, 3}));
}

TEST(WorkloadFile, UnknownOpcodeNamesTheKey) {
  const auto e = parse_error(workload_file("  - opcode: createPod\n    count: 1\n" + kMeasured));
  EXPECT_EQ(e.file(), "w.yaml");
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].opcode");
  EXPECT_NE(e.message().find("unknown opcode \"createPod\""), std::string::npos) << e.what();
}

TEST(WorkloadFile, UndefinedParameterNamesTheKeyAndTheWorkload) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    countParam: $missing\n    collectMetrics: true\n",
                                           "{nodes: 10}"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].countParam");
  EXPECT_NE(e.message().find("$missing is not defined in workloads[0] (Small)"), std::string::npos) << e.what();
}

TEST(WorkloadFile, MissingCountIsAnError) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    collectMetrics: true\n", "{nodes: 10}"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1]");
  EXPECT_NE(e.message().find("missing required key count"), std::string::npos) << e.what();
}

TEST(WorkloadFile, UnusedParameterIsAnError) {
  const auto e = parse_error(workload_file(kMeasured, "{nodes: 10, pods: 5, typo: 3}"));
  EXPECT_EQ(e.location(), "[0].workloads[0].params.typo");
}

TEST(WorkloadFile, UnknownKeyInAnOperationIsAnError) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    countParam: $pods\n    collectMetric: true\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].collectMetric");
}

TEST(WorkloadFile, EveryWorkloadMustStateItsAnswer) {
  std::string text = workload_file(kMeasured);
  text = text.substr(0, text.find("    expect:"));
  const auto e = parse_error(text);
  EXPECT_EQ(e.location(), "[0].workloads[0]");
  EXPECT_NE(e.message().find("missing required key expect"), std::string::npos);
}

TEST(WorkloadFile, ExpectMayUseAParameter) {
  const auto w = parse_workload_text(workload_file(kMeasured, "{nodes: 10, pods: 5, big: 3}", "{unschedulable: $big}"),
                                     "w.yaml", kDataDir);
  EXPECT_EQ(w[0].expected_unschedulable, 3);
}

TEST(WorkloadFile, BadInlineTemplateNamesTheFieldInTheWorkloadFile) {
  const auto e = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n    podTemplate:\n"
      "      spec:\n        containers:\n        - {name: c, resources: {requests: {cpu: 1x}}}\n"));
  EXPECT_EQ(e.file(), "w.yaml");
  EXPECT_EQ(e.location().rfind("[0].workloadTemplate[1].podTemplate.spec.containers[0]", 0), 0u) << e.what();
}

TEST(WorkloadFile, BadTemplateFileNamesThatFileAndWhereItIsUsed) {
  const auto e = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n    podTemplatePath: bad_quantity_pod.yaml\n"));
  EXPECT_NE(e.file().find("bad_quantity_pod.yaml"), std::string::npos) << e.what();
  EXPECT_NE(e.location().find("cpu"), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("[0].workloadTemplate[1].podTemplatePath"), std::string::npos) << e.what();
}

TEST(WorkloadFile, MissingTemplateFileIsAnError) {
  const auto e = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n    podTemplatePath: nope.yaml\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplatePath");
}

TEST(WorkloadFile, TemplateOfTheWrongKindIsAnError) {
  const auto e = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n    podTemplate: {kind: Node}\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].podTemplate");
}

TEST(WorkloadFile, AWorkloadWithoutMeasuredPodsIsAnError) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    countParam: $pods\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate");
}

TEST(WorkloadFile, ChurnNeedsADecisionInterval) {
  const auto e = parse_error(workload_file(
      "  - opcode: churn\n    mode: recreate\n    number: 2\n    intervalMilliseconds: 10\n" + kMeasured));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].intervalMilliseconds");
}

TEST(WorkloadFile, UnknownKeySuggestsTheNearestAndNamesTheLine) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    countParam: $pods\n    collectMetric: true\n"));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].collectMetric");
  EXPECT_NE(e.message().find("unknown field; did you mean \"collectMetrics\"?"), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("(allowed here: opcode, count, countParam,"), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("(line 7)"), std::string::npos) << e.what();
}

TEST(WorkloadFile, RepeatedKeyIsRefused) {
  const auto e = parse_error(workload_file("  - opcode: createPods\n    count: 1\n    count: 2\n" + kMeasured));
  EXPECT_EQ(e.location(), "[0].workloadTemplate[1].count");
  EXPECT_NE(e.message().find("duplicate field"), std::string::npos) << e.what();
}

TEST(WorkloadFile, BooleansAreYaml11Words) {
  const auto workloads = parse_workload_text(
      workload_file("  - opcode: createPods\n    countParam: $pods\n    collectMetrics: yes\n"), "w.yaml", kDataDir);
  EXPECT_TRUE(workloads.at(0).ops.at(1).collect_metrics);
  const auto e = parse_error(workload_file("  - opcode: createPods\n    countParam: $pods\n    collectMetrics: maybe\n"));
  EXPECT_NE(e.message().find("expected true or false, got \"maybe\""), std::string::npos) << e.what();
}

TEST(WorkloadFile, InvalidYamlReportsTheLine) {
  const auto e = parse_error("- name: [unclosed\n");
  EXPECT_EQ(e.location().rfind("line ", 0), 0u);
}

TEST(WorkloadFile, InvalidUtf8InAStringNamesTheLine) {
  std::string text = workload_file(kMeasured);
  text.replace(text.find("Small"), 5, "Sm\xff" "all");
  const auto e = parse_error(text);
  EXPECT_EQ(e.file(), "w.yaml");
  EXPECT_EQ(e.location(), "line 9") << e.what();
  EXPECT_NE(e.message().find("invalid UTF-8"), std::string::npos) << e.what();
}

TEST(WorkloadFile, InvalidUtf8InATemplateFileNamesThatFileAndLine) {
  const auto e = parse_error(workload_file(
      "  - opcode: createPods\n    countParam: $pods\n    collectMetrics: true\n    podTemplatePath: invalid_utf8_pod.yaml\n"));
  EXPECT_NE(e.file().find("invalid_utf8_pod.yaml"), std::string::npos) << e.what();
  EXPECT_EQ(e.location(), "line 5") << e.what();
  EXPECT_NE(e.message().find("invalid UTF-8"), std::string::npos) << e.what();
}

TEST(WorkloadFile, AliasesThatExpandPastTheLimitAreRefused) {
  // Ten levels of ten aliases each: 10^10 nodes once expanded, a few hundred bytes of text.
  std::string text = "- name: Case\n  labels: *a9\n";
  std::string anchors = "- a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string below = "*a" + std::to_string(level - 1);
    anchors += "  a" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + below;
    for (int k = 1; k < 10; ++k) anchors += ", " + below;
    anchors += "]\n";
  }
  const auto e = parse_error(anchors + text);
  EXPECT_EQ(e.file(), "w.yaml");
  EXPECT_NE(e.message().find("YAML aliases expand to more than"), std::string::npos) << e.what();
}

TEST(WorkloadFile, ASecondDocumentIsRefusedNotIgnored) {
  const auto e = parse_error(workload_file(kMeasured) + "---\n- name: Ignored\n");
  EXPECT_EQ(e.file(), "w.yaml");
  EXPECT_EQ(e.location(), "line 14") << e.what();
  EXPECT_NE(e.message().find("found 2"), std::string::npos) << e.what();
}

TEST(WorkloadFile, AStrayCommaAfterTheDocumentIsRefused) {
  const auto e = parse_error(workload_file(kMeasured) + "...\n,\n");
  EXPECT_EQ(e.location(), "line 14") << e.what();
  EXPECT_NE(e.message().find("invalid YAML"), std::string::npos) << e.what();
}

TEST(WorkloadFile, LoadsFromDiskWithTheFileName) {
  try {
    load_workload_file(kDataDir + "/unknown_op.yaml");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), kDataDir + "/unknown_op.yaml");
    EXPECT_EQ(e.location(), "[0].workloadTemplate[1].opcode");
  }
}

TEST(LabelFilter, FollowsSchedulerPerfRules) {
  const std::vector<std::string> labels{"performance", "short"};
  EXPECT_TRUE(labels_match(labels, ""));
  EXPECT_TRUE(labels_match(labels, "short"));
  EXPECT_TRUE(labels_match(labels, "performance,short"));
  EXPECT_FALSE(labels_match(labels, "short,-performance"));
  EXPECT_FALSE(labels_match(labels, "integration-test"));
  EXPECT_TRUE(labels_match(labels, "-large"));
}

}  // namespace
}  // namespace podium::bench
