// A JSON file of 1 MB or more is walked in two parts on two threads, with the strict check
// on a third (cluster_loader.cpp); LoadOptions::threads 2 runs the check after the second
// part on its thread and 1 reads serially. These tests hold every thread count to the
// serial walk of small files: the same objects in the same order, and the error a serial
// load reports when several are present.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "object_dump.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

constexpr std::size_t kItems = 6000;  // ~1.4 MB: over the threshold for the split walk
constexpr int kThreadCounts[] = {0, 1, 2, 3};  // LoadOptions::threads

// Item i of the list: mostly pods, every 10th a node, one nested List (whose own items
// must be read whole, not split by the parts' index ranges) and a namespace.
std::string item(std::size_t i, const std::string& pod_extra = "") {
  const std::string n = std::to_string(i);
  if (i == 1234)
    return R"({"kind": "List", "items": [{"kind": "Namespace", "metadata": {"name": "nested-a"}},)"
           R"({"kind": "Namespace", "metadata": {"name": "nested-b"}}]})";
  if (i == 3333) return R"({"kind": "Namespace", "metadata": {"name": "ns-3333", "labels": {"team": "x"}}})";
  if (i % 10 == 0)
    return R"({"kind": "Node", "metadata": {"name": "node-)" + n +
           R"(", "labels": {"zone": "z1"}}, "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}}})";
  return R"({"kind": "Pod", "metadata": {"name": "pod-)" + n + R"(", "namespace": "apps", "labels": {"app": "a)" +
         std::to_string(i % 7) + R"("}}, "spec": {"containers": [{"name": "c", "image": "registry.example/app:1",)" +
         R"( "resources": {"requests": {"cpu": ")" + std::to_string(100 + i % 5) + R"(m", "memory": "64Mi"}}}])" +
         pod_extra + "}}";
}

// The whole list, with `replace(i)` standing in for item i where it returns text.
template <class Replace>
std::string list_text(std::size_t begin, std::size_t end, Replace&& replace) {
  std::string text = R"({"kind": "List", "apiVersion": "v1", "items": [)";
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin) text += ",\n";
    const std::string r = replace(i);
    text += r.empty() ? item(i) : r;
  }
  return text + "]}";
}

std::string list_text(std::size_t begin, std::size_t end) {
  return list_text(begin, end, [](std::size_t) { return std::string(); });
}

TEST(LargeList, EveryThreadCountReadsWhatTheSerialWalkReads) {
  const std::string whole = list_text(0, kItems);
  ASSERT_GE(whole.size(), std::size_t{1} << 20);
  // The same items in files under 1 MB each, read serially and appended in order.
  ClusterObjects serial;
  for (std::size_t begin = 0; begin < kItems; begin += 500) {
    const std::string part = list_text(begin, begin + 500);
    ASSERT_LT(part.size(), std::size_t{1} << 20);
    load_objects_text(part, "part.json", serial);
  }
  // Not EXPECT_EQ: gtest's line diff of two 60,000-line dumps would not fit in memory.
  const std::string serial_dump = testing::dump(serial);

  for (const int threads : kThreadCounts) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    ClusterObjects split;
    load_objects_text(whole, "big.json", split, LoadOptions{.threads = threads});
    ASSERT_EQ(split.pods.size(), serial.pods.size());
    ASSERT_EQ(split.nodes.size(), serial.nodes.size());
    ASSERT_EQ(split.namespaces.size(), serial.namespaces.size());
    EXPECT_TRUE(testing::dump(split) == serial_dump) << "the split walk read other objects than the serial one";
    ASSERT_EQ(split.nodes.size(), kItems / 10);
    ASSERT_EQ(split.namespaces.size(), 3u);  // nested-a, nested-b (inside item 1234) and ns-3333
    EXPECT_EQ(split.namespaces[0].source.path, "items[1234].items[0]");
    EXPECT_EQ(split.namespaces[2].name, "ns-3333");
    // Sources name the item in the whole file, in both halves.
    EXPECT_EQ(split.pods.front().source.path, "items[1]");
    EXPECT_EQ(split.pods.back().source.path, "items[5999]");
    EXPECT_EQ(split.pods.back().source.file, "big.json");
    EXPECT_EQ(split.nodes.back().name, "node-5990");
  }
}

// The location of the error loading `text` reports, the same at every thread count.
std::string load_error(const std::string& text, std::string* message = nullptr) {
  std::string first, first_message;
  for (const int threads : kThreadCounts) {
    std::string text_of_error;
    std::string location = "(no error)";
    ClusterObjects out;
    try {
      load_objects_text(text, "big.json", out, LoadOptions{.threads = threads});
    } catch (const InputError& e) {
      text_of_error = e.message();
      location = e.location();
    }
    if (threads == kThreadCounts[0]) {
      first = location;
      first_message = text_of_error;
    }
    EXPECT_EQ(location, first) << "threads " << threads;
    EXPECT_EQ(text_of_error, first_message) << "threads " << threads;
  }
  if (message != nullptr) *message = first_message;
  return first;
}

TEST(LargeList, ReportsTheFirstErrorInDocumentOrder) {
  const std::string bad_priority = R"(, "priority": "high")";
  auto bad_at = [&](std::vector<std::size_t> at) {
    return list_text(0, kItems, [&](std::size_t i) {
      for (std::size_t a : at)
        if (a == i) return item(i, bad_priority);
      return std::string();
    });
  };
  EXPECT_EQ(load_error(bad_at({3501})), "items[3501].spec.priority");  // second half only
  EXPECT_EQ(load_error(bad_at({101, 3501})), "items[101].spec.priority");
  EXPECT_EQ(load_error(bad_at({2999, 3001})), "items[2999].spec.priority");  // either side of the split
}

TEST(LargeList, WalkerErrorsWinOverUnknownFields) {
  const std::string unknown = R"(, "nodeSelecter": {"a": "b"})";
  // An unknown field early, a type error late: a serial load walks everything first.
  const std::string both = list_text(0, kItems, [&](std::size_t i) {
    if (i == 5) return item(i, unknown);
    if (i == 3901) return item(i, R"(, "priority": "high")");
    return std::string();
  });
  EXPECT_EQ(load_error(both), "items[3901].spec.priority");

  const std::string unknown_only = list_text(0, kItems, [&](std::size_t i) {
    return i == 11 || i == 3901 ? item(i, unknown) : std::string();
  });
  std::string message;
  EXPECT_EQ(load_error(unknown_only, &message), "items[11].spec.nodeSelecter");
  EXPECT_NE(message.find("and 1 more: items[3901].spec.nodeSelecter"), std::string::npos) << message;

  for (const int threads : kThreadCounts) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    UnknownFieldLog log;
    ClusterObjects out;
    load_objects_text(unknown_only, "big.json", out, LoadOptions{.lenient = &log, .threads = threads});
    ASSERT_EQ(log.count(), 2u);
    EXPECT_EQ(log.kept()[0].location(), "items[11].spec.nodeSelecter");
    EXPECT_EQ(log.kept()[1].location(), "items[3901].spec.nodeSelecter");
    EXPECT_EQ(out.pods.size() + out.nodes.size() + out.namespaces.size(), kItems + 1);
  }
}

}  // namespace
}  // namespace podium::io
