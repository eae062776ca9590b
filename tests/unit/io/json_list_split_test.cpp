// A JSON List of 1 MB or more is parsed as two documents cut between two of the root's
// items (json_list_split.hpp, cluster_loader.cpp's load_json_split); any doubt about the
// cut falls back to parsing the whole file. These tests put the cut's first guess where
// it is wrong (inside a string, inside a nested List, in an `items` that is not the
// root's only one) or the file's error on either side of it, and hold every thread count,
// from text and from a file (mapped in place, or read into a buffer), to the serial
// whole-file load: the same objects with the same sources, or the same error.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/json_list_split.hpp"
#include "object_dump.hpp"
#include "podium/common/input_error.hpp"
#include "podium/io/cluster_loader.hpp"

namespace podium::io {
namespace {

constexpr int kThreadCounts[] = {0, 2, 3};  // compared with 1, the serial whole-file load

std::string pod(std::size_t i, const std::string& extra = "") {
  return R"({"kind": "Pod", "metadata": {"name": "pod-)" + std::to_string(i) +
         R"(", "namespace": "apps", "labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "img:1",)" +
         R"( "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}])" + extra + "}}";
}

// `n` pods, `around(i)` standing in for pod i where it returns text.
template <class F>
std::string items(std::size_t n, F&& around) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) text += ", ";
    const std::string r = around(i);
    text += r.empty() ? pod(i) : r;
  }
  return text;
}
std::string items(std::size_t n) {
  return items(n, [](std::size_t) { return std::string(); });
}

constexpr std::size_t kPods = 6000;  // ~1.2 MB

// What loading gives: the dump with sources, or the error's location and text.
std::string outcome(const std::function<void(ClusterObjects&, int)>& load, int threads) {
  ClusterObjects out;
  try {
    load(out, threads);
  } catch (const InputError& e) {
    return "error at " + e.location() + ": " + e.message();
  }
  return testing::dump(out, /*with_sources=*/true);
}

// Every thread count and way in gives what the serial load of the whole text gives.
void expect_same_as_whole(const std::string& text, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_GE(text.size(), std::size_t{1} << 20);
  auto from_text = [&](ClusterObjects& out, int threads) {
    load_objects_text(text, "big.json", out, LoadOptions{.threads = threads});
  };
  const std::string whole = outcome(from_text, 1);
  for (const int threads : kThreadCounts) {
    SCOPED_TRACE("text, threads " + std::to_string(threads));
    EXPECT_TRUE(outcome(from_text, threads) == whole) << whole.substr(0, 300);
  }
  // A file whose last page leaves simdjson its padding is mapped (and split in place);
  // one whose last page is nearly full is read into a buffer.
  const auto dir = std::filesystem::temp_directory_path();
  for (const bool mapped : {true, false}) {
    std::string bytes = text;
    const std::size_t page_fill = bytes.size() % 4096;
    if (mapped && page_fill > 4096 - 100) bytes.append(4096 - page_fill + 10, ' ');
    if (!mapped) bytes.append(4096 - page_fill - 6 + (page_fill > 4090 ? 4096 : 0), ' ');
    // One file per test and process: ctest runs the tests of this file at once.
    const std::string path = (dir / ("podium_json_list_split_" +
                                     std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                                     "_" + std::to_string(::getpid()) + ".json"))
                                 .string();
    std::ofstream(path, std::ios::binary) << bytes;
    auto from_file = [&](ClusterObjects& out, int threads) {
      load_objects_file(path, out, LoadOptions{.threads = threads});
    };
    const std::string whole_file = outcome(from_file, 1);
    if (whole.starts_with("error")) {
      EXPECT_EQ(whole_file.substr(0, 40), whole.substr(0, 40));  // the same error, another file name in the text
    }
    for (const int threads : kThreadCounts) {
      SCOPED_TRACE(std::string(mapped ? "mapped" : "buffered") + " file, threads " + std::to_string(threads));
      EXPECT_TRUE(outcome(from_file, threads) == whole_file) << whole_file.substr(0, 300);
    }
    std::filesystem::remove(path);
  }
}

TEST(JsonListCut, FindsTheItemsPrefixAndACommaBetweenItems) {
  const std::string text = R"({"apiVersion": "v1", "metadata": {"x": "]}"}, "items" : [ {"a": 1} , {"b": 2}, {}]})";
  const auto cut = detail::find_list_cut(text, 0.0);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(text.substr(0, cut->prefix_end), R"({"apiVersion": "v1", "metadata": {"x": "]}"}, "items" : [)");
  EXPECT_EQ(text.substr(cut->comma - 9, 12), R"({"a": 1} , {)");
  const auto late = detail::find_list_cut(text, 0.6);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(text.substr(late->comma - 1, 4), "}, {");
  EXPECT_FALSE(detail::find_list_cut(text, 0.9).has_value());  // no comma between items after that
  EXPECT_FALSE(detail::find_list_cut(R"([{"a": 1}, {"b": 2}])", 0.0).has_value());  // a bare array
  EXPECT_FALSE(detail::find_list_cut(R"({"items": "x"})", 0.0).has_value());
  EXPECT_FALSE(detail::find_list_cut(R"({"it\u0065ms": [{}, {}]})", 0.0).has_value());
}

TEST(JsonListSplit, APlainListAndItsTypedAndKubectlOrderedForms) {
  expect_same_as_whole(R"({"kind": "List", "apiVersion": "v1", "items": [)" + items(kPods) + "]}", "List");
  // kubectl's key order: `items` before `kind` and `metadata`.
  expect_same_as_whole(R"({"apiVersion": "v1", "items": [)" + items(kPods) +
                           R"(], "kind": "List", "metadata": {"resourceVersion": ""}})",
                       "items not last");
  std::string typed = R"({"kind": "PodList", "items": [)" + items(kPods) + "]}";
  for (std::size_t at = typed.find(R"("kind": "Pod", )", 10); at != std::string::npos;
       at = typed.find(R"("kind": "Pod", )", at))
    typed.erase(at, 15);
  expect_same_as_whole(typed, "typed list");
  expect_same_as_whole("\xEF\xBB\xBF" R"({"kind": "List", "items": [)" + items(kPods) + "]}", "byte order mark");
}

TEST(JsonListSplit, AMiddleInsideAStringThatLooksLikeAnItemBoundary) {
  // Annotation values ending in `},{` make `},{"` (the value's closing quote) all over the
  // middle of the file: a cut there leaves document 1 with an unterminated string.
  std::string fake;
  for (int k = 0; k < 30000; ++k) fake += R"("k)" + std::to_string(k) + R"(": "x},{", )";
  const std::string big = R"(, "metadata": {"name": "big", "annotations": {)" + fake + R"("end": "}"}})";
  const std::string text = R"({"kind": "List", "items": [)" + items(2000) + ", " +
                           R"({"kind": "Namespace")" + big + ", " + items(2000) + "]}";
  expect_same_as_whole(text, "string");
}

TEST(JsonListSplit, ANestedListAcrossTheMiddle) {
  const std::string nested = R"({"kind": "List", "items": [)" + items(kPods) + "]}";
  expect_same_as_whole(R"({"kind": "List", "items": [)" + pod(900001) + ", " + nested + ", " + pod(900002) + "]}",
                       "nested list");
  expect_same_as_whole(R"({"kind": "List", "items": [)" + nested + "]}", "a list of one list");
}

TEST(JsonListSplit, ATinyListOrOneHugeItem) {
  std::string env;  // a field Podium does not read, so the item is large but cheap to walk
  for (int k = 0; k < 40000; ++k) env += R"({"name": "E)" + std::to_string(k) + R"(", "value": "v"}, )";
  const std::string huge = R"({"kind": "Pod", "metadata": {"name": "huge"}, "spec": {"containers": [{"name": "c", "env": [)" +
                           env + R"({"name": "Z"}]}]}})";
  expect_same_as_whole(R"({"kind": "List", "items": [)" + huge + "]}", "one item");
  expect_same_as_whole(R"({"kind": "List", "items": [)" + pod(1) + ", " + huge + "]}", "two items, the first small");
  expect_same_as_whole(R"({"kind": "List", "items": [)" + huge + ", " + pod(1) + "]}", "two items, the last small");
}

TEST(JsonListSplit, AnItemsKeyTwiceOrNotTheRootList) {
  const std::string list = "[" + items(kPods) + "]";
  expect_same_as_whole(R"({"kind": "List", "items": [)" + pod(7) + R"(], "metadata": {}, "items": )" + list + "}",
                       "items twice, the second large");
  expect_same_as_whole(R"({"kind": "List", "items": )" + list + R"(, "items": [)" + pod(7) + "]}",
                       "items twice, the first large");
  expect_same_as_whole(R"({"kind": "List", "it\u0065ms": )" + list + "}", "items spelled with an escape");
  expect_same_as_whole(R"({"kind": "Pod", "items": )" + list + "}", "a pod with items");
  expect_same_as_whole(R"({"items": )" + list + R"(, "kind": "Pod"})", "kind after items says Pod");
  expect_same_as_whole(R"({"metadata": {"items": )" + list + R"(}, "kind": "Namespace"})", "items in a field");
}

TEST(JsonListSplit, ASyntaxErrorInEitherHalfOrAfterTheRoot) {
  auto bad_at = [](std::size_t at, const std::string& extra) {
    return R"({"kind": "List", "items": [)" +
           items(kPods, [&](std::size_t i) { return i == at ? pod(i, extra) : std::string(); }) + "]}";
  };
  expect_same_as_whole(bad_at(100, R"(, "x": tru)"), "bare tru, first half");
  expect_same_as_whole(bad_at(5000, R"(, "x": tru)"), "bare tru, second half");
  expect_same_as_whole(bad_at(5000, R"(, "x": "a)" "\xff" R"(")"), "bad UTF-8, second half");
  expect_same_as_whole(bad_at(5000, R"(, "priority": "high")"), "a walker error, second half");
  expect_same_as_whole(bad_at(100, R"(, "nodeSelecter": {})"), "an unknown field, first half");
  // Unknown fields in both parts, more than a log keeps (UnknownFieldLog::kKept): each
  // thread checks its own part, and the second's findings follow the first's.
  const std::string unknowns = R"({"kind": "List", "bogus": 1, "items": [)" + items(kPods, [](std::size_t i) {
    return i % 300 == 7 ? pod(i, R"(, "nodeSelecter": {})") : std::string();
  }) + "]}";
  expect_same_as_whole(unknowns, "unknown fields all over");
  UnknownFieldLog serial;
  ClusterObjects out;
  load_objects_text(unknowns, "big.json", out, LoadOptions{.lenient = &serial, .threads = 1});
  ASSERT_EQ(serial.count(), 21u);
  for (const int threads : kThreadCounts) {
    UnknownFieldLog log;
    ClusterObjects split;
    load_objects_text(unknowns, "big.json", split, LoadOptions{.lenient = &log, .threads = threads});
    EXPECT_EQ(log.warning_lines(), serial.warning_lines()) << "threads " << threads;
  }
  const std::string good = R"({"kind": "List", "items": [)" + items(kPods) + "]}";
  expect_same_as_whole(good + " x", "garbage after the root");
  expect_same_as_whole(good.substr(0, good.size() - 1), "the root not closed");
  expect_same_as_whole(good.substr(0, good.size() - 2) + ",]}", "a trailing comma");
}

}  // namespace
}  // namespace podium::io
