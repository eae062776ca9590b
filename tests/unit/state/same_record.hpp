#pragma once
// expect_same_record: every field of two PodRecords that the cluster builder fills, for the
// tests that build one state two ways (stamped vs laid-out pods, one thread vs several).

#include <gtest/gtest.h>

#include <string>

#include "podium/state/cluster_state.hpp"

namespace podium::state {

// Every field of two records that the builder fills.
inline void expect_same_record(const PodRecord& a, const PodRecord& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.namespace_id, b.namespace_id);
  ASSERT_EQ(a.labels.size(), b.labels.size());
  for (std::size_t i = 0; i < a.labels.size(); ++i) {
    EXPECT_EQ(a.labels[i].key, b.labels[i].key);
    EXPECT_EQ(a.labels[i].value, b.labels[i].value);
  }
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.preempt_never, b.preempt_never);
  EXPECT_EQ(a.creation_timestamp_ns, b.creation_timestamp_ns);
  EXPECT_EQ(a.start_time_ns, b.start_time_ns);
  EXPECT_EQ(a.file_order, b.file_order);
  EXPECT_EQ(a.scheduler_name, b.scheduler_name);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.requested_node_name, b.requested_node_name);
  EXPECT_EQ(a.bound_node, b.bound_node);
  EXPECT_EQ(a.requests, b.requests);
  EXPECT_EQ(a.nonzero_cpu, b.nonzero_cpu);
  EXPECT_EQ(a.nonzero_memory, b.nonzero_memory);
  EXPECT_EQ(a.score_cpu, b.score_cpu);
  EXPECT_EQ(a.score_memory, b.score_memory);
  EXPECT_EQ(a.has_any_request, b.has_any_request);
  ASSERT_EQ(a.tolerations.size(), b.tolerations.size());
  for (std::size_t i = 0; i < a.tolerations.size(); ++i) {
    EXPECT_EQ(a.tolerations[i].key, b.tolerations[i].key);
    EXPECT_EQ(a.tolerations[i].op_exists, b.tolerations[i].op_exists);
    EXPECT_EQ(a.tolerations[i].value, b.tolerations[i].value);
    EXPECT_EQ(a.tolerations[i].effect, b.tolerations[i].effect);
  }
  ASSERT_EQ(a.node_affinity == nullptr, b.node_affinity == nullptr);
  if (a.node_affinity) {
    EXPECT_EQ(a.node_affinity->signature, b.node_affinity->signature);
  }
  EXPECT_EQ(a.host_ports, b.host_ports);
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.image_containers, b.image_containers);
  ASSERT_EQ(a.spread_constraints.size(), b.spread_constraints.size());
  for (std::size_t i = 0; i < a.spread_constraints.size(); ++i) {
    std::string sa, sb;
    a.spread_constraints[i].selector.append_signature(sa);
    b.spread_constraints[i].selector.append_signature(sb);
    EXPECT_EQ(sa, sb);
    EXPECT_EQ(a.spread_constraints[i].topology_key, b.spread_constraints[i].topology_key);
    EXPECT_EQ(a.spread_constraints[i].max_skew, b.spread_constraints[i].max_skew);
  }
  ASSERT_EQ(a.default_spread_selector.has_value(), b.default_spread_selector.has_value());
  if (a.default_spread_selector) {
    std::string sa, sb;
    a.default_spread_selector->append_signature(sa);
    b.default_spread_selector->append_signature(sb);
    EXPECT_EQ(sa, sb);
  }
  ASSERT_EQ(a.pod_affinity == nullptr, b.pod_affinity == nullptr);
  if (a.pod_affinity) {
    EXPECT_EQ(a.pod_affinity->signature, b.pod_affinity->signature);
  }
}

}  // namespace podium::state
