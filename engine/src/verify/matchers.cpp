// verify's matchers: see matchers.hpp. Each mirrors the upstream function it names.
#include "matchers.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace podium::verify::detail {

Labels to_labels(const io::StringMap& pairs) {
  Labels out;
  for (const auto& [k, v] : pairs) out[k] = v;
  return out;
}

std::optional<std::int64_t> parse_go_int64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
  }
  // Accumulate as a negative number so INT64_MIN is representable.
  std::int64_t v = 0;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const int d = c - '0';
    if (v < (kMin + d) / 10) return std::nullopt;
    v = v * 10 - d;
  }
  if (!negative) {
    if (v == kMin) return std::nullopt;
    return -v;
  }
  return v;
}

namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The name part of a qualified name / a label value: [A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?, <= 63.
bool is_name_part(std::string_view s) {
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// validation.IsDNS1123Subdomain: lowercase labels of [a-z0-9-] joined by '.', <= 253.
bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return false;
    auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lower_alnum(label.front()) || !lower_alnum(label.back())) return false;
    for (char c : label)
      if (!lower_alnum(c) && c != '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

bool is_qualified_name(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return is_name_part(s);
  if (s.find('/', slash + 1) != std::string_view::npos) return false;
  return is_dns_subdomain(s.substr(0, slash)) && is_name_part(s.substr(slash + 1));
}

bool is_label_value(std::string_view s) { return s.empty() || is_name_part(s); }

bool tolerates(const io::Toleration& t, const io::Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.op == "Exists") return true;
  if (t.op.empty() || t.op == "Equal") return t.value == taint.value;
  return false;
}

bool tolerates_any(const std::vector<io::Toleration>& ts, const io::Taint& taint) {
  return std::any_of(ts.begin(), ts.end(), [&](const io::Toleration& t) { return tolerates(t, taint); });
}

const io::Taint* untolerated_hard_taint(const std::vector<io::Taint>& taints, const std::vector<io::Toleration>& ts) {
  for (const io::Taint& taint : taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    if (!tolerates_any(ts, taint)) return &taint;
  }
  return nullptr;
}

bool Selector::matches(const Labels& labels) const {
  if (nothing) return false;
  for (const Requirement& r : requirements) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    const bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    if (r.op == "In") {
      if (!in) return false;
    } else if (r.op == "NotIn") {
      if (in) return false;
    } else if (r.op == "Exists") {
      if (!has) return false;
    } else if (r.op == "DoesNotExist") {
      if (has) return false;
    } else {
      return false;
    }
  }
  return true;
}

Selector make_selector(const std::optional<io::LabelSelector>& s) {
  Selector out;
  if (!s) {
    out.nothing = true;
    return out;
  }
  for (const auto& [k, v] : s->match_labels) out.requirements.push_back({k, "In", {v}});
  for (const auto& e : s->match_expressions) out.requirements.push_back({e.key, e.op, e.values});
  return out;
}

void merge_label_keys(Selector& s, const std::vector<std::string>& keys, const Labels& owner_labels, bool match) {
  if (s.nothing) return;
  for (const std::string& key : keys)
    if (const auto it = owner_labels.find(key); it != owner_labels.end())
      s.requirements.push_back({key, match ? "In" : "NotIn", {it->second}});
}

namespace {

// labels.NewRequirement's validation, then Requirement.Matches.
bool expression_matches(const io::NodeSelectorRequirement& r, const Labels& labels) {
  if (!is_qualified_name(r.key)) return false;
  for (const std::string& v : r.values)
    if (!is_label_value(v)) return false;
  const auto it = labels.find(r.key);
  const bool has = it != labels.end();
  if (r.op == "In" || r.op == "NotIn") {
    if (r.values.empty()) return false;
    const bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    return r.op == "In" ? in : !in;
  }
  if (r.op == "Exists" || r.op == "DoesNotExist") {
    if (!r.values.empty()) return false;
    return r.op == "Exists" ? has : !has;
  }
  if (r.op == "Gt" || r.op == "Lt") {
    if (r.values.size() != 1) return false;
    const auto bound = parse_go_int64(r.values[0]);
    if (!bound || !has) return false;
    const auto value = parse_go_int64(it->second);
    if (!value) return false;
    return r.op == "Gt" ? *value > *bound : *value < *bound;
  }
  return false;
}

// NodeSelectorRequirementsAsFieldSelector: In / NotIn with exactly one value; the node's
// only field is metadata.name, any other key reads as "".
bool field_matches(const io::NodeSelectorRequirement& r, const std::string& node_name) {
  if (r.values.size() != 1) return false;
  const std::string actual = r.key == "metadata.name" ? node_name : std::string();
  if (r.op == "In") return actual == r.values[0];
  if (r.op == "NotIn") return actual != r.values[0];
  return false;
}

}  // namespace

bool node_selector_term_matches(const io::NodeSelectorTerm& term, const std::string& node_name, const Labels& labels) {
  if (term.match_expressions.empty() && term.match_fields.empty()) return false;
  for (const auto& r : term.match_expressions)
    if (!expression_matches(r, labels)) return false;
  for (const auto& r : term.match_fields)
    if (!field_matches(r, node_name)) return false;
  return true;
}

bool node_selector_terms_match(const std::vector<io::NodeSelectorTerm>& terms, const std::string& node_name,
                               const Labels& labels) {
  return std::any_of(terms.begin(), terms.end(),
                     [&](const io::NodeSelectorTerm& t) { return node_selector_term_matches(t, node_name, labels); });
}

}  // namespace podium::verify::detail
