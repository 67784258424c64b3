#pragma once
// The routes the kernel serves itself: /health/live, /health/ready (with the modules' checks)
// and /metrics.
#include "http/router.hpp"

namespace tmfd::store {
class Database;
}
namespace tmfd::observability {
class HealthChecks;
class Metrics;
}

namespace tmfd::app {

void add_builtin_routes(http::Router& router, observability::Metrics& metrics, store::Database& db,
                        const observability::HealthChecks& checks);

} // namespace tmfd::app
