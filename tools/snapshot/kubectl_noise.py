#!/usr/bin/env python3
"""Dress a `podium generate` List up as `kubectl get nodes,pods,namespaces -A -o json` output.

Real kubectl output carries, per object, far more than Podium reads: managedFields,
annotations (last-applied-configuration JSON strings), ownerReferences, node conditions,
addresses, images and nodeInfo, pod conditions and containerStatuses, volumes, probes,
default tolerations. This script adds that noise, deterministically, so that loading a
large real-shaped snapshot can be measured (docs/BENCHMARKS.md, "Loading a kubectl
snapshot"). Scheduling is unchanged: only fields the scheduler ignores are added, plus
the two NoExecute tolerations the DefaultTolerationSeconds admission plugin gives every
pod (they never matter without NoExecute taints).

    podium generate --nodes 5000 --pods 150000 --seed 1 --output c5k.json
    tools/snapshot/kubectl_noise.py c5k.json c5k-kubectl.json
"""
import hashlib
import json
import sys

T0 = "2026-11-30T10:00:00Z"


def uid(text):
    h = hashlib.md5(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def managed(manager, fields, subresource=None):
    m = {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": fields, "manager": manager,
         "operation": "Update", "time": T0}
    if subresource:
        m["subresource"] = subresource
    return m


def dress_node(node, i):
    name = node["metadata"]["name"]
    meta = node["metadata"]
    meta.update({
        "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                        "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
        "creationTimestamp": T0, "resourceVersion": str(1000 + i), "uid": uid("node/" + name),
        "managedFields": [
            managed("kubelet", {"f:metadata": {"f:annotations": {".": {}}, "f:labels": {".": {}, "f:kubernetes.io/hostname": {}}}}),
            managed("kubelet", {"f:status": {"f:conditions": {"k:{\"type\":\"Ready\"}": {"f:lastHeartbeatTime": {}}}, "f:images": {}}},
                    "status"),
        ]})
    node.setdefault("spec", {}).update({"podCIDR": f"10.{i // 256 % 256}.{i % 256}.0/24",
                                        "providerID": f"aws:///eu-west-1a/i-{hashlib.md5(name.encode()).hexdigest()[:17]}"})
    status = node.setdefault("status", {})
    status["capacity"] = dict(status.get("allocatable", {}), **{"ephemeral-storage": "101430960Ki", "hugepages-2Mi": "0"})
    status["addresses"] = [{"address": f"10.0.{i // 256 % 256}.{i % 256}", "type": "InternalIP"},
                           {"address": name, "type": "Hostname"}]
    status["conditions"] = [
        {"lastHeartbeatTime": T0, "lastTransitionTime": T0, "message": msg, "reason": reason, "status": s, "type": t}
        for t, s, reason, msg in (
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"))]
    status["daemonEndpoints"] = {"kubeletEndpoint": {"Port": 10250}}
    status.setdefault("images", [])
    status["images"] += [
        {"names": [f"registry.k8s.io/kube-proxy@sha256:{hashlib.sha256(b'kp').hexdigest()}", "registry.k8s.io/kube-proxy:v1.35.0"],
         "sizeBytes": 30521234},
        {"names": [f"registry.k8s.io/pause@sha256:{hashlib.sha256(b'pause').hexdigest()}", "registry.k8s.io/pause:3.10"],
         "sizeBytes": 320368}]
    status["nodeInfo"] = {"architecture": "amd64", "bootID": uid("boot/" + name), "containerRuntimeVersion": "containerd://2.1.1",
                          "kernelVersion": "6.8.0-1021-aws", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0",
                          "machineID": hashlib.md5(("m" + name).encode()).hexdigest(), "operatingSystem": "linux",
                          "osImage": "Ubuntu 24.04.1 LTS", "systemUUID": uid("sys/" + name)}


def dress_pod(pod, i):
    meta = pod["metadata"]
    ns, name = meta.get("namespace", "default"), meta["name"]
    app = meta.get("labels", {}).get("app", "app")
    rs = f"{app}-6c7b9d5f4"
    meta.update({
        "creationTimestamp": T0, "generateName": rs + "-", "resourceVersion": str(100000 + i), "uid": uid(f"pod/{ns}/{name}"),
        "annotations": {"kubectl.kubernetes.io/restartedAt": T0,
                        "kubectl.kubernetes.io/last-applied-configuration": json.dumps(
                            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": app, "namespace": ns}},
                            separators=(",", ":")) + "\n"},
        "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True, "kind": "ReplicaSet",
                             "name": rs, "uid": uid(f"rs/{ns}/{rs}")}],
        "managedFields": [
            managed("kube-controller-manager", {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:app": {}},
                                                               "f:ownerReferences": {".": {}}},
                                                  "f:spec": {"f:containers": {}, "f:dnsPolicy": {}, "f:restartPolicy": {}}}),
            managed("kubelet", {"f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:phase": {}}}, "status"),
        ]})
    meta.setdefault("labels", {})["pod-template-hash"] = "6c7b9d5f4"
    spec = pod.setdefault("spec", {})
    spec.update({"dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
                 "priority": spec.get("priority", 0), "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "securityContext": {}, "serviceAccount": "default", "serviceAccountName": "default",
                 "terminationGracePeriodSeconds": 30,
                 "volumes": [{"name": "kube-api-access-abcde", "projected": {"defaultMode": 420, "sources": [
                     {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                     {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}}]}}]})
    spec["tolerations"] = spec.get("tolerations", []) + [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}]
    for c in spec.get("containers", []):
        c.update({"imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
                  "terminationMessagePolicy": "File",
                  "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                  "livenessProbe": {"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                                    "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
                  "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                    "name": "kube-api-access-abcde", "readOnly": True}]})
    status = pod.setdefault("status", {})
    status.setdefault("phase", "Pending")
    status["qosClass"] = "Burstable"
    status["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": T0, "message": "0/5000 nodes are available",
                             "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: kubectl_noise.py IN.json OUT.json")
    with open(argv[1]) as f:
        doc = json.load(f)
    namespaces = set()
    for i, item in enumerate(doc["items"]):
        if item.get("kind") == "Node":
            dress_node(item, i)
        elif item.get("kind") == "Pod":
            dress_pod(item, i)
            namespaces.add(item["metadata"].get("namespace", "default"))
    for ns in sorted(namespaces | {"default", "kube-system"}):
        doc["items"].append({"apiVersion": "v1", "kind": "Namespace",
                             "metadata": {"creationTimestamp": T0, "labels": {"kubernetes.io/metadata.name": ns},
                                          "name": ns, "uid": uid("ns/" + ns)},
                             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    doc["metadata"] = {"resourceVersion": ""}
    with open(argv[2], "w") as f:
        json.dump(doc, f, indent=4)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
