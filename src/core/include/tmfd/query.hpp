#pragma once
// TMF630 query-string helpers for modules that serve routes of their own (the engine applies
// the same rules to the kinds it serves).
#include <string>
#include <string_view>

namespace tmfd {

// Throws ApiError 400 INVALID_ATTRIBUTE naming `attribute` unless `filter` is a list of TMF630
// attribute filters ("a.b=x,y&c.gte=3"), the syntax hub queries and TMF688 topic filters use.
// Paging, projection and sorting parameters are refused: a filter only filters.
void check_filter_query(std::string_view filter, const std::string& attribute);

// Percent-encodes all but RFC 3986's unreserved characters: for a value put into a query string
// or a path segment.
std::string percent_encode(std::string_view text);

// The current UTC time as the engine writes its timestamps: 2026-01-31T12:00:00.000Z.
std::string now_timestamp();

} // namespace tmfd
