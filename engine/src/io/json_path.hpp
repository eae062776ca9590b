#pragma once
// The location of a value inside a document, as a chain of stack frames: each level of
// the walker holds one JsonPath that points at its parent. Building a child costs two
// pointers and no allocation; the text (`items[3].spec.containers[0].resources.requests.cpu`)
// is only assembled when an error is reported.

#include <cstddef>
#include <string>
#include <string_view>

namespace podium::io::detail {

class JsonPath {
 public:
  // The root: `prefix` is the already-formatted location of the document itself
  // ("" for a whole file, "doc[2]" for the third YAML document). Must outlive the path.
  explicit JsonPath(std::string_view prefix) : prefix_(prefix) {}

  // A child points at its parent, so the parent must be a named object that outlives
  // it; calling these on a temporary would leave the child dangling, hence deleted.
  JsonPath field(std::string_view key) const& { return JsonPath(this, key, kNoIndex); }
  JsonPath index(std::size_t i) const& { return JsonPath(this, {}, i); }
  JsonPath field(std::string_view) const&& = delete;
  JsonPath index(std::size_t) const&& = delete;

  std::string str() const {
    std::string out;
    append_to(out);
    return out;
  }

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

  JsonPath(const JsonPath* parent, std::string_view key, std::size_t index)
      : parent_(parent), key_(key), index_(index) {}

  // Plain identifiers are written `.key`; anything else (label keys and resource names
  // such as "nvidia.com/gpu") as `["key"]`, so the path stays unambiguous.
  static bool plain(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
      if (!ok) return false;
    }
    return true;
  }

  void append_to(std::string& out) const {
    if (parent_ == nullptr) {
      out.append(prefix_);
      return;
    }
    parent_->append_to(out);
    if (index_ != kNoIndex) {
      out.append("[").append(std::to_string(index_)).append("]");
    } else if (plain(key_)) {
      if (!out.empty()) out.push_back('.');
      out.append(key_);
    } else {
      out.append("[\"").append(key_).append("\"]");
    }
  }

  const JsonPath* parent_ = nullptr;
  std::string_view prefix_;
  std::string_view key_;
  std::size_t index_ = kNoIndex;
};

// "items[3]" + "metadata.name" -> "items[3].metadata.name"; "" + x -> x.
inline std::string join_path(std::string_view base, std::string_view field) {
  std::string out(base);
  if (!out.empty()) out.push_back('.');
  out.append(field);
  return out;
}

}  // namespace podium::io::detail
