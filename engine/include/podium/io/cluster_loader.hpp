#pragma once
// Reading Kubernetes objects from files.
//
// Accepted shapes (JSON or YAML, detected from the content):
//   * a `List` (`kubectl get nodes,pods -A -o json`): {"kind":"List","items":[...]},
//     also `NodeList`, `PodList`, ... (any object with an `items` array);
//   * a bare JSON array of objects;
//   * a single object;
//   * YAML: one or more `---` separated documents, each any of the above.
// Each object is dispatched on `kind` (Node, Pod, Namespace, PriorityClass, Service,
// ReplicaSet, StatefulSet, ReplicationController, PodGroup); other kinds are skipped, not
// errors.
//
// Every problem raises podium::InputError naming the file and the JSON path of the
// offending field: malformed JSON/YAML, unknown quantity suffixes, negative or overflowing
// quantities, missing metadata.name, duplicate node names, duplicate pod keys, and (unless
// `options.lenient` is given) fields the Kubernetes API does not define (unknown_fields.hpp).

#include <string>
#include <string_view>

#include "podium/io/objects.hpp"
#include "podium/io/unknown_fields.hpp"

namespace YAML {
class Node;
}

namespace podium::io {

// Parses one file and appends its objects to `out`. Throws InputError.
void load_objects_file(const std::string& path, ClusterObjects& out, const LoadOptions& options = {});

// Same, for text already in memory; `file_name` is used in error messages only.
void load_objects_text(const std::string& text, const std::string& file_name, ClusterObjects& out,
                       const LoadOptions& options = {});

// Cross-object checks once everything is loaded: duplicate node names, duplicate pod
// namespace/name, pods whose spec.nodeName names no node, duplicate PodGroups, pods whose
// scheduling.x-k8s.io/pod-group label names no PodGroup of their namespace, PodGroups no
// pod joins. Throws InputError pointing at the later of two duplicates / at the pod's
// spec.nodeName or group label / at the unreferenced PodGroup's metadata.name.
void validate_objects(const ClusterObjects& objects);

// One object given as a parsed YAML node (a bench workload's inline or file template),
// read in place as `kind` (its own kind field, if any, must say the same); metadata.name
// may be absent. Errors carry `file_name`, `path` + the field's path and its line.
void load_template_object(const YAML::Node& node, std::string_view kind, const std::string& file_name,
                          const std::string& path, ClusterObjects& out, const LoadOptions& options = {});

}  // namespace podium::io
