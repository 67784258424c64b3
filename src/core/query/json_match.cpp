#include "query/json_match.hpp"

#include <charconv>

namespace tmfd::query {

std::string_view op_name(FilterOp op) noexcept {
  switch (op) {
  case FilterOp::Eq: return "eq";
  case FilterOp::Gt: return "gt";
  case FilterOp::Gte: return "gte";
  case FilterOp::Lt: return "lt";
  case FilterOp::Lte: return "lte";
  }
  return "eq";
}

FilterOp op_from_name(std::string_view s) noexcept {
  if (s == "gt") return FilterOp::Gt;
  if (s == "gte") return FilterOp::Gte;
  if (s == "lt") return FilterOp::Lt;
  if (s == "lte") return FilterOp::Lte;
  return FilterOp::Eq;
}

namespace {

template <class T> bool compare(const T& a, const T& b, FilterOp op) {
  switch (op) {
  case FilterOp::Eq: return a == b;
  case FilterOp::Gt: return a > b;
  case FilterOp::Gte: return a >= b;
  case FilterOp::Lt: return a < b;
  case FilterOp::Lte: return a <= b;
  }
  return false;
}

bool scalar_matches(const json::value& v, FilterOp op, std::string_view wanted) {
  switch (v.kind()) {
  case json::kind::string: {
    std::string_view s = v.get_string();
    return compare(s, wanted, op);
  }
  case json::kind::bool_:
    if (op != FilterOp::Eq) return false;
    return (wanted == "true" && v.get_bool()) || (wanted == "false" && !v.get_bool());
  case json::kind::int64:
  case json::kind::uint64:
  case json::kind::double_: {
    double want = 0;
    auto [p, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), want);
    if (ec != std::errc() || p != wanted.data() + wanted.size()) return false;
    return compare(v.to_number<double>(), want, op);
  }
  default: return false;
  }
}

bool walk(const json::value& v, std::string_view path, FilterOp op,
          const std::vector<std::string_view>& values) {
  if (v.is_array()) {
    for (const auto& item : v.get_array())
      if (walk(item, path, op, values)) return true;
    return false;
  }
  if (path.empty()) {
    for (auto w : values)
      if (scalar_matches(v, op, w)) return true;
    return false;
  }
  if (!v.is_object()) return false;
  auto dot = path.find('.');
  auto key = path.substr(0, dot);
  const auto& obj = v.get_object();
  auto it = obj.find(key);
  if (it == obj.end()) return false;
  return walk(it->value(), dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1),
              op, values);
}

} // namespace

bool json_matches(const json::value& document, std::string_view dotted_path, FilterOp op,
                  const std::vector<std::string_view>& values) {
  return walk(document, dotted_path, op, values);
}

} // namespace tmfd::query
