#include "podium/state/node_selector.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace podium::state {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] — label names and non-empty label values.
bool is_qualified_name_part(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// IsDNS1123Subdomain: at most 253 characters of [a-z0-9]([-a-z0-9]*[a-z0-9])? labels
// joined by '.'.
bool is_dns1123_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (label.empty() || !lower_alnum(label.front()) || !lower_alnum(label.back())) return false;
    if (!std::all_of(label.begin(), label.end(), [&](char c) { return lower_alnum(c) || c == '-'; })) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

}  // namespace

std::optional<std::int64_t> parse_go_int64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
  }
  // Accumulate the magnitude as unsigned; int64 allows one more on the negative side.
  constexpr std::uint64_t kMaxPositive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::uint64_t limit = negative ? kMaxPositive + 1 : kMaxPositive;
  std::uint64_t magnitude = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return magnitude == kMaxPositive + 1 ? std::numeric_limits<std::int64_t>::min()
                                                     : -static_cast<std::int64_t>(magnitude);
  return static_cast<std::int64_t>(magnitude);
}

bool is_valid_label_value(std::string_view value) {
  return value.empty() || (value.size() <= 63 && is_qualified_name_part(value));
}

bool is_valid_label_key(std::string_view key) {
  std::string_view name = key;
  if (const auto slash = key.find('/'); slash != std::string_view::npos) {
    const std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (name.find('/') != std::string_view::npos) return false;
    if (!is_dns1123_subdomain(prefix)) return false;  // also rejects an empty prefix
  }
  return !name.empty() && name.size() <= 63 && is_qualified_name_part(name);
}

bool is_empty_term(const io::NodeSelectorTerm& term) {
  return term.match_expressions.empty() && term.match_fields.empty();
}

NodeSelectorTermRecord compile_node_selector_term(const io::NodeSelectorTerm& term, const SelectorLookup& lookup,
                                                  std::string* error) {
  NodeSelectorTermRecord rec;
  auto fail = [&](const std::string& where, const std::string& message) {
    if (rec.valid && error) *error = where + ": " + message;
    rec.valid = false;
  };
  // nodeSelectorRequirementsAsSelector -> labels.NewRequirement for each expression.
  for (std::size_t i = 0; i < term.match_expressions.size(); ++i) {
    const io::NodeSelectorRequirement& r = term.match_expressions[i];
    const std::string at = "matchExpressions[" + std::to_string(i) + "]";
    LabelRequirement req;
    if (r.op == "In") req.op = SelectorOp::kIn;
    else if (r.op == "NotIn") req.op = SelectorOp::kNotIn;
    else if (r.op == "Exists") req.op = SelectorOp::kExists;
    else if (r.op == "DoesNotExist") req.op = SelectorOp::kDoesNotExist;
    else if (r.op == "Gt") req.op = SelectorOp::kGt;
    else if (r.op == "Lt") req.op = SelectorOp::kLt;
    else {
      fail(at + ".operator", "Unsupported value: \"" + r.op + "\"");
      continue;  // upstream skips the requirement after recording the error
    }
    if (!is_valid_label_key(r.key)) fail(at + ".key", "Invalid value: \"" + r.key + "\": not a valid label key");
    switch (req.op) {
      case SelectorOp::kIn:
      case SelectorOp::kNotIn:
        if (r.values.empty()) fail(at + ".values", "for 'in', 'notin' operators, values set can't be empty");
        break;
      case SelectorOp::kExists:
      case SelectorOp::kDoesNotExist:
        if (!r.values.empty()) fail(at + ".values", "values set must be empty for exists and does not exist");
        break;
      case SelectorOp::kGt:
      case SelectorOp::kLt:
        if (r.values.size() != 1) fail(at + ".values", "for 'Gt', 'Lt' operators, exactly one value is required");
        for (std::size_t v = 0; v < r.values.size(); ++v) {
          if (const auto n = parse_go_int64(r.values[v])) {
            req.bound = *n;
          } else {
            fail(at + ".values[" + std::to_string(v) + "]",
                 "Invalid value: \"" + r.values[v] + "\": for 'Gt', 'Lt' operators, the value must be an integer");
          }
        }
        break;
    }
    for (std::size_t v = 0; v < r.values.size(); ++v)
      if (!is_valid_label_value(r.values[v]))
        fail(at + ".values[" + std::to_string(v) + "]", "Invalid value: \"" + r.values[v] + "\": not a valid label value");
    req.key = lookup.string_id(r.key);
    if (req.op == SelectorOp::kIn || req.op == SelectorOp::kNotIn)
      for (const auto& v : r.values) req.values.push_back(lookup.string_id(v));
    rec.expressions.push_back(std::move(req));
  }
  // nodeSelectorRequirementsAsFieldSelector: In / NotIn with exactly one value.
  for (std::size_t i = 0; i < term.match_fields.size(); ++i) {
    const io::NodeSelectorRequirement& r = term.match_fields[i];
    const std::string at = "matchFields[" + std::to_string(i) + "]";
    if (r.op != "In" && r.op != "NotIn") {
      fail(at + ".operator", "Unsupported value: \"" + r.op + "\"");
      continue;
    }
    if (r.values.size() != 1) {
      fail(at + ".values", "must have one element");
      continue;
    }
    const bool in = r.op == "In";
    FieldRequirement f;
    if (r.key == "metadata.name") {
      f.kind = in ? FieldRequirement::Kind::kNameIs : FieldRequirement::Kind::kNameIsNot;
      f.node = lookup.node(r.values[0]);
    } else {
      // Nodes have no other field: fields.Set.Get answers "".
      f.kind = (r.values[0].empty() == in) ? FieldRequirement::Kind::kAlways : FieldRequirement::Kind::kNever;
    }
    rec.fields.push_back(f);
  }
  if (!rec.valid) {
    rec.expressions.clear();
    rec.fields.clear();
  }
  return rec;
}

void append_term_signature(const NodeSelectorTermRecord& term, std::string& out) {
  put(out, term.valid ? 1 : 0);
  put(out, term.expressions.size());
  for (const auto& e : term.expressions) {
    put(out, e.key);
    put(out, static_cast<std::uint64_t>(e.op));
    put(out, static_cast<std::uint64_t>(e.bound));
    put(out, e.values.size());
    for (const auto v : e.values) put(out, v);
  }
  put(out, term.fields.size());
  for (const auto& f : term.fields) {
    put(out, static_cast<std::uint64_t>(f.kind));
    put(out, f.node);
  }
}

std::shared_ptr<PodNodeAffinity> compile_pod_node_affinity(const io::StringMap& node_selector,
                                                           const std::optional<io::NodeAffinity>& affinity,
                                                           const SelectorLookup& lookup) {
  const bool has_required = affinity && affinity->required.has_value();
  const bool has_preferred = affinity && !affinity->preferred.empty();
  if (node_selector.empty() && !has_required && !has_preferred) return nullptr;
  auto rec = std::make_shared<PodNodeAffinity>();

  // spec.nodeSelector is a map: the last of repeated keys wins.
  for (auto it = node_selector.rbegin(); it != node_selector.rend(); ++it) {
    const StringId key = lookup.string_id(it->first);
    const bool seen = std::any_of(rec->node_selector.begin(), rec->node_selector.end(),
                                  [&](const LabelPair& p) { return p.key == key && key != kUnseenString; });
    if (!seen) rec->node_selector.push_back({key, lookup.string_id(it->second)});
  }
  std::sort(rec->node_selector.begin(), rec->node_selector.end(), [](LabelPair a, LabelPair b) {
    return a.key != b.key ? a.key < b.key : a.value < b.value;
  });

  rec->has_required = has_required;
  if (has_required) {
    const auto& terms = *affinity->required;
    for (const auto& t : terms)
      if (!is_empty_term(t)) rec->required.push_back(compile_node_selector_term(t, lookup));
    // PreFilter: node names from matchFields metadata.name In, when every term has them.
    std::optional<std::set<std::string>> names;
    bool all_terms_name_nodes = !terms.empty();
    for (const auto& t : terms) {
      std::optional<std::set<std::string>> term_names;
      for (const auto& f : t.match_fields) {
        if (f.key != "metadata.name" || f.op != "In") continue;
        std::set<std::string> s(f.values.begin(), f.values.end());
        if (!term_names) {
          term_names = std::move(s);
        } else {
          std::set<std::string> both;
          std::set_intersection(term_names->begin(), term_names->end(), s.begin(), s.end(),
                                std::inserter(both, both.end()));
          term_names = std::move(both);
        }
      }
      if (!term_names) {
        all_terms_name_nodes = false;
        break;
      }
      if (!names) names.emplace();
      names->insert(term_names->begin(), term_names->end());
    }
    if (all_terms_name_nodes && names) {
      if (names->empty()) {
        rec->narrowing = PodNodeAffinity::Narrowing::kConflict;
      } else {
        rec->narrowing = PodNodeAffinity::Narrowing::kNames;
        for (const auto& n : *names)
          if (const NodeIndex idx = lookup.node(n); idx != kNoNode) rec->names.push_back(idx);
        std::sort(rec->names.begin(), rec->names.end());
      }
    }
  }

  rec->has_preferred = has_preferred;
  if (has_preferred) {
    for (const auto& p : affinity->preferred) {
      if (p.weight == 0 || is_empty_term(p.preference)) continue;
      PreferredTermRecord term{p.weight, compile_node_selector_term(p.preference, lookup)};
      if (!term.term.valid) rec->preferred_invalid = true;
      rec->preferred.push_back(std::move(term));
    }
  }

  std::string& sig = rec->signature;
  put(sig, rec->node_selector.size());
  for (const auto& p : rec->node_selector) {
    put(sig, p.key);
    put(sig, p.value);
  }
  put(sig, rec->has_required ? 1 : 0);
  put(sig, rec->required.size());
  for (const auto& t : rec->required) append_term_signature(t, sig);
  put(sig, static_cast<std::uint64_t>(rec->narrowing));
  put(sig, rec->names.size());
  for (const auto n : rec->names) put(sig, n);
  put(sig, rec->has_preferred ? 1 : 0);
  put(sig, rec->preferred_invalid ? 1 : 0);
  put(sig, rec->preferred.size());
  for (const auto& p : rec->preferred) {
    put(sig, static_cast<std::uint64_t>(static_cast<std::int64_t>(p.weight)));
    append_term_signature(p.term, sig);
  }
  return rec;
}

}  // namespace podium::state
