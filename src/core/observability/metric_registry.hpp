#pragma once
// The kernel's side of tmfd/metrics.hpp: the instruments modules and plugins ask for, kept by
// name and labels, rendered in the Prometheus text format after the kernel's own metrics.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <tmfd/metrics.hpp>

namespace tmfd::observability {

class MetricRegistry final : public metrics::Registry {
public:
  MetricRegistry();
  ~MetricRegistry() override;
  MetricRegistry(const MetricRegistry&) = delete;
  MetricRegistry& operator=(const MetricRegistry&) = delete;

  metrics::Counter& counter(const std::string& name, const std::string& help, const metrics::Labels& labels) override;
  metrics::Gauge& gauge(const std::string& name, const std::string& help, const metrics::Labels& labels) override;
  metrics::Histogram& histogram(const std::string& name, const std::string& help,
                                const std::vector<double>& upper_bounds, const metrics::Labels& labels) override;

  // Appends every family (HELP, TYPE, one line or bucket set per label set), in name order.
  void render(std::string& out) const;

private:
  struct Family;
  Family& family(const std::string& name, const std::string& help, const char* type,
                 const std::vector<double>& upper_bounds);

  mutable std::mutex mutex_;  // registration and rendering; instruments update without it
  std::map<std::string, std::unique_ptr<Family>> families_;
};

} // namespace tmfd::observability
