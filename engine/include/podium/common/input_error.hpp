#pragma once
// Errors in user-supplied files. Thrown only at the parsing boundary (io/, config, CLI)
// and turned into a message + non-zero exit by the CLI; the engine never throws.

#include <stdexcept>
#include <string>

namespace podium {

// A problem in an input file, located by file name and JSON path (e.g.
// `items[3].spec.containers[0].resources.requests.cpu`) or line number.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string location, std::string message)
      : std::runtime_error(file + ": " + (location.empty() ? std::string() : location + ": ") + message),
        file_(std::move(file)),
        location_(std::move(location)),
        message_(std::move(message)) {}

  const std::string& file() const noexcept { return file_; }
  // JSON path (`items[3].metadata.name`) or `line N`; empty when the whole file is at fault.
  const std::string& location() const noexcept { return location_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  std::string location_;
  std::string message_;
};

}  // namespace podium
