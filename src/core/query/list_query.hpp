#pragma once
// A TMF630 list query parsed from the URL query string: paging, projection, sorting and
// attribute filters. Parsing is separate from execution so it can be tested on its own and so
// every store backend receives the same, already validated, structure.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmfd::query {

enum class FilterOp { Eq, Gt, Gte, Lt, Lte };

struct Filter {
  std::string path;                 // dotted attribute path, e.g. "status" or "relatedParty.id"
  FilterOp op = FilterOp::Eq;
  std::vector<std::string> values;  // OR-ed for Eq (comma list); exactly one for the others
};

struct SortKey {
  std::string path;
  bool descending = false;
};

struct ListQuery {
  std::size_t offset = 0;
  std::optional<std::size_t> limit;     // absent: the server's page size applies
  std::vector<std::string> fields;      // empty: whole resource
  std::vector<SortKey> sort;
  std::vector<Filter> filters;          // AND-ed
};

// Bounds on one query, so that its cost stays in proportion (400 beyond them).
inline constexpr std::size_t kMaxFilters = 100;        // attribute filter parameters
inline constexpr std::size_t kMaxFilterValues = 1000;  // values of all filters together

// Parses a raw (still percent-encoded) query string, e.g. "limit=10&status=active,pending".
// Throws ApiError 400 naming the offending parameter for bad syntax: non-numeric or negative
// offset/limit, empty attribute names, attribute names with characters outside
// [A-Za-z0-9_@.-] segments, a range operator (gt/gte/lt/lte) with a comma list, empty
// fields= or sort= entries, a doubled sort sign, a malformed percent escape, or more filters or
// values than kMaxFilters and kMaxFilterValues.
ListQuery parse_list_query(std::string_view raw_query);

// Percent-decodes one query component ('+' becomes a space). Throws ApiError 400 on a bad escape.
std::string percent_decode(std::string_view s);

} // namespace tmfd::query
