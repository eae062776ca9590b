#!/usr/bin/env python3
"""The ~100-shape realistic workload of issue 13, from one seeded list of Deployments.

    realistic_shapes.py workload > bench/workloads/realistic_shapes.yaml    # podium bench file
    realistic_shapes.py cluster --nodes 5000 --bound 10000 --pods 150000 > c.json  # podium schedule

Each Deployment is one pod template: a main container, maybe a sidecar (a plain container,
or a native sidecar: an init container with restartPolicy Always), maybe an init container
(a migration step can be larger than the app), maybe a RuntimeClass overhead, quantities
spelled the many ways manifests spell them (500m / 0.5, 1Gi / 1024Mi / 1073741824 /
1048576Ki), its own image, and a weight (a few big Deployments, a long tail of small ones).
The effective requests (kube's PodRequests: max(containers + sidecars, init steps) +
overhead) are computed here too, so the script can say how many distinct shapes there are.
Both outputs use the same Deployments; the cluster form has nodes of datasets/generator's ten
shapes (a few cordoned) and pods already bound, for `podium schedule`.
"""
import argparse
import json
import random
import sys

SEED = 13
DEPLOYMENTS = 140
CORDONED_SHARE = 0.004  # 20 of 5,000 nodes

MAIN_CPU_M = [(100, 12), (200, 10), (250, 12), (300, 6), (500, 16), (750, 8), (1000, 14), (1500, 6), (2000, 8), (3000, 2)]
MAIN_MEM_MI = [(128, 8), (256, 12), (384, 6), (512, 14), (768, 8), (1024, 16), (1536, 6), (2048, 12), (3072, 6),
               (4096, 8), (6144, 2), (8192, 2)]
SIDECARS = [None, None, None, ("envoy", 100, 128, False), ("envoy", 100, 128, True), ("log-shipper", 50, 64, True),
            ("metrics", 25, 32, False)]
INITS = [None, None, None, ("wait-for-db", 10, 16), ("migrate", 2000, 2048), ("warm-cache", 500, 4096)]
OVERHEADS = [None, None, None, None, ("kata", 250, 160)]
NODE_SHAPES = [("c-8x32", 8, 32), ("c-16x64", 16, 64), ("c-32x128", 32, 128), ("c-48x192", 48, 192),
               ("c-64x256", 64, 256), ("c-96x384", 96, 384), ("m-16x128", 16, 128), ("m-32x256", 32, 256),
               ("m-64x512", 64, 512), ("m-96x768", 96, 768)]


def draw(rng, menu):
    return rng.choices([v for v, _ in menu], weights=[w for _, w in menu])[0]


def cpu_text(rng, m):
    """500m, 0.5 or "1" / 1: the spellings of one cpu quantity."""
    if m % 1000 == 0 and rng.random() < 0.5:
        return str(m // 1000)
    if rng.random() < 0.4:
        return ("%.3f" % (m / 1000)).rstrip("0").rstrip(".")
    return "%dm" % m


def mem_text(rng, mi):
    """1Gi, 1024Mi, 1073741824 or 1048576Ki: the spellings of one memory quantity."""
    pick = rng.randrange(4)
    if pick == 0 and mi % 1024 == 0:
        return "%dGi" % (mi // 1024)
    if pick == 1:
        return str(mi << 20)
    if pick == 2:
        return "%dKi" % (mi << 10)
    return "%dMi" % mi


def requests(rng, cpu_m, mem_mi):
    return {"cpu": cpu_text(rng, cpu_m), "memory": mem_text(rng, mem_mi)}


def deployments():
    rng = random.Random(SEED)
    out = []
    for i in range(DEPLOYMENTS):
        name = "svc-%03d" % i
        cpu, mem = draw(rng, MAIN_CPU_M), draw(rng, MAIN_MEM_MI)
        best_effort = i % 40 == 39  # a few pods request nothing at all
        spec = {"priority": 1000 if rng.random() < 0.08 else 0, "containers": [], "initContainers": []}
        main = {"name": "app", "image": "registry.example/team-%d/%s:%d" % (i % 17, name, 1 + i % 5)}
        eff_cpu = eff_mem = 0  # containers + sidecars
        side_cpu = side_mem = 0
        init_cpu = init_mem = 0
        if not best_effort:
            main["resources"] = {"requests": requests(rng, cpu, mem)}
            eff_cpu, eff_mem = cpu, mem
        spec["containers"].append(main)
        sidecar = None if best_effort else rng.choice(SIDECARS)
        if sidecar:
            sname, scpu, smem, native = sidecar
            c = {"name": sname, "image": "registry.example/%s:1" % sname,
                 "resources": {"requests": requests(rng, scpu, smem)}}
            if native:
                c["restartPolicy"] = "Always"
                spec["initContainers"].append(c)
                side_cpu, side_mem = scpu, smem
            else:
                spec["containers"].append(c)
            eff_cpu, eff_mem = eff_cpu + scpu, eff_mem + smem
        init = None if best_effort else rng.choice(INITS)
        if init:
            iname, icpu, imem = init
            spec["initContainers"].append({"name": iname, "image": "registry.example/%s:2" % iname,
                                           "resources": {"requests": requests(rng, icpu, imem)}})
            init_cpu, init_mem = icpu + side_cpu, imem + side_mem  # a native sidecar started before it runs beside it
        eff_cpu, eff_mem = max(eff_cpu, init_cpu), max(eff_mem, init_mem)
        overhead = None if best_effort else rng.choice(OVERHEADS)
        if overhead:
            rc, ocpu, omem = overhead
            spec["runtimeClassName"] = rc
            spec["overhead"] = requests(rng, ocpu, omem)
            eff_cpu, eff_mem = eff_cpu + ocpu, eff_mem + omem
        if not spec["initContainers"]:
            del spec["initContainers"]
        weight = max(1, round(400 / (1 + i) ** 0.9))  # a few big Deployments, a long tail
        out.append({"name": name, "weight": weight, "effective": (eff_cpu, eff_mem), "best_effort": best_effort,
                    "template": {"metadata": {"labels": {"app": name}}, "spec": spec}})
    return out


def flow(value):
    """YAML flow style (JSON with bare keys) on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (k, flow(v)) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return json.dumps(value)  # strings quoted: quantities stay strings, as kubectl writes them


def effective_shapes(deps):
    return len({d["effective"] for d in deps})


def write_workload(deps, out):
    shapes = effective_shapes(deps)
    out.write("""# Issue 13's realistic workload: %d Deployments with %d distinct effective request shapes
# (kube's PodRequests: max(containers + sidecars, init steps) + overhead), in the style of a real
# cluster: init containers (a migration step can out-request the app), sidecars (plain containers
# and native ones, restartPolicy Always), RuntimeClass overhead, quantities spelled every way
# (500m / 0.5, 1Gi / 1024Mi / 1073741824 / 1048576Ki), BestEffort pods, a few big Deployments and
# a long tail. 10,000 pods of the same Deployments are placed first (not measured), a few nodes
# are cordoned, nodes come in datasets/generator's ten shapes over three zones; default profile,
# every node scored. The Deployments interleave in the queue (podTemplates, smooth weighted
# round-robin; a few Deployments have a higher priority and go first), so ~130 classes are in
# use at once: the class cache's hard case.
# Generated by tools/perf/realistic_shapes.py workload (seeded); edit the script, not this file.
- name: RealisticShapes
  labels: [shapes]
  workloadTemplate:
  - opcode: createNodes
    countParam: $nodes
    shapes: mixed
    zones: 3
  - opcode: createNodes
    countParam: $cordonedNodes
    zones: 3
    nodeTemplate:
      spec: {unschedulable: true}
      status: {allocatable: {cpu: "32", memory: 128Gi, pods: "110"}}
  - opcode: createPods
    countParam: $boundPods
    namespace: apps
    podTemplates: &deployments
""" % (len(deps), shapes))
    for d in deps:
        out.write("    - weight: %d\n      podTemplate: %s\n" % (d["weight"], flow(d["template"])))
    out.write("""  - opcode: createPods
    countParam: $pods
    namespace: apps
    collectMetrics: true
    podTemplates: *deployments
  workloads:
  - name: 500Nodes
    labels: [short]
    params: {nodes: 495, cordonedNodes: 5, boundPods: 1000, pods: 15000}
    expect: {unschedulable: 0}
  - name: 5000Nodes_150000Pods
    labels: [performance, large]
    params: {nodes: 4980, cordonedNodes: 20, boundPods: 10000, pods: 150000}
    expect: {unschedulable: 0}
""")


def write_cluster(deps, nodes, bound, pods, out):
    rng = random.Random(SEED + 1)
    items = []
    cordoned = max(1, round(nodes * CORDONED_SHARE))
    zones = ["region-1a", "region-1b", "region-1c"]
    for n in range(nodes):
        shape, cpu, mem = NODE_SHAPES[rng.randrange(len(NODE_SHAPES))]
        node = {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": "node-%d" % n, "labels": {
                    "kubernetes.io/hostname": "node-%d" % n, "node.kubernetes.io/instance-type": shape,
                    "topology.kubernetes.io/region": "region-1", "topology.kubernetes.io/zone": zones[n % 3]}},
                "spec": {},
                "status": {"allocatable": {"cpu": str(cpu), "memory": "%dGi" % mem, "pods": "110"}}}
        if n % (nodes // cordoned) == 0 and n // (nodes // cordoned) < cordoned:
            node["spec"]["unschedulable"] = True
        items.append(node)
    weights = [d["weight"] for d in deps]
    credit = [0] * len(deps)

    def next_template():  # the bench harness's smooth weighted round-robin
        total, chosen = 0, 0
        for i, w in enumerate(weights):
            credit[i] += w
            total += w
            if credit[i] > credit[chosen]:
                chosen = i
        credit[chosen] -= total
        return deps[chosen]

    for k in range(bound + pods):
        d = next_template()
        pod = json.loads(json.dumps(d["template"]))
        pod.update({"apiVersion": "v1", "kind": "Pod"})
        pod["metadata"].update({"name": "%s-%d" % (d["name"], k), "namespace": "apps", "uid": "uid-%d" % k,
                                "creationTimestamp": "2026-01-01T00:%02d:%02dZ" % (k // 60000 % 60, k // 1000 % 60)})
        if k < bound:
            # Spread over the schedulable nodes, two or so per node: every node has room for them.
            n = (k * 7919) % nodes
            while items[n]["spec"].get("unschedulable"):
                n = (n + 1) % nodes
            pod["spec"]["nodeName"] = "node-%d" % n
            pod["status"] = {"phase": "Running"}
        items.append(pod)
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, out, separators=(",", ":"))
    out.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("workload", help="the podium bench workload file")
    c = sub.add_parser("cluster", help="a kubectl JSON List for podium schedule")
    c.add_argument("--nodes", type=int, default=5000)
    c.add_argument("--bound", type=int, default=10000)
    c.add_argument("--pods", type=int, default=150000)
    sub.add_parser("shapes", help="how many Deployments and distinct effective shapes")
    args = ap.parse_args()
    deps = deployments()
    if args.what == "workload":
        write_workload(deps, sys.stdout)
    elif args.what == "cluster":
        write_cluster(deps, args.nodes, args.bound, args.pods, sys.stdout)
    else:
        print("%d deployments, %d distinct effective (cpu, memory) requests, weights %d..%d (total %d)" % (
            len(deps), effective_shapes(deps), min(d["weight"] for d in deps), max(d["weight"] for d in deps),
            sum(d["weight"] for d in deps)))


if __name__ == "__main__":
    main()
