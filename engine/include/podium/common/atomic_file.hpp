#pragma once
// Output files appear whole or not at all: content goes to a temporary file beside the
// target, which is renamed over it only after a successful flush. A failed run therefore
// never leaves a half-written placements or cluster file behind.

#include <functional>
#include <iosfwd>
#include <string>

namespace podium {

// Calls `write` with a stream on a temporary file next to `path`, then renames it to
// `path`. If `write` throws or the stream fails, the temporary file is removed and the
// error propagates (std::runtime_error naming the path for I/O failures).
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace podium
