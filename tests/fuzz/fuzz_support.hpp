#pragma once
// What every fuzz target asserts about a parser, besides "no crash, no sanitizer report":
// bad input ends in a podium::InputError that names the input file, exactly what the CLI
// turns into `podium: error: FILE: PATH: message` and exit 2. Any other exception escaping
// (a yaml-cpp or simdjson exception, std::out_of_range, ...) would reach the user as an
// error without a file or a path, so it aborts the run and libFuzzer keeps the input.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"
#include "podium/io/objects.hpp"

namespace podium::fuzz {

[[noreturn]] inline void finding(std::string_view what) {
  std::fprintf(stderr, "fuzz finding: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

// Runs `parse`; an InputError must name `file`, anything else thrown is a finding.
template <class Parse>
void expect_input_errors_only(const std::string& file, Parse&& parse) {
  try {
    parse();
  } catch (const InputError& e) {
    if (e.file() != file) finding(std::string("InputError names another file: ") + e.what());
    if (e.message().empty()) finding(std::string("InputError without a message: ") + e.what());
  } catch (const std::exception& e) {
    finding(std::string("not an InputError: ") + e.what());
  }
}


// A checked-in cluster file (relative to the source tree), loaded and validated once per
// run as the CLI does (tools/podium/cluster_input.cpp): the fixed half of a target whose
// fuzzed half is a configuration or a placement list.
inline io::ClusterObjects load_fixed_cluster(const std::string& relative_path) {
  io::ClusterObjects objects;
  io::load_objects_file(std::string(PODIUM_SOURCE_DIR) + "/" + relative_path, objects);
  io::validate_objects(objects);
  return objects;
}

}  // namespace podium::fuzz
