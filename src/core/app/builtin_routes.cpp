#include "app/builtin_routes.hpp"

#include "observability/metrics.hpp"
#include "store/database.hpp"

namespace tmfd::app {

void add_builtin_routes(http::Router& router, observability::Metrics& metrics, store::Database& db) {
  using http::Method;
  // Live: the process answers. Ready: it can also read its database.
  router.add(Method::Get, "/health/live", [](http::Request&, http::Reply reply) {
    reply(http::Response::json(200, R"({"status":"up"})"));
  });
  router.add(Method::Get, "/health/ready", [&db](http::Request&, http::Reply reply) {
    // The store can be readable (WAL) while no write commits: a writer stuck on a lock is not ready.
    const bool store_up = db.ready();
    const bool writer_ok = !db.writer_stuck();
    const bool ok = store_up && writer_ok;
    reply(http::Response::json(ok ? 200 : 503, std::string(R"({"status":")") + (ok ? "ready" : "not ready") +
                                                   R"(","checks":{"store":")" + (store_up ? "up" : "down") +
                                                   R"(","writer":")" + (writer_ok ? "ok" : "stuck") + R"("}})"));
  });
  router.add(Method::Get, "/metrics", [&metrics](http::Request&, http::Reply reply) {
    http::Response r;
    r.body = metrics.render();
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply(std::move(r));
  });
}

} // namespace tmfd::app
