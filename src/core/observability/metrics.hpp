#pragma once
// Prometheus metrics kept in lock-free counters. Per-route counters are allocated when a route is
// registered, so the request path only increments atomics (no map look-up, no lock).
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tmfd::observability {

class Histogram {
public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value) noexcept;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  // Appends the Prometheus exposition lines for this histogram.
  void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};  // sum kept in millionths to stay an integer
};

struct RouteMetrics {
  RouteMetrics(std::string route, std::string method);
  std::string route;
  std::string method;
  std::array<std::atomic<std::uint64_t>, 600> by_status{};
  Histogram latency_seconds;
};

class Metrics {
public:
  Metrics();
  // Stable for the life of the Metrics object.
  RouteMetrics& route(const std::string& route, const std::string& method);

  std::atomic<std::int64_t> connections_active{0};
  std::atomic<std::uint64_t> connections_refused{0};
  std::atomic<std::int64_t> writer_queue_depth{0};
  std::atomic<std::uint64_t> writer_commits{0};
  std::atomic<std::uint64_t> wal_syncs{0};    // syncs of the log by the commit syncer
  std::atomic<std::uint64_t> checkpoints{0};  // checkpoints done off the writer's path
  std::atomic<std::uint64_t> events_written{0};
  std::atomic<std::uint64_t> events_delivered{0};
  Histogram writer_group_size;
  // Hub callbacks: time from an event's commit to its callback's 2xx answer.
  Histogram delivery_lag_seconds;
  std::atomic<std::uint64_t> outbox_pruned{0};
  // Pruning passes finished (whether they deleted anything): after two more, a pass that began
  // after a given moment has decided (tests use it to see that something was not pruned).
  std::atomic<std::uint64_t> outbox_prune_passes{0};
  // Hub delivery workers running: one per hub, from its registration (or start-up) until its
  // worker has ended after the hub's deletion; a deleted hub's worker sends nothing more once gone.
  std::atomic<std::int64_t> hub_workers{0};

  // Adds lines written after the built-in ones (per-hub and per-consumer figures whose label
  // sets change at run time). The function must append complete exposition lines.
  void add_renderer(std::function<void(std::string&)> renderer);

  std::string render() const;

private:
  mutable std::mutex routes_mutex_;  // registration and rendering only
  std::deque<RouteMetrics> routes_;
  std::vector<std::function<void(std::string&)>> renderers_;  // guarded by routes_mutex_
};

} // namespace tmfd::observability
