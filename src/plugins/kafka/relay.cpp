#include "relay.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <tmfd/log.hpp>

namespace tmfd::kafka {

namespace {

constexpr const char* kTag = "kafka";
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
constexpr int kServeSliceMs = 100;

using Clock = std::chrono::steady_clock;

} // namespace

Relay::Relay(EventStream& stream, const TopicRouter& router, std::unique_ptr<Producer> producer,
             ProducerFactory make_producer, RelayOptions options)
    : stream_(stream),
      router_(router),
      make_producer_(std::move(make_producer)),
      options_(options),
      producer_(std::move(producer)),
      backoff_(kFirstBackoff),
      next_stats_(Clock::now() + options.stats_interval) {}

Relay::~Relay() = default;

void Relay::stop() {
  std::lock_guard lock(mutex_);
  if (stop_requested_) return;
  stop_requested_ = true;
  stop_deadline_ = Clock::now() + options_.shutdown_timeout;
  wake_.notify_all();
}

bool Relay::stopping() {
  std::lock_guard lock(mutex_);
  return stop_requested_;
}

bool Relay::past_stop_deadline() {
  std::lock_guard lock(mutex_);
  return stop_requested_ && Clock::now() >= stop_deadline_;
}

bool Relay::back_off() {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, backoff_, [this] { return stop_requested_; });
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  return !stop_requested_;
}

void Relay::run() noexcept {
  while (!stopping()) {
    std::vector<Event> batch;
    try {
      batch = stream_.next(options_.batch_size, options_.poll_wait);
    } catch (const std::exception& e) {
      log::error(kTag, "cannot read the outbox", {{"error", e.what()}});
      if (!back_off()) break;
      continue;
    }
    log_counters_now_and_then();
    if (batch.empty()) {
      if (producer_) producer_->serve(0);  // error callbacks while idle
      continue;
    }
    const Outcome outcome = deliver(batch);
    if (outcome == Outcome::Delivered) {
      ++counters_.batches_published;
      if (acknowledge(batch.back().sequence, batch.size())) {
        backoff_ = kFirstBackoff;
        continue;
      }
      if (!back_off()) break;
      continue;
    }
    after_failure(batch);
    if (outcome == Outcome::Abandoned || !back_off()) break;
  }
}

Relay::Outcome Relay::deliver(const std::vector<Event>& batch) {
  failure_.clear();
  if (!producer_ || producer_->has_fatal_error()) {
    try {
      producer_.reset();  // purges the old one first
      producer_ = make_producer_();
      ++counters_.producers_replaced;
      log::info(kTag, "producer replaced");
    } catch (const std::exception& e) {
      failure_ = e.what();
      return Outcome::Failed;
    }
  }
  Producer& producer = *producer_;
  producer.begin_batch(batch.size());
  bool refused = false;
  for (std::size_t i = 0; i < batch.size() && !refused; ++i) {
    const Event& e = batch[i];
    const std::string sequence = std::to_string(e.sequence);
    Record record{&router_.topic_for(e), e.resource_id, e.payload,
                  {{"eventId", e.event_id},
                   {"eventType", e.event_type},
                   {"domain", e.domain},
                   {"resourceType", e.resource_type},
                   {"sequence", sequence}}};
    if (!e.correlation_id.empty()) record.headers.emplace_back("correlationId", e.correlation_id);
    if (!e.topic.empty()) record.headers.emplace_back("topic", e.topic);
    for (;;) {
      const rd_kafka_resp_err_t err = producer.produce(record, i);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !past_stop_deadline()) {
        producer.serve(kServeSliceMs);
        continue;
      }
      failure_ = *record.topic + ": event " + e.event_id + " (sequence " + sequence +
                 ") refused: " + rd_kafka_err2str(err);
      refused = true;
      break;
    }
  }
  // Wait for the broker's answer to every record produced.
  while (producer.pending() > 0) {
    if (past_stop_deadline()) {
      failure_ = "stopped before Kafka acknowledged every event of the batch";
      return Outcome::Abandoned;
    }
    producer.serve(kServeSliceMs);
  }
  if (producer.failed() > 0) failure_ = producer.first_failure();
  if (producer.has_fatal_error() && failure_.empty()) failure_ = producer.fatal_error();
  return refused || producer.failed() > 0 || producer.delivered_prefix() < batch.size() ? Outcome::Failed
                                                                                        : Outcome::Delivered;
}

void Relay::after_failure(const std::vector<Event>& batch) {
  // Keep what Kafka took from the start of the batch; send the rest again.
  const std::size_t kept = producer_ ? std::min(producer_->delivered_prefix(), batch.size()) : 0;
  if (kept > 0) acknowledge(batch[kept - 1].sequence, kept);
  rewind();
  ++counters_.batches_failed;
  const std::string unsent = std::to_string(batch.size() - kept);
  const std::string from = std::to_string(batch[std::min(kept, batch.size() - 1)].sequence);
  if (stopping()) {
    log::warn(kTag, "stopping with events Kafka has not acknowledged; they are sent again at the next start",
              {{"events", unsent}, {"from_sequence", from}, {"error", failure_}});
    return;
  }
  log::warn(kTag, "delivery failed; sending again",
            {{"events", unsent}, {"from_sequence", from}, {"error", failure_},
             {"retry_in_ms", std::to_string(backoff_.count())}});
}

bool Relay::acknowledge(std::int64_t sequence, std::size_t events) {
  try {
    stream_.acknowledge(sequence);
    counters_.events_published += events;
    counters_.last_sequence = sequence;
    return true;
  } catch (const std::exception& e) {
    // Kafka has the events; the cursor did not move, so they will be sent again.
    log::error(kTag, "cannot store the stream position", {{"sequence", std::to_string(sequence)},
                                                            {"error", e.what()}});
    rewind();
    return false;
  }
}

void Relay::rewind() {
  try {
    stream_.rewind();
  } catch (const std::exception& e) {
    log::error(kTag, "cannot rewind the event stream", {{"error", e.what()}});
  }
}

void Relay::log_counters_now_and_then() {
  const auto now = Clock::now();
  if (now < next_stats_) return;
  next_stats_ = now + options_.stats_interval;
  log::debug(kTag, "counters", {{"events_published", std::to_string(counters_.events_published)},
                                {"batches_published", std::to_string(counters_.batches_published)},
                                {"batches_failed", std::to_string(counters_.batches_failed)},
                                {"producers_replaced", std::to_string(counters_.producers_replaced)},
                                {"last_sequence", std::to_string(counters_.last_sequence)}});
}

} // namespace tmfd::kafka
