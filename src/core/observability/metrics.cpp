#include "observability/metrics.hpp"

#include <cstdio>

#include "build_info.hpp"
#include "io/run_guarded.hpp"

namespace tmfd::observability {

namespace {
std::string format_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
} // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name,
                       const std::string& labels) const {
  std::uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string le = i < bounds_.size() ? format_double(bounds_[i]) : "+Inf";
    out += name + "_bucket{" + labels + sep + "le=\"" + le + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  const std::string braced = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braced + " " + format_double(static_cast<double>(sum_micros_.load()) / 1e6) + "\n";
  out += name + "_count" + braced + " " + std::to_string(count_.load()) + "\n";
}

RouteMetrics::RouteMetrics(std::string r, std::string m)
    : route(std::move(r)), method(std::move(m)),
      latency_seconds({0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                       0.25, 0.5, 1, 2.5, 5}) {}

Metrics::Metrics()
    : writer_group_size({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}),
      delivery_lag_seconds({0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300}) {}

RouteMetrics& Metrics::route(const std::string& route, const std::string& method) {
  std::lock_guard lock(routes_mutex_);
  for (auto& r : routes_)
    if (r.route == route && r.method == method) return r;
  return routes_.emplace_back(route, method);
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(16384);
  std::lock_guard renderers_lock(routes_mutex_);
  out += "# HELP tmfd_http_requests_total HTTP requests by route, method and status.\n"
         "# TYPE tmfd_http_requests_total counter\n";
  for (const auto& r : routes_) {
    for (std::size_t s = 0; s < r.by_status.size(); ++s) {
      auto n = r.by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "tmfd_http_requests_total{route=\"" + r.route + "\",method=\"" + r.method +
             "\",status=\"" + std::to_string(s) + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP tmfd_http_request_duration_seconds Time from request parsed to response queued.\n"
         "# TYPE tmfd_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_)
    if (r.latency_seconds.count() > 0)
      r.latency_seconds.render(out, "tmfd_http_request_duration_seconds",
                             "route=\"" + r.route + "\",method=\"" + r.method + "\"");
  auto gauge = [&out](const char* name, const char* help, const char* type, auto value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  gauge("tmfd_http_connections_active", "Open client connections.", "gauge",
        connections_active.load());
  gauge("tmfd_http_connections_refused_total", "Connections closed at accept: limit reached.",
        "counter", connections_refused.load());
  out += "# HELP tmfd_build_info The version and source revision of this binary (always 1).\n"
         "# TYPE tmfd_build_info gauge\ntmfd_build_info{version=\"" +
         std::string(build_info::version()) + "\",revision=\"" + std::string(build_info::revision()) + "\"} 1\n";
  gauge("tmfd_handler_exceptions_total",
        "Operations dropped because an exception escaped their handler (each one is a bug).",
        "counter", io::handler_exceptions());
  gauge("tmfd_store_writer_queue_depth", "Writes waiting for the writer thread.", "gauge",
        writer_queue_depth.load());
  gauge("tmfd_store_commits_total", "Group commits done by the writer thread.", "counter",
        writer_commits.load());
  gauge("tmfd_store_wal_syncs_total",
        "Syncs of the write-ahead log before answering (synchronous: full); each covers every group committed "
        "before it.",
        "counter", wal_syncs.load());
  gauge("tmfd_store_checkpoints_total", "Checkpoints of the write-ahead log run off the writer's path.", "counter",
        checkpoints.load());
  gauge("tmfd_events_written_total", "Events written to the outbox.", "counter",
        events_written.load());
  gauge("tmfd_events_delivered_total", "Events handed to in-process subscribers.", "counter",
        events_delivered.load());
  out += "# HELP tmfd_store_writer_group_size Writes committed together in one transaction.\n"
         "# TYPE tmfd_store_writer_group_size histogram\n";
  writer_group_size.render(out, "tmfd_store_writer_group_size", "");
  gauge("tmfd_outbox_pruned_total", "Outbox entries deleted after every consumer passed them.", "counter",
        outbox_pruned.load());
  gauge("tmfd_outbox_prune_passes_total", "Outbox pruning passes done (whether or not they deleted anything).",
        "counter", outbox_prune_passes.load());
  gauge("tmfd_hub_workers", "Hub delivery workers running (a deleted hub's until it has stopped).", "gauge",
        hub_workers.load());
  out += "# HELP tmfd_delivery_lag_seconds Time from an event's commit to its hub callback's 2xx answer.\n"
         "# TYPE tmfd_delivery_lag_seconds histogram\n";
  delivery_lag_seconds.render(out, "tmfd_delivery_lag_seconds", "");
  for (const auto& renderer : renderers_) renderer(out);
  return out;
}

} // namespace tmfd::observability

namespace tmfd::observability {

void Metrics::add_renderer(std::function<void(std::string&)> renderer) {
  std::lock_guard lock(routes_mutex_);
  renderers_.push_back(std::move(renderer));
}

} // namespace tmfd::observability
