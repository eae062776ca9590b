#pragma once
// Strict, path-carrying access to a parsed YAML (or JSON) document, the way kube-scheduler
// reads its configuration: sigs.k8s.io/yaml turns the YAML into JSON and a strict,
// case-sensitive decoder fills the typed structs. So here, as there:
//
//   - an unknown or repeated key is an error;
//   - a value of the wrong JSON type is an error (`weight: "3"`, `schedulerName: 12`);
//     plain YAML scalars are typed by YAML 1.1 rules (yes/no/on/off are booleans), as
//     go-yaml v2 does before the JSON step;
//   - null and absent are the same (a nil pointer upstream).
//
// Every error is an InputError naming the file and the JSON path of the offending value,
// e.g. `profiles[0].plugins.score.enabled[1].nmae: unknown field`.
//
// Not thread-safe to share while mutating; a Value is a cheap handle (yaml-cpp nodes are
// reference-counted), used only on the parsing thread.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace podium::config::detail {

class Object;

// The closest candidate to `word` by edit distance, if it is close enough to be a likely
// typo (distance <= 2, or <= 1 for short words); empty otherwise.
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// `message` followed by `; did you mean "x"?` when a close candidate exists.
std::string with_suggestion(std::string message, const std::string& suggestion);

class Value {
 public:
  // The document root of `file` (the file name is only used in error messages and must
  // outlive every Value derived from this one).
  static Value root(const std::string& file, YAML::Node node);

  Value(const Value&) = default;
  Value(Value&&) = default;
  // YAML::Node's assignment writes through to the node it refers to (it would edit the
  // document), so a Value is never reassigned.
  Value& operator=(const Value&) = delete;
  Value& operator=(Value&&) = delete;

  // Defined and not null.
  bool present() const noexcept { return present_; }
  bool is_object() const { return present_ && node_.IsMap(); }
  const std::string& path() const noexcept { return path_; }
  const std::string& file() const noexcept { return *file_; }

  [[noreturn]] void fail(const std::string& message) const;

  // A mapping whose keys are all in `allowed`, none repeated. Absent/null reads as an
  // empty mapping. `unknown_hint` is appended to the "unknown field" message.
  Object object(std::span<const std::string_view> allowed, std::string_view unknown_hint = {}) const;
  Object object(std::initializer_list<std::string_view> allowed, std::string_view unknown_hint = {}) const;

  // The value under `key` of a mapping, without checking the other keys (for reading
  // apiVersion before anything else); not present when this is not a mapping.
  Value peek(std::string_view key) const;

  // A value at `path` of the same file that is not present (a defaulted section).
  Value absent(std::string path) const { return Value(file_, YAML::Node(), std::move(path), false); }

  // A sequence (absent/null reads as empty); item i carries the path `path[i]`.
  std::vector<Value> items() const;

  // Scalars. Callers check present() first; these fail on the wrong type.
  std::string string() const;
  std::int64_t int64() const;
  std::int32_t int32() const;
  bool boolean() const;
  std::vector<std::string> strings() const;

 private:
  friend class Object;
  Value(const std::string* file, YAML::Node node, std::string path, bool present)
      : file_(file), node_(std::move(node)), path_(std::move(path)), present_(present) {}

  const std::string* file_;
  YAML::Node node_;
  std::string path_;
  bool present_;
};

// The checked keys of one mapping.
class Object {
 public:
  Object(const Object&) = default;
  Object(Object&&) = default;
  Object& operator=(const Object&) = delete;  // see Value
  Object& operator=(Object&&) = delete;

  // The value under `key` (present() is false when the key is absent or null).
  Value operator[](std::string_view key) const;
  bool has(std::string_view key) const { return (*this)[key].present(); }
  const std::string& path() const noexcept { return path_; }

 private:
  friend class Value;
  Object(const std::string* file, std::string path) : file_(file), path_(std::move(path)) {}

  const std::string* file_;
  std::string path_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// `base.key`, or `key` at the root.
std::string child_path(const std::string& base, std::string_view key);

}  // namespace podium::config::detail
