#include "http/front.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "observability/access_log.hpp"
#include "observability/metrics.hpp"
#include "observability/utc_clock.hpp"
#include "resource/ids_and_time.hpp"

namespace tmfd::http {

namespace {

// A client-sent correlation id is echoed only if it is short and printable: it ends up in logs
// and events, so it must not be a vector for log injection.
bool acceptable_correlation_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

Response error_response(int status, const std::string& code, const std::string& reason, const std::string& msg) {
  return Response::json(status, error_body(status, code, reason, msg));
}

} // namespace

namespace {

// What the reply of one request needs once the handler answers, on whichever thread: one
// allocation per request, shared by the wrapper the handler gets and the error paths here.
struct Exchange {
  Reply reply;
  observability::RouteMetrics* metrics;
  std::chrono::steady_clock::time_point started;
  bool access_log;
  Method method;
  std::string correlation_id;
  std::string path;
  std::atomic<bool> replied{false};

  // Exactly one reply reaches the connection, even if a handler answered and then threw.
  void send(Response r) {
    if (replied.exchange(true, std::memory_order_acq_rel)) return;
    r.headers.emplace_back("X-Correlation-ID", correlation_id);
    // Every 503 is a passing condition (a locked or failing store, a drain): say when to retry.
    if (r.status == 503 && std::none_of(r.headers.begin(), r.headers.end(),
                                        [](const Header& h) { return h.first == "Retry-After"; }))
      r.headers.emplace_back("Retry-After", "1");
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (metrics) {
      if (r.status >= 0 && r.status < 600) metrics->by_status[static_cast<std::size_t>(r.status)].fetch_add(1, std::memory_order_relaxed);
      metrics->latency_seconds.observe(seconds);
    }
    if (access_log)
      observability::write_access_line(correlation_id, to_string(method), path, r.status,
                                       static_cast<std::int64_t>(seconds * 1e6));
    reply(std::move(r));
  }
};

} // namespace

void Front::dispatch(Request& req, Reply reply) {
  if (!acceptable_correlation_id(req.correlation_id)) req.correlation_id = resource::new_uuid();
  log::CorrelationScope scope(req.correlation_id);
  req.context.correlation_id = req.correlation_id;
  observability::assign_now_iso8601(req.context.received_at);
  const auto started = std::chrono::steady_clock::now();

  // HEAD is answered as GET; the transport leaves the body out.
  auto match = router_.match(req.method == Method::Head ? Method::Get : req.method, req.path, req.path_params);
  auto exchange = std::make_shared<Exchange>();
  exchange->reply = std::move(reply);
  exchange->metrics = match.route ? match.route->metrics : router_.unmatched(req.method);
  exchange->started = started;
  exchange->access_log = access_log_;
  exchange->method = req.method;
  exchange->correlation_id = req.correlation_id;
  if (access_log_) exchange->path = req.path;  // only the access log needs it

  if (!match.route) {
    // Filters that also guard public routes (a limiter per address) see these requests too:
    // probing unknown paths is no way around them. Filters that check who asks do not run.
    static const RouteInfo kUnmatched{"", "", "unmatched", true};
    try {
      if (filters_ && !filters_->empty())
        if (auto answer = filters_->run(req, kUnmatched)) return exchange->send(std::move(*answer));
    } catch (const ApiError& e) {
      return exchange->send(Response::json(e.http_status(), e.body()));
    }
    if (match.path_known) {
      auto r = error_response(405, "METHOD_NOT_ALLOWED", "Method not allowed",
                              std::string(to_string(req.method)) + " is not allowed on " + req.path);
      r.headers.emplace_back("Allow", match.allow);
      return exchange->send(std::move(r));
    }
    return exchange->send(error_response(404, "NOT_FOUND", "Not found", "no resource at " + req.path));
  }

  // The filters, then the handler. The handler may answer now or later (writes answer after
  // commit); errors thrown before it hands the reply on are answered here.
  try {
    if (filters_ && !filters_->empty())
      if (auto answer = filters_->run(req, match.route->info)) return exchange->send(std::move(*answer));
    match.route->handler(req, [exchange](Response r) { exchange->send(std::move(r)); });
  } catch (const ApiError& e) {
    exchange->send(Response::json(e.http_status(), e.body()));
  } catch (const std::exception& e) {
    log::error("http", "handler failed", {{"path", req.path}, {"error", e.what()}});
    exchange->send(error_response(500, "INTERNAL_ERROR", "Internal error", "the request could not be processed"));
  }
}

} // namespace tmfd::http
