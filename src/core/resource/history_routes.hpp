#pragma once
// The read side of the history table: the admin audit routes, and the query helpers of
// GET {collection}/{id}?asOf= (the engine's per-kind routes are Engine members).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tmfd/http.hpp>

#include "store/database.hpp"

namespace tmfd::resource {

struct EngineOptions;
class Engine;

// GET /admin/audit (TMF630 filters, paging, X-Total-Count) and GET /admin/audit/export (JSON
// lines). Both declare api "admin", kind "audit", operation "list" for the RBAC rules.
void add_audit_routes(http::RouteRegistry& routes, Engine& engine, store::Database& db, const EngineOptions& options);

// Removes `name=value` from a raw query string and returns the raw value; absent when the
// parameter is not there. Throws ApiError 400 when it is there twice.
std::optional<std::string> take_query_param(std::string& query, std::string_view name);

// A percent-encoded asOf value -> milliseconds since the epoch; ApiError 400 when it is not an
// RFC 3339 date-time.
std::int64_t parse_as_of(const std::string& raw);

} // namespace tmfd::resource
