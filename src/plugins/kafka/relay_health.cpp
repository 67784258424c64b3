#include "relay_health.hpp"

namespace tmfd::kafka {

void RelayHealth::reached_brokers() {
  ever_connected_ = true;
  connected_ = true;
}

void RelayHealth::lost_brokers(const std::string& why) {
  std::lock_guard lock(mutex_);
  broker_error_ = why;
  connected_ = false;
}

void RelayHealth::delivery_failing(const std::string& why) {
  std::lock_guard lock(mutex_);
  delivery_error_ = why;
  failing_ = true;
}

void RelayHealth::delivery_working() { failing_ = false; }

HealthReport RelayHealth::report() const {
  std::lock_guard lock(mutex_);
  if (!connected_) {
    if (!ever_connected_ && broker_error_.empty()) return {false, "connecting to the brokers"};
    return {false, "no broker reachable" + (broker_error_.empty() ? std::string() : " (" + broker_error_ + ")")};
  }
  if (failing_) return {false, "delivery failing, retried: " + delivery_error_};
  return {true, ""};
}

} // namespace tmfd::kafka
