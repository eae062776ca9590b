#pragma once
// A read-only view of one simdjson DOM element, with the small interface the object
// walker (object_walker.hpp) needs. Its twin for YAML is yaml_value.hpp; the walker is a
// template over the two, so every field rule is written once.
//
// Types are strict, like encoding/json into typed Go structs: a string field wants a JSON
// string, an integer field a JSON integer. Quantities are the exception upstream makes
// itself (Quantity.UnmarshalJSON parses the raw text of a JSON number too).

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string_view>

namespace podium::io::detail {

class JsonValue {
 public:
  JsonValue() = default;
  explicit JsonValue(simdjson::dom::element element) : element_(element) {}

  bool is_null() const { return element_.type() == simdjson::dom::element_type::NULL_VALUE; }
  bool is_object() const { return element_.type() == simdjson::dom::element_type::OBJECT; }
  bool is_array() const { return element_.type() == simdjson::dom::element_type::ARRAY; }

  bool get_string(std::string_view& out) const { return element_.get_string().get(out) == simdjson::SUCCESS; }

  bool get_int64(std::int64_t& out) const {
    switch (element_.type()) {
      case simdjson::dom::element_type::INT64:
        out = element_.get_int64().value_unsafe();
        return true;
      case simdjson::dom::element_type::UINT64: {
        const std::uint64_t v = element_.get_uint64().value_unsafe();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
        out = static_cast<std::int64_t>(v);
        return true;
      }
      default:
        return false;
    }
  }

  bool get_bool(bool& out) const { return element_.get_bool().get(out) == simdjson::SUCCESS; }

  // The text upstream would hand to ParseQuantity: a JSON string's content, or a JSON
  // number's text. The DOM keeps numbers, not their text, so integers are printed
  // exactly and doubles in the shortest form that reads back to the same double.
  bool get_quantity_text(std::string_view& out, char (&buffer)[64]) const {
    std::to_chars_result r{};
    switch (element_.type()) {
      case simdjson::dom::element_type::STRING:
        out = element_.get_string().value_unsafe();
        return true;
      case simdjson::dom::element_type::INT64:
        r = std::to_chars(buffer, buffer + sizeof buffer, element_.get_int64().value_unsafe());
        break;
      case simdjson::dom::element_type::UINT64:
        r = std::to_chars(buffer, buffer + sizeof buffer, element_.get_uint64().value_unsafe());
        break;
      case simdjson::dom::element_type::DOUBLE:
        r = std::to_chars(buffer, buffer + sizeof buffer, element_.get_double().value_unsafe());
        break;
      default:
        return false;
    }
    out = std::string_view(buffer, static_cast<std::size_t>(r.ptr - buffer));
    return true;
  }

  const char* type_name() const {
    switch (element_.type()) {
      case simdjson::dom::element_type::ARRAY: return "an array";
      case simdjson::dom::element_type::OBJECT: return "an object";
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE: return "a number";
      case simdjson::dom::element_type::STRING: return "a string";
      case simdjson::dom::element_type::BOOL: return "a boolean";
      case simdjson::dom::element_type::NULL_VALUE: return "null";
    }
    return "a value";
  }

  // JSON values carry no line number in the DOM.
  int line() const { return 0; }

  // f(std::string_view key, const JsonValue& value), in document order. Requires is_object().
  template <class F>
  void for_each_field(F&& f) const {
    // The object is copied out of the simdjson_result first: iterating the result of
    // value_unsafe() directly would iterate a temporary that has already died.
    const simdjson::dom::object object = element_.get_object().value_unsafe();
    for (simdjson::dom::key_value_pair field : object) f(field.key, JsonValue(field.value));
  }

  // f(key, key's line, value): as for_each_field; JSON keys carry no line (0).
  template <class F>
  void for_each_field_with_line(F&& f) const {
    for_each_field([&](std::string_view key, const JsonValue& value) { f(key, 0, value); });
  }

  // f(std::size_t index, const JsonValue& value). Requires is_array().
  template <class F>
  void for_each_element(F&& f) const {
    const simdjson::dom::array array = element_.get_array().value_unsafe();
    std::size_t i = 0;
    for (simdjson::dom::element e : array) f(i++, JsonValue(e));
  }

  // Number of elements or fields, for reserving; 0 for scalars. simdjson stores it in the
  // tape (saturating at 2^24-1 elements), so this is O(1).
  std::size_t size() const {
    switch (element_.type()) {
      case simdjson::dom::element_type::ARRAY: return element_.get_array().value_unsafe().size();
      case simdjson::dom::element_type::OBJECT: return element_.get_object().value_unsafe().size();
      default: return 0;
    }
  }

  // The value of `key` in an object, if present. Requires is_object().
  bool find_field(std::string_view key, JsonValue& out) const {
    simdjson::dom::element e;
    const simdjson::dom::object object = element_.get_object().value_unsafe();
    if (object.at_key(key).get(e) != simdjson::SUCCESS) return false;
    out = JsonValue(e);
    return true;
  }

 private:
  simdjson::dom::element element_;
};

}  // namespace podium::io::detail
