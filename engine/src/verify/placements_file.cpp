// Reading a placement list: `podium schedule`'s output or a bare array of its entries.
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "podium/common/input_error.hpp"
#include "podium/common/input_file.hpp"
#include "podium/verify/verify.hpp"

namespace podium::verify {
namespace {

const char* type_name(simdjson::dom::element_type t) {
  switch (t) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    default: return "a number";
  }
}

}  // namespace

Placements parse_placements(const std::string& text, const std::string& file_name) {
  Placements out;
  out.file = file_name;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto err = parser.parse(text).get(root))
    throw InputError(file_name, "", std::string("invalid JSON: ") + simdjson::error_message(err));
  simdjson::dom::array entries;
  std::string prefix;
  if (root.is_object()) {
    simdjson::dom::element list;
    if (root.get_object().value_unsafe()["placements"].get(list))
      throw InputError(file_name, "placements", "missing (want {\"placements\": [...]} or an array of entries)");
    if (!list.is_array())
      throw InputError(file_name, "placements", std::string("want an array, got ") + type_name(list.type()));
    entries = list.get_array().value_unsafe();
    prefix = "placements";
  } else if (root.is_array()) {
    entries = root.get_array().value_unsafe();
  } else {
    throw InputError(file_name, "", std::string("want an object with \"placements\" or an array, got ") +
                                        type_name(root.type()));
  }
  std::size_t i = 0;
  for (simdjson::dom::element e : entries) {
    const std::string path = prefix + "[" + std::to_string(i++) + "]";
    if (!e.is_object()) throw InputError(file_name, path, std::string("want an object, got ") + type_name(e.type()));
    const simdjson::dom::object obj = e.get_object().value_unsafe();
    PlacementEntry entry;
    entry.path = path;
    simdjson::dom::element pod, node;
    simdjson::dom::element created;
    if (!obj["created"].get(created) && !created.is_null()) {
      if (created.get_bool().get(entry.created))
        throw InputError(file_name, path + ".created", std::string("want true or false, got ") + type_name(created.type()));
    }
    if (entry.created) {
      // A node creation entry: the node's name, nothing else.
      for (const char* other : {"pod", "evicted_by", "deleted", "gpus"})
        if (!obj[other].error()) throw InputError(file_name, path + "." + other, "not allowed in a node creation entry (created: true)");
      std::string_view node_text;
      if (obj["node"].get(node) || node.get_string().get(node_text))
        throw InputError(file_name, path + ".node", "a node creation entry (created: true) needs the node's name");
      entry.node = std::string(node_text);
      out.entries.push_back(std::move(entry));
      continue;
    }
    if (obj["pod"].get(pod)) throw InputError(file_name, path + ".pod", "missing");
    std::string_view pod_text;
    if (pod.get_string().get(pod_text))
      throw InputError(file_name, path + ".pod", std::string("want a string, got ") + type_name(pod.type()));
    if (pod_text.find('/') == std::string_view::npos)
      throw InputError(file_name, path + ".pod", "want namespace/name, got \"" + std::string(pod_text) + "\"");
    entry.pod = std::string(pod_text);
    if (obj["node"].get(node)) throw InputError(file_name, path + ".node", "missing (null for an unplaced pod)");
    if (!node.is_null()) {
      std::string_view node_text;
      if (node.get_string().get(node_text))
        throw InputError(file_name, path + ".node", std::string("want a string or null, got ") + type_name(node.type()));
      entry.node = std::string(node_text);
    }
    simdjson::dom::element gpus;
    if (!obj["gpus"].get(gpus)) {
      simdjson::dom::array devices;
      if (gpus.get_array().get(devices))
        throw InputError(file_name, path + ".gpus", std::string("want an array of device indices, got ") + type_name(gpus.type()));
      entry.gpus.emplace();
      std::size_t k = 0;
      for (simdjson::dom::element d : devices) {
        std::int64_t index = -1;
        if (d.get_int64().get(index) || index < 0 || index > 7)
          throw InputError(file_name, path + ".gpus[" + std::to_string(k) + "]", "want a device index 0..7");
        entry.gpus->push_back(static_cast<int>(index));
        ++k;
      }
    }
    simdjson::dom::element by;
    if (!obj["evicted_by"].get(by) && !by.is_null()) {
      std::string_view by_text;
      if (by.get_string().get(by_text))
        throw InputError(file_name, path + ".evicted_by", std::string("want a string, got ") + type_name(by.type()));
      if (entry.node)
        throw InputError(file_name, path + ".node", "an eviction entry (evicted_by) must have node null");
      entry.evicted_by = std::string(by_text);
    }
    simdjson::dom::element deleted;
    if (!obj["deleted"].get(deleted) && !deleted.is_null()) {
      if (deleted.get_bool().get(entry.deleted))
        throw InputError(file_name, path + ".deleted", std::string("want true or false, got ") + type_name(deleted.type()));
      if (entry.deleted && entry.node)
        throw InputError(file_name, path + ".node", "a deletion entry (deleted: true) must have node null");
      if (entry.deleted && entry.evicted_by)
        throw InputError(file_name, path + ".deleted", "an entry is an eviction (evicted_by) or a deletion, not both");
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

Placements load_placements_file(const std::string& path) {
  // `-` is standard input (`podium schedule ... | podium verify --placements -`).
  return parse_placements(read_input(path), input_name(path));
}

}  // namespace podium::verify
