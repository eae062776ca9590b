#pragma once
// The strict check: a second, read-only pass over a parsed document that reports every
// field the Kubernetes API does not define (field_schema.hpp), the way kubectl's strict
// field validation does. It is separate from the ObjectWalker on purpose: the walker
// reads the few fields scheduling needs and must stay fast and simple; this pass knows
// every field name and reads none. It checks every shape it relies on itself (is_object,
// is_array, a string kind) and never throws before finish(), because on a large JSON file
// it runs beside the walker on another thread (cluster_loader.cpp), whose error wins.
//
// Dispatch mirrors ObjectWalker::walk_root / walk_object: a List (or typed list, whose
// items inherit the kind) is checked as the List wrapper and each item by its kind; only
// the kinds the walker reads are checked (other kinds are skipped by both). Inside an
// object, a known field's value is looked into only when the table says it holds objects
// and the value is one (or an array / map of them); null is valid anywhere, as in the
// API. Wrong types in fields Podium does not read are not reported (docs/FORMATS.md).

#include <array>
#include <string>
#include <string_view>

#include "io/field_schema.hpp"
#include "io/json_path.hpp"
#include "podium/io/unknown_fields.hpp"

namespace podium::io::detail {

// Throws the strict-mode InputError for a non-empty log (unknown_fields.cpp).
[[noreturn]] void throw_unknown_fields(const UnknownFieldLog& log);

template <class V>
class UnknownFieldCheck {
 public:
  UnknownFieldCheck(const std::string& file, const LoadOptions& options)
      : file_(file), log_(options.lenient != nullptr ? *options.lenient : strict_log_), strict_(options.lenient == nullptr) {
    for (std::size_t i = 0; i < kCheckedKinds.size(); ++i) kind_types_[i] = schema_.type_named(kCheckedKinds[i]);
  }

  // One document root (ObjectWalker::walk_root's shapes).
  void check_root(const V& root, const JsonPath& path) {
    if (root.is_array()) {
      root.for_each_element([&](std::size_t i, const V& item) { check_item(item, path.index(i), {}); });
    } else {
      check_item(root, path, {});
    }
  }

  // A root List parsed as two documents (ObjectWalker::walk_root_items): `root` gives the
  // List's kind, and its own fields are checked when `with_root_fields`; `items` (one
  // document's part of the list) stands in for its items, numbered from `first_index`.
  void check_root_items(const V& root, const V& items, std::size_t first_index, bool with_root_fields,
                        const JsonPath& path) {
    items_part_ = &items;
    items_first_index_ = first_index;
    with_root_fields_ = with_root_fields;
    check_item(root, path, {});
    items_part_ = nullptr;
  }

  // Fields `later` found (a check of a later part of the file, into its own lenient log)
  // after this check's.
  void absorb(const UnknownFieldLog& later) { log_.absorb(later); }

  // One object read as `kind` (a bench template).
  void check_object_as(const V& v, const JsonPath& path, std::string_view kind) { check_item(v, path, kind); }

  // After the last document: in strict mode, throws when anything was found.
  void finish() const {
    if (strict_ && strict_log_.count() > 0) throw_unknown_fields(strict_log_);
  }

 private:
  void check_item(const V& v, const JsonPath& path, std::string_view inherited_kind) {
    if (!v.is_object()) return;
    std::string_view kind = inherited_kind;
    V kind_value;
    if (v.find_field("kind", kind_value)) kind_value.get_string(kind);
    const JsonPath relative("");
    V items;
    const bool list_kind = kind.empty() || kind == "List" || kind.ends_with("List");
    if (list_kind && v.find_field("items", items) && items.is_array()) {
      if (items_part_ == nullptr || with_root_fields_)
        check_fields(v, *list_type_, relative, path);  // `items` is a leaf there
      const std::string_view item_kind =
          kind.ends_with("List") && kind != "List" ? kind.substr(0, kind.size() - 4) : std::string_view();
      const JsonPath items_path = path.field("items");
      if (items_part_ != nullptr) {  // check_root_items: only the root has a part
        const V* part = items_part_;
        items_part_ = nullptr;
        if (part->is_array()) {
          part->for_each_element([&](std::size_t i, const V& item) {
            check_item(item, items_path.index(items_first_index_ + i), item_kind);
          });
        }
        return;
      }
      items.for_each_element([&](std::size_t i, const V& item) { check_item(item, items_path.index(i), item_kind); });
      return;
    }
    if (const auto* type = checked_kind(kind)) check_fields(v, *type, relative, path);
  }

  // The kinds ObjectWalker::walk_object reads; everything else it skips, and so do we.
  static constexpr std::array<std::string_view, 10> kCheckedKinds = {
      "Pod", "Node", "Namespace", "PriorityClass", "Service", "ReplicationController", "ReplicaSet", "StatefulSet",
      "PodGroup", "PodDisruptionBudget"};
  const FieldSchema::Type* checked_kind(std::string_view kind) const {
    for (std::size_t i = 0; i < kCheckedKinds.size(); ++i)
      if (kCheckedKinds[i] == kind) return kind_types_[i];
    return nullptr;
  }

  // `relative` is the path from the object (kubectl's), `object` the object's place in the file.
  void check_fields(const V& v, const FieldSchema::Type& type, const JsonPath& relative,
                    const JsonPath& object) {
    v.for_each_field_with_line([&](std::string_view key, int line, const V& value) {
      const FieldSchema::Field* f = schema_.field(type, key);
      if (f == nullptr) {
        log_.add(UnknownField{file_, object.str(), relative.field(key).str(), line});
        return;
      }
      if (f->shape == FieldSchema::Shape::kLeaf || value.is_null()) return;
      const JsonPath p = relative.field(key);
      const auto& child = schema_.type(f->type);
      if (f->shape == FieldSchema::Shape::kObject) {
        if (value.is_object()) check_fields(value, child, p, object);
      } else if (f->shape == FieldSchema::Shape::kArray) {
        if (!value.is_array()) return;
        value.for_each_element([&](std::size_t i, const V& e) {
          if (e.is_object()) check_fields(e, child, p.index(i), object);
        });
      } else if (value.is_object()) {  // kMap
        value.for_each_field([&](std::string_view k, const V& e) {
          if (e.is_object()) check_fields(e, child, p.field(k), object);
        });
      }
    });
  }

  const FieldSchema& schema_ = kubernetes_field_schema();
  const FieldSchema::Type* list_type_ = schema_.type_named("List");
  std::array<const FieldSchema::Type*, kCheckedKinds.size()> kind_types_{};
  const std::string& file_;
  const V* items_part_ = nullptr;  // check_root_items
  std::size_t items_first_index_ = 0;
  bool with_root_fields_ = true;
  UnknownFieldLog strict_log_;
  UnknownFieldLog& log_;
  bool strict_;
};

}  // namespace podium::io::detail
