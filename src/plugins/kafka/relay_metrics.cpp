#include "relay_metrics.hpp"

namespace tmfd::kafka {

RelayMetrics::RelayMetrics(metrics::Registry& r)
    : produced(r.counter("tmfd_kafka_events_produced_total", "Outbox events handed to the Kafka producer.")),
      acknowledged(r.counter("tmfd_kafka_events_acknowledged_total", "Events the Kafka brokers acknowledged.")),
      failed(r.counter("tmfd_kafka_events_failed_total",
                       "Events whose delivery failed (they are sent again after a backoff).")),
      retries(r.counter("tmfd_kafka_retries_total",
                        "Times the adapter went back to its last acknowledged event to send the rest again.")),
      producers_replaced(
          r.counter("tmfd_kafka_producers_replaced_total", "Producers replaced after a fatal producer error.")),
      in_flight(r.gauge("tmfd_kafka_events_in_flight",
                        "Events produced and not yet behind the acknowledged position (sent again after a crash).")),
      connected(r.gauge("tmfd_kafka_connected", "1 when a Kafka broker answers the producer, 0 when none does.")),
      batch_latency(r.histogram("tmfd_kafka_batch_latency_seconds",
                                "From producing a batch to the acknowledgement of its last event.",
                                {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})),
      registry_(r) {}

void RelayMetrics::broker_error(const char* name) {
  registry_.counter("tmfd_kafka_broker_errors_total", "Errors of the Kafka client or cluster, by librdkafka's name.",
                    {{"error", name}})
      .add();
}

} // namespace tmfd::kafka
