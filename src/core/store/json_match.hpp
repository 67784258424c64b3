#pragma once
// TMF630 attribute matching on a JSON document, used for filters on attributes that are not
// indexed. Arrays on the path match when any element matches (relatedParty.id=42 matches a
// resource with any related party of id 42). Comparison follows the JSON type found: numbers
// numerically, booleans as true/false, strings (including ISO-8601 dates) lexicographically.
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

#include "resource/query.hpp"

struct sqlite3;

namespace tmfd::store {

bool json_matches(const json::value& document, std::string_view dotted_path,
                  resource::FilterOp op, const std::vector<std::string_view>& values);

// Registers tmf_match(body, filters) on a connection: true when the JSON document `body`
// matches every filter. `filters` is the text filters_argument() made; SQLite hands the same
// bound value to every row, so it is decoded once per statement, however many filters and
// values it holds (one function call per row, not one per filter: no limit on arguments or
// expression depth comes from the number of filters).
void register_json_match(::sqlite3* db);

// The `filters` argument of tmf_match for these filters (AND-ed; values OR-ed).
std::string filters_argument(const std::vector<const resource::Filter*>& filters);

std::string_view op_name(resource::FilterOp op) noexcept;

} // namespace tmfd::store
