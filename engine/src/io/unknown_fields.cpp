// UnknownField / UnknownFieldLog text, and the strict-mode error (unknown_fields_check.hpp).

#include "podium/io/unknown_fields.hpp"

#include "io/unknown_fields_check.hpp"
#include "podium/common/input_error.hpp"

namespace podium::io {
namespace {

std::string join(const std::string& base, const std::string& path) {
  if (base.empty()) return path;
  if (path.empty()) return base;
  return path.front() == '[' ? base + path : base + "." + path;
}

std::string line_suffix(int line) { return line > 0 ? " (line " + std::to_string(line) + ")" : std::string(); }

}  // namespace

std::string UnknownField::location() const { return join(object_path, field_path); }

std::string UnknownField::describe() const {
  return "unknown field \"" + field_path + "\"" + line_suffix(line);
}

std::vector<std::string> UnknownFieldLog::warning_lines() const {
  std::vector<std::string> lines;
  for (const UnknownField& f : kept_) lines.push_back(f.file + ": " + f.location() + ": " + f.describe());
  if (count_ > kept_.size())
    lines.push_back("... and " + std::to_string(count_ - kept_.size()) + " more unknown fields");
  return lines;
}

namespace detail {

void throw_unknown_fields(const UnknownFieldLog& log) {
  const std::vector<UnknownField>& kept = log.kept();
  const UnknownField& first = kept.front();
  // kubectl's wording for the first one (its path is the object's own); the others by
  // their place in the file, so that each can be found.
  std::string message = "strict decoding error: " + first.describe();
  if (log.count() > 1) {
    message += ", and " + std::to_string(log.count() - 1) + " more:";
    for (std::size_t i = 1; i < kept.size(); ++i)
      message.append(" ").append(kept[i].location()).append(line_suffix(kept[i].line)).append(",");
    if (log.count() > kept.size()) message += " ...,";
    message.pop_back();
  }
  message += " (the Kubernetes API has no such field; --lenient warns and goes on)";
  throw InputError(first.file, first.location(), message);
}

}  // namespace detail
}  // namespace podium::io
