#pragma once
// Filters: what the HTTP front runs, in order, before the handler of a matched route. A module or
// plugin adds them through ModuleContext::add_filter (authentication, RBAC, rate limits, ...).
//
// A filter sees the request (mutable: an authentication filter sets req.context.principal, which
// later filters and the handler see) and the matched route's RouteInfo. It either passes
// (returns std::nullopt) or answers (returns a Response, or throws ApiError for a TMF error
// body such as 401, 403 or 429): the later filters and the handler then never run.
//
// Filters are synchronous and run on the I/O thread that read the request. That is enough for
// what they are for: a token is checked against keys already fetched (a cached JWKS, refreshed
// by the module's own thread), a role against rules in memory, a rate against counters. A filter
// must therefore not block on the network or the disk; work that must wait belongs in the
// handler, which may answer later.
//
// Routes that match nothing (404, 405) are answered before any filter runs: no route, no
// metadata. Public routes (RouteInfo::is_public: health and metrics) skip every filter not added
// with also_public.
#include <functional>
#include <optional>
#include <string>

#include <tmfd/http.hpp>

namespace tmfd::http {

// Passes (nullopt) or answers. Called from several I/O threads at once: keep shared state
// thread-safe.
using Filter = std::function<std::optional<Response>(Request& request, const RouteInfo& route)>;

// Where a filter runs in the chain: lower first; equal orders run in the order they were added.
// The named steps leave room between them for filters of one's own.
namespace filter_order {
inline constexpr int rate_limit_by_address = 100;  // before any work on who asks
inline constexpr int authentication = 200;         // sets the principal
inline constexpr int authorization = 300;          // RBAC: reads the principal and the route
inline constexpr int rate_limit = 400;             // per principal
} // namespace filter_order

struct FilterSpec {
  std::string name;  // e.g. "auth.bearer"; shown in logs when the filter fails
  int order = filter_order::authentication;
  // Also run on public routes (health, metrics): e.g. a limiter of requests per address.
  bool also_public = false;
  Filter filter;
};

} // namespace tmfd::http
