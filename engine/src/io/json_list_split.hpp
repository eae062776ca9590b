#pragma once
// Where to cut a large JSON List so that it parses as two documents (cluster_loader.cpp):
// the root's `{... "items": [` prefix P and a `,` between two items near a chosen point.
// Document 1 is the bytes before that comma followed by `]}`, document 2 is P followed by
// the bytes after it. When the comma lies between two items of the root's `items`, both
// documents parse exactly when the file does, and together they hold the file's items in
// order. The scan below is only a guess (it does not track strings past P); the caller
// proves it by parsing both and checking document 1's root (split_roots_agree), and
// parses the whole file when anything is off, so errors keep their text and location.

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string_view>

namespace podium::io::detail {

struct ListCut {
  std::size_t prefix_end = 0;  // P = text[0, prefix_end): up to and with the `[` after the root's "items":
  std::size_t comma = 0;       // text[comma] == ',', a `}` before it and a `{` after it
};

// P from a short scan of the root's leading fields (nullopt when the root is not an object
// or `items` is not among its first fields, written without escapes), then the first
// `}`, `,`, `{"` or `{}` (whitespace allowed between) at or after `prefix_end + (size -
// prefix_end) * fraction`.
std::optional<ListCut> find_list_cut(std::string_view text, double fraction);

// Both documents parsed: document 1's root is an object whose last field and only `items`
// is the list, and document 2's root has exactly one `items` field. Then the cut was in
// the root's `items` (the two `]}` close exactly the list and the root) and document 2's
// root has the file root's fields, in order, with only the items before the cut missing.
bool split_roots_agree(simdjson::dom::element first_root, simdjson::dom::element second_root);

}  // namespace podium::io::detail
