// Streams ClusterObjects as a kubectl-style JSON List. Only the fields the generator
// fills are written; quantities use their exact canonical forms ("1500m", "2147483648").

#include <ctime>
#include <ostream>
#include <string>

#include "generator/synthetic_cluster.hpp"

namespace podium::datasets {
namespace {

void str(std::ostream& out, const std::string& s) {
  out.put('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.put('\\');
    if (static_cast<unsigned char>(c) < 0x20) {
      out << ' ';
      continue;
    }
    out.put(c);
  }
  out.put('"');
}

// Whole units when exact, else milli-units (every generated quantity is one or the other).
std::string quantity(const io::Quantity& q) {
  const auto nanos = q.nanos();
  if (nanos % 1'000'000'000 == 0) return std::to_string(static_cast<long long>(nanos / 1'000'000'000));
  return std::to_string(static_cast<long long>(nanos / 1'000'000)) + "m";
}

void resource_list(std::ostream& out, const io::ResourceList& list) {
  out << '{';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out << ',';
    str(out, list[i].first);
    out << ':';
    str(out, quantity(list[i].second));
  }
  out << '}';
}

void labels(std::ostream& out, const io::StringMap& map) {
  out << '{';
  for (std::size_t i = 0; i < map.size(); ++i) {
    if (i) out << ',';
    str(out, map[i].first);
    out << ':';
    str(out, map[i].second);
  }
  out << '}';
}

std::string rfc3339(std::int64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>((ns % 1'000'000'000) / 1000));
  return std::string(buf) + frac;
}

}  // namespace

void write_kube_list_json(const io::ClusterObjects& objects, std::ostream& out) {
  out << "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n";
  bool first = true;
  auto sep = [&] {
    if (!first) out << ",\n";
    first = false;
  };
  for (const auto& n : objects.nodes) {
    sep();
    out << "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":";
    str(out, n.name);
    out << ",\"labels\":";
    labels(out, n.labels);
    out << "},\"spec\":{" << (n.unschedulable ? "\"unschedulable\":true" : "") << "},\"status\":{\"capacity\":";
    resource_list(out, n.allocatable);
    out << ",\"allocatable\":";
    resource_list(out, n.allocatable);
    out << "}}";
  }
  for (const auto& p : objects.pods) {
    sep();
    out << "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":";
    str(out, p.name);
    out << ",\"namespace\":";
    str(out, p.namespace_);
    if (!p.uid.empty()) {
      out << ",\"uid\":";
      str(out, p.uid);
    }
    out << ",\"labels\":";
    labels(out, p.labels);
    if (p.creation_timestamp_ns) out << ",\"creationTimestamp\":\"" << rfc3339(*p.creation_timestamp_ns) << '"';
    out << "},\"spec\":{\"schedulerName\":";
    str(out, p.scheduler_name);
    if (!p.node_name.empty()) {
      out << ",\"nodeName\":";
      str(out, p.node_name);
    }
    out << ",\"containers\":[";
    for (std::size_t i = 0; i < p.containers.size(); ++i) {
      const auto& c = p.containers[i];
      if (i) out << ',';
      out << "{\"name\":";
      str(out, c.name);
      out << ",\"image\":";
      str(out, c.image);
      out << ",\"resources\":{\"requests\":";
      resource_list(out, c.requests);
      out << "}}";
    }
    out << "]},\"status\":{\"phase\":\"" << (p.phase.empty() ? "Pending" : p.phase) << "\"}}";
  }
  out << "\n]}\n";
}

}  // namespace podium::datasets
