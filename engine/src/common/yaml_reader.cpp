#include "podium/common/yaml_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "podium/common/input_error.hpp"

namespace podium::yaml {
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


// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
    else return i;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

// Counts `node`'s expanded tree against `budget`; false once it is spent.
bool expands_within(const YAML::Node& node, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!expands_within(it->first, budget) || !expands_within(it->second, budget)) return false;
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!expands_within(*it, budget)) return false;
  }
  return true;
}

// Listens to the parser for where each document starts and nothing else: a document
// that starts where the one before it started consumed no token, and the next would too.
class DocumentStarts final : public YAML::EventHandler {
 public:
  YAML::Mark last;
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

int yaml11_bool(std::string_view s) {
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  for (std::string_view t : kTrue)
    if (s == t) return 1;
  for (std::string_view f : kFalse)
    if (s == f) return 0;
  return -1;
}

IntParse parse_int64(std::string_view s, std::int64_t& out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return IntParse::kInvalid;
  // Accumulate as a negative number so that INT64_MIN is reachable.
  std::int64_t v = 0;
  bool overflow = false;
  for (char c : s) {
    if (c < '0' || c > '9') return IntParse::kInvalid;
    const int d = c - '0';
    if (v < (std::numeric_limits<std::int64_t>::min() + d) / 10) overflow = true;
    if (!overflow) v = v * 10 - d;
  }
  if (overflow) return IntParse::kOutOfRange;
  if (!negative) {
    if (v == std::numeric_limits<std::int64_t>::min()) return IntParse::kOutOfRange;
    v = -v;
  }
  out = v;
  return IntParse::kOk;
}

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

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

namespace {

// ` (line N)` when there is a line to name.
std::string at_line(std::string message, int line) {
  if (line > 0) message += " (line " + std::to_string(line) + ")";
  return message;
}

bool is_present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

// The one walk over a mapping's keys, for object() and fields(): each key must be a scalar
// and appear once; visit(key, path of the field, key node, value node) sees them in order.
// `fail` reports a non-scalar key at the mapping.
template <class Fail, class Visit>
void for_each_field(const YAML::Node& map, const std::string& file, const std::string& path, Fail fail,
                    Visit visit) {
  std::vector<std::string> seen;
  for (const auto& kv : map) {
    const YAML::Node& key_node = kv.first;
    if (!key_node.IsScalar()) fail("an object key must be a string, got " + describe(key_node));
    const std::string& key = key_node.Scalar();
    // An empty key would vanish from the path: name it `[""]` there and in the message.
    const std::string at = key.empty() ? path + "[\"\"]" : child_path(path, key);
    // An unknown key throws in visit at its first occurrence, before it could repeat.
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw InputError(file, at, at_line("duplicate field", line_of(key_node)));
    seen.push_back(key);
    visit(key, at, key_node, kv.second);
  }
}

}  // namespace

Value Value::root(const std::string& file, YAML::Node node) {
  const bool present = is_present(node);
  const int line = line_of(node);
  return Value(&file, std::move(node), std::string(), present, line);
}

void Value::fail(const std::string& message) const { throw InputError(*file_, path_, at_line(message, line_)); }

Object Value::object(std::span<const std::string_view> allowed, std::string_view unknown_hint) const {
  Object out(file_, path_, line_);
  if (!present_) return out;
  if (!node_.IsMap()) fail("expected an object, got " + describe(node_));
  const auto fail_here = [this](const std::string& message) { fail(message); };
  for_each_field(node_, *file_, path_, fail_here,
                 [&](const std::string& key, const std::string& at, const YAML::Node& key_node, const YAML::Node& value) {
                   if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                     std::string message = with_suggestion(key.empty() ? "unknown field \"\"" : "unknown field",
                                                           closest_match(key, allowed));
                     if (!unknown_hint.empty()) message += " (" + std::string(unknown_hint) + ")";
                     throw InputError(*file_, at, at_line(message, line_of(key_node)));
                   }
                   out.entries_.emplace_back(key, value);
                 });
  return out;
}

Object Value::object(std::initializer_list<std::string_view> allowed, std::string_view unknown_hint) const {
  return object(std::span<const std::string_view>(allowed.begin(), allowed.size()), unknown_hint);
}

std::vector<std::pair<std::string, Value>> Value::fields() const {
  std::vector<std::pair<std::string, Value>> out;
  if (!present_) return out;
  if (!node_.IsMap()) fail("expected an object, got " + describe(node_));
  const auto fail_here = [this](const std::string& message) { fail(message); };
  for_each_field(node_, *file_, path_, fail_here,
                 [&](const std::string& key, const std::string& at, const YAML::Node&, const YAML::Node& value) {
                   out.emplace_back(key, Value(file_, value, at, is_present(value), line_of(value)));
                 });
  return out;
}

Value Value::peek(std::string_view key) const {
  if (present_ && node_.IsMap())
    for (const auto& kv : node_)
      if (kv.first.IsScalar() && kv.first.Scalar() == key)
        return Value(file_, kv.second, child_path(path_, key), is_present(kv.second),
                     is_present(kv.second) ? line_of(kv.second) : line_of(kv.first));
  return Value(file_, YAML::Node(), child_path(path_, key), false, line_);
}

std::vector<Value> Value::items() const {
  std::vector<Value> out;
  if (!present_) return out;
  if (!node_.IsSequence()) fail("expected a list, got " + describe(node_));
  out.reserve(node_.size());
  for (std::size_t i = 0; i < node_.size(); ++i) {
    YAML::Node item = node_[i];
    const bool present = is_present(item);
    const int line = present ? line_of(item) : line_;
    out.push_back(Value(file_, item, path_ + "[" + std::to_string(i) + "]", present, line));
  }
  return out;
}

std::string Value::string() const {
  if (!present_ || !node_.IsScalar() || kind_of(node_) != ScalarKind::kString)
    fail("expected a string, got " + describe(node_));
  return node_.Scalar();
}

std::string Value::scalar() const {
  if (!present_ || !node_.IsScalar()) fail("expected a scalar, got " + describe(node_));
  return node_.Scalar();
}

std::int64_t Value::int64() const {
  if (!present_ || !node_.IsScalar() || kind_of(node_) != ScalarKind::kInt)
    fail("expected an integer, got " + describe(node_));
  std::int64_t value = 0;
  switch (parse_int64(node_.Scalar(), value)) {
    case IntParse::kOk:
      return value;
    case IntParse::kOutOfRange:
      fail("integer " + node_.Scalar() + " is out of range");
    case IntParse::kInvalid:
      break;
  }
  fail("expected an integer, got " + describe(node_));
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
    if (name == key) {
      const bool present = is_present(node);
      return Value(file_, node, child_path(path_, key), present, present ? line_of(node) : line_);
    }
  return Value(file_, YAML::Node(), child_path(path_, key), false, line_);
}

std::vector<YAML::Node> load_all(const std::string& text) {
  // One pass of the event parser (no nodes built) to find a document that makes no
  // progress, then the real load; LoadAll cannot be stopped from outside once it loops.
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  int previous = -1;
  while (parser.HandleNextDocument(starts)) {
    if (starts.last.pos == previous)
      throw YAML::ParserException(starts.last, "unexpected character after the end of a document");
    previous = starts.last.pos;
  }
  return YAML::LoadAll(text);
}

void check_utf8(std::string_view text, const std::string& file) {
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    throw InputError(file, "line " + std::to_string(line), "invalid UTF-8 (byte offset " + std::to_string(bad) + ")");
  }
}

void check_alias_expansion(const std::vector<YAML::Node>& documents, std::size_t text_size, const std::string& file) {
  const std::size_t limit = 4 * text_size + 4096;
  std::size_t budget = limit;
  for (const auto& document : documents)
    if (!expands_within(document, budget))
      throw InputError(file, "", "YAML aliases expand to more than " + std::to_string(limit) +
                                     " nodes; refusing to expand further");
}

}  // namespace podium::yaml
