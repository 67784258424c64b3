#pragma once
// The checks modules add to /health/ready (tmfd/health.hpp), beside the kernel's store check.
#include <mutex>
#include <string>
#include <vector>

#include <tmfd/health.hpp>

namespace tmfd::observability {

class HealthChecks {
public:
  // Throws std::invalid_argument for an empty name, "store", or a name taken already.
  void add(HealthCheck check);

  struct Result {
    std::string name;
    bool required = false;
    HealthReport report;
  };
  // Runs every check, in the order added; a check that throws counts as unhealthy.
  std::vector<Result> run() const;

private:
  mutable std::mutex mutex_;
  std::vector<HealthCheck> checks_;
};

} // namespace tmfd::observability
