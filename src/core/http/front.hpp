#pragma once
// The middleware in front of the router, run for every request: correlation id, routing (404 and
// 405 with Allow), the filter chain (authentication, RBAC, limits: added by modules), error
// mapping (ApiError to its TMF body, anything else to a logged 500), metrics and the access log.
#include <string>

#include <tmfd/http.hpp>

#include "http/filter_chain.hpp"
#include "http/router.hpp"

namespace tmfd::http {

class Front {
public:
  // Seals `filters`: they are read by every I/O thread from now on.
  Front(Router& router, bool access_log, FilterChain& filters) : router_(router), access_log_(access_log), filters_(&filters) {
    filters.seal();
  }
  // No filters.
  Front(Router& router, bool access_log) : router_(router), access_log_(access_log) {}
  void dispatch(Request& req, Reply reply);

private:
  Router& router_;
  bool access_log_;
  const FilterChain* filters_ = nullptr;
};

} // namespace tmfd::http
