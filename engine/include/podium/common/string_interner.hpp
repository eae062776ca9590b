#pragma once
// Strings become dense 32-bit ids once, at load time; the engine compares ids, never
// strings. Not thread-safe for interning; lookups of already-interned ids are safe to run
// concurrently once loading is done (the table is then read-only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace podium {

using StringId = std::uint32_t;

class StringInterner {
 public:
  StringId intern(std::string_view text);
  // The id of an already-interned string, or nullopt (never interns).
  std::optional<StringId> find(std::string_view text) const;
  const std::string& text(StringId id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> strings_;
  std::unordered_map<std::string, StringId, Hash, std::equal_to<>> ids_;
};

}  // namespace podium
