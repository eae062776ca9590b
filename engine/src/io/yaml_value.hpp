#pragma once
// A read-only view of one yaml-cpp node with the same interface as JsonValue
// (json_value.hpp), so object_walker.hpp reads YAML with the JSON rules.
//
// YAML scalars are text: a scalar is accepted where a string is wanted, and parsed where
// an integer, a boolean (YAML 1.1 words, as sigs.k8s.io/yaml's go-yaml v2 reads them) or
// a quantity is wanted. `~`, `null` and an empty value are null, i.e. absent. The boolean
// words, the integer syntax and line numbers are the shared reader's
// (podium/common/yaml_reader.hpp).

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "podium/common/yaml_reader.hpp"

namespace podium::io::detail {

class YamlValue {
 public:
  YamlValue() = default;
  explicit YamlValue(YAML::Node node) : node_(std::move(node)) {}
  YamlValue(const YamlValue&) = default;
  // YAML::Node's operator= writes through to the node it already refers to (it would
  // edit the document); reset() only rebinds the handle.
  YamlValue& operator=(const YamlValue& other) {
    node_.reset(other.node_);
    return *this;
  }

  bool is_null() const { return node_.IsNull() || !node_.IsDefined(); }
  bool is_object() const { return node_.IsMap(); }
  bool is_array() const { return node_.IsSequence(); }

  bool get_string(std::string_view& out) const {
    if (!node_.IsScalar()) return false;
    out = node_.Scalar();
    return true;
  }

  bool get_int64(std::int64_t& out) const {
    return node_.IsScalar() && yaml::parse_int64(node_.Scalar(), out) == yaml::IntParse::kOk;
  }

  bool get_bool(bool& out) const {
    if (!node_.IsScalar()) return false;
    const int b = yaml::yaml11_bool(node_.Scalar());
    if (b < 0) return false;
    out = b == 1;
    return true;
  }

  bool get_quantity_text(std::string_view& out, char (&)[64]) const { return get_string(out); }

  const char* type_name() const {
    if (node_.IsMap()) return "an object";
    if (node_.IsSequence()) return "an array";
    if (node_.IsScalar()) return "a scalar";
    return "null";
  }

  int line() const { return yaml::line_of(node_); }

  template <class F>
  void for_each_field(F&& f) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      // A copy: it-> returns a proxy that dies with the statement. The scalar text itself
      // lives in the document, so the key view stays valid.
      const auto entry = *it;
      f(entry.first.IsScalar() ? std::string_view(entry.first.Scalar()) : std::string_view(), YamlValue(entry.second));
    }
  }

  // f(key, key's line, value): as for_each_field, with the line an error about the key
  // itself should point at (a block value starts on the next line).
  template <class F>
  void for_each_field_with_line(F&& f) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const auto entry = *it;
      f(entry.first.IsScalar() ? std::string_view(entry.first.Scalar()) : std::string_view(), yaml::line_of(entry.first),
        YamlValue(entry.second));
    }
  }

  template <class F>
  void for_each_element(F&& f) const {
    std::size_t i = 0;
    for (auto it = node_.begin(); it != node_.end(); ++it) f(i++, YamlValue(*it));
  }

  std::size_t size() const { return node_.IsMap() || node_.IsSequence() ? node_.size() : 0; }

  bool find_field(std::string_view key, YamlValue& out) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const auto entry = *it;
      if (entry.first.IsScalar() && entry.first.Scalar() == key) {
        out = YamlValue(entry.second);
        return true;
      }
    }
    return false;
  }

 private:
  YAML::Node node_;
};

}  // namespace podium::io::detail
