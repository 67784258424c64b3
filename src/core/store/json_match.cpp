#include "store/json_match.hpp"

#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <memory>

#include "query/json_match.hpp"

namespace tmfd::store {

using query::FilterOp;

namespace {

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

// One filter of tmf_match's second argument, decoded.
struct DecodedFilter {
  std::string path;
  FilterOp op = FilterOp::Eq;
  std::vector<std::string> values;
  bool prescreen = false;  // an equality whose values can be looked for in the raw text first
};

using DecodedFilters = std::vector<DecodedFilter>;

// [[path, op, [value, ...]], ...] as filters_argument() writes it; nullptr when malformed.
DecodedFilters* decode_filters(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return nullptr;
  auto out = std::make_unique<DecodedFilters>();
  for (const auto& item : v.get_array()) {
    const auto* f = item.if_array();
    if (!f || f->size() != 3 || !(*f)[0].is_string() || !(*f)[1].is_string() || !(*f)[2].is_array()) return nullptr;
    DecodedFilter d;
    d.path = std::string((*f)[0].get_string());
    d.op = query::op_from_name((*f)[1].get_string());
    bool prescreen = d.op == FilterOp::Eq;
    for (const auto& value : (*f)[2].get_array()) {
      if (!value.is_string()) return nullptr;
      d.values.emplace_back(value.get_string());
      // Not for numbers (100 may be stored as 1E2) nor text whose JSON form may differ.
      if (!plain_text(d.values.back()) || looks_numeric(d.values.back())) prescreen = false;
    }
    d.prescreen = prescreen;
    out->push_back(std::move(d));
  }
  return out.release();
}

bool any_value_in(std::string_view body, const DecodedFilter& f) {
  for (const auto& v : f.values)
    if (body.find(v) != std::string_view::npos) return true;
  return false;
}

void evaluate(sqlite3_context* ctx, std::string_view body, const DecodedFilters& filters) {
  // Cheap rejection before parsing: an equality on plain text must appear in the document.
  for (const auto& f : filters)
    if (f.prescreen && !any_value_in(body, f)) return sqlite3_result_int(ctx, 0);
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return sqlite3_result_int(ctx, 0);
  for (const auto& f : filters) {
    std::vector<std::string_view> values(f.values.begin(), f.values.end());
    if (!query::json_matches(doc, f.path, f.op, values)) return sqlite3_result_int(ctx, 0);
  }
  sqlite3_result_int(ctx, 1);
}

void tmf_match_sql(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2) {
    sqlite3_result_error(ctx, "tmf_match needs body and filters", -1);
    return;
  }
  auto text = [](sqlite3_value* v) {
    auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view{};
  };
  if (auto* cached = static_cast<DecodedFilters*>(sqlite3_get_auxdata(ctx, 1)))
    return evaluate(ctx, text(argv[0]), *cached);
  std::unique_ptr<DecodedFilters> decoded(decode_filters(text(argv[1])));
  if (!decoded) return sqlite3_result_error(ctx, "tmf_match: malformed filters argument", -1);
  evaluate(ctx, text(argv[0]), *decoded);
  // Last: SQLite may free what it is given at once, before set_auxdata even returns.
  sqlite3_set_auxdata(ctx, 1, decoded.release(), [](void* p) { delete static_cast<DecodedFilters*>(p); });
}

} // namespace

std::string filters_argument(const std::vector<const query::Filter*>& filters) {
  json::array out;
  for (const auto* f : filters) {
    json::array values;
    for (const auto& v : f->values) values.emplace_back(v);
    out.emplace_back(json::array{json::string(f->path), json::string(query::op_name(f->op)), std::move(values)});
  }
  return json::serialize(out);
}

void register_json_match(sqlite3* db) {
  sqlite3_create_function_v2(db, "tmf_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             &tmf_match_sql, nullptr, nullptr, nullptr);
}

} // namespace tmfd::store
