#pragma once
// tmf_match, the SQL function that evaluates filters on attributes that are not indexed, with
// the rules of query/json_match.hpp.
#include <string>
#include <string_view>
#include <vector>

#include "query/list_query.hpp"

struct sqlite3;

namespace tmfd::store {

// Registers tmf_match(body, filters) on a connection: true when the JSON document `body`
// matches every filter. `filters` is the text filters_argument() made; SQLite hands the same
// bound value to every row, so it is decoded once per statement, however many filters and
// values it holds (one function call per row, not one per filter: no limit on arguments or
// expression depth comes from the number of filters).
void register_json_match(::sqlite3* db);

// The `filters` argument of tmf_match for these filters (AND-ed; values OR-ed).
std::string filters_argument(const std::vector<const query::Filter*>& filters);

} // namespace tmfd::store
