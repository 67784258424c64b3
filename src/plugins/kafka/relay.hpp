#pragma once
// The relay: reads the outbox through the plugin's event stream and publishes it to Kafka with
// several batches in flight. The stream's cursor moves to the highest sequence up to which the
// brokers acknowledged everything (InFlightWindow), so a crash resends at most what was in flight.
// Records go out in commit order and the producer is idempotent, so each partition keeps that
// order. When a record fails, the relay stops producing, waits for the reports of what is in
// flight, keeps the acknowledged front, and sends the rest again after an exponential backoff
// (100 ms doubling up to 5 s): every event is published at least once.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <tmfd/delivery.hpp>

#include "in_flight_window.hpp"
#include "producer.hpp"
#include "relay_health.hpp"
#include "relay_metrics.hpp"
#include "topic_routing.hpp"

namespace tmfd::kafka {

struct RelayOptions {
  std::size_t batch_size = 1000;              // events read from the outbox at a time
  std::size_t max_events_in_flight = 10000;   // produced and not yet acknowledged, at most
  std::chrono::milliseconds poll_wait{200};         // longest wait for the outbox when idle
  std::chrono::milliseconds shutdown_timeout{5000}; // on stop, for what is in flight
  std::chrono::milliseconds stats_interval{60000};  // period of the debug-level counters line
};

struct RelayCounters {
  std::uint64_t events_published = 0;  // acknowledged by Kafka and by the stream's cursor
  std::uint64_t batches_published = 0;
  std::uint64_t batches_failed = 0;    // failures after which the relay rewound and sent again
  std::uint64_t producers_replaced = 0;
  std::int64_t last_sequence = 0;      // last outbox sequence acknowledged
};

class Relay final : private ProducerEvents {
public:
  using ProducerFactory = std::function<std::unique_ptr<Producer>()>;

  // Starts with `producer`; `make_producer` builds a new one whenever one hits a fatal error.
  Relay(EventStream& stream, const TopicRouter& router, std::unique_ptr<Producer> producer,
        ProducerFactory make_producer, RelayOptions options, RelayMetrics& metrics,
        std::shared_ptr<RelayHealth> health);
  ~Relay() override;
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // The relay thread's body: returns once stop() was called and what is in flight is
  // acknowledged, or shutdown_timeout after stop().
  void run() noexcept;
  // From any thread.
  void stop();
  // Read after run() returned.
  const RelayCounters& counters() const { return counters_; }

private:
  // ProducerEvents, on the relay thread while it serves the producer.
  void delivered(std::uint64_t ticket) override;
  void failed(std::uint64_t ticket, const std::string& why) override;
  void client_error(const char* name, rd_kafka_resp_err_t error) override;

  // Reads what fits in the window and produces it; false when nothing was there.
  bool read_and_produce();
  void produce(const Event& event, InFlightWindow::Clock::time_point batch_started);
  // Moves the cursor past what the window acknowledged from its front.
  void release_acknowledged();
  // After a failure: waits for every report, keeps the acknowledged front, rewinds, backs off.
  // False when stopping.
  bool recover();
  void drain_on_stop();
  bool ensure_producer();
  void probe_brokers_now_and_then();
  bool acknowledge(std::int64_t sequence);
  void rewind();
  bool stopping();
  bool past_stop_deadline();
  // Waits the current backoff (or until stop()) and doubles it; false when stopping.
  bool back_off();
  void log_counters_now_and_then();

  EventStream& stream_;
  const TopicRouter& router_;
  ProducerFactory make_producer_;
  RelayOptions options_;
  RelayMetrics& metrics_;
  std::shared_ptr<RelayHealth> health_;
  std::unique_ptr<Producer> producer_;
  InFlightWindow window_;
  std::chrono::milliseconds backoff_;
  RelayCounters counters_;
  std::chrono::steady_clock::time_point next_stats_;
  std::chrono::steady_clock::time_point next_probe_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
};

} // namespace tmfd::kafka
