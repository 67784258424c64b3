#include "observability/health_checks.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

#include <tmfd/log.hpp>

namespace tmfd::observability {

void HealthChecks::add(HealthCheck check) {
  if (check.name.empty() || check.name == "store" || !check.report)
    throw std::invalid_argument("a health check needs a name other than 'store', and a report function");
  std::lock_guard lock(mutex_);
  for (const auto& c : checks_)
    if (c.name == check.name) throw std::invalid_argument("health check '" + check.name + "' exists already");
  checks_.push_back(std::move(check));
}

std::vector<HealthChecks::Result> HealthChecks::run() const {
  std::vector<HealthCheck> checks;
  {
    std::lock_guard lock(mutex_);  // copied out: a slow check does not hold registration
    checks = checks_;
  }
  std::vector<Result> out;
  out.reserve(checks.size());
  for (const auto& c : checks) {
    Result r{c.name, c.required, {}};
    try {
      r.report = c.report();
    } catch (const std::exception& e) {
      // The health endpoints are public: the exception's text (a path, an SQL error) goes to
      // the log only.
      log::error("health", "health check failed", {{"check", c.name}, {"error", e.what()}});
      r.report = {false, "the check failed (details in the log)"};
    } catch (...) {
      r.report = {false, "the check failed"};
    }
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace tmfd::observability
