// Task files framed on standard output and unpacked again (log_transport.hpp).

#include "log_transport.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "podium/common/atomic_file.hpp"
#include "podium/common/input_error.hpp"
#include "results_dir.hpp"

namespace podium::sweep {
namespace {

constexpr std::string_view kMarker = "podium-sweep-file ";

bool read_whole(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

bool plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

}  // namespace

void print_task_files(std::ostream& out, const std::string& results, const Task& task) {
  for (const std::string& path :
       {manifest_path(results), record_path(results, task), output_path(results, task), log_path(results, task)}) {
    std::string text;
    if (!read_whole(path, text)) continue;
    out << kMarker << std::filesystem::path(path).filename().string() << " " << text.size() << "\n" << text << "\n";
  }
  out.flush();
}

std::size_t collect_logs(const std::vector<std::string>& logs, const std::string& results) {
  std::error_code ec;
  std::filesystem::create_directories(results, ec);
  if (ec) throw std::runtime_error(results + ": cannot create the results directory: " + ec.message());
  std::map<std::string, std::string> files;
  for (const auto& log : logs) {
    std::string text;
    if (!read_whole(log, text)) throw InputError(log, "", "cannot open");
    std::size_t pos = 0;
    int line = 1;
    while (pos < text.size()) {
      const std::size_t eol = text.find('\n', pos);
      const std::string_view l(text.data() + pos, (eol == std::string::npos ? text.size() : eol) - pos);
      const std::size_t next = eol == std::string::npos ? text.size() : eol + 1;
      if (l.substr(0, kMarker.size()) != kMarker) {
        pos = next;
        ++line;
        continue;
      }
      const std::string header(l.substr(kMarker.size()));
      const std::size_t space = header.rfind(' ');
      const std::string name = space == std::string::npos ? "" : header.substr(0, space);
      std::size_t bytes = 0;
      try {
        bytes = std::stoull(header.substr(space == std::string::npos ? 0 : space + 1));
      } catch (const std::exception&) {
        throw InputError(log, "line " + std::to_string(line), "malformed frame header \"" + header + "\"");
      }
      if (!plain_name(name)) throw InputError(log, "line " + std::to_string(line), "bad file name \"" + name + "\"");
      if (next + bytes + 1 > text.size() || text[next + bytes] != '\n')
        throw InputError(log, "line " + std::to_string(line), "truncated frame for " + name);
      std::string body = text.substr(next, bytes);
      for (std::size_t i = next; i < next + bytes + 1; ++i) line += text[i] == '\n' ? 1 : 0;
      ++line;
      if (auto [it, inserted] = files.emplace(name, body); !inserted && it->second != body) {
        if (name == "sweep.json")
          throw InputError(log, "line " + std::to_string(line), "sweep.json differs from an earlier copy: logs of two sweeps");
        it->second = std::move(body);  // a retried task: its last run wins
      }
      pos = next + bytes + 1;
    }
  }
  for (const auto& [name, body] : files)
    write_file_atomically((std::filesystem::path(results) / name).string(), [&](std::ostream& o) { o << body; });
  return files.size();
}

}  // namespace podium::sweep
