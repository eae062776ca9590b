// `podium generate`'s scheduling constraints (datasets/generator/constraints.hpp): each on
// exactly the requested share of nodes, pods or app groups, deterministic for a seed,
// leaving the base cluster alone, and written as JSON that Podium's loader reads back.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include "generator/synthetic_cluster.hpp"
#include "podium/io/cluster_loader.hpp"

namespace {

using namespace podium;
using datasets::ConstraintOptions;
using datasets::GeneratorOptions;

GeneratorOptions sized(ConstraintOptions constraints, std::uint64_t seed = 7) {
  GeneratorOptions o;
  o.nodes = 1000;
  o.pods = 2000;  // 100 app groups of 20 pods
  o.seed = seed;
  o.constraints = std::move(constraints);
  return o;
}

std::string label(const io::StringMap& labels, const std::string& key) {
  for (const auto& [k, v] : labels)
    if (k == key) return v;
  return "<absent>";
}

std::string json(const io::ClusterObjects& objects) {
  std::ostringstream out;
  datasets::write_kube_list_json(objects, out);
  return out.str();
}

TEST(GeneratorConstraints, NodesCarryHostnameAndZoneLabels) {
  const auto objects = datasets::generate_cluster(sized({}));
  std::set<std::string> zones;
  for (const auto& n : objects.nodes) {
    EXPECT_EQ(label(n.labels, "kubernetes.io/hostname"), n.name);
    zones.insert(label(n.labels, "topology.kubernetes.io/zone"));
  }
  EXPECT_EQ(zones, (std::set<std::string>{"region-1a", "region-1b", "region-1c"}));
}

TEST(GeneratorConstraints, NoneByDefault) {
  const auto objects = datasets::generate_cluster(sized({}));
  for (const auto& n : objects.nodes) EXPECT_TRUE(n.taints.empty());
  for (const auto& p : objects.pods) {
    EXPECT_TRUE(p.tolerations.empty());
    EXPECT_TRUE(p.node_selector.empty());
    EXPECT_FALSE(p.affinity.has_value());
    EXPECT_TRUE(p.topology_spread_constraints.empty());
  }
}

TEST(GeneratorConstraints, TaintsAndTolerationsOnTheRequestedShares) {
  ConstraintOptions c;
  c.taint_nodes = 0.25;
  c.taint_effect = "PreferNoSchedule";
  c.tolerate_pods = 0.1;
  const auto objects = datasets::generate_cluster(sized(c));
  std::size_t tainted = 0, tolerating = 0;
  for (const auto& n : objects.nodes) {
    if (n.taints.empty()) continue;
    ++tainted;
    ASSERT_EQ(n.taints.size(), 1U);
    EXPECT_EQ(n.taints[0].key, "dedicated");
    EXPECT_EQ(n.taints[0].value, "special");
    EXPECT_EQ(n.taints[0].effect, "PreferNoSchedule");
  }
  for (const auto& p : objects.pods) {
    if (p.tolerations.empty()) continue;
    ++tolerating;
    EXPECT_EQ(p.tolerations[0].key, "dedicated");
    EXPECT_EQ(p.tolerations[0].op, "Equal");
    EXPECT_EQ(p.tolerations[0].effect, "PreferNoSchedule");
  }
  EXPECT_EQ(tainted, 250U);
  EXPECT_EQ(tolerating, 200U);
}

struct NodeAffinityCase {
  const char* kind;
  std::size_t required, preferred, selector;  // pods asking each way
};

class GeneratorNodeAffinity : public ::testing::TestWithParam<NodeAffinityCase> {};

TEST_P(GeneratorNodeAffinity, LabelsNodesAndPointsTheRequestedShareOfPodsAtThem) {
  ConstraintOptions c;
  c.label_nodes = 0.3;
  c.node_affinity_pods = 0.2;
  c.node_affinity = GetParam().kind;
  const auto objects = datasets::generate_cluster(sized(c));
  std::size_t labeled = 0, required = 0, preferred = 0, selector = 0;
  for (const auto& n : objects.nodes) labeled += label(n.labels, "podium.io/pool") == "special" ? 1 : 0;
  for (const auto& p : objects.pods) {
    selector += label(p.node_selector, "podium.io/pool") == "special" ? 1 : 0;
    if (!p.affinity || !p.affinity->node_affinity) continue;
    const auto& na = *p.affinity->node_affinity;
    if (na.required) {
      ++required;
      ASSERT_EQ(na.required->size(), 1U);
      const auto& r = (*na.required)[0].match_expressions.at(0);
      EXPECT_EQ(r.key, "podium.io/pool");
      EXPECT_EQ(r.op, "In");
      EXPECT_EQ(r.values, std::vector<std::string>{"special"});
    }
    if (!na.preferred.empty()) {
      ++preferred;
      EXPECT_EQ(na.preferred[0].weight, 50);
    }
  }
  EXPECT_EQ(labeled, 300U);
  EXPECT_EQ(required, GetParam().required);
  EXPECT_EQ(preferred, GetParam().preferred);
  EXPECT_EQ(selector, GetParam().selector);
}

INSTANTIATE_TEST_SUITE_P(Kinds, GeneratorNodeAffinity,
                         ::testing::Values(NodeAffinityCase{"required", 400, 0, 0},
                                           NodeAffinityCase{"preferred", 0, 400, 0},
                                           NodeAffinityCase{"selector", 0, 0, 400}),
                         [](const ::testing::TestParamInfo<NodeAffinityCase>& c) { return std::string(c.param.kind); });

// Groups whose pods all carry `has(pod)`; fails if a group is split.
template <class Has>
std::set<std::string> whole_groups(const io::ClusterObjects& objects, Has has) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> counts;  // app -> (with, all)
  for (const auto& p : objects.pods) {
    auto& [with, all] = counts[label(p.labels, "app")];
    with += has(p) ? 1 : 0;
    ++all;
  }
  std::set<std::string> groups;
  for (const auto& [app, c] : counts) {
    EXPECT_TRUE(c.first == 0 || c.first == c.second) << app << " is split";
    if (c.first) groups.insert(app);
  }
  return groups;
}

TEST(GeneratorConstraints, SpreadsTheRequestedShareOfGroupsOverTheirOwnGroup) {
  ConstraintOptions c;
  c.spread_groups = 0.3;
  c.spread_topology = "hostname";
  c.spread_when = "ScheduleAnyway";
  c.spread_max_skew = 3;
  const auto objects = datasets::generate_cluster(sized(c));
  for (const auto& p : objects.pods) {
    if (p.topology_spread_constraints.empty()) continue;
    const auto& s = p.topology_spread_constraints.at(0);
    EXPECT_EQ(s.max_skew, 3);
    EXPECT_EQ(s.topology_key, "kubernetes.io/hostname");
    EXPECT_EQ(s.when_unsatisfiable, "ScheduleAnyway");
    ASSERT_TRUE(s.label_selector.has_value());
    EXPECT_EQ(s.label_selector->match_labels, (io::StringMap{{"app", label(p.labels, "app")}}));
  }
  EXPECT_EQ(whole_groups(objects, [](const io::PodObject& p) { return !p.topology_spread_constraints.empty(); }).size(),
            30U);
}

TEST(GeneratorConstraints, SpreadsOverZonesWithDoNotScheduleByDefault) {
  ConstraintOptions c;
  c.spread_groups = 1;
  const auto objects = datasets::generate_cluster(sized(c));
  for (const auto& p : objects.pods) {
    ASSERT_EQ(p.topology_spread_constraints.size(), 1U);
    EXPECT_EQ(p.topology_spread_constraints[0].topology_key, "topology.kubernetes.io/zone");
    EXPECT_EQ(p.topology_spread_constraints[0].when_unsatisfiable, "DoNotSchedule");
    EXPECT_EQ(p.topology_spread_constraints[0].max_skew, 1);
  }
}

TEST(GeneratorConstraints, PodAntiAffinityAndAffinityActWithinTheRequestedShareOfGroups) {
  ConstraintOptions c;
  c.anti_affinity_groups = 0.2;
  c.pod_affinity_groups = 0.5;
  const auto objects = datasets::generate_cluster(sized(c));
  const auto repelling = whole_groups(objects, [](const io::PodObject& p) {
    return p.affinity && p.affinity->pod_anti_affinity && !p.affinity->pod_anti_affinity->required.empty();
  });
  const auto attracting = whole_groups(objects, [](const io::PodObject& p) {
    return p.affinity && p.affinity->pod_affinity && !p.affinity->pod_affinity->preferred.empty();
  });
  EXPECT_EQ(repelling.size(), 20U);
  EXPECT_EQ(attracting.size(), 50U);
  for (const auto& p : objects.pods) {
    if (!p.affinity) continue;
    const io::StringMap own{{"app", label(p.labels, "app")}};
    if (p.affinity->pod_anti_affinity) {
      const auto& term = p.affinity->pod_anti_affinity->required.at(0);
      EXPECT_EQ(term.topology_key, "kubernetes.io/hostname");
      EXPECT_EQ(term.label_selector->match_labels, own);
      EXPECT_TRUE(p.affinity->pod_anti_affinity->preferred.empty());
    }
    if (p.affinity->pod_affinity) {
      const auto& weighted = p.affinity->pod_affinity->preferred.at(0);
      EXPECT_EQ(weighted.weight, 1);
      EXPECT_EQ(weighted.term.topology_key, "topology.kubernetes.io/zone");
      EXPECT_EQ(weighted.term.label_selector->match_labels, own);
      EXPECT_TRUE(p.affinity->pod_affinity->required.empty());
    }
  }
}

ConstraintOptions everything() {
  ConstraintOptions c;
  c.taint_nodes = 0.1;
  c.tolerate_pods = 0.2;
  c.label_nodes = 0.4;
  c.node_affinity_pods = 0.3;
  c.spread_groups = 0.25;
  c.anti_affinity_groups = 0.15;
  c.pod_affinity_groups = 0.35;
  return c;
}

TEST(GeneratorConstraints, AreDeterministicForASeedAndMoveWithIt) {
  const auto a = json(datasets::generate_cluster(sized(everything(), 11)));
  EXPECT_EQ(a, json(datasets::generate_cluster(sized(everything(), 11))));
  EXPECT_NE(a, json(datasets::generate_cluster(sized(everything(), 12))));
}

TEST(GeneratorConstraints, LeaveTheBaseClusterAsItWas) {
  const auto plain = datasets::generate_cluster(sized({}));
  const auto constrained = datasets::generate_cluster(sized(everything()));
  ASSERT_EQ(plain.pods.size(), constrained.pods.size());
  for (std::size_t i = 0; i < plain.nodes.size(); ++i) {
    EXPECT_EQ(plain.nodes[i].allocatable, constrained.nodes[i].allocatable);
    EXPECT_TRUE(std::equal(plain.nodes[i].labels.begin(), plain.nodes[i].labels.end(),
                           constrained.nodes[i].labels.begin()));
  }
  for (std::size_t i = 0; i < plain.pods.size(); ++i) {
    EXPECT_EQ(plain.pods[i].containers[0].requests, constrained.pods[i].containers[0].requests);
    EXPECT_EQ(plain.pods[i].labels, constrained.pods[i].labels);
  }
}

TEST(GeneratorConstraints, SurviveTheJsonRoundTripThroughTheLoader) {
  const auto generated = datasets::generate_cluster(sized(everything()));
  io::ClusterObjects loaded;
  io::load_objects_text(json(generated), "generated.json", loaded);
  ASSERT_EQ(loaded.nodes.size(), generated.nodes.size());
  ASSERT_EQ(loaded.pods.size(), generated.pods.size());
  for (std::size_t i = 0; i < generated.nodes.size(); ++i) {
    ASSERT_EQ(loaded.nodes[i].taints.size(), generated.nodes[i].taints.size());
    EXPECT_EQ(loaded.nodes[i].labels, generated.nodes[i].labels);
  }
  for (std::size_t i = 0; i < generated.pods.size(); ++i) {
    const auto& g = generated.pods[i];
    const auto& l = loaded.pods[i];
    EXPECT_EQ(l.tolerations.size(), g.tolerations.size());
    EXPECT_EQ(l.node_selector, g.node_selector);
    EXPECT_EQ(l.affinity.has_value(), g.affinity.has_value());
    if (g.affinity) {
      EXPECT_EQ(l.affinity->node_affinity.has_value(), g.affinity->node_affinity.has_value());
      EXPECT_EQ(l.affinity->pod_affinity.has_value(), g.affinity->pod_affinity.has_value());
      EXPECT_EQ(l.affinity->pod_anti_affinity.has_value(), g.affinity->pod_anti_affinity.has_value());
    }
    ASSERT_EQ(l.topology_spread_constraints.size(), g.topology_spread_constraints.size());
    for (std::size_t k = 0; k < g.topology_spread_constraints.size(); ++k) {
      EXPECT_EQ(l.topology_spread_constraints[k].topology_key, g.topology_spread_constraints[k].topology_key);
      EXPECT_EQ(l.topology_spread_constraints[k].label_selector->match_labels,
                g.topology_spread_constraints[k].label_selector->match_labels);
    }
  }
}

TEST(GeneratorConstraints, RejectsOutOfRangeOptionsNamingTheFlag) {
  auto rejects = [](ConstraintOptions c, const std::string& flag) {
    try {
      datasets::generate_cluster(sized(std::move(c)));
      ADD_FAILURE() << flag << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
    }
  };
  ConstraintOptions c;
  c.taint_nodes = 1.5;
  rejects(c, "--taint-nodes");
  c = {};
  c.spread_groups = -0.1;
  rejects(c, "--spread-groups");
  c = {};
  c.taint_effect = "NoExecute";
  rejects(c, "--taint-effect");
  c = {};
  c.spread_max_skew = 0;
  rejects(c, "--spread-max-skew");
}

}  // namespace
