#pragma once
// The module's two filters: bearer-token authentication (filter_order::authentication) and
// role-based authorization (filter_order::authorization). See docs/security.md.
#include <tmfd/http_filter.hpp>

#include "security_config.hpp"
#include "token_validator.hpp"

namespace tmfd::security {

class SecurityFilters {
public:
  SecurityFilters(const SecuritySettings& settings, TokenValidator& validator)
      : settings_(settings), validator_(validator) {}

  // 401 with WWW-Authenticate unless the request carries a valid bearer token; sets the principal.
  std::optional<http::Response> authenticate(http::Request& request, const http::RouteInfo& route) const;
  // 403 unless a grant of the principal's roles covers the route; may confine the request to the
  // caller's resources (RequestContext::resource_filter).
  std::optional<http::Response> authorize(http::Request& request, const http::RouteInfo& route) const;

private:
  // Public routes (health, metrics) pass unless configured protected.
  bool open(const http::RouteInfo& route) const;

  const SecuritySettings& settings_;
  TokenValidator& validator_;
};

// The API a route belongs to in the rules: the one it declares, else the segment after /tmf-api/
// (the TMF688 central hub and topic hubs serve several APIs), else its first path segment
// (health, metrics, admin).
std::string api_of(const http::RouteInfo& route, std::string_view path);
// read, create, update or delete for the engine's operations and GET routes; empty otherwise.
std::string_view verb_of(std::string_view operation, http::Method method);

} // namespace tmfd::security
