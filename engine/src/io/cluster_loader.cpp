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
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "io/json_list_split.hpp"
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

// The bytes of a JSON document and what a split parse (load_json_split) may do with them.
struct JsonText {
  const char* data = nullptr;
  std::size_t size = 0;
  bool padded = false;      // simdjson::SIMDJSON_PADDING readable bytes follow `data + size`
  char* writable = nullptr;  // `data`, when it lies in a private mapping of file `fd` (make_writable)
  int fd = -1;
  std::size_t file_offset = 0;  // of `data` in that file
};

// Makes the pages holding [p, p + n) of a private file mapping writable (only the pages
// then written are copied). The mappings stay read-only otherwise: MAP_POPULATE on a
// writable private mapping copies every page (~30 ms more for an 81 MB file).
bool make_writable(const char* p, std::size_t n) {
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(p) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + n + page - 1) / page * page;
  return ::mprotect(reinterpret_cast<void*>(begin), end - begin, PROT_READ | PROT_WRITE) == 0;
}

// One of the two documents of a split parse: a padded copy, or a private mapping of the
// file's tail with the List's prefix written just before the bytes after the cut (pages
// are the page cache's until written: no copy of the half file).
class SplitDocument {
 public:
  SplitDocument() = default;
  ~SplitDocument() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
  }
  SplitDocument(const SplitDocument&) = delete;
  SplitDocument& operator=(const SplitDocument&) = delete;

  // `head` followed by `tail`, padded.
  void copy(std::string_view head, std::string_view tail) {
    copy_ = simdjson::padded_string(head.size() + tail.size());
    std::memcpy(copy_.data(), head.data(), head.size());
    std::memcpy(copy_.data() + head.size(), tail.data(), tail.size());
    data_ = copy_.data();
    size_ = copy_.size();
  }

  // `head` followed by the file's bytes from `tail_offset` to `file_end` (the file's
  // size); false when the file cannot be mapped.
  bool map(int fd, std::string_view head, std::size_t tail_offset, std::size_t file_end) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t begin = tail_offset - head.size();
    const std::size_t map_offset = begin / page * page;
    map_size_ = file_end - map_offset;
    void* p = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, static_cast<off_t>(map_offset));
    if (p == MAP_FAILED) return false;
    map_ = static_cast<char*>(p);
    if (!make_writable(map_ + (begin - map_offset), head.size())) return false;
    std::memcpy(map_ + (begin - map_offset), head.data(), head.size());
    data_ = map_ + (begin - map_offset);
    size_ = file_end - begin;
    return true;
  }

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  simdjson::padded_string copy_;
  char* map_ = nullptr;
  std::size_t map_size_ = 0;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Where the cut goes, as a share of the items' bytes. The calling thread also moves the
// second part's objects after its own (append), so it takes a little less than half: on
// the 150,000-pod RealisticShapes list at 2 threads this evens the two threads' CPU time.
constexpr double kCutFraction = 0.47;

// After the parts' walks (the second part's thread has walked, or its walk failed): the
// second part's objects after the first's (beside the check, which reads only the DOM; the
// moved-from objects are freed here too), then the threads joined and the errors a serial
// load reports first: the second part's (the first part's has been thrown already), the
// walkers' finish(), the check's.
template <class Join>
void join_parts(ClusterObjects& later, ClusterObjects& out, Join&& join, detail::ObjectWalker<detail::JsonValue>& walker,
                const detail::ObjectWalker<detail::JsonValue>& second, const std::exception_ptr& second_error,
                const std::exception_ptr& check_error) {
  if (!second_error) {
    append(later, out);
    later = ClusterObjects();
  }
  join();
  if (second_error) std::rethrow_exception(second_error);
  walker.absorb(second);
  walker.finish();
  if (check_error) std::rethrow_exception(check_error);
}

// Runs f, keeping what it throws in `error`.
template <class F>
void run_keeping_error(F&& f, std::exception_ptr& error) {
  try {
    f();
  } catch (...) {
    error = std::current_exception();
  }
}

// A large List parsed as two documents (json_list_split.hpp), one per thread, each
// thread then walking its own document's items: the parse, serial before, is split like
// the walk. Returns false, having added nothing to `out`, when the cut is not provably
// between two of the root's items or either document does not parse; the caller then
// parses the whole file, so that every error keeps its text and location. Threads and
// error priority as in load_json's split walk, except that with options.threads == 2 each
// thread checks its own part after walking it (the first part with the root's fields),
// the second into a log of its own that is added after the first's.
bool load_json_split(const JsonText& text, const std::string& file, ClusterObjects& out, const LoadOptions& options) {
  const std::string_view whole(text.data, text.size);
  const std::optional<detail::ListCut> cut = detail::find_list_cut(whole, kCutFraction);
  if (!cut) return false;
  const std::string_view prefix = whole.substr(0, cut->prefix_end);
  const std::string_view after_cut = whole.substr(cut->comma + 1);

  simdjson::dom::parser first_parser, second_parser;
  simdjson::dom::element first_root, second_root;
  SplitDocument second_document;
  simdjson::error_code second_parse = simdjson::UNINITIALIZED;
  std::exception_ptr second_error, check_error, second_check_error;
  std::promise<void> second_parsed;
  std::promise<bool> go;  // both parsed and the cut proven: walk
  std::promise<void> second_walked;
  std::shared_future<bool> go_future = go.get_future().share();
  bool go_set = false;

  detail::UnknownFieldCheck<detail::JsonValue> strict(file, options);
  detail::JsonValue first_items, second_items;
  std::size_t first_count = 0, total_count = 0;
  // The strict check of each document's part: the root's own fields with the first. The
  // second part's findings go to a log of its own, added after the first's at the end.
  UnknownFieldLog second_log;
  detail::UnknownFieldCheck<detail::JsonValue> second_strict(file, LoadOptions{.lenient = &second_log});
  auto check_first = [&] {
    strict.check_root_items(detail::JsonValue(second_root), first_items, 0, true, detail::JsonPath(""));
  };
  auto check_second = [&] {
    second_strict.check_root_items(detail::JsonValue(second_root), second_items, first_count, false,
                                   detail::JsonPath(""));
  };
  ClusterObjects later;
  detail::ObjectWalker<detail::JsonValue> walker(file, out);
  detail::ObjectWalker<detail::JsonValue> second(file, later);
  const bool checker_thread = options.threads != 2;

  std::thread second_part([&] {
    run_keeping_error(
        [&] {
          // With a file, only a mapping of its own: the calling thread may be writing the
          // bytes at the cut in the text's mapping meanwhile. One that fails parses the whole.
          if (text.fd >= 0) {
            if (!second_document.map(text.fd, prefix, text.file_offset + cut->comma + 1, text.file_offset + text.size)) {
              second_parse = simdjson::MEMALLOC;
              return;
            }
          } else {
            second_document.copy(prefix, after_cut);
          }
          second_parse = second_parser.parse(second_document.data(), second_document.size(), false).get(second_root);
        },
        second_error);
    second_parsed.set_value();
    if (!go_future.get()) return;
    run_keeping_error(
        [&] {
          second.walk_root_items(detail::JsonValue(second_root), second_items, first_count,
                                 total_count - first_count, detail::JsonPath(""));
        },
        second_error);
    second_walked.set_value();
    if (!checker_thread && !second_error) run_keeping_error(check_second, second_check_error);
  });
  std::thread checker;
  auto join = [&] {
    if (!go_set) go.set_value(false);
    go_set = true;
    if (second_part.joinable()) second_part.join();
    if (checker.joinable()) checker.join();
  };
  try {
    // Document 1 in place when the text may be written and the second thread reads its own
    // mapping, not these bytes (its `]}` over the cut's comma and the byte after, put back
    // once parsed: the DOM keeps copies of all it needs), else a copy.
    simdjson::error_code first_parse = simdjson::SUCCESS;
    SplitDocument first_document;
    constexpr std::string_view kClose = "]}";
    if (text.writable != nullptr && text.fd >= 0 && make_writable(text.writable + cut->comma, 2)) {
      char saved[2];
      std::memcpy(saved, text.writable + cut->comma, 2);
      std::memcpy(text.writable + cut->comma, kClose.data(), 2);
      first_parse = first_parser.parse(text.data, cut->comma + 2, false).get(first_root);
      std::memcpy(text.writable + cut->comma, saved, 2);
    } else {
      first_document.copy(whole.substr(0, cut->comma), kClose);
      first_parse = first_parser.parse(first_document.data(), first_document.size(), false).get(first_root);
    }
    second_parsed.get_future().wait();
    bool proven = first_parse == simdjson::SUCCESS && !second_error && second_parse == simdjson::SUCCESS &&
                  detail::split_roots_agree(first_root, second_root) && root_list_size(second_root) > 0;
    if (proven) {
      first_items = detail::JsonValue(first_root.at_key("items").value_unsafe());
      second_items = detail::JsonValue(second_root.at_key("items").value_unsafe());
      first_count = first_items.size();
      total_count = first_count + second_items.size();
      // simdjson's stored sizes saturate at 2^24 - 1: past that, the numbering would be wrong.
      proven = first_count < 0xFFFFFF && second_items.size() < 0xFFFFFF;
    }
    go_set = true;
    go.set_value(proven);
    if (!proven) {
      join();
      return false;
    }
    if (checker_thread) {
      checker = std::thread([&] {
        run_keeping_error(check_first, check_error);
        run_keeping_error(check_second, second_check_error);
      });
    }
    walker.walk_root_items(detail::JsonValue(second_root), first_items, 0, total_count, detail::JsonPath(""));
    if (!checker_thread) run_keeping_error(check_first, check_error);
  } catch (...) {
    join();
    throw;
  }
  second_walked.get_future().wait();
  join_parts(later, out, join, walker, second, second_error, check_error);
  if (second_check_error) std::rethrow_exception(second_check_error);
  strict.absorb(second_log);
  strict.finish();
  return true;
}

void load_json(JsonText text, const std::string& file, ClusterObjects& out, const LoadOptions& options) {
  if (std::string_view(text.data, text.size).substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    // Skipping a prefix keeps the padding after the end valid.
    text.data += kUtf8Bom.size();
    text.size -= kUtf8Bom.size();
    if (text.writable != nullptr) text.writable += kUtf8Bom.size();
    text.file_offset += kUtf8Bom.size();
  }
  const char* data = text.data;
  const std::size_t size = text.size;
  const bool padded = text.padded;
  if (size >= kConcurrentBytes && options.threads != 1 && load_json_split(text, file, out, options)) return;
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
  auto run = [](auto&& f, std::exception_ptr& error) { run_keeping_error(f, error); };
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
  join_parts(later, out, join, walker, second, second_error, check_error);
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

// A whole file in a private mapping (read-only, but a split parse makes the page of its
// cut writable: load_json_split). simdjson reads up to SIMDJSON_PADDING bytes past the
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
    if (p != MAP_FAILED) data_ = static_cast<char*>(p);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Null when the file could not be mapped with enough padding: read it instead.
  char* data() const { return data_; }
  std::size_t size() const { return size_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  char* data_ = nullptr;
  std::size_t size_ = 0;
};

void check_not_empty(std::string_view text, const std::string& file) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(file, "", "empty input: no Kubernetes objects");
}

void load_text(const JsonText& bytes, const std::string& file, ClusterObjects& out, const LoadOptions& options) {
  const std::string_view text(bytes.data, bytes.size);
  check_not_empty(text, file);
  if (looks_like_json(text)) {
    load_json(bytes, file, out, options);
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
    load_json(JsonText{.data = text.data(), .size = text.size(), .padded = false}, file_name, loaded, options);
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
    load_text(JsonText{.data = mapped.data(), .size = mapped.size(), .padded = true, .writable = mapped.data(),
                       .fd = mapped.fd()},
              path, loaded, options);
  } else {
    simdjson::padded_string content;
    if (const auto error = simdjson::padded_string::load(path).get(content); error) {
      throw InputError(path, "", std::string("cannot read file: ") + simdjson::error_message(error));
    }
    load_text(JsonText{.data = content.data(), .size = content.size(), .padded = true}, path, loaded, options);
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
