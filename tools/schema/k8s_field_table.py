#!/usr/bin/env python3
"""Prints the table of Kubernetes API field names that Podium's strict input check uses
(engine/src/io/k8s_field_table.inc), from the Go types of k8s.io/api and k8s.io/apimachinery.

Only json tags are read: for every struct reachable from the kinds Podium loads, the field
names an object of that type may carry, and which of them hold objects (=Type), arrays of
objects (=[Type]) or maps of objects (={Type}). Every other field is a leaf: its value is
not looked into (scalars, arrays of scalars, free-form maps such as labels or resource lists,
raw JSON such as managedFields' fieldsV1).

Usage (needs checkouts of github.com/kubernetes/api and github.com/kubernetes/apimachinery at
one or more release tags; the table is the union, so a dump from any of those releases passes):
  tools/schema/k8s_field_table.py TAG API_DIR APIMACHINERY_DIR [TAG API_DIR APIMACHINERY_DIR ...] \
      > engine/src/io/k8s_field_table.inc
The tags are written in the output's first line.

PodGroup (scheduling.x-k8s.io/v1alpha1) is a CRD of kubernetes-sigs/scheduler-plugins
(apis/scheduling/v1alpha1/types.go); its few fields are listed below by hand, with
`status.scheduled`, which older releases of that CRD carried.
"""
import re
import sys
from pathlib import Path

RELEASES = [sys.argv[i:i + 3] for i in range(1, len(sys.argv), 3)]


def files(api, machinery):
    api, machinery = Path(api), Path(machinery)
    return [api / "core/v1/types.go", api / "apps/v1/types.go", api / "policy/v1/types.go",
            api / "scheduling/v1/types.go", machinery / "pkg/apis/meta/v1/types.go"]


# scheduler-plugins' PodGroup, as (json name, Go type, inline) rows like parse()'s.
POD_GROUP = {
    "PodGroup": [("", "metav1.TypeMeta", True), ("metadata", "metav1.ObjectMeta", False),
                 ("spec", "PodGroupSpec", False), ("status", "PodGroupStatus", False)],
    "PodGroupSpec": [("minMember", "int32", False), ("minResources", "v1.ResourceList", False),
                     ("scheduleTimeoutSeconds", "*int32", False)],
    "PodGroupStatus": [(n, "int32", False) for n in
                       ("phase", "occupiedBy", "scheduled", "running", "succeeded", "failed", "scheduleStartTime")],
}

# The kinds Podium's loader reads (engine/src/io/object_walker.hpp) and the list wrapper.
ROOTS = {"Node": "Node", "Pod": "Pod", "Namespace": "Namespace", "PriorityClass": "PriorityClass",
         "Service": "Service", "ReplicationController": "ReplicationController", "ReplicaSet": "ReplicaSet",
         "StatefulSet": "StatefulSet", "PodDisruptionBudget": "PodDisruptionBudget", "PodGroup": "PodGroup", "List": "List"}

# Types that encode as a JSON scalar (or as arbitrary JSON) although they are Go structs.
LEAF_STRUCTS = {"Time", "MicroTime", "Duration", "Quantity", "IntOrString", "FieldsV1", "RawExtension"}

FIELD = re.compile(r'^\s*(?:(\w+)\s+)?([\w\.\*\[\]]+(?:\[[\w\.]+\][\w\.\*\[\]]+)?)\s+`[^`]*json:"([^"]*)"')


def parse(files):
    structs = {}
    for f in files:
        name, fields = None, None
        for line in f.read_text().splitlines():
            m = re.match(r"^type (\w+) struct \{", line)
            if m:
                name, fields = m.group(1), []
                continue
            if name is None:
                continue
            if line.startswith("}"):
                structs.setdefault(name, fields)  # the first file that defines a name wins
                name = None
                continue
            m = FIELD.match(line)
            if m:
                go_name, go_type, tag = m.groups()
                if go_name is None:  # embedded: `metav1.TypeMeta \`json:",inline"\``
                    go_name = go_type
                fields.append((tag.split(",")[0], go_type, ",inline" in tag))
    return structs


def element(go_type):
    """(shape, type name): shape is '' for a single value, '[' for a slice, '{' for a map."""
    t = go_type.lstrip("*")
    shape = ""
    if t.startswith("[]"):
        shape, t = "[", t[2:].lstrip("*")
    elif t.startswith("map["):
        shape, t = "{", t[t.index("]") + 1:].lstrip("*")
    return shape, t.split(".")[-1]


def table_of(structs):
    structs.update(POD_GROUP)
    structs["List"] = [("apiVersion", "string", False), ("kind", "string", False),
                       ("metadata", "metav1.ListMeta", False), ("items", "[]RawExtension", False)]

    def flat_fields(name):
        out = []
        for tag, go_type, inline in structs[name]:
            if inline:
                out += flat_fields(element(go_type)[1])
            elif tag and tag != "-":
                out.append((tag, go_type))
        return out

    table, todo = {}, list(ROOTS.values())
    while todo:
        name = todo.pop()
        if name in table:
            continue
        row = []
        for tag, go_type in flat_fields(name):
            shape, t = element(go_type)
            if t in structs and t not in LEAF_STRUCTS and not (shape == "[" and t == "byte"):
                row.append(f"{tag}={'[' if shape == '[' else '{' if shape == '{' else ''}{t}"
                           f"{']' if shape == '[' else '}' if shape == '{' else ''}")
                todo.append(t)
            else:
                row.append(tag)
        table[name] = row
    return table


def main():
    table = {}
    for _, api, machinery in RELEASES:
        for name, row in table_of(parse(files(api, machinery))).items():
            merged = table.setdefault(name, [])
            merged += [f for f in row if f not in merged]
    tags = ", ".join(tag for tag, _, _ in RELEASES)
    print(f"// Generated by tools/schema/k8s_field_table.py from k8s.io/api and k8s.io/apimachinery {tags}.")
    print("// Do not edit by hand: re-run the script (its docstring says how). One type per line:")
    print("// `Type: field field=Object field=[ArrayOfObjects] field={MapOfObjects}`; plain fields are leaves.")
    print('R"PODIUM_FIELDS(')
    for name in sorted(table):
        print(f"{name}: {' '.join(table[name])}")
    print(')PODIUM_FIELDS"')


main()
