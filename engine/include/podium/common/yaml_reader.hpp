#pragma once
// The one YAML reader of Podium (config, io's object walker and bench workload files).
//
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
// e.g. `profiles[0].plugins.score.enabled[1].nmae: unknown field (line 7)`; the message
// ends with ` (line N)` when the document gives the value (or, for an absent key, its
// enclosing mapping) a position, as io's object loader does.
//
// io's YamlValue (engine/src/io/yaml_value.hpp) is a lenient adapter over the same
// yaml-cpp nodes that shares yaml11_bool() and parse_int64() below.
//
// This header includes yaml-cpp, which the installed package does not provide: it is for
// the build tree (engine, bench harness) and is not installed (cmake/PodiumInstall.cmake).
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

namespace podium::yaml {

class Object;

// YAML 1.1 booleans, as go-yaml v2 (under sigs.k8s.io/yaml) resolves them: 1 for
// y/yes/true/on (in its three spellings), 0 for n/no/false/off, -1 for anything else.
int yaml11_bool(std::string_view text);

enum class IntParse { kOk, kInvalid, kOutOfRange };
// [-+]?[0-9]+ as a 64-bit integer (INT64_MIN included).
IntParse parse_int64(std::string_view text, std::int64_t& out);

// The closest candidate to `word` by edit distance, if it is close enough to be a likely
// typo (distance <= 2, or <= 1 for short words); empty otherwise.
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// `message` followed by `; did you mean "x"?` when a close candidate exists.
std::string with_suggestion(std::string message, const std::string& suggestion);

// `base.key`, or `key` at the root.
std::string child_path(const std::string& base, std::string_view key);

// 1-based line of `node` in its document; 0 when it has none (a node not from a parse).
int line_of(const YAML::Node& node);

// YAML::LoadAll(text), except that it throws YAML::ParserException (with the line) where
// yaml-cpp 0.7 — Debian 12's — would loop forever, allocating a null document per turn:
// on a `,` where a document should start (`{a: 1},`, or `,` after `---`), which its parser never consumes
// (jbeder/yaml-cpp#1040; LoadAll stops on it since 0.8, PR #1319). Found by tests/fuzz.
std::vector<YAML::Node> load_all(const std::string& text);

// Checks every YAML input makes before (check_utf8) and after (check_alias_expansion)
// yaml-cpp parses it; the cluster loader, the scheduler configuration and bench workload
// files (and their template files) all call both.
//
// yaml-cpp passes any bytes through, but Kubernetes (the API server, sigs.k8s.io/yaml) takes
// UTF-8 only, and an invalid byte copied into a name would make Podium's JSON output
// unparseable. Throws InputError(file, "line N", "invalid UTF-8 (byte offset B)").
void check_utf8(std::string_view text, const std::string& file);
// Aliases make a small YAML text stand for a huge tree ("billion laughs"), which every
// reader would walk in full. Without aliases a document has fewer nodes than bytes, so the
// documents may expand to at most 4 nodes per byte of `text_size` (+4096); throws
// InputError(file, "", ...) past that, before anything walks the tree.
void check_alias_expansion(const std::vector<YAML::Node>& documents, std::size_t text_size, const std::string& file);

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
  bool is_list() const { return present_ && node_.IsSequence(); }
  bool is_scalar() const { return present_ && node_.IsScalar(); }
  const std::string& path() const noexcept { return path_; }
  const std::string& file() const noexcept { return *file_; }
  // See line_of(); for an absent key, the line of its mapping.
  int line() const noexcept { return line_; }
  // The underlying node (null when not present), for readers that take yaml-cpp nodes.
  const YAML::Node& node() const noexcept { return node_; }

  // Throws InputError(file, path, message + " (line N)").
  [[noreturn]] void fail(const std::string& message) const;

  // A mapping whose keys are all in `allowed`, none repeated. Absent/null reads as an
  // empty mapping. `unknown_hint` is appended to the "unknown field" message.
  Object object(std::span<const std::string_view> allowed, std::string_view unknown_hint = {}) const;
  Object object(std::initializer_list<std::string_view> allowed, std::string_view unknown_hint = {}) const;

  // A mapping with any string keys, none repeated, in document order (absent/null reads
  // as empty).
  std::vector<std::pair<std::string, Value>> fields() const;

  // The value under `key` of a mapping, without checking the other keys (for reading
  // apiVersion before anything else); not present when this is not a mapping.
  Value peek(std::string_view key) const;

  // A value at `path` of the same file that is not present (a defaulted section).
  Value absent(std::string path) const { return Value(file_, YAML::Node(), std::move(path), false, line_); }

  // A sequence (absent/null reads as empty); item i carries the path `path[i]`.
  std::vector<Value> items() const;

  // Scalars. Callers check present() first; these fail on the wrong type.
  std::string string() const;
  std::int64_t int64() const;
  std::int32_t int32() const;
  bool boolean() const;
  std::vector<std::string> strings() const;
  // The text of any scalar, whatever its YAML type (`5`, `true` and `"x"` alike).
  std::string scalar() const;

 private:
  friend class Object;
  Value(const std::string* file, YAML::Node node, std::string path, bool present, int line)
      : file_(file), node_(std::move(node)), path_(std::move(path)), present_(present), line_(line) {}

  const std::string* file_;
  YAML::Node node_;
  std::string path_;
  bool present_;
  int line_;
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
  Object(const std::string* file, std::string path, int line) : file_(file), path_(std::move(path)), line_(line) {}

  const std::string* file_;
  std::string path_;
  int line_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

}  // namespace podium::yaml
