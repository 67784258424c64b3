#pragma once
// TMF630 attribute matching on a JSON document: what a filter means on a resource or an event,
// wherever it is evaluated (the store's tmf_match for unindexed attributes, hub event filters).
// Arrays on the path match when any element matches (relatedParty.id=42 matches a resource with
// any related party of id 42). Comparison follows the JSON type found: numbers numerically,
// booleans as true/false, strings (including ISO-8601 dates) lexicographically.
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

#include "query/list_query.hpp"

namespace tmfd::query {

bool json_matches(const json::value& document, std::string_view dotted_path, FilterOp op,
                  const std::vector<std::string_view>& values);

// The operator's name as written after the attribute ("gt" in a.gt=1; "eq" for equality), and
// back (an unknown name is equality).
std::string_view op_name(FilterOp op) noexcept;
FilterOp op_from_name(std::string_view name) noexcept;

} // namespace tmfd::query
