#!/usr/bin/env python3
"""Writes kubectl_snapshot.json: a hand-designed six-node cluster in the exact shape of
`kubectl get nodes,pods,namespaces -A -o json` (4-space indent, the kinds in that order,
each sorted by namespace and name as the API server lists them), with the fields a live
cluster fills in and Podium does not read (managedFields, annotations, conditions,
containerStatuses, ...).

The cluster's design, and the placement every pending pod must get, are stated in
tests/integration/kubectl_snapshot_test.cpp. Edit this script, not the JSON, and re-derive
those answers by hand:

    python3 tests/data/snapshot/make_snapshot.py tests/data/snapshot > tests/data/snapshot/kubectl_snapshot.json

With a directory argument it also writes node_template.json and more_web_replicas.json,
the `podium plan` inputs. The output is deterministic (no clock, no random numbers).
"""
import json, hashlib, sys

def uid(name):
    h = hashlib.sha1(name.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

rv = [812000]
def next_rv():
    rv[0] += 137
    return str(rv[0])

def managed(manager, op, t, fields, sub=None):
    m = {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": fields, "manager": manager, "operation": op, "time": t}
    if sub: m["subresource"] = sub
    return m

ZONE = {"a": "eu-west-1a", "b": "eu-west-1b", "c": "eu-west-1c"}

def image(names, size):
    return {"names": names, "sizeBytes": size}

WEB_IMG = "registry.example.com/shop/web:2.3.1"
WEB_IMAGE = image(["registry.example.com/shop/web@sha256:5d1c7a0e9b2f4c3d8e6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e", WEB_IMG], 524288000)
COMMON_IMAGES = [
    image(["registry.k8s.io/kube-proxy@sha256:0b1f8ac7c0f2a3b9e4d5c6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7", "registry.k8s.io/kube-proxy:v1.35.0"], 30521234),
    image(["docker.io/kindest/kindnetd@sha256:7e2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e", "docker.io/kindest/kindnetd:v20250512-df8de77b"], 44376215),
    image(["registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a", "registry.k8s.io/pause:3.10"], 320368),
]

def node(name, zone, cpu, mem_ki, *, control_plane=False, taints=None, unschedulable=False, ready=True,
         images=(), instance="m6i.xlarge", created="2026-10-14T08:12:40Z", ip="10.0.1.10"):
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": instance, "beta.kubernetes.io/os": "linux",
        "failure-domain.beta.kubernetes.io/region": "eu-west-1", "failure-domain.beta.kubernetes.io/zone": ZONE[zone],
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": instance,
        "topology.kubernetes.io/region": "eu-west-1", "topology.kubernetes.io/zone": ZONE[zone],
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    cidr = f"10.244.{int(hashlib.md5(name.encode()).hexdigest()[:4], 16) % 200}.0/24"
    spec = {"podCIDR": cidr, "podCIDRs": [cidr],
            "providerID": f"aws:///{ZONE[zone]}/i-0{hashlib.md5(name.encode()).hexdigest()[:16]}"}
    if taints: spec["taints"] = taints
    if unschedulable: spec["unschedulable"] = True
    def cond(t, status, reason, msg):
        return {"lastHeartbeatTime": "2026-12-02T08:59:12Z", "lastTransitionTime": created, "message": msg,
                "reason": reason, "status": status, "type": t}
    conditions = [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status") if ready else
        {"lastHeartbeatTime": "2026-12-02T08:58:51Z", "lastTransitionTime": "2026-12-02T08:41:03Z",
         "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
         "reason": "KubeletNotReady", "status": "False", "type": "Ready"},
    ]
    cap = {"cpu": str(cpu), "ephemeral-storage": "101430960Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
           "memory": f"{mem_ki}Ki", "pods": "110"}
    alloc = {"cpu": str(cpu), "ephemeral-storage": "93478772582", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
             "memory": f"{mem_ki - 102400}Ki", "pods": "110"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "annotations": {"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                            "node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
            "creationTimestamp": created, "labels": labels,
            "managedFields": [
                managed("kubelet", "Update", created, {"f:metadata": {"f:annotations": {".": {}, "f:volumes.kubernetes.io/controller-managed-attach-detach": {}},
                        "f:labels": {".": {}, "f:beta.kubernetes.io/arch": {}, "f:kubernetes.io/hostname": {}}}}),
                managed("kube-controller-manager", "Update", created, {"f:metadata": {"f:annotations": {"f:node.alpha.kubernetes.io/ttl": {}}},
                        "f:spec": {"f:podCIDR": {}, "f:podCIDRs": {".": {}, "v:\"10.244.0.0/24\"": {}}}}),
                managed("kubelet", "Update", "2026-12-02T08:59:12Z", {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {"f:lastHeartbeatTime": {}}},
                        "f:images": {}, "f:nodeInfo": {"f:bootID": {}}}}, sub="status"),
            ],
            "name": name, "resourceVersion": next_rv(), "uid": uid("node/" + name),
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"},
                          {"address": f"ip-{ip.replace('.', '-')}.eu-west-1.compute.internal", "type": "InternalDNS"}],
            "allocatable": alloc, "capacity": cap, "conditions": conditions,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": list(images) + COMMON_IMAGES,
            "nodeInfo": {"architecture": "amd64", "bootID": uid("boot/" + name), "containerRuntimeVersion": "containerd://2.1.1",
                         "kernelVersion": "6.8.0-1021-aws", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0",
                         "machineID": hashlib.md5(("m" + name).encode()).hexdigest(), "operatingSystem": "linux",
                         "osImage": "Ubuntu 24.04.1 LTS", "systemUUID": uid("sys/" + name)},
            "runtimeHandlers": [{"features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}, "name": "runc"}],
        },
    }

DEFAULT_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]
# What the DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations).
DAEMON_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"},
]

def container(name, image, cpu=None, mem=None, limits=None, ports=(), probe=False):
    c = {"image": image, "imagePullPolicy": "IfNotPresent", "name": name,
         "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
         "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x7k2p", "readOnly": True}]}
    req = {}
    if cpu: req["cpu"] = cpu
    if mem: req["memory"] = mem
    if req: c["resources"]["requests"] = req
    if limits: c["resources"]["limits"] = limits
    if ports: c["ports"] = [dict(p) for p in ports]
    if probe:
        c["livenessProbe"] = {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                              "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1}
        c["readinessProbe"] = {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                               "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1}
    c["env"] = [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}]
    c["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True}
    return c

def pod(ns, name, containers, *, node=None, phase="Running", created="2026-11-30T10:00:00Z", labels=None, owner=None,
        tolerations=None, priority=0, priority_class=None, node_selector=None, affinity=None, annotations=None,
        deleting=None, scheduler=None, qos="Burstable", unschedulable_msg=None, restart="Always", host_network=False,
        generate_name=None, exit_code=None):
    meta = {"creationTimestamp": created, "name": name, "namespace": ns, "resourceVersion": next_rv(),
            "uid": uid(f"pod/{ns}/{name}")}
    if generate_name: meta["generateName"] = generate_name
    if labels: meta["labels"] = labels
    if annotations: meta["annotations"] = annotations
    if owner:
        kind, oname = owner
        meta["ownerReferences"] = [{"apiVersion": "v1" if kind == "Node" else ("batch/v1" if kind == "Job" else "apps/v1"),
                                    "blockOwnerDeletion": kind != "Node", "controller": True, "kind": kind, "name": oname,
                                    "uid": uid(f"{kind}/{ns}/{oname}")}]
    if deleting:
        meta["deletionTimestamp"] = deleting
        meta["deletionGracePeriodSeconds"] = 30
        meta["finalizers"] = ["example.com/drain-connections"]
    meta["managedFields"] = [
        managed("kube-controller-manager" if owner else "kubectl-client-side-apply", "Update", created,
                {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}}, "f:ownerReferences": {".": {}}},
                 "f:spec": {"f:containers": {"k:{\"name\":\"" + containers[0]["name"] + "\"}": {".": {}, "f:image": {}, "f:resources": {".": {}, "f:requests": {}}}},
                            "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}}}),
    ]
    if node:
        meta["managedFields"].append(managed("kubelet", "Update", created, {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {".": {}, "f:status": {}}},
                                           "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:startTime": {}}}, sub="status"))
    tols = list(tolerations) if tolerations is not None else list(DEFAULT_TOLERATIONS)
    spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority", "priority": priority, "restartPolicy": restart,
            "schedulerName": scheduler or "default-scheduler", "securityContext": {"fsGroup": 2000, "seccompProfile": {"type": "RuntimeDefault"}},
            "serviceAccount": "default", "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
            "tolerations": tols,
            "volumes": [{"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}]}}]}
    if priority_class: spec["priorityClassName"] = priority_class
    if node: spec["nodeName"] = node
    if node_selector: spec["nodeSelector"] = node_selector
    if affinity: spec["affinity"] = affinity
    if host_network: spec["hostNetwork"] = True
    status = {"phase": phase, "qosClass": qos}
    if node:
        status["hostIP"] = "10.0.1.10"
        status["hostIPs"] = [{"ip": "10.0.1.10"}]
        status["podIP"] = "10.244.1.23"
        status["podIPs"] = [{"ip": "10.244.1.23"}]
        status["startTime"] = created
        running = phase == "Running"
        status["conditions"] = [
            {"lastProbeTime": None, "lastTransitionTime": created, "status": "True", "type": "PodReadyToStartContainers"},
            {"lastProbeTime": None, "lastTransitionTime": created, "status": "True", "type": "Initialized"},
            {"lastProbeTime": None, "lastTransitionTime": created, "status": "True" if running else "False", "type": "Ready"},
            {"lastProbeTime": None, "lastTransitionTime": created, "status": "True" if running else "False", "type": "ContainersReady"},
            {"lastProbeTime": None, "lastTransitionTime": created, "status": "True", "type": "PodScheduled"},
        ]
        cs = []
        for c in containers:
            st = {"containerID": "containerd://" + hashlib.sha256((ns + name + c["name"]).encode()).hexdigest(),
                  "image": c["image"], "imageID": c["image"].split(":")[0] + "@sha256:" + hashlib.sha256(c["image"].encode()).hexdigest(),
                  "lastState": {}, "name": c["name"], "ready": running, "restartCount": 0, "started": running,
                  "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x7k2p", "readOnly": True, "recursiveReadOnly": "Disabled"}]}
            if c["resources"].get("requests"):
                st["allocatedResources"] = dict(c["resources"]["requests"])
                st["resources"] = {"requests": dict(c["resources"]["requests"])}
            if phase == "Running":
                st["state"] = {"running": {"startedAt": created}}
            elif phase in ("Succeeded", "Failed"):
                st["state"] = {"terminated": {"containerID": st["containerID"], "exitCode": exit_code or 0,
                                              "finishedAt": "2026-12-02T03:14:07Z", "reason": "Completed" if phase == "Succeeded" else "Error",
                                              "startedAt": created}}
            else:
                st["state"] = {"waiting": {"reason": "ContainerCreating"}}
            cs.append(st)
        status["containerStatuses"] = cs
    elif unschedulable_msg:
        status["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": created, "message": unschedulable_msg,
                                 "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}

def namespace(name, labels=None, applied=False, created="2026-10-14T08:13:01Z"):
    lab = {"kubernetes.io/metadata.name": name}
    lab.update(labels or {})
    meta = {"creationTimestamp": created, "labels": lab, "name": name, "resourceVersion": next_rv(), "uid": uid("ns/" + name),
            "managedFields": [managed("kubectl-client-side-apply" if applied else "kube-apiserver", "Update", created,
                                      {"f:metadata": {"f:labels": {".": {}, "f:kubernetes.io/metadata.name": {}}}})]}
    if applied:
        meta["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": json.dumps(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"annotations": {}, "labels": labels or {}, "name": name}}, separators=(",", ":")) + "\n"}
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}

def daemon_affinity(node):
    # The DaemonSet controller pins each daemon pod to its node (util.ReplaceDaemonSetPodNodeNameNodeAffinity).
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}

def web_anti_affinity():
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}

NODES = ["cp-1", "worker-a1", "worker-b1", "worker-b2", "worker-c1", "worker-c2"]
items = []
items.append(node("cp-1", "a", 4, 16283240, control_plane=True, instance="m6i.xlarge", ip="10.0.1.10",
                  taints=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                  images=[image(["registry.k8s.io/etcd@sha256:c6a9d11cc5c04b114ccdef39a9265eeef818e3d02f5359be035ae784097fdec5", "registry.k8s.io/etcd:3.6.4-0"], 195976448),
                          image(["registry.k8s.io/kube-apiserver:v1.35.0"], 28723871)]))
items.append(node("worker-a1", "a", 4, 16283240, ip="10.0.1.21", images=[WEB_IMAGE]))
items.append(node("worker-b1", "b", 4, 16283240, ip="10.0.2.21", images=[WEB_IMAGE,
                  image(["docker.io/library/postgres:16.4"], 158470000)]))
items.append(node("worker-b2", "b", 4, 16283240, ip="10.0.2.22", created="2026-12-02T08:30:11Z"))
items.append(node("worker-c1", "c", 4, 16283240, ip="10.0.3.21", images=[WEB_IMAGE], unschedulable=True,
                  taints=[{"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": "2026-12-01T17:05:44Z"}]))
items.append(node("worker-c2", "c", 4, 16283240, ip="10.0.3.22", ready=False,
                  taints=[{"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"},
                          {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "timeAdded": "2026-12-02T08:41:08Z"}]))

# ---- kube-system: static (mirror) pods on the control plane, DaemonSets everywhere, CoreDNS.
def mirror(component, cpu, image_name, extra_mem=None):
    return pod("kube-system", f"{component}-cp-1", [container(component, image_name, cpu=cpu, mem=extra_mem)], node="cp-1",
               created="2026-10-14T08:12:55Z", labels={"component": component, "tier": "control-plane"}, owner=("Node", "cp-1"),
               tolerations=[{"effect": "NoExecute", "operator": "Exists"}], priority=2000001000, priority_class="system-node-critical",
               host_network=True, annotations={"kubernetes.io/config.hash": hashlib.md5(component.encode()).hexdigest(),
                                                "kubernetes.io/config.mirror": hashlib.md5(component.encode()).hexdigest(),
                                                "kubernetes.io/config.seen": "2026-10-14T08:12:41.513Z", "kubernetes.io/config.source": "file"})
items.append(mirror("etcd", "100m", "registry.k8s.io/etcd:3.6.4-0", "100Mi"))
items.append(mirror("kube-apiserver", "250m", "registry.k8s.io/kube-apiserver:v1.35.0"))
items.append(mirror("kube-controller-manager", "200m", "registry.k8s.io/kube-controller-manager:v1.35.0"))
items.append(mirror("kube-scheduler", "100m", "registry.k8s.io/kube-scheduler:v1.35.0"))

ALL_TOLERATED = [{"operator": "Exists"}]
suffix = {"cp-1": "9zq4d", "worker-a1": "h2k8s", "worker-b1": "t6w3m", "worker-b2": "p4c7x", "worker-c1": "b8n2v", "worker-c2": "q7x2p"}
def kube_proxy(n, bound=True, created="2026-10-14T08:13:20Z"):
    return pod("kube-system", f"kube-proxy-{suffix[n]}", [container("kube-proxy", "registry.k8s.io/kube-proxy:v1.35.0")],
               node=n if bound else None, phase="Running" if bound else "Pending", created=created, generate_name="kube-proxy-",
               labels={"controller-revision-hash": "7c9d6bd8f4", "k8s-app": "kube-proxy", "pod-template-generation": "1"},
               owner=("DaemonSet", "kube-proxy"), tolerations=ALL_TOLERATED + DAEMON_TOLERATIONS, priority=2000001000,
               priority_class="system-node-critical", affinity=daemon_affinity(n), host_network=True, qos="BestEffort")
def kindnet(n, created="2026-10-14T08:13:20Z"):
    return pod("kube-system", f"kindnet-{suffix[n]}", [container("kindnet-cni", "docker.io/kindest/kindnetd:v20250512-df8de77b", cpu="100m", mem="50Mi",
                                                               limits={"cpu": "100m", "memory": "50Mi"})],
               node=n, created=created, generate_name="kindnet-", labels={"app": "kindnet", "k8s-app": "kindnet", "tier": "node"},
               owner=("DaemonSet", "kindnet"), tolerations=ALL_TOLERATED + DAEMON_TOLERATIONS, priority=2000001000,
               priority_class="system-node-critical", affinity=daemon_affinity(n), host_network=True, qos="Guaranteed")
for n in NODES:
    if n != "worker-c2": items.append(kube_proxy(n))
    items.append(kindnet(n))
for s in ("7db6d8ff4d-5xq2r", "7db6d8ff4d-lw9fz"):
    items.append(pod("kube-system", f"coredns-{s}", [container("coredns", "registry.k8s.io/coredns/coredns:v1.12.1", cpu="100m", mem="70Mi",
                                                              limits={"memory": "170Mi"}, ports=[{"containerPort": 53, "name": "dns", "protocol": "UDP"}])],
                     node="cp-1", created="2026-10-14T08:13:24Z", generate_name="coredns-7db6d8ff4d-",
                     labels={"k8s-app": "kube-dns", "pod-template-hash": "7db6d8ff4d"}, owner=("ReplicaSet", "coredns-7db6d8ff4d"),
                     tolerations=[{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                  {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}] + DEFAULT_TOLERATIONS,
                     priority=2000000000, priority_class="system-cluster-critical", node_selector={"kubernetes.io/os": "linux"}))

# ---- shop: the web Deployment (one replica per node), a dev database, the apply'd warm-up pod.
web_labels = {"app": "web", "pod-template-hash": "6c7b9d5f4", "tier": "frontend"}
def web(name, node=None, phase="Running", created="2026-11-30T10:00:00Z", deleting=None, msg=None):
    return pod("shop", f"web-6c7b9d5f4-{name}", [container("web", WEB_IMG, cpu="1", mem="1Gi", limits={"memory": "2Gi"},
                                                          ports=[{"containerPort": 8080, "name": "http", "protocol": "TCP"}], probe=True)],
               node=node, phase=phase, created=created, generate_name="web-6c7b9d5f4-", labels=web_labels,
               owner=("ReplicaSet", "web-6c7b9d5f4"), affinity=web_anti_affinity(), deleting=deleting, unschedulable_msg=msg)
items.append(web("x2v9k", "worker-a1"))
items.append(web("r7p4q", "worker-b1"))
# Bound, still Pending (ContainerCreating) on the node that was cordoned afterwards: it counts.
items.append(web("d5m2w", "worker-c1", phase="Pending", created="2026-12-01T17:01:02Z"))
# A bound pod being deleted (graceful termination, a finalizer holds it): it still counts.
items.append(pod("shop", "web-5b8f7c6d9-old1", [container("web", "registry.example.com/shop/web:2.2.0", cpu="500m", mem="512Mi")],
                 node="worker-b1", created="2026-11-20T09:00:00Z", generate_name="web-5b8f7c6d9-",
                 labels={"app": "web-legacy", "pod-template-hash": "5b8f7c6d9"}, owner=("ReplicaSet", "web-5b8f7c6d9"),
                 deleting="2026-12-02T08:58:30Z"))
items.append(pod("shop", "postgres-dev", [container("postgres", "docker.io/library/postgres:16.4", cpu="250m", mem="512Mi")],
                 node="worker-a1", created="2026-11-02T14:21:09Z", labels={"app": "postgres", "env": "dev"},
                 annotations={"kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                     {"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {}, "labels": {"app": "postgres", "env": "dev"}, "name": "postgres-dev", "namespace": "shop"},
                      "spec": {"containers": [{"image": "docker.io/library/postgres:16.4", "name": "postgres", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}]}},
                     separators=(",", ":")) + "\n"}))

# ---- data: the production database (StatefulSet) on worker-b1.
items.append(pod("data", "postgres-0", [container("postgres", "docker.io/library/postgres:16.4", cpu="2", mem="4Gi", limits={"cpu": "2", "memory": "4Gi"},
                                                  ports=[{"containerPort": 5432, "name": "pg", "protocol": "TCP"}])],
                 node="worker-b1", created="2026-10-20T11:00:00Z", generate_name="postgres-",
                 labels={"app": "postgres", "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": "postgres-6f8b9c7d5",
                         "statefulset.kubernetes.io/pod-name": "postgres-0"},
                 owner=("StatefulSet", "postgres"), qos="Guaranteed"))

# ---- batch: finished Job pods on worker-a1 (they must not count), one on a node that is gone.
items.append(pod("batch", "report-29012340-7kq2d", [container("report", "registry.example.com/batch/report:1.4", cpu="2", mem="2Gi")],
                 node="worker-a1", phase="Succeeded", created="2026-12-02T02:00:00Z", generate_name="report-29012340-",
                 labels={"batch.kubernetes.io/controller-uid": uid("job/report"), "batch.kubernetes.io/job-name": "report-29012340", "job-name": "report-29012340"},
                 owner=("Job", "report-29012340"), restart="Never"))
items.append(pod("batch", "reindex-manual-x8z4t", [container("reindex", "registry.example.com/batch/reindex:0.9", cpu="1", mem="1Gi")],
                 node="worker-a1", phase="Failed", created="2026-12-02T01:10:00Z", labels={"job-name": "reindex-manual"},
                 owner=("Job", "reindex-manual"), restart="Never", exit_code=137))
items.append(pod("batch", "report-29012280-9fw3c", [container("report", "registry.example.com/batch/report:1.4", cpu="2", mem="2Gi")],
                 node="ip-10-0-9-14.eu-west-1.compute.internal", phase="Succeeded", created="2026-12-01T02:00:00Z",
                 generate_name="report-29012280-", labels={"job-name": "report-29012280"}, owner=("Job", "report-29012280"), restart="Never"))

# ---- pending pods (no spec.nodeName).
items.append(kube_proxy("worker-c2", bound=False, created="2026-12-02T08:41:10Z"))
items.append(pod("kube-system", "fluent-bit-8kd2w", [container("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.2.4", cpu="100m", mem="100Mi")],
                 phase="Pending", created="2026-12-02T08:45:00Z", generate_name="fluent-bit-",
                 labels={"app.kubernetes.io/name": "fluent-bit", "controller-revision-hash": "5f6c8d9b7", "pod-template-generation": "3"},
                 owner=("DaemonSet", "fluent-bit"), tolerations=DAEMON_TOLERATIONS, priority=2000001000, priority_class="system-node-critical",
                 affinity=daemon_affinity("worker-c1")))
items.append(pod("monitoring", "node-problem-detector-zt5lq", [container("node-problem-detector", "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20", cpu="20m", mem="20Mi")],
                 phase="Pending", created="2026-12-02T08:41:11Z", generate_name="node-problem-detector-",
                 labels={"app": "node-problem-detector", "controller-revision-hash": "6d8f7b5c4"},
                 owner=("DaemonSet", "node-problem-detector"), tolerations=DAEMON_TOLERATIONS, affinity=daemon_affinity("worker-c2"),
                 unschedulable_msg="0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: not eligible"))
items.append(pod("batch", "etl-nightly-29012345-5tq9z", [container("etl", "registry.example.com/batch/etl:3.0", cpu="2500m", mem="4Gi")],
                 phase="Pending", created="2026-12-02T08:50:00Z", generate_name="etl-nightly-29012345-",
                 labels={"job-name": "etl-nightly-29012345"}, owner=("Job", "etl-nightly-29012345"), restart="Never",
                 node_selector={"topology.kubernetes.io/zone": "eu-west-1a"}))
items.append(web("k2x9p", phase="Pending", created="2026-12-02T08:55:00Z"))
items.append(web("m8v3r", phase="Pending", created="2026-12-02T08:55:01Z"))
# Pending and already being deleted: skipped by the scheduler, not placed.
items.append(web("zq7n4", phase="Pending", created="2026-12-02T08:52:00Z", deleting="2026-12-02T08:56:00Z"))
items.append(pod("shop", "report-ui-5f8d7c9b6-qq4wz", [container("report-ui", "registry.example.com/shop/report-ui:1.0", cpu="300m", mem="256Mi")],
                 phase="Pending", created="2026-12-02T08:56:00Z", generate_name="report-ui-5f8d7c9b6-",
                 labels={"app": "report-ui", "pod-template-hash": "5f8d7c9b6"}, owner=("ReplicaSet", "report-ui-5f8d7c9b6"),
                 affinity={"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                     {"labelSelector": {"matchLabels": {"app": "postgres"}}, "namespaceSelector": {"matchLabels": {"team": "data"}},
                      "topologyKey": "kubernetes.io/hostname"}]}}))
items.append(pod("shop", "cart-warmup", [container("warmup", "registry.example.com/shop/cart-warmup:0.3", cpu="600m", mem="256Mi")],
                 phase="Pending", created="2026-12-02T08:57:00Z", labels={"app": "cart-warmup"}, restart="Never",
                 node_selector={"kubernetes.io/hostname": "worker-b1"},
                 annotations={"kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                     {"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {}, "name": "cart-warmup", "namespace": "shop"},
                      "spec": {"nodeSelector": {"kubernetes.io/hostname": "worker-b1"}, "containers": [{"name": "warmup", "image": "registry.example.com/shop/cart-warmup:0.3"}]}},
                     separators=(",", ":")) + "\n"}))
items.append(pod("batch", "spark-exec-1", [container("executor", "docker.io/apache/spark:3.5.3", cpu="1", mem="2Gi")],
                 phase="Pending", created="2026-12-02T08:51:00Z", labels={"spark-role": "executor"}, scheduler="volcano"))

# ---- namespaces.
items.append(namespace("default"))
items.append(namespace("kube-system"))
items.append(namespace("kube-public"))
items.append(namespace("kube-node-lease"))
items.append(namespace("shop", {"team": "shop"}, applied=True))
items.append(namespace("data", {"team": "data"}, applied=True))
items.append(namespace("batch", {"team": "data"}, applied=True))
items.append(namespace("monitoring", applied=True))

if len(sys.argv) > 1:
    # The planning inputs beside the snapshot: `kubectl get node worker-b2 -o json` renamed
    # as the template, and three more web replicas created after the snapshot was taken.
    out = sys.argv[1]
    template = node("worker-template", "b", 4, 16283240, ip="10.0.2.99", created="2026-12-02T08:30:11Z")
    with open(out + "/node_template.json", "w") as f:
        json.dump(template, f, indent=4)
        f.write("\n")
    more = [web(s, phase="Pending", created="2026-12-02T09:00:00Z") for s in ("n1a2b", "n3c4d", "n5e6f")]
    with open(out + "/more_web_replicas.json", "w") as f:
        json.dump({"apiVersion": "v1", "items": more, "kind": "List", "metadata": {"resourceVersion": ""}}, f, indent=4)
        f.write("\n")

# kubectl prints Nodes, then Pods, then Namespaces for `get nodes,pods,namespaces`.
order = {"Node": 0, "Pod": 1, "Namespace": 2}
items.sort(key=lambda o: (order[o["kind"]], o["metadata"].get("namespace", ""), o["metadata"]["name"]))
json.dump({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}, sys.stdout, indent=4)
sys.stdout.write("\n")
