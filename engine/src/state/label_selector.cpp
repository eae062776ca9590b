#include "podium/state/label_selector.hpp"

#include <algorithm>

#include "podium/state/node_selector.hpp"

namespace podium::state {
namespace {

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

const LabelPair* find_label(std::span<const LabelPair> labels, StringId key) {
  const auto it =
      std::lower_bound(labels.begin(), labels.end(), key, [](const LabelPair& p, StringId k) { return p.key < k; });
  return it != labels.end() && it->key == key ? &*it : nullptr;
}

void sort_requirements(LabelSelectorRecord& s) {
  std::stable_sort(s.requirements.begin(), s.requirements.end(),
                   [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
}

}  // namespace

bool LabelSelectorRecord::matches(std::span<const LabelPair> labels) const {
  if (matches_nothing) return false;
  for (const LabelRequirement& r : requirements) {
    const LabelPair* label = find_label(labels, r.key);
    const bool has_value =
        label && std::find(r.values.begin(), r.values.end(), label->value) != r.values.end();
    switch (r.op) {
      case SelectorOp::kIn:
        if (!has_value) return false;
        break;
      case SelectorOp::kNotIn:  // labels.Requirement.Matches: an absent key satisfies NotIn
        if (has_value) return false;
        break;
      case SelectorOp::kExists:
        if (!label) return false;
        break;
      case SelectorOp::kDoesNotExist:
        if (label) return false;
        break;
      case SelectorOp::kGt:
      case SelectorOp::kLt:
        return false;  // never produced by compile_label_selector
    }
  }
  return true;
}

void LabelSelectorRecord::append_signature(std::string& out) const {
  put(out, matches_nothing ? 1 : 0);
  put(out, requirements.size());
  for (const LabelRequirement& r : requirements) {
    put(out, r.key);
    put(out, static_cast<std::uint64_t>(r.op));
    std::vector<StringId> values = r.values;
    std::sort(values.begin(), values.end());
    put(out, values.size());
    for (StringId v : values) put(out, v);
  }
}

std::optional<LabelSelectorRecord> compile_label_selector(const std::optional<io::LabelSelector>& selector,
                                                          StringInterner& strings, std::string& error) {
  LabelSelectorRecord out;
  if (!selector) {
    out.matches_nothing = true;
    return out;
  }
  auto invalid = [&](std::string field, std::string message) {
    error = std::move(field) + ": " + std::move(message);
    return std::nullopt;
  };
  for (const auto& [key, value] : selector->match_labels) {
    if (!is_valid_label_key(key)) return invalid("matchLabels." + key, "invalid label key \"" + key + "\"");
    if (!is_valid_label_value(value))
      return invalid("matchLabels." + key, "invalid label value \"" + value + "\"");
    out.requirements.push_back({strings.intern(key), SelectorOp::kIn, 0, {strings.intern(value)}});
  }
  for (std::size_t i = 0; i < selector->match_expressions.size(); ++i) {
    const io::LabelSelectorRequirement& e = selector->match_expressions[i];
    const std::string at = "matchExpressions[" + std::to_string(i) + "]";
    LabelRequirement r;
    if (e.op == "In") {
      r.op = SelectorOp::kIn;
    } else if (e.op == "NotIn") {
      r.op = SelectorOp::kNotIn;
    } else if (e.op == "Exists") {
      r.op = SelectorOp::kExists;
    } else if (e.op == "DoesNotExist") {
      r.op = SelectorOp::kDoesNotExist;
    } else {
      return invalid(at + ".operator", "\"" + e.op + "\" is not a valid label selector operator");
    }
    if (!is_valid_label_key(e.key)) return invalid(at + ".key", "invalid label key \"" + e.key + "\"");
    const bool set_op = r.op == SelectorOp::kIn || r.op == SelectorOp::kNotIn;
    if (set_op && e.values.empty()) return invalid(at + ".values", "must be specified when operator is In or NotIn");
    if (!set_op && !e.values.empty())
      return invalid(at + ".values", "may not be specified when operator is Exists or DoesNotExist");
    r.key = strings.intern(e.key);
    for (std::size_t v = 0; v < e.values.size(); ++v) {
      if (!is_valid_label_value(e.values[v]))
        return invalid(at + ".values[" + std::to_string(v) + "]", "invalid label value \"" + e.values[v] + "\"");
      r.values.push_back(strings.intern(e.values[v]));
    }
    out.requirements.push_back(std::move(r));
  }
  sort_requirements(out);
  return out;
}

LabelSelectorRecord selector_from_map(const std::vector<LabelPair>& pairs) {
  LabelSelectorRecord out;
  for (const LabelPair& p : pairs) out.requirements.push_back({p.key, SelectorOp::kIn, 0, {p.value}});
  sort_requirements(out);
  return out;
}

void add_label_requirement(LabelSelectorRecord& selector, StringId key, StringId value, bool match) {
  selector.requirements.push_back({key, match ? SelectorOp::kIn : SelectorOp::kNotIn, 0, {value}});
  sort_requirements(selector);
}

}  // namespace podium::state
