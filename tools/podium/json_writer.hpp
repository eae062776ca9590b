#pragma once
// A small streaming JSON writer for the CLI's outputs: keys come out in the order written
// (the formats in docs/FORMATS.md fix that order), strings are escaped per RFC 8259, and
// nothing is buffered beyond the ostream's own buffer.

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

namespace podium::cli {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();

 private:
  void separate();
  std::ostream& out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

void write_json_string(std::ostream& out, std::string_view s);

}  // namespace podium::cli
