#!/usr/bin/env python3
"""A PreemptionBasic-shaped cluster (scheduler_perf's PreemptionBasic: every node full of
low-priority pods, then high-priority pods that each must evict one) as one kubectl-style
JSON List, for timing `podium schedule` on preemption (docs/BENCHMARKS.md).

  tools/perf/preemption_cluster.py --nodes 5000 --low-per-node 4 --preemptors 5000 > c.json
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--low-per-node", type=int, default=4, help="low-priority pods bound per node (they fill it)")
    ap.add_argument("--preemptors", type=int, default=5000, help="pending high-priority pods")
    a = ap.parse_args()
    cpu = a.low_per_node  # one core per low pod: the node is exactly full
    items = [
        {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "low"}, "value": 1},
        {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 10},
    ]
    for n in range(a.nodes):
        items.append({"kind": "Node", "metadata": {"name": f"node-{n}", "labels": {"kubernetes.io/hostname": f"node-{n}"}},
                      "status": {"allocatable": {"cpu": str(cpu), "memory": "64Gi", "pods": "110"}}})
    pod = lambda name, cls, node=None: {
        "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
        "spec": dict({"priorityClassName": cls,
                      "containers": [{"name": "c", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]},
                     **({"nodeName": node} if node else {}))}
    for n in range(a.nodes):
        for k in range(a.low_per_node):
            items.append(pod(f"low-{n}-{k}", "low", f"node-{n}"))
    for i in range(a.preemptors):
        items.append(pod(f"high-{i}", "high"))
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, sys.stdout)


if __name__ == "__main__":
    main()
