#include "config/yaml_value.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "podium/common/input_error.hpp"

namespace podium::config::detail {
namespace {

enum class ScalarKind { kString, kInt, kFloat, kBool };

bool is_decimal_int(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [-+]? ( .digits | digits ( . digits? )? ) ( [eE] [-+]? digits )?, or .inf / .nan.
bool is_float(std::string_view s) {
  static const std::set<std::string_view, std::less<>> kSpecial = {
      ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
  if (kSpecial.count(s)) return true;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

// YAML 1.1 booleans, as go-yaml v2 (under sigs.k8s.io/yaml) resolves them.
int yaml11_bool(std::string_view s) {
  static const std::set<std::string_view, std::less<>> kTrue = {"y",    "Y",    "yes", "Yes", "YES",
                                                                "true", "True", "TRUE", "on", "On", "ON"};
  static const std::set<std::string_view, std::less<>> kFalse = {"n",     "N",     "no",    "No",  "NO", "false",
                                                                 "False", "FALSE", "off",   "Off", "OFF"};
  if (kTrue.count(s)) return 1;
  if (kFalse.count(s)) return 0;
  return -1;
}

// How the JSON step would see this scalar. Quoted scalars ("!" tag) are strings; plain
// ones ("?" tag) are resolved by their text; explicit core tags are honoured.
ScalarKind kind_of(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return ScalarKind::kString;
  if (tag == "tag:yaml.org,2002:int") return ScalarKind::kInt;
  if (tag == "tag:yaml.org,2002:float") return ScalarKind::kFloat;
  if (tag == "tag:yaml.org,2002:bool") return ScalarKind::kBool;
  if (yaml11_bool(text) >= 0) return ScalarKind::kBool;
  if (is_decimal_int(text)) return ScalarKind::kInt;
  if (is_float(text)) return ScalarKind::kFloat;
  return ScalarKind::kString;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "an object";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      switch (kind_of(node)) {
        case ScalarKind::kString:
          return "the string \"" + node.Scalar() + "\"";
        case ScalarKind::kInt:
        case ScalarKind::kFloat:
          return "the number " + node.Scalar();
        case ScalarKind::kBool:
          return "the boolean " + node.Scalar();
      }
      break;
    default:
      break;
  }
  return "null";
}

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
// transpositions ("nmae" -> "name" is one edit).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  const std::size_t limit = word.size() <= 4 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}


std::string with_suggestion(std::string message, const std::string& suggestion) {
  if (!suggestion.empty()) message += "; did you mean \"" + suggestion + "\"?";
  return message;
}

std::string child_path(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

Value Value::root(const std::string& file, YAML::Node node) {
  const bool present = node.IsDefined() && !node.IsNull();
  return Value(&file, std::move(node), std::string(), present);
}

void Value::fail(const std::string& message) const { throw InputError(*file_, path_, message); }

Object Value::object(std::span<const std::string_view> allowed, std::string_view unknown_hint) const {
  Object out(file_, path_);
  if (!present_) return out;
  if (!node_.IsMap()) fail("expected an object, got " + describe(node_));
  for (const auto& kv : node_) {
    const YAML::Node& key_node = kv.first;
    if (!key_node.IsScalar()) fail("an object key must be a string, got " + describe(key_node));
    const std::string& key = key_node.Scalar();
    // An empty key would vanish from the path: name it `[""]` there and in the message.
    const std::string at = key.empty() ? path_ + "[\"\"]" : child_path(path_, key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string message = with_suggestion(key.empty() ? "unknown field \"\"" : "unknown field", closest_match(key, allowed));
      if (!unknown_hint.empty()) message += " (" + std::string(unknown_hint) + ")";
      throw InputError(*file_, at, message);
    }
    for (const auto& [seen, unused] : out.entries_)
      if (seen == key) throw InputError(*file_, at, "duplicate field");
    out.entries_.emplace_back(key, kv.second);
  }
  return out;
}

Object Value::object(std::initializer_list<std::string_view> allowed, std::string_view unknown_hint) const {
  return object(std::span<const std::string_view>(allowed.begin(), allowed.size()), unknown_hint);
}

Value Value::peek(std::string_view key) const {
  if (present_ && node_.IsMap())
    for (const auto& kv : node_)
      if (kv.first.IsScalar() && kv.first.Scalar() == key)
        return Value(file_, kv.second, child_path(path_, key), kv.second.IsDefined() && !kv.second.IsNull());
  return Value(file_, YAML::Node(), child_path(path_, key), false);
}

std::vector<Value> Value::items() const {
  std::vector<Value> out;
  if (!present_) return out;
  if (!node_.IsSequence()) fail("expected a list, got " + describe(node_));
  out.reserve(node_.size());
  for (std::size_t i = 0; i < node_.size(); ++i) {
    YAML::Node item = node_[i];
    const bool present = item.IsDefined() && !item.IsNull();
    out.push_back(Value(file_, item, path_ + "[" + std::to_string(i) + "]", present));
  }
  return out;
}

std::string Value::string() const {
  if (!present_ || !node_.IsScalar() || kind_of(node_) != ScalarKind::kString)
    fail("expected a string, got " + describe(node_));
  return node_.Scalar();
}

std::int64_t Value::int64() const {
  if (!present_ || !node_.IsScalar() || kind_of(node_) != ScalarKind::kInt)
    fail("expected an integer, got " + describe(node_));
  std::string_view text = node_.Scalar();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) fail("integer " + node_.Scalar() + " is out of range");
  if (ec != std::errc() || end != text.data() + text.size()) fail("expected an integer, got " + describe(node_));
  return value;
}

std::int32_t Value::int32() const {
  const std::int64_t value = int64();
  if (value < std::numeric_limits<std::int32_t>::min() || value > std::numeric_limits<std::int32_t>::max())
    fail("integer " + std::to_string(value) + " does not fit in 32 bits");
  return static_cast<std::int32_t>(value);
}

bool Value::boolean() const {
  if (!present_ || !node_.IsScalar() || kind_of(node_) != ScalarKind::kBool)
    fail("expected a boolean, got " + describe(node_));
  const int b = yaml11_bool(node_.Scalar());
  if (b < 0) fail("expected a boolean, got " + describe(node_));
  return b == 1;
}

std::vector<std::string> Value::strings() const {
  std::vector<std::string> out;
  for (const Value& item : items()) out.push_back(item.string());
  return out;
}

Value Object::operator[](std::string_view key) const {
  for (const auto& [name, node] : entries_)
    if (name == key) return Value(file_, node, child_path(path_, key), node.IsDefined() && !node.IsNull());
  return Value(file_, YAML::Node(), child_path(path_, key), false);
}

}  // namespace podium::config::detail
