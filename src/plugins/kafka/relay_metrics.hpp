#pragma once
// The adapter's Prometheus metrics, registered through the SDK (tmfd/metrics.hpp) and rendered by
// the kernel on /metrics. Broker errors are counted by error name, so their instruments are looked
// up when they happen (rare); the others are held.
#include <string>

#include <tmfd/metrics.hpp>

namespace tmfd::kafka {

class RelayMetrics {
public:
  explicit RelayMetrics(metrics::Registry& registry);

  metrics::Counter& produced;        // records handed to librdkafka
  metrics::Counter& acknowledged;    // records the brokers acknowledged
  metrics::Counter& failed;          // records reported failed, or refused by librdkafka
  metrics::Counter& retries;         // times the relay rewound to resend after a failure
  metrics::Counter& producers_replaced;
  metrics::Gauge& in_flight;         // produced, not yet acknowledged (or waiting behind one that is not)
  metrics::Gauge& connected;         // 1: a broker answers; 0: none does
  metrics::Histogram& batch_latency; // from a batch's produce to the acknowledgement of its last record

  // Counts a client or cluster error by librdkafka's name for it (e.g. _ALL_BROKERS_DOWN).
  void broker_error(const char* name);

private:
  metrics::Registry& registry_;
};

} // namespace tmfd::kafka
