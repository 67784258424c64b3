#pragma once
// The middleware in front of the router, run for every request: correlation id, routing (404 and
// 405 with Allow), error mapping (ApiError to its TMF body, anything else to a logged 500),
// metrics and the access log.
#include <string>

#include <tmfd/http.hpp>

#include "http/router.hpp"

namespace tmfd::http {

class Front {
public:
  Front(Router& router, bool access_log) : router_(router), access_log_(access_log) {}
  void dispatch(Request& req, Reply reply);

private:
  Router& router_;
  bool access_log_;
};

} // namespace tmfd::http
