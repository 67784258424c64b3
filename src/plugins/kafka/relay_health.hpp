#pragma once
// Whether the adapter is healthy, for /health/ready: written by the relay thread, read by HTTP
// threads (through the check the module registers), shared so that it outlives the relay.
#include <atomic>
#include <mutex>
#include <string>

#include <tmfd/health.hpp>

namespace tmfd::kafka {

class RelayHealth {
public:
  // A broker answered (a delivery was acknowledged, or the brokers were listed).
  void reached_brokers();
  // librdkafka reported every broker down.
  void lost_brokers(const std::string& why);
  // Delivery failed and is retried, or it succeeded again.
  void delivery_failing(const std::string& why);
  void delivery_working();

  bool connected() const { return connected_.load(); }
  HealthReport report() const;

private:
  std::atomic<bool> connected_{false};  // nothing reached yet at start: "connecting"
  std::atomic<bool> ever_connected_{false};
  std::atomic<bool> failing_{false};
  mutable std::mutex mutex_;
  std::string broker_error_;    // guarded by mutex_
  std::string delivery_error_;  // guarded by mutex_
};

} // namespace tmfd::kafka
