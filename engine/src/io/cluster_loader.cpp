// load_objects_file / load_objects_text: choose JSON or YAML from the first byte, parse
// with simdjson (DOM) or yaml-cpp, and hand every document to the shared ObjectWalker,
// and to the strict check for unknown fields (unknown_fields_check.hpp), which runs beside
// the walker on a large JSON file.

#include "podium/io/cluster_loader.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "io/json_path.hpp"
#include "io/json_value.hpp"
#include "io/object_walker.hpp"
#include "io/unknown_fields_check.hpp"
#include "io/yaml_value.hpp"
#include "podium/common/input_error.hpp"
#include "podium/common/input_file.hpp"
#include "podium/common/yaml_reader.hpp"

namespace podium::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Below this size a JSON file is walked and checked on the calling thread: starting
// threads would cost more than they save.
constexpr std::size_t kConcurrentBytes = std::size_t{1} << 20;

// JSON when the first significant character opens an object or an array; YAML
// otherwise (a YAML document may itself be written in flow style, but kubectl and our
// fixtures never start one with `{` or `[`, and JSON is a subset of YAML anyway).
bool looks_like_json(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

void append(ClusterObjects& from, ClusterObjects& to) {
  auto move_all = [](auto& src, auto& dst) {
    if (dst.empty()) {
      dst = std::move(src);
    } else {
      dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
    }
  };
  move_all(from.nodes, to.nodes);
  move_all(from.pods, to.pods);
  move_all(from.namespaces, to.namespaces);
  move_all(from.priority_classes, to.priority_classes);
  move_all(from.selector_owners, to.selector_owners);
  move_all(from.pod_groups, to.pod_groups);
  move_all(from.disruption_budgets, to.disruption_budgets);
}

// The number of items when ObjectWalker::walk_root reads the root as a list (a root array,
// or an object with an `items` array whose kind is absent, "List" or "...List"), else 0.
std::size_t root_list_size(simdjson::dom::element root) {
  simdjson::dom::array array;
  if (root.get_array().get(array) == simdjson::SUCCESS) return array.size();
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return 0;
  simdjson::dom::element kind_value;
  if (object.at_key("kind").get(kind_value) == simdjson::SUCCESS && !kind_value.is_null()) {
    std::string_view kind;
    if (kind_value.get_string().get(kind) != simdjson::SUCCESS) return 0;
    if (!kind.empty() && !kind.ends_with("List")) return 0;
  }
  simdjson::dom::element items;
  if (object.at_key("items").get(items) != simdjson::SUCCESS || items.get_array().get(array) != simdjson::SUCCESS)
    return 0;
  return array.size();
}

// `data` must be followed by simdjson::SIMDJSON_PADDING readable bytes unless `padded`
// is false, in which case simdjson copies it.
void load_json(const char* data, std::size_t size, bool padded, const std::string& file, ClusterObjects& out,
               const LoadOptions& options) {
  if (std::string_view(data, size).substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    // Skipping a prefix keeps the padding after the end valid.
    data += kUtf8Bom.size();
    size -= kUtf8Bom.size();
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(data, size, /*realloc_if_needed=*/!padded).get(root); error) {
    throw InputError(file, "", std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  detail::UnknownFieldCheck<detail::JsonValue> strict(file, options);
  auto check = [&] { strict.check_root(detail::JsonValue(root), detail::JsonPath("")); };
  detail::ObjectWalker<detail::JsonValue> walker(file, out);
  auto walk = [&](detail::ObjectWalker<detail::JsonValue>& part) {
    part.walk_root(detail::JsonValue(root), detail::JsonPath(""));
  };
  if (size < kConcurrentBytes || options.threads == 1) {
    walk(walker);
    walker.finish();
    check();
    strict.finish();
    return;
  }
  // A large file is read by three threads: the first half of the root list's items, the
  // second half (into `later`, appended to `out` afterwards) and the strict check. All
  // three only read the DOM and write their own output. On 2 cores this takes the check
  // (a fifth of loading's instructions) and half the walk off the critical path. With
  // options.threads == 2 the check follows the second half on its thread instead, while
  // the calling thread appends the second half's objects to the first's: both threads then
  // do half the walk and one serial step. Errors are reported as a serial load reports
  // them: the first part's, else the second's, else the check's.
  const std::size_t items = root_list_size(root);
  ClusterObjects later;
  detail::ObjectWalker<detail::JsonValue> second(file, later);
  const bool split = items >= 2;
  if (split) {
    walker.take_items(0, items / 2);
    second.take_items(items / 2, static_cast<std::size_t>(-1));
  }
  std::exception_ptr second_error, check_error;
  auto run = [](auto&& f, std::exception_ptr& error) {
    try {
      f();
    } catch (...) {
      error = std::current_exception();
    }
  };
  const bool checker_thread = options.threads != 2;
  const bool check_after_second = !checker_thread && split;
  std::promise<void> second_walked;  // set by the second part's thread before it checks
  std::thread checker;
  if (checker_thread) checker = std::thread([&] { run(check, check_error); });
  std::thread second_part;
  auto join = [&] {
    if (second_part.joinable()) second_part.join();
    if (checker.joinable()) checker.join();
  };
  try {
    if (split) {
      second_part = std::thread([&] {
        run([&] { walk(second); }, second_error);
        second_walked.set_value();
        if (check_after_second && !second_error) run(check, check_error);
      });
    }
    walk(walker);
    if (!checker_thread && !check_after_second) run(check, check_error);
  } catch (...) {
    join();
    throw;
  }
  if (split) second_walked.get_future().wait();
  if (!second_error) {
    // Beside the check, which reads only the DOM; the moved-from objects are freed here too.
    append(later, out);
    later = ClusterObjects();
  }
  join();
  if (second_error) std::rethrow_exception(second_error);
  walker.absorb(second);
  walker.finish();
  if (check_error) std::rethrow_exception(check_error);
  strict.finish();
}

void load_yaml(const std::string& text, const std::string& file, ClusterObjects& out, const LoadOptions& options) {
  yaml::check_utf8(text, file);
  std::vector<YAML::Node> documents;
  try {
    documents = yaml::load_all(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
  yaml::check_alias_expansion(documents, text.size(), file);
  detail::ObjectWalker<detail::YamlValue> walker(file, out);
  // A file of several documents names each by its index; a single document reads like
  // the equivalent JSON file.
  auto prefix = [&](std::size_t i) { return documents.size() > 1 ? "doc[" + std::to_string(i) + "]" : std::string(); };
  try {
    for (std::size_t i = 0; i < documents.size(); ++i) {
      const std::string at = prefix(i);
      walker.walk_root(detail::YamlValue(documents[i]), detail::JsonPath(at));
    }
    walker.finish();
    detail::UnknownFieldCheck<detail::YamlValue> strict(file, options);
    for (std::size_t i = 0; i < documents.size(); ++i) {
      const std::string at = prefix(i);
      strict.check_root(detail::YamlValue(documents[i]), detail::JsonPath(at));
    }
    strict.finish();
  } catch (const YAML::Exception& e) {
    throw InputError(file, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
}

// A whole file mapped read-only. simdjson reads up to SIMDJSON_PADDING bytes past the
// end; the rest of the last page of a mapping reads as zeros, so when that slack is large
// enough the mapping is parsed in place, which saves allocating, zero-filling and copying
// a buffer as large as the file (a tenth of a second on a 150 MB kubectl list).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return;
    size_ = static_cast<std::size_t>(st.st_size);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t slack = (page - size_ % page) % page;
    if (slack < simdjson::SIMDJSON_PADDING) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_, 0);
    if (p != MAP_FAILED) data_ = static_cast<const char*>(p);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Null when the file could not be mapped with enough padding: read it instead.
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

void check_not_empty(std::string_view text, const std::string& file) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(file, "", "empty input: no Kubernetes objects");
}

void load_text(std::string_view text, bool padded, const std::string& file, ClusterObjects& out,
               const LoadOptions& options) {
  check_not_empty(text, file);
  if (looks_like_json(text)) {
    load_json(text.data(), text.size(), padded, file, out, options);
  } else {
    load_yaml(std::string(text), file, out, options);
  }
}

}  // namespace

void load_objects_text(const std::string& text, const std::string& file_name, ClusterObjects& out,
                       const LoadOptions& options) {
  // Objects land in `loaded` first so that a file with an error adds nothing to `out`.
  ClusterObjects loaded;
  check_not_empty(text, file_name);
  if (looks_like_json(text)) {
    load_json(text.data(), text.size(), /*padded=*/false, file_name, loaded, options);
  } else {
    load_yaml(text, file_name, loaded, options);
  }
  append(loaded, out);
}

void load_objects_file(const std::string& path, ClusterObjects& out, const LoadOptions& options) {
  ClusterObjects loaded;
  if (path == "-") {
    // Standard input (`kubectl get nodes,pods -A -o json | podium schedule --cluster -`).
    load_objects_text(read_input(path), kStdinName, out, options);
    return;
  }
  const MappedFile mapped(path);
  if (mapped.data() != nullptr) {
    load_text(std::string_view(mapped.data(), mapped.size()), /*padded=*/true, path, loaded, options);
  } else {
    simdjson::padded_string content;
    if (const auto error = simdjson::padded_string::load(path).get(content); error) {
      throw InputError(path, "", std::string("cannot read file: ") + simdjson::error_message(error));
    }
    load_text(std::string_view(content.data(), content.size()), /*padded=*/true, path, loaded, options);
  }
  append(loaded, out);
}

void load_template_object(const YAML::Node& node, std::string_view kind, const std::string& file_name,
                          const std::string& path, ClusterObjects& out, const LoadOptions& options) {
  ClusterObjects loaded;
  detail::ObjectWalker<detail::YamlValue> walker(file_name, loaded);
  try {
    walker.walk_template(detail::YamlValue(node), detail::JsonPath(path), kind);
    detail::UnknownFieldCheck<detail::YamlValue> strict(file_name, options);
    strict.check_object_as(detail::YamlValue(node), detail::JsonPath(path), kind);
    strict.finish();
  } catch (const YAML::Exception& e) {
    throw InputError(file_name, "line " + std::to_string(e.mark.line + 1), "invalid YAML: " + e.msg);
  }
  append(loaded, out);
}

}  // namespace podium::io
