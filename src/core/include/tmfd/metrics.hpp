#pragma once
// Prometheus metrics of a module or plugin, served by the kernel on /metrics beside its own.
// A metric is a name (e.g. tmfd_kafka_events_produced_total), a help text, a type, and a set of
// label values; asking twice for the same name and labels returns the same instrument. The
// instruments belong to the kernel and live until the process exits, so a module may keep the
// references it got in start() and update them from any thread (updates are lock-free).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tmfd::metrics {

// Label name -> value, e.g. {{"error", "_ALL_BROKERS_DOWN"}}. Values are escaped by the kernel.
using Labels = std::vector<std::pair<std::string, std::string>>;

// Only goes up (events sent, errors seen). Prometheus type `counter`.
class Counter {
public:
  virtual ~Counter() = default;
  virtual void add(std::uint64_t n = 1) noexcept = 0;
};

// Goes up and down (events in flight, connected or not). Prometheus type `gauge`.
class Gauge {
public:
  virtual ~Gauge() = default;
  virtual void set(double value) noexcept = 0;
  virtual void add(double delta) noexcept = 0;
};

// Counts observations into buckets (latencies, sizes). Prometheus type `histogram`.
class Histogram {
public:
  virtual ~Histogram() = default;
  virtual void observe(double value) noexcept = 0;
};

// Where a module gets its instruments (ModuleContext::metrics()). Throws std::invalid_argument for
// a name or label name Prometheus would refuse ([a-zA-Z_:][a-zA-Z0-9_:]*), or a name already
// registered with another type, help text or buckets.
class Registry {
public:
  virtual ~Registry() = default;
  virtual Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {}) = 0;
  virtual Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {}) = 0;
  // `upper_bounds`: the buckets' inclusive upper bounds, ascending (+Inf is added).
  virtual Histogram& histogram(const std::string& name, const std::string& help, const std::vector<double>& upper_bounds,
                               const Labels& labels = {}) = 0;
};

} // namespace tmfd::metrics
