#pragma once
// Fields the Kubernetes API does not define, found by the loader's strict check (the way
// `kubectl apply --validate=strict` reports them), and how a caller asks to be lenient.
//
// By default a file with an unknown field is refused: a typo in a field Podium reads
// (`resorces`, `nodeSelecter`, `tolerations[0].efect`) would otherwise be ignored and the
// pod scheduled as if the field were absent. With LoadOptions::lenient set, each unknown
// field is logged there instead (kubectl's --validate=warn) and loading goes on; the CLI
// prints the log as warnings (`--lenient`). Fields the API defines but Podium ignores
// (status, managedFields, probes, volumes, ...) are never reported. docs/FORMATS.md,
// "Unknown fields".

#include <cstddef>
#include <string>
#include <vector>

namespace podium::io {

struct UnknownField {
  std::string file;
  std::string object_path;  // the object's place in the file: "items[3]", "doc[1]", "" for a lone object
  std::string field_path;   // from the object, as kubectl writes it: "spec.containers[0].resorces"
  int line = 0;             // the key's line in YAML; 0 in JSON

  // object_path and field_path joined: "items[3].spec.containers[0].resorces".
  std::string location() const;
  // `unknown field "spec.containers[0].resorces" (line 12)`.
  std::string describe() const;
};

// What a lenient load found, bounded: every unknown field is counted, the first kKept are
// kept (a file with the same typo in 150,000 pods must not print 150,000 lines).
// Not thread-safe; one log per load.
class UnknownFieldLog {
 public:
  static constexpr std::size_t kKept = 20;

  void add(UnknownField field) {
    if (kept_.size() < kKept) kept_.push_back(std::move(field));
    ++count_;
  }
  // `later`'s fields after this log's, as if they had been added here in order.
  void absorb(const UnknownFieldLog& later) {
    for (const UnknownField& field : later.kept_)
      if (kept_.size() < kKept) kept_.push_back(field);
    count_ += later.count_;
  }
  std::size_t count() const { return count_; }
  const std::vector<UnknownField>& kept() const { return kept_; }

  // One line per kept field (`FILE: LOCATION: unknown field "..." (line N)`), then
  // `... and N more unknown fields` when some were not kept.
  std::vector<std::string> warning_lines() const;

 private:
  std::vector<UnknownField> kept_;
  std::size_t count_ = 0;
};

struct LoadOptions {
  // Null (the default): strict, a file with an unknown field throws InputError naming the
  // file, the first field's path and line, and the others (up to kKept). Otherwise
  // every unknown field is added here and loading goes on.
  UnknownFieldLog* lenient = nullptr;
  // Threads a large JSON file (1 MB or more) may be read with: 1 reads it serially; 2 parses
  // and walks the halves of its root list on two threads, each running the strict check of
  // its half after its walk; 0 (the default) or 3 and more give the strict check a thread of
  // its own instead.
  int threads = 0;
};

}  // namespace podium::io
