#pragma once
// The field names of the Kubernetes API types Podium loads, as kubectl --validate=strict
// knows them: every field an object may carry, whether Podium reads it or not (status,
// managedFields, probes, volumes, ...). unknown_fields.hpp walks a document against it.
//
// The table itself is data (k8s_field_table.inc, generated from upstream's json tags by
// tools/schema/k8s_field_table.py); this module only indexes it. Each type is a sorted
// array of fields; a field is a leaf (its value is not looked into: scalars, arrays of
// scalars, free-form maps such as labels, annotations, nodeSelector or resource lists) or
// holds an object, an array of objects or a map of objects of another type:
//
//   types_[PodSpec].fields ─► [ {"os", kObject, PodOS}, ..., {"affinity", kObject, Affinity},
//                               {"containers", kArray, Container}, ..., {"nodeSelector", kLeaf}, ... ]
//   types_[PodSpec].length_start[n] = index of the first field of length n
//
// Fields are sorted by (length, name) and indexed by length: a lookup compares the key only
// with the one to three names of its length, so the check's cost per field is a handful of
// byte compares (a binary search by name cost 14% of loading a 150,000-pod list).
//
// Thread-safety: the schema is built once (kubernetes_field_schema(), a function-local
// static) and read-only afterwards; string_views point into the table's string literal.

#include <cstdint>
#include <string_view>
#include <vector>

namespace podium::io::detail {

class FieldSchema {
 public:
  using TypeId = std::uint16_t;
  enum class Shape : std::uint8_t { kLeaf, kObject, kArray, kMap };

  struct Field {
    std::string_view name;
    Shape shape = Shape::kLeaf;
    TypeId type = 0;  // the value's (or each element's) type unless kLeaf
  };

  struct Type {
    std::vector<Field> fields;                // sorted by (name length, name)
    std::vector<std::uint16_t> length_start;  // [n]: first field of length n; [n + 1] ends it
  };

  // Parses `table` (the .inc format: `Type: field field=Obj field=[Obj] field={Obj}`).
  // Throws std::logic_error on a malformed table or a type referenced but not defined:
  // the table is built into the binary, so that is a programming error.
  explicit FieldSchema(std::string_view table);

  // The type called `name` (a kind such as Pod or Node, the List wrapper, or a nested type
  // such as PodSpec), or nullptr when the table has none.
  const Type* type_named(std::string_view name) const;

  // The field `name` of `type`, or nullptr when the API has no such field.
  const Field* field(const Type& type, std::string_view name) const {
    if (name.size() + 1 >= type.length_start.size()) return nullptr;
    const Field* end = type.fields.data() + type.length_start[name.size() + 1];
    for (const Field* f = type.fields.data() + type.length_start[name.size()]; f != end; ++f)
      if (f->name == name) return f;
    return nullptr;
  }
  const Field* field(TypeId type, std::string_view name) const { return field(types_[type], name); }

  const Type& type(TypeId id) const { return types_[id]; }
  std::size_t type_count() const { return types_.size(); }
  std::string_view type_name(TypeId id) const { return names_[id]; }

 private:
  std::vector<std::string_view> names_;     // TypeId -> name, sorted
  std::vector<Type> types_;                 // TypeId -> fields
};

// The schema of every kind Podium loads (k8s_field_table.inc).
const FieldSchema& kubernetes_field_schema();

}  // namespace podium::io::detail
