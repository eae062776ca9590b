#pragma once
// Input files named on the command line: `-` is standard input, named `<stdin>` in
// messages. Every loader (cluster objects, scheduler configuration, workload files)
// accepts it.

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "podium/common/input_error.hpp"

namespace podium {

inline const std::string kStdinName = "<stdin>";

// The name an input is reported under: the path, or `<stdin>` for `-`.
inline std::string input_name(const std::string& path) { return path == "-" ? kStdinName : path; }

// The whole content of `path`, or of standard input when `path` is `-`.
inline std::string read_input(const std::string& path) {
  if (path == "-") {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    if (std::cin.bad()) throw InputError(kStdinName, "", "cannot read standard input");
    return text;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, "", "cannot read file");
  return buffer.str();
}

}  // namespace podium
