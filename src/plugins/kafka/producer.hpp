#pragma once
// A librdkafka producer handle (C API) that passes each record's delivery report on, by ticket.
// Used from one thread: produce() and serve() run the callbacks on the calling thread.
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

// What the producer reports while it is served (on the thread that calls produce() and serve()).
class ProducerEvents {
public:
  virtual ~ProducerEvents() = default;
  // The broker acknowledged the record produced with `ticket`.
  virtual void delivered(std::uint64_t ticket) = 0;
  // The record will not be acknowledged (timed out, refused by the broker, purged).
  virtual void failed(std::uint64_t ticket, const std::string& why) = 0;
  // An error of the client or the cluster, not of one record: `name` is librdkafka's error name
  // (e.g. _ALL_BROKERS_DOWN, _TRANSPORT). Logged already.
  virtual void client_error(const char* name, rd_kafka_resp_err_t error) = 0;
};

class Producer {
public:
  // Creates the producer (it connects in the background). Throws std::runtime_error naming a
  // property librdkafka refused, with secret values left out of the message.
  explicit Producer(const std::vector<Property>& properties);
  // Where reports go from now on (none before: a producer reports nothing until it is told where).
  void report_to(ProducerEvents& events) { events_ = &events; }
  // Drops what is still queued or in flight (the caller has not acknowledged it, so it is sent
  // again later) and destroys the handle. The dropped records are not reported.
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues a record whose report will name `ticket`: RD_KAFKA_RESP_ERR_NO_ERROR,
  // RD_KAFKA_RESP_ERR__QUEUE_FULL (serve() a little and try again) or an error that will not go
  // away for this record.
  rd_kafka_resp_err_t produce(const Record& record, std::uint64_t ticket);
  // Serves delivery reports and errors, waiting up to `timeout_ms` for the first one.
  void serve(int timeout_ms);
  // Sends at once what linger.ms would hold back, and serves reports for up to `timeout_ms`.
  void flush(int timeout_ms);
  // Asks the cluster for its broker list, waiting up to `timeout_ms`: whether a broker answered.
  bool reaches_a_broker(int timeout_ms);

  // A fatal error (the idempotent producer lost its state): the producer must be replaced.
  bool has_fatal_error() const { return !fatal_error_.empty(); }
  const std::string& fatal_error() const { return fatal_error_; }

private:
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  void delivery(const rd_kafka_message_t& message);
  void error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason);

  rd_kafka_t* rk_ = nullptr;
  ProducerEvents* events_ = nullptr;  // null also while the destructor purges
  std::string fatal_error_;
  // The last error reported by the error callback, to log repeats at debug level only.
  std::string last_error_;
  std::int64_t last_error_at_ms_ = 0;
};

} // namespace tmfd::kafka
