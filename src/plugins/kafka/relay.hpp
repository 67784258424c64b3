#pragma once
// The relay: reads the outbox through the plugin's event stream and publishes each batch to
// Kafka; the stream's cursor moves only past events the brokers acknowledged. A failed batch is
// rewound and sent again after an exponential backoff (100 ms doubling up to 5 s), so every event
// is published at least once, in commit order within each partition.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <tmfd/delivery.hpp>

#include "producer.hpp"
#include "topic_routing.hpp"

namespace tmfd::kafka {

struct RelayOptions {
  std::size_t batch_size = 1000;
  std::chrono::milliseconds poll_wait{200};         // longest wait for the outbox in one call
  std::chrono::milliseconds shutdown_timeout{5000}; // on stop, for the batch in flight
  std::chrono::milliseconds stats_interval{60000};  // period of the debug-level counters line
};

struct RelayCounters {
  std::uint64_t events_published = 0;  // acknowledged by Kafka and by the stream's cursor
  std::uint64_t batches_published = 0;
  std::uint64_t batches_failed = 0;    // rewound and sent again
  std::uint64_t producers_replaced = 0;
  std::int64_t last_sequence = 0;      // last outbox sequence acknowledged
};

class Relay {
public:
  using ProducerFactory = std::function<std::unique_ptr<Producer>()>;

  // Starts with `producer`; `make_producer` builds a new one whenever one hits a fatal error.
  Relay(EventStream& stream, const TopicRouter& router, std::unique_ptr<Producer> producer,
        ProducerFactory make_producer, RelayOptions options);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // The relay thread's body: returns once stop() was called and the batch in flight is
  // acknowledged, or shutdown_timeout after stop().
  void run() noexcept;
  // From any thread.
  void stop();
  // Read after run() returned.
  const RelayCounters& counters() const { return counters_; }

private:
  enum class Outcome { Delivered, Failed, Abandoned };

  Outcome deliver(const std::vector<Event>& batch);
  void after_failure(const std::vector<Event>& batch);
  bool acknowledge(std::int64_t sequence, std::size_t events);
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
  std::unique_ptr<Producer> producer_;
  std::string failure_;  // why the last batch failed
  std::chrono::milliseconds backoff_;
  RelayCounters counters_;
  std::chrono::steady_clock::time_point next_stats_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
};

} // namespace tmfd::kafka
