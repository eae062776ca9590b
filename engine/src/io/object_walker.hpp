#pragma once
// The one place that knows which Kubernetes fields Podium reads and what they mean.
// ObjectWalker<V> is instantiated for JsonValue (simdjson DOM) and YamlValue (yaml-cpp);
// both expose the same small interface (see json_value.hpp), so JSON and YAML share every
// rule: defaults, absent-vs-empty, quantity checks and error paths.
//
// Rules, as encoding/json applies them to the k8s.io/api Go types:
//   * unknown fields are ignored (kubectl output carries many: managedFields, status...);
//   * null means absent, except for a quantity in a resource map, where
//     Quantity.UnmarshalJSON("null") stores a zero that is present;
//   * a field we read must have the right type, or it is an InputError;
//   * in a duplicated object key the last value wins, as in Go.
// Field values are seen as string_views into the parsed document; only what is stored in
// the output structs is copied.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/json_path.hpp"
#include "io/rfc3339.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/gpu_share.hpp"
#include "podium/io/objects.hpp"
#include "podium/io/quantity.hpp"

namespace podium::io::detail {

template <class V>
class ObjectWalker {
 public:
  ObjectWalker(const std::string& file, ClusterObjects& out) : file_(file), out_(out) {}

  // One document root: a List (any object with an `items` array), a bare array of
  // objects, or a single object. A null root (an empty YAML document) holds nothing.
  void walk_root(const V& root, const JsonPath& path) {
    if (root.is_null()) return;
    if (root.is_array()) {
      ++recognized_;  // a bare array is a list, possibly empty
      root.for_each_element([&](std::size_t i, const V& item) {
        if (mine(i)) walk_item(item, path.index(i), {});
      });
      return;
    }
    if (!root.is_object()) fail(path, root, std::string("expected an object or an array, got ") + root.type_name());
    walk_object(root, path, {});
  }

  // For a walk split into parts (cluster_loader.cpp): this walker reads only the items
  // [begin, end) of the root List or array; the root's own shape is checked by every part.
  // The first part (`begin == 0`) reserves room for the whole list (reserve_for), so that
  // the later parts' objects can be appended to its output without moving it.
  void take_items(std::size_t begin, std::size_t end) {
    item_begin_ = begin;
    item_end_ = end;
  }

  // For a root List parsed as two documents (cluster_loader.cpp, json_list_split.hpp):
  // `root` gives the List's own fields (kind, ...) and every check on them, `items` (one
  // document's part of the list) stands in for its `items`, numbered from `first_index`
  // in paths. `reserve` is the room to reserve in the nodes and pods vectors.
  void walk_root_items(const V& root, const V& items, std::size_t first_index, std::size_t reserve,
                       const JsonPath& path) {
    items_override_ = &items;
    index_offset_ = first_index;
    reserve_override_ = reserve;
    walk_root(root, path);
    items_override_ = nullptr;
  }

  // After the later part `next` finished its walk: this walker now speaks for both in
  // finish(). Parts are merged in document order, so the first unknown kind stays first.
  void absorb(const ObjectWalker& next) {
    recognized_ += next.recognized_;
    if (unknown_kind_.empty()) unknown_kind_ = next.unknown_kind_;
  }

  // One bench template object read as `kind`; it may leave metadata.name out.
  void walk_template(const V& v, const JsonPath& path, std::string_view kind) {
    allow_unnamed_ = true;
    walk_object(v, path, kind);
  }

  // After the last document of a file: a file that held no List and no object of a kind
  // Podium reads (an empty file, `{}`, `kind: Lisst`) is an error, not an empty cluster.
  void finish() const {
    if (recognized_ > 0) return;
    throw InputError(file_, "",
                     "no Kubernetes objects: expected a List, an array of objects or an object of kind Node, Pod, "
                     "Namespace, PriorityClass, Service, ReplicationController, ReplicaSet or StatefulSet" +
                         (unknown_kind_.empty() ? std::string() : " (found kind \"" + unknown_kind_ + "\")"));
  }

 private:
  // ---- dispatch --------------------------------------------------------------------

  // An element of a List or of a root array; a List inside it is read whole.
  void walk_item(const V& v, const JsonPath& path, std::string_view inherited_kind) {
    const bool was_in_item = in_item_;
    in_item_ = true;
    walk_object(v, path, inherited_kind);
    in_item_ = was_in_item;
  }

  // `inherited_kind` is the kind implied by a typed list (PodList -> Pod): the API
  // server omits kind and apiVersion on the items of such lists.
  void walk_object(const V& v, const JsonPath& path, std::string_view inherited_kind) {
    if (!v.is_object()) fail(path, v, std::string("expected an object, got ") + v.type_name());
    std::string_view kind = inherited_kind;
    V kind_value;
    if (v.find_field("kind", kind_value) && !kind_value.is_null()) kind = string(kind_value, path.field("kind"));

    V items;
    const bool list_kind = kind.empty() || kind == "List" || ends_with(kind, "List");
    if (list_kind && v.find_field("items", items) && !items.is_null()) {
      const JsonPath items_path = path.field("items");
      if (!items.is_array()) fail(items_path, items, std::string("expected an array, got ") + items.type_name());
      const std::string_view item_kind =
          ends_with(kind, "List") && kind != "List" ? kind.substr(0, kind.size() - 4) : std::string_view();
      ++recognized_;
      const bool root_list = !in_item_;  // take_items splits the root's list only
      if (root_list && items_override_ != nullptr) {
        if (!items_override_->is_array())
          fail(items_path, *items_override_, std::string("expected an array, got ") + items_override_->type_name());
        out_.nodes.reserve(out_.nodes.size() + reserve_override_);
        out_.pods.reserve(out_.pods.size() + reserve_override_);
        items_override_->for_each_element([&](std::size_t i, const V& item) {
          walk_item(item, items_path.index(index_offset_ + i), item_kind);
        });
        return;
      }
      reserve_for(items, root_list);
      items.for_each_element([&](std::size_t i, const V& item) {
        if (!root_list || mine(i)) walk_item(item, items_path.index(i), item_kind);
      });
      return;
    }

    if (kind.empty()) fail(path, v, "missing kind (an object needs a kind, or a List an items array)");
    const bool known = kind == "Node" || kind == "Pod" || kind == "Namespace" || kind == "PriorityClass" ||
                       kind == "Service" || kind == "ReplicationController" || kind == "ReplicaSet" ||
                       kind == "StatefulSet" || kind == "PodGroup" || kind == "PodDisruptionBudget";
    if (known) ++recognized_;
    else if (unknown_kind_.empty()) unknown_kind_ = kind;
    if (kind == "Node") {
      read_node(v, path);
    } else if (kind == "Pod") {
      read_pod(v, path);
    } else if (kind == "Namespace") {
      read_namespace(v, path);
    } else if (kind == "PriorityClass") {
      read_priority_class(v, path);
    } else if (kind == "Service" || kind == "ReplicationController") {
      read_selector_owner(v, path, kind, /*map_selector=*/true);
    } else if (kind == "ReplicaSet" || kind == "StatefulSet") {
      read_selector_owner(v, path, kind, /*map_selector=*/false);
    } else if (kind == "PodGroup") {
      read_pod_group(v, path);
    } else if (kind == "PodDisruptionBudget") {
      read_disruption_budget(v, path);
    }
    // Every other kind (Deployments, ConfigMaps, Events, ...) is not scheduling input.
  }

  // Room for every item of a list as a Node and as a Pod, so that their vectors are
  // allocated once: on a 150,000-pod list, growing by doubling would move and touch about
  // twice the memory, and page faults are a large part of loading time. Capacity that is
  // never written costs address space, not memory (no page is touched), so this reserves
  // from the item count instead of a pass that looks up every item's kind.
  void reserve_for(const V& items, bool root_list) {
    std::size_t n = items.size();
    if (root_list && item_begin_ > 0) n = n > item_begin_ ? n - item_begin_ : 0;  // a later part: its own items
    out_.nodes.reserve(out_.nodes.size() + n);
    out_.pods.reserve(out_.pods.size() + n);
  }

  // ---- top-level kinds -------------------------------------------------------------

  void read_node(const V& v, const JsonPath& path) {
    NodeObject node;
    node.source = source(path);
    bool have_allocatable = false;
    std::optional<V> capacity;
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p, Meta{.name = &node.name, .labels = &node.labels});
      } else if (key == "spec") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "taints") {
            list(g, q, node.taints, [&](const V& t, const JsonPath& tp, Taint& taint) { read_taint(t, tp, taint); });
          } else if (k == "unschedulable") {
            node.unschedulable = boolean(g, q);
          }
        });
      } else if (key == "status") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "allocatable") {
            have_allocatable = true;
            node.allocatable.clear();
            read_resource_list(g, q, node.allocatable);
          } else if (k == "capacity") {
            // Read only when allocatable is absent (objects.hpp): hand-written and
            // trace-derived node lists often give capacity alone. The scheduler itself
            // only ever looks at allocatable.
            capacity.emplace(g);
            check_object(g, q);
          } else if (k == "images") {
            list(g, q, node.images, [&](const V& i, const JsonPath& ip, NodeImage& image) { read_image(i, ip, image); });
          }
        });
      }
    });
    if (!have_allocatable && capacity) {
      const JsonPath status_path = path.field("status");
      read_resource_list(*capacity, status_path.field("capacity"), node.allocatable);
    }
    require_name(v, path, node.name);
    node.gpu_share = read_node_gpu_share(node);
    out_.nodes.push_back(std::move(node));
  }

  void read_pod(const V& v, const JsonPath& path) {
    PodObject pod;
    pod.source = source(path);
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p,
                      Meta{.name = &pod.name,
                           .namespace_ = &pod.namespace_,
                           .uid = &pod.uid,
                           .labels = &pod.labels,
                           .owner_references = &pod.owner_references,
                           .creation_timestamp_ns = &pod.creation_timestamp_ns,
                           .gpu_annotations = &pod.gpu_annotations,
                           .deletion_timestamp_ns = &pod.deletion_timestamp_ns});
      } else if (key == "spec") {
        read_pod_spec(f, p, pod);
      } else if (key == "status") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "phase") {
            pod.phase = string(g, q);
          } else if (k == "startTime" && !g.is_null()) {
            pod.start_time_ns = timestamp(g, q);
          }
        });
      }
    });
    require_name(v, path, pod.name);
    pod.gpu_share = read_pod_gpu_share(pod);
    out_.pods.push_back(std::move(pod));
  }

  void read_pod_spec(const V& v, const JsonPath& path, PodObject& pod) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "nodeName") {
        pod.node_name = string(f, p);
      } else if (key == "schedulerName") {
        // An empty schedulerName is defaulted by the API server, like an absent one.
        if (const std::string_view s = string(f, p); !s.empty()) pod.scheduler_name = s;
      } else if (key == "priority") {
        pod.priority = int32(f, p);
      } else if (key == "priorityClassName") {
        pod.priority_class_name = string(f, p);
      } else if (key == "preemptionPolicy") {
        pod.preemption_policy = preemption_policy(f, p);
      } else if (key == "containers") {
        list(f, p, pod.containers, [&](const V& c, const JsonPath& cp, Container& out) { read_container(c, cp, out, false); });
      } else if (key == "initContainers") {
        list(f, p, pod.init_containers,
             [&](const V& c, const JsonPath& cp, Container& out) { read_container(c, cp, out, true); });
      } else if (key == "overhead") {
        pod.overhead.clear();
        read_resource_list(f, p, pod.overhead);
      } else if (key == "resources") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "requests") {
            pod.pod_level_requests.emplace();
            read_resource_list(g, q, *pod.pod_level_requests);
          }
        });
      } else if (key == "nodeSelector") {
        pod.node_selector.clear();
        string_map(f, p, pod.node_selector);
      } else if (key == "tolerations") {
        list(f, p, pod.tolerations, [&](const V& t, const JsonPath& tp, Toleration& out) { read_toleration(t, tp, out); });
      } else if (key == "affinity") {
        pod.affinity.emplace();
        read_affinity(f, p, *pod.affinity);
      } else if (key == "topologySpreadConstraints") {
        list(f, p, pod.topology_spread_constraints,
             [&](const V& c, const JsonPath& cp, TopologySpreadConstraint& out) { read_spread_constraint(c, cp, out); });
      }
    });
  }

  void read_namespace(const V& v, const JsonPath& path) {
    NamespaceObject ns;
    ns.source = source(path);
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") read_metadata(f, p, Meta{.name = &ns.name, .labels = &ns.labels});
    });
    require_name(v, path, ns.name);
    out_.namespaces.push_back(std::move(ns));
  }

  void read_priority_class(const V& v, const JsonPath& path) {
    PriorityClassObject pc;
    pc.source = source(path);
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p, Meta{.name = &pc.name});
      } else if (key == "value") {
        pc.value = int32(f, p);
      } else if (key == "globalDefault") {
        pc.global_default = boolean(f, p);
      } else if (key == "preemptionPolicy") {
        pc.preemption_policy = preemption_policy(f, p);
      }
    });
    require_name(v, path, pc.name);
    out_.priority_classes.push_back(std::move(pc));
  }

  // Service and ReplicationController select pods with a plain label map
  // (spec.selector: {app: web}); ReplicaSet and StatefulSet with a LabelSelector.
  void read_selector_owner(const V& v, const JsonPath& path, std::string_view kind, bool map_selector) {
    SelectorOwnerObject owner;
    owner.source = source(path);
    owner.kind = kind;
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p, Meta{.name = &owner.name, .namespace_ = &owner.namespace_});
      } else if (key == "spec") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k != "selector") return;
          owner.selector.emplace();
          if (map_selector) {
            string_map(g, q, owner.selector->match_labels);
          } else {
            read_label_selector(g, q, *owner.selector);
          }
        });
      }
    });
    require_name(v, path, owner.name);
    out_.selector_owners.push_back(std::move(owner));
  }

  // scheduling.x-k8s.io PodGroup: metadata and spec.minMember. The CRD lets minMember
  // default to 0, which would make the group no gang at all; Podium asks for it
  // explicitly (>= 1) so that a typo does not silently turn all-or-nothing off. Other
  // spec fields (scheduleTimeoutSeconds, minResources) are ignored like unknown fields.
  void read_pod_group(const V& v, const JsonPath& path) {
    PodGroupObject group;
    group.source = source(path);
    bool have_min_member = false;
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p, Meta{.name = &group.name, .namespace_ = &group.namespace_});
      } else if (key == "spec") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k != "minMember") return;
          group.min_member = int32(g, q);
          have_min_member = true;
          if (group.min_member < 1) {
            fail(q, g, "spec.minMember must be at least 1, got " + std::to_string(group.min_member));
          }
        });
      }
    });
    require_name(v, path, group.name);
    if (!have_min_member) {
      V spec;
      const JsonPath spec_path = path.field("spec");
      fail(spec_path.field("minMember"), v.find_field("spec", spec) ? spec : v,
           "PodGroup \"" + group.key() + "\" has no spec.minMember (it must be at least 1)");
    }
    out_.pod_groups.push_back(std::move(group));
  }

  // policy/v1 PodDisruptionBudget. The API server refuses both minAvailable and
  // maxUnavailable; a budget without either (or without status.disruptionsAllowed) cannot
  // be computed, so Podium asks for one of the three (state builder's rule: FORMATS.md).
  void read_disruption_budget(const V& v, const JsonPath& path) {
    PodDisruptionBudgetObject pdb;
    pdb.source = source(path);
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "metadata") {
        read_metadata(f, p, Meta{.name = &pdb.name, .namespace_ = &pdb.namespace_});
      } else if (key == "spec") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "selector" && !g.is_null()) {
            pdb.selector.emplace();
            read_label_selector(g, q, *pdb.selector);
          } else if (k == "minAvailable" && !g.is_null()) {
            pdb.min_available = int_or_percent(g, q);
          } else if (k == "maxUnavailable" && !g.is_null()) {
            pdb.max_unavailable = int_or_percent(g, q);
          }
        });
        if (pdb.min_available && pdb.max_unavailable)
          fail(p.field("maxUnavailable"), f, "minAvailable and maxUnavailable cannot both be set");
      } else if (key == "status") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "disruptionsAllowed" && !g.is_null()) {
            pdb.disruptions_allowed = int32(g, q);
            if (*pdb.disruptions_allowed < 0) fail(q, g, "must not be negative");
          } else if (k == "disruptedPods" && !g.is_null()) {
            check_object(g, q);
            g.for_each_field([&](std::string_view name, const V&) { pdb.disrupted_pods.emplace_back(name); });
          }
        });
      }
    });
    require_name(v, path, pdb.name);
    if (!pdb.min_available && !pdb.max_unavailable && !pdb.disruptions_allowed) {
      fail(path.field("spec"), v,
           "PodDisruptionBudget \"" + pdb.key() +
               "\" needs spec.minAvailable, spec.maxUnavailable or status.disruptionsAllowed");
    }
    out_.disruption_budgets.push_back(std::move(pdb));
  }

  // ---- metadata --------------------------------------------------------------------

  // The metadata fields a kind wants; nullptr members are skipped.
  struct Meta {
    std::string* name = nullptr;
    std::string* namespace_ = nullptr;
    std::string* uid = nullptr;
    StringMap* labels = nullptr;
    std::vector<OwnerReference>* owner_references = nullptr;
    std::optional<std::int64_t>* creation_timestamp_ns = nullptr;
    StringMap* gpu_annotations = nullptr;  // only keys with kGpuAnnotationPrefix
    std::optional<std::int64_t>* deletion_timestamp_ns = nullptr;
  };

  void read_metadata(const V& v, const JsonPath& path, const Meta& meta) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "name" && meta.name) {
        *meta.name = string(f, p);
      } else if (key == "namespace" && meta.namespace_) {
        // An empty namespace means the default one, as the API server fills it in.
        if (const std::string_view s = string(f, p); !s.empty()) *meta.namespace_ = s;
      } else if (key == "uid" && meta.uid) {
        *meta.uid = string(f, p);
      } else if (key == "labels" && meta.labels) {
        meta.labels->clear();
        string_map(f, p, *meta.labels);
      } else if (key == "ownerReferences" && meta.owner_references) {
        list(f, p, *meta.owner_references, [&](const V& o, const JsonPath& op, OwnerReference& ref) {
          fields(o, op, [&](std::string_view k, const V& g, const JsonPath& q) {
            if (k == "kind") {
              ref.kind = string(g, q);
            } else if (k == "name") {
              ref.name = string(g, q);
            } else if (k == "uid") {
              ref.uid = string(g, q);
            } else if (k == "controller") {
              ref.controller = boolean(g, q);
            }
          });
        });
      } else if (key == "annotations" && meta.gpu_annotations) {
        meta.gpu_annotations->clear();
        check_object(f, p);
        f.for_each_field([&](std::string_view k, const V& value) {
          if (!k.starts_with(kGpuAnnotationPrefix) || value.is_null()) return;
          upsert(*meta.gpu_annotations, k, string(value, p.field(k)));
        });
      } else if (key == "creationTimestamp" && meta.creation_timestamp_ns) {
        timestamp(f, p, *meta.creation_timestamp_ns);
      } else if (key == "deletionTimestamp" && meta.deletion_timestamp_ns) {
        timestamp(f, p, *meta.deletion_timestamp_ns);
      }
    });
  }

  // A metav1.Time: RFC 3339, as the API server writes it.
  void timestamp(const V& v, const JsonPath& path, std::optional<std::int64_t>& out) {
    std::string error;
    out = parse_rfc3339_ns(string(v, path), &error);
    if (!out) fail(path, v, error);
  }

  void require_name(const V& object, const JsonPath& path, const std::string& name) {
    if (!name.empty() || allow_unnamed_) return;
    V metadata;
    const JsonPath metadata_path = path.field("metadata");
    const JsonPath p = metadata_path.field("name");
    if (!object.find_field("metadata", metadata)) fail(p, object, "missing metadata.name");
    fail(p, metadata, "metadata.name must not be empty");
  }

  // ---- scheduling fields -------------------------------------------------------------

  void read_container(const V& v, const JsonPath& path, Container& c, bool init) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "name") {
        c.name = string(f, p);
      } else if (key == "image") {
        c.image = string(f, p);
      } else if (key == "resources") {
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "requests") {
            c.requests.clear();
            read_resource_list(g, q, c.requests);
          }
        });
      } else if (key == "ports") {
        list(f, p, c.ports, [&](const V& port, const JsonPath& pp, ContainerPort& out) {
          fields(port, pp, [&](std::string_view k, const V& g, const JsonPath& q) {
            if (k == "containerPort") {
              out.container_port = in_range(g, q, 1, 65535);
            } else if (k == "hostPort") {
              out.host_port = in_range(g, q, 0, 65535);
            } else if (k == "protocol") {
              // An empty protocol is defaulted to TCP by the API server.
              if (const std::string_view s = string(g, q); !s.empty()) out.protocol = s;
            } else if (k == "hostIP") {
              out.host_ip = string(g, q);
            }
          });
        });
      } else if (key == "restartPolicy" && init) {
        // Only on init containers does restartPolicy: Always mean "sidecar".
        c.restart_policy_always = string(f, p) == "Always";
      }
    });
  }

  void read_taint(const V& v, const JsonPath& path, Taint& t) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "key") {
        t.key = string(f, p);
      } else if (key == "value") {
        t.value = string(f, p);
      } else if (key == "effect") {
        t.effect = string(f, p);
        check_effect(f, p, t.effect, /*empty_ok=*/false);
      }
    });
  }

  void read_toleration(const V& v, const JsonPath& path, Toleration& t) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "key") {
        t.key = string(f, p);
      } else if (key == "operator") {
        t.op = string(f, p);
      } else if (key == "value") {
        t.value = string(f, p);
      } else if (key == "effect") {
        t.effect = string(f, p);
        check_effect(f, p, t.effect, /*empty_ok=*/true);
      } else if (key == "tolerationSeconds") {
        t.toleration_seconds = int64(f, p);
      }
    });
  }

  void read_image(const V& v, const JsonPath& path, NodeImage& image) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "names") {
        string_list(f, p, image.names);
      } else if (key == "sizeBytes") {
        image.size_bytes = int64(f, p);
      }
    });
  }

  void read_label_selector(const V& v, const JsonPath& path, LabelSelector& s) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "matchLabels") {
        s.match_labels.clear();
        string_map(f, p, s.match_labels);
      } else if (key == "matchExpressions") {
        list(f, p, s.match_expressions, [&](const V& e, const JsonPath& ep, LabelSelectorRequirement& r) {
          read_requirement(e, ep, r.key, r.op, r.values);
        });
      }
    });
  }

  // LabelSelectorRequirement and NodeSelectorRequirement share their shape.
  void read_requirement(const V& v, const JsonPath& path, std::string& key_out, std::string& op_out,
                        std::vector<std::string>& values_out) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "key") {
        key_out = string(f, p);
      } else if (key == "operator") {
        op_out = string(f, p);
      } else if (key == "values") {
        string_list(f, p, values_out);
      }
    });
  }

  void read_node_selector_term(const V& v, const JsonPath& path, NodeSelectorTerm& term) {
    auto requirement = [&](const V& e, const JsonPath& ep, NodeSelectorRequirement& r) {
      read_requirement(e, ep, r.key, r.op, r.values);
    };
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "matchExpressions") {
        list(f, p, term.match_expressions, requirement);
      } else if (key == "matchFields") {
        list(f, p, term.match_fields, requirement);
      }
    });
  }

  void read_affinity(const V& v, const JsonPath& path, Affinity& a) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "nodeAffinity") {
        a.node_affinity.emplace();
        read_node_affinity(f, p, *a.node_affinity);
      } else if (key == "podAffinity") {
        a.pod_affinity.emplace();
        read_pod_affinity(f, p, *a.pod_affinity);
      } else if (key == "podAntiAffinity") {
        a.pod_anti_affinity.emplace();
        read_pod_affinity(f, p, *a.pod_anti_affinity);
      }
    });
  }

  void read_node_affinity(const V& v, const JsonPath& path, NodeAffinity& na) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "requiredDuringSchedulingIgnoredDuringExecution") {
        // A present NodeSelector with no terms stays present: it matches no node.
        na.required.emplace();
        fields(f, p, [&](std::string_view k, const V& g, const JsonPath& q) {
          if (k == "nodeSelectorTerms") {
            list(g, q, *na.required,
                 [&](const V& t, const JsonPath& tp, NodeSelectorTerm& term) { read_node_selector_term(t, tp, term); });
          }
        });
      } else if (key == "preferredDuringSchedulingIgnoredDuringExecution") {
        list(f, p, na.preferred, [&](const V& t, const JsonPath& tp, PreferredSchedulingTerm& term) {
          fields(t, tp, [&](std::string_view k, const V& g, const JsonPath& q) {
            if (k == "weight") {
              term.weight = in_range(g, q, 1, 100);
            } else if (k == "preference") {
              read_node_selector_term(g, q, term.preference);
            }
          });
        });
      }
    });
  }

  void read_pod_affinity(const V& v, const JsonPath& path, PodAffinity& pa) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "requiredDuringSchedulingIgnoredDuringExecution") {
        list(f, p, pa.required,
             [&](const V& t, const JsonPath& tp, PodAffinityTerm& term) { read_pod_affinity_term(t, tp, term); });
      } else if (key == "preferredDuringSchedulingIgnoredDuringExecution") {
        list(f, p, pa.preferred, [&](const V& t, const JsonPath& tp, WeightedPodAffinityTerm& term) {
          fields(t, tp, [&](std::string_view k, const V& g, const JsonPath& q) {
            if (k == "weight") {
              term.weight = in_range(g, q, 1, 100);
            } else if (k == "podAffinityTerm") {
              read_pod_affinity_term(g, q, term.term);
            }
          });
        });
      }
    });
  }

  void read_pod_affinity_term(const V& v, const JsonPath& path, PodAffinityTerm& term) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "labelSelector") {
        term.label_selector.emplace();
        read_label_selector(f, p, *term.label_selector);
      } else if (key == "namespaces") {
        string_list(f, p, term.namespaces);
      } else if (key == "namespaceSelector") {
        term.namespace_selector.emplace();
        read_label_selector(f, p, *term.namespace_selector);
      } else if (key == "topologyKey") {
        term.topology_key = string(f, p);
      } else if (key == "matchLabelKeys") {
        string_list(f, p, term.match_label_keys);
      } else if (key == "mismatchLabelKeys") {
        string_list(f, p, term.mismatch_label_keys);
      }
    });
  }

  void read_spread_constraint(const V& v, const JsonPath& path, TopologySpreadConstraint& c) {
    fields(v, path, [&](std::string_view key, const V& f, const JsonPath& p) {
      if (key == "maxSkew") {
        c.max_skew = int32(f, p);
      } else if (key == "topologyKey") {
        c.topology_key = string(f, p);
      } else if (key == "whenUnsatisfiable") {
        c.when_unsatisfiable = string(f, p);
      } else if (key == "labelSelector") {
        c.label_selector.emplace();
        read_label_selector(f, p, *c.label_selector);
      } else if (key == "minDomains") {
        c.min_domains = int32(f, p);
      } else if (key == "nodeAffinityPolicy") {
        c.node_affinity_policy = string(f, p);
      } else if (key == "nodeTaintsPolicy") {
        c.node_taints_policy = string(f, p);
      } else if (key == "matchLabelKeys") {
        string_list(f, p, c.match_label_keys);
      }
    });
  }

  // ---- resource lists ----------------------------------------------------------------

  // A map of resource name -> Quantity for requests, overhead or allocatable. Every value
  // must parse, must not be negative, and must convert to the unit the engine keeps
  // (milli-CPU for "cpu", whole units otherwise) without overflowing int64.
  void read_resource_list(const V& v, const JsonPath& path, ResourceList& out) {
    check_object(v, path);
    out.reserve(out.size() + v.size());
    v.for_each_field([&](std::string_view name, const V& f) {
      const JsonPath p = path.field(name);
      Quantity q;
      if (!f.is_null()) q = quantity(f, p, name);
      upsert(out, name, q);
    });
  }

  Quantity quantity(const V& v, const JsonPath& path, std::string_view resource) {
    char buffer[64];
    std::string_view text;
    if (!v.get_quantity_text(text, buffer)) {
      fail(path, v, std::string("expected a quantity (a string or a number), got ") + v.type_name());
    }
    // Quantity.UnmarshalJSON trims surrounding whitespace before parsing.
    text = trim(text);
    std::string error;
    const std::optional<Quantity> q = parse_quantity(text, &error);
    auto quoted = [&] { return "\"" + std::string(text) + "\""; };
    if (!q) fail(path, v, "cannot parse quantity " + quoted() + ": " + error);
    if (q->is_negative()) fail(path, v, "quantity " + quoted() + " must not be negative");
    if (resource == "cpu") {
      if (!q->milli_value()) fail(path, v, "quantity " + quoted() + " is too large (milli-value overflows int64)");
    } else if (!q->value()) {
      fail(path, v, "quantity " + quoted() + " is too large (value overflows int64)");
    }
    return *q;
  }

  // ---- primitives ------------------------------------------------------------------

  // f(key, value, path) for every non-null field of an object.
  template <class F>
  void fields(const V& v, const JsonPath& path, F&& f) {
    check_object(v, path);
    v.for_each_field([&](std::string_view key, const V& value) {
      if (value.is_null()) return;
      const JsonPath p = path.field(key);
      f(key, value, p);
    });
  }

  // Replaces `out` with the array's elements; a null element is a zero-valued element,
  // as encoding/json makes it.
  template <class T, class F>
  void list(const V& v, const JsonPath& path, std::vector<T>& out, F&& read) {
    if (!v.is_array()) fail(path, v, std::string("expected an array, got ") + v.type_name());
    out.clear();
    out.reserve(v.size());
    v.for_each_element([&](std::size_t i, const V& e) {
      T& item = out.emplace_back();
      if (!e.is_null()) read(e, path.index(i), item);
    });
  }

  void string_list(const V& v, const JsonPath& path, std::vector<std::string>& out) {
    list(v, path, out, [&](const V& e, const JsonPath& p, std::string& s) { s = string(e, p); });
  }

  void string_map(const V& v, const JsonPath& path, StringMap& out) {
    check_object(v, path);
    out.reserve(out.size() + v.size());
    v.for_each_field([&](std::string_view key, const V& value) {
      std::string_view s;
      if (!value.is_null()) s = string(value, path.field(key));
      upsert(out, key, s);
    });
  }

  std::string_view string(const V& v, const JsonPath& path) {
    std::string_view s;
    if (!v.get_string(s)) fail(path, v, std::string("expected a string, got ") + v.type_name());
    return s;
  }

  bool boolean(const V& v, const JsonPath& path) {
    bool b = false;
    if (!v.get_bool(b)) fail(path, v, std::string("expected a boolean, got ") + v.type_name());
    return b;
  }

  std::int64_t timestamp(const V& v, const JsonPath& path) {
    std::string error;
    const auto ns = parse_rfc3339_ns(string(v, path), &error);
    if (!ns) fail(path, v, error);
    return *ns;
  }

  // PriorityClass / pod spec.preemptionPolicy (core/v1 PreemptionPolicy).
  std::string preemption_policy(const V& v, const JsonPath& path) {
    const std::string_view s = string(v, path);
    if (s != "Never" && s != "PreemptLowerPriority")
      fail(path, v, "unsupported preemptionPolicy \"" + std::string(s) + "\" (Never or PreemptLowerPriority)");
    return std::string(s);
  }

  // intstr.IntOrString as PodDisruptionBudget validation accepts it: a non-negative
  // integer, or "N%" with 0 <= N <= 100.
  IntOrPercent int_or_percent(const V& v, const JsonPath& path) {
    std::int64_t i = 0;
    if (v.get_int64(i)) {
      if (i < 0 || i > std::numeric_limits<std::int32_t>::max()) fail(path, v, "must be a non-negative int32");
      return {static_cast<std::int32_t>(i), false};
    }
    std::string_view s;
    if (!v.get_string(s)) fail(path, v, std::string("expected an integer or a percentage, got ") + v.type_name());
    const std::string text(s);
    std::size_t used = 0;
    int value = -1;
    try {
      if (text.size() >= 2 && text.back() == '%') value = std::stoi(text.substr(0, text.size() - 1), &used);
    } catch (const std::exception&) {
      value = -1;
    }
    if (value < 0 || value > 100 || used != text.size() - 1)
      fail(path, v, "\"" + text + "\" is not an integer or a percentage between 0% and 100%");
    return {value, true};
  }

  std::int64_t int64(const V& v, const JsonPath& path) {
    std::int64_t i = 0;
    if (!v.get_int64(i)) fail(path, v, std::string("expected an integer, got ") + v.type_name());
    return i;
  }

  std::int32_t int32(const V& v, const JsonPath& path) {
    const std::int64_t i = int64(v, path);
    if (i < std::numeric_limits<std::int32_t>::min() || i > std::numeric_limits<std::int32_t>::max()) {
      fail(path, v, "integer " + std::to_string(i) + " does not fit int32");
    }
    return static_cast<std::int32_t>(i);
  }

  // An integer in [lo, hi], as the API server validates ports and weights.
  std::int32_t in_range(const V& v, const JsonPath& path, std::int32_t lo, std::int32_t hi) {
    const std::int64_t i = int64(v, path);
    if (i < lo || i > hi)
      fail(path, v, std::to_string(i) + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
    return static_cast<std::int32_t>(i);
  }

  // A taint's effect (or a toleration's, which may also be empty: every effect).
  void check_effect(const V& v, const JsonPath& path, const std::string& effect, bool empty_ok) {
    if (effect == "NoSchedule" || effect == "PreferNoSchedule" || effect == "NoExecute" || (empty_ok && effect.empty()))
      return;
    fail(path, v, "unsupported effect \"" + effect + "\" (NoSchedule, PreferNoSchedule or NoExecute" +
                      (empty_ok ? ", or empty for all)" : ")"));
  }

  void check_object(const V& v, const JsonPath& path) {
    if (!v.is_object()) fail(path, v, std::string("expected an object, got ") + v.type_name());
  }

  template <class T, class U>
  static void upsert(std::vector<std::pair<std::string, T>>& map, std::string_view key, const U& value) {
    for (auto& [k, existing] : map) {
      if (k == key) {
        existing = T(value);
        return;
      }
    }
    map.emplace_back(std::string(key), T(value));
  }

  static bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  }

  static std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const std::size_t b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
  }

  SourceRef source(const JsonPath& path) const { return SourceRef{file_, path.str()}; }

  bool mine(std::size_t item) const { return item >= item_begin_ && item < item_end_; }

  [[noreturn]] void fail(const JsonPath& path, const V& v, std::string message) const {
    if (const int line = v.line(); line > 0) message += " (line " + std::to_string(line) + ")";
    throw InputError(file_, path.str(), std::move(message));
  }

  const std::string& file_;
  ClusterObjects& out_;
  std::size_t recognized_ = 0;  // Lists and objects of the kinds above, for finish()
  std::string unknown_kind_;    // the first kind not read, for finish()'s message
  bool allow_unnamed_ = false;  // walk_template
  bool in_item_ = false;        // inside an item of a list (walk_item)
  std::size_t item_begin_ = 0;  // take_items: the root items this walker reads
  std::size_t item_end_ = static_cast<std::size_t>(-1);
  const V* items_override_ = nullptr;  // walk_root_items
  std::size_t index_offset_ = 0;
  std::size_t reserve_override_ = 0;
};

}  // namespace podium::io::detail
