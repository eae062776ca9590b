#!/usr/bin/env python3
# Writes the node-local conformance cases (tests/conformance/cases/{taint_toleration,node_affinity,
# node_resources,image_locality,node_ports,node_filters}): clusters built with small helpers so
# each case reads as its idea. The expected numbers are worked out by hand in each description;
# they are data, not computed here. Usage: node_local_cases.py tests/conformance/cases
import json, os, sys
root = sys.argv[1]
def node(name, cpu="4", mem="8Gi", pods="110", labels=None, taints=None, unschedulable=False, images=None):
    n = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": dict({"kubernetes.io/hostname": name}, **(labels or {}))},
         "status": {"allocatable": {"cpu": cpu, "memory": mem, "pods": pods}}}
    spec = {}
    if taints: spec["taints"] = [dict(zip(("key","value","effect"), t)) for t in taints]
    if unschedulable: spec["unschedulable"] = True
    if spec: n["spec"] = spec
    if images: n["status"]["images"] = [{"names": [nm], "sizeBytes": sz} for nm, sz in images]
    return n
def pod(name, cpu=None, mem=None, node=None, ports=None, image="registry/app:1.0", extra=None, ns="default"):
    c = {"name": "c", "image": image}
    req = {}
    if cpu: req["cpu"] = cpu
    if mem: req["memory"] = mem
    if req: c["resources"] = {"requests": req}
    if ports: c["ports"] = [dict(containerPort=p[0], hostPort=p[0], protocol=p[1], **({"hostIP": p[2]} if len(p) > 2 else {})) for p in ports]
    spec = {"containers": [c]}
    if node: spec["nodeName"] = node
    spec.update(extra or {})
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": spec}
    if node: p["status"] = {"phase": "Running"}
    return p
def write(group, case, items, target, expected, config=None):
    d = os.path.join(root, group, case); os.makedirs(d, exist_ok=True)
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(os.path.join(d, "cluster.yaml"), "w"), indent=1)
    json.dump(target, open(os.path.join(d, "pod.yaml"), "w"), indent=1)
    json.dump(expected, open(os.path.join(d, "expected.json"), "w"), indent=1)
    if config: open(os.path.join(d, "config.yaml"), "w").write(config)
def ok(tt, fit, bal, il, extra=None):
    s = {"TaintToleration": tt, "NodeResourcesFit": fit, "NodeResourcesBalancedAllocation": bal, "ImageLocality": il}
    s.update(extra or {})
    w = {"TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1, "NodeResourcesBalancedAllocation": 1, "ImageLocality": 1}
    return {"scores": s, "total": sum(w[k]*v for k, v in s.items())}

write("taint_toleration", "prefer_no_schedule_counts_are_normalized_in_reverse",
      [node("a"), node("b", taints=[("k1","v","PreferNoSchedule")]), node("c", taints=[("k1","v","PreferNoSchedule"),("k2","v","PreferNoSchedule")])],
      pod("p", "1", "2Gi"),
      {"description": "Intolerable PreferNoSchedule counts 0/1/2, max 2: 100-0, 100-100*1/2, 100-100. Resources 1 cpu/2Gi of 4/8Gi: LeastAllocated (75+75)/2=75, balanced 100.",
       "nodes": {"a": ok(100, 75, 100, 0), "b": ok(50, 75, 100, 0), "c": ok(0, 75, 100, 0)}, "selected": "a"})
write("taint_toleration", "no_schedule_filters_and_equal_counts_score_zero",
      [node("a", taints=[("dedicated","gpu","NoSchedule")]), node("b", taints=[("dedicated","gpu","PreferNoSchedule")]), node("c", taints=[("dedicated","gpu","PreferNoSchedule")])],
      pod("p", "1", "2Gi"),
      {"description": "a's NoSchedule taint is not tolerated; b and c both count 1 intolerable PreferNoSchedule taint, so 100*1/1 reversed gives 0 to both.",
       "nodes": {"a": {"rejected_by": "TaintToleration"}, "b": ok(0, 75, 100, 0), "c": ok(0, 75, 100, 0)}})
write("node_affinity", "preferred_term_weights_are_summed_and_normalized",
      [node("a", labels={"zone": "z1", "disk": "ssd"}), node("b", labels={"zone": "z1"}), node("c", labels={"zone": "z2"})],
      pod("p", "1", "2Gi", extra={"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
          {"weight": 10, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["z1"]}]}},
          {"weight": 30, "preference": {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}}]}}}),
      {"description": "Raw sums a=40, b=10, c=0; normalized by max 40: 100, 100*10/40=25, 0.",
       "nodes": {"a": ok(100, 75, 100, 0, {"NodeAffinity": 100}), "b": ok(100, 75, 100, 0, {"NodeAffinity": 25}), "c": ok(100, 75, 100, 0, {"NodeAffinity": 0})}, "selected": "a"})
write("node_affinity", "not_in_accepts_nodes_without_the_label",
      [node("a", labels={"zone": "z1"}), node("b", labels={"zone": "z2"}), node("c")],
      pod("p", "1", "2Gi", extra={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
          {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["z2"]}]}]}}}}),
      {"description": "zone NotIn (z2) rejects only b; c has no zone label and NotIn matches an absent key. NodeAffinity has no preferred terms, so its PreScore skips.",
       "nodes": {"a": ok(100, 75, 100, 0), "b": {"rejected_by": "NodeAffinity"}, "c": ok(100, 75, 100, 0)}})
write("node_resources", "least_allocated_and_balance_round_down",
      [node("a", "4", "8Gi"), node("b", "8", "4Gi"), pod("old", "2", "2Gi", node="a")],
      pod("p", "1", "1Gi"),
      {"description": "a: cpu 3/4 -> 25, memory 3Gi/8Gi -> 62 (62.5), (25+62)/2=43; balance 1-|0.75-0.375|/2=0.8125 -> 81. b: cpu 1/8 -> 87, memory 1/4 -> 75, 81; balance 1-0.125/2 -> 93.",
       "nodes": {"a": ok(100, 43, 81, 0), "b": ok(100, 81, 93, 0)}, "selected": "b"})
write("node_resources", "best_effort_pod_scores_with_nonzero_defaults",
      [node("a", "1", "1Gi"), node("b", "2", "2Gi"), node("c", "4", "4Gi", pods="1"), pod("old", node="c")],
      pod("p"),
      {"description": "A request-less pod is scored as 100m/200Mi: a cpu 90, memory 824Mi/1024Mi -> 80, (90+80)/2=85; b 95 and 90 (90.2) -> 92; c already runs its one allowed pod. BalancedAllocation skips a pod without requests.",
       "nodes": {"a": {"scores": {"TaintToleration": 100, "NodeResourcesFit": 85, "ImageLocality": 0}, "total": 385},
                 "b": {"scores": {"TaintToleration": 100, "NodeResourcesFit": 92, "ImageLocality": 0}, "total": 392},
                 "c": {"rejected_by": "NodeResourcesFit"}}, "selected": "b"})
write("image_locality", "image_size_is_scaled_by_its_spread",
      [node("a", images=[("registry/app:1.0", 600*1024*1024)]), node("b", images=[("registry/app:1.0", 600*1024*1024)]), node("c")],
      pod("p", "1", "2Gi"),
      {"description": "600 MiB on 2 of 3 nodes scales to 400 MiB; 100*(400-23)/(1000-23) = 38 (38.6). c lacks the image: below the 23 MiB threshold, 0.",
       "nodes": {"a": ok(100, 75, 100, 38), "b": ok(100, 75, 100, 38), "c": ok(100, 75, 100, 0)}})
write("node_ports", "wildcard_host_ip_conflicts_and_other_protocols_do_not",
      [node("a"), node("b"), node("c"), pod("wa", node="a", ports=[(8080, "TCP", "0.0.0.0")]), pod("wb", node="b", ports=[(8080, "UDP")]), pod("wc", node="c", ports=[(8080, "TCP", "10.0.0.1")])],
      pod("p", "1", "2Gi", ports=[(8080, "TCP", "10.0.0.2")]),
      {"description": "a's 0.0.0.0:8080/TCP conflicts with any IP; b's port is UDP; c's 10.0.0.1 differs from 10.0.0.2. The request-less existing pods count 100m/200Mi for LeastAllocated: cpu 1100m/4 -> 72, memory 2248Mi/8Gi -> 72; balance uses plain requests: 100.",
       "nodes": {"a": {"rejected_by": "NodePorts"}, "b": ok(100, 72, 100, 0), "c": ok(100, 72, 100, 0)}})
write("node_filters", "unschedulable_is_checked_before_node_name",
      [node("a", unschedulable=True), node("b"), node("c")],
      pod("p", "1", "2Gi", extra={"nodeName": "b"}),
      {"description": "Filter order: a is cordoned (NodeUnschedulable, even though NodeName also rejects it), c is not the named node.",
       "nodes": {"a": {"rejected_by": "NodeUnschedulable"}, "b": ok(100, 75, 100, 0), "c": {"rejected_by": "NodeName"}}, "selected": "b"})
write("node_resources", "most_allocated_from_a_configuration_file",
      [node("a", "4", "8Gi"), node("b", "8", "4Gi"), pod("old", "2", "2Gi", node="a")],
      pod("p", "1", "1Gi"),
      {"description": "scoringStrategy MostAllocated: a cpu 3/4 -> 75, memory 3Gi/8Gi -> 37 (37.5), (75+37)/2=56; b cpu 1/8 -> 12, memory 1/4 -> 25, 18 (18.5). Balance as under LeastAllocated: 81 and 93.",
       "nodes": {"a": ok(100, 56, 81, 0), "b": ok(100, 18, 93, 0)}, "selected": "a"},
      config="""apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
""")
