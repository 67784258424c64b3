#include "store/json_match.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cstring>

namespace tmfd::store {

using resource::FilterOp;

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

namespace {

FilterOp op_from(std::string_view s) {
  if (s == "gt") return FilterOp::Gt;
  if (s == "gte") return FilterOp::Gte;
  if (s == "lt") return FilterOp::Lt;
  if (s == "lte") return FilterOp::Lte;
  return FilterOp::Eq;
}

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

// Characters whose JSON encoding may differ from their raw form: for values without them, a
// string that does not occur in the document text cannot be equal to any attribute.
bool plain_text(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '/') return false;
  return true;
}

bool looks_numeric(std::string_view s) {
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return ec == std::errc() && p == s.data() + s.size();
}

void tmf_match_sql(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc < 4) {
    sqlite3_result_error(ctx, "tmf_match needs body, path, op and a value", -1);
    return;
  }
  auto text = [](sqlite3_value* v) {
    auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)))
             : std::string_view{};
  };
  std::string_view body = text(argv[0]);
  std::string_view path = text(argv[1]);
  FilterOp op = op_from(text(argv[2]));
  std::vector<std::string_view> values;
  values.reserve(static_cast<std::size_t>(argc - 3));
  bool any_present = false;
  for (int i = 3; i < argc; ++i) {
    values.push_back(text(argv[i]));
    // Cheap rejection before parsing: an equality on plain text must appear in the document.
    // Not for numbers: 100 may be stored as 1E2.
    if (op == FilterOp::Eq && (!plain_text(values.back()) || looks_numeric(values.back()) ||
                               body.find(values.back()) != std::string_view::npos))
      any_present = true;
  }
  if (op == FilterOp::Eq && !any_present) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  sqlite3_result_int(ctx, !ec && walk(doc, path, op, values) ? 1 : 0);
}

} // namespace

bool json_matches(const json::value& document, std::string_view dotted_path, FilterOp op,
                  const std::vector<std::string_view>& values) {
  return walk(document, dotted_path, op, values);
}

void register_json_match(sqlite3* db) {
  sqlite3_create_function_v2(db, "tmf_match", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             &tmf_match_sql, nullptr, nullptr, nullptr);
}

} // namespace tmfd::store
