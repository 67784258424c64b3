#include "app/builtin_routes.hpp"

#include <tmfd/json.hpp>

#include "observability/health_checks.hpp"
#include "observability/metrics.hpp"
#include "store/database.hpp"

namespace tmfd::app {

void add_builtin_routes(http::Router& router, observability::Metrics& metrics, store::Database& db,
                        const observability::HealthChecks& checks) {
  using http::Method;
  // Public: probes and scrapers carry no token, so authentication and RBAC filters skip these.
  auto kernel = [](const char* operation) { return http::RouteInfo{"", "", operation, true}; };
  // Live: the process answers.
  router.add(Method::Get, "/health/live", [](http::Request&, http::Reply reply) {
    reply(http::Response::json(200, R"({"status":"up"})"));
  }, kernel("health.live"));
  // Ready: it can read its database, its writer is not stuck (the store can be readable in WAL
  // mode while no write commits), and every check a module marked required passes. The other
  // checks (an adapter's peer, say) are reported without changing the answer.
  router.add(Method::Get, "/health/ready", [&db, &checks](http::Request&, http::Reply reply) {
    const bool store_up = db.ready();
    const bool writer_ok = !db.writer_stuck();
    bool ok = store_up && writer_ok;
    json::object status{{"store", store_up ? "up" : "down"}, {"writer", writer_ok ? "ok" : "stuck"}};
    json::object details;
    for (auto& c : checks.run()) {
      status[c.name] = c.report.healthy ? "up" : "down";
      if (!c.report.detail.empty()) details[c.name] = c.report.detail;
      if (c.required && !c.report.healthy) ok = false;
    }
    json::object body{{"status", ok ? "ready" : "not ready"}, {"checks", std::move(status)}};
    if (!details.empty()) body["details"] = std::move(details);
    reply(http::Response::json(ok ? 200 : 503, json::serialize(body)));
  }, kernel("health.ready"));
  router.add(Method::Get, "/metrics", [&metrics](http::Request&, http::Reply reply) {
    http::Response r;
    r.body = metrics.render();
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply(std::move(r));
  }, kernel("metrics"));
}

} // namespace tmfd::app
