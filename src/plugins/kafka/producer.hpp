#pragma once
// A librdkafka producer handle (C API) with its delivery reports counted per batch. Used from one
// thread: produce() and serve() run the delivery-report callback on the calling thread.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "settings.hpp"

namespace tmfd::kafka {

// One Kafka record. Header names are C string literals; the bytes are copied by produce().
struct Record {
  const std::string* topic = nullptr;
  std::string_view key;  // empty: no key
  std::string_view value;
  std::vector<std::pair<const char*, std::string_view>> headers;
};

class Producer {
public:
  // Creates the producer (it connects in the background). Throws std::runtime_error naming a
  // property librdkafka refused, with secret values left out of the message.
  explicit Producer(const std::vector<Property>& properties);
  // Drops what is still queued or in flight (the caller has not acknowledged it, so it is sent
  // again later) and destroys the handle.
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Starts a new batch of `size` records. Reports of earlier batches are ignored from now on.
  void begin_batch(std::size_t size);
  // Queues record `index` of the current batch: RD_KAFKA_RESP_ERR_NO_ERROR,
  // RD_KAFKA_RESP_ERR__QUEUE_FULL (serve() a little and try again) or an error that will not go
  // away for this record.
  rd_kafka_resp_err_t produce(const Record& record, std::size_t index);
  // Sends what is queued and serves delivery reports and errors for up to `timeout_ms`.
  void serve(int timeout_ms);

  std::size_t pending() const { return pending_; } // produced, no report yet
  std::size_t failed() const { return failed_; }   // reported as failed
  // How many records from the start of the batch the broker acknowledged without a gap.
  std::size_t delivered_prefix() const;
  const std::string& first_failure() const { return first_failure_; }

  // A fatal error (the idempotent producer lost its state): the producer must be replaced.
  bool has_fatal_error() const { return !fatal_error_.empty(); }
  const std::string& fatal_error() const { return fatal_error_; }

private:
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  void delivery(const rd_kafka_message_t& message);
  void error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason);

  enum class State : unsigned char { Pending, Delivered, Failed };

  rd_kafka_t* rk_ = nullptr;
  std::uint32_t batch_ = 0;
  std::vector<State> states_;  // per record of the current batch
  std::size_t pending_ = 0;
  std::size_t failed_ = 0;
  std::string first_failure_;
  std::string fatal_error_;
  // The last error reported by the error callback, to log repeats at debug level only.
  std::string last_error_;
  std::int64_t last_error_at_ms_ = 0;
};

} // namespace tmfd::kafka
