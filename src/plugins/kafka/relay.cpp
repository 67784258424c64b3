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
// How long one serve() may wait for reports while there is room in the window: short, because
// events committed meanwhile wait for it to return.
constexpr int kServeWithRoomMs = 5;
// While the window is full, or on shutdown: only reports can move things on.
constexpr int kServeSliceMs = 100;
// While no broker answers and nothing is in flight: how often, and how long, to ask for them.
constexpr std::chrono::seconds kProbeInterval{1};
constexpr int kProbeTimeoutMs = 100;

using Clock = std::chrono::steady_clock;

} // namespace

Relay::Relay(EventStream& stream, const TopicRouter& router, std::unique_ptr<Producer> producer,
             ProducerFactory make_producer, RelayOptions options, RelayMetrics& metrics,
             std::shared_ptr<RelayHealth> health)
    : stream_(stream),
      router_(router),
      make_producer_(std::move(make_producer)),
      options_(options),
      metrics_(metrics),
      health_(std::move(health)),
      producer_(std::move(producer)),
      backoff_(kFirstBackoff),
      next_stats_(Clock::now() + options.stats_interval),
      next_probe_(Clock::now()) {
  options_.batch_size = std::max<std::size_t>(options_.batch_size, 1);
  options_.max_events_in_flight = std::max<std::size_t>(options_.max_events_in_flight, 1);
  if (producer_) producer_->report_to(*this);
  metrics_.in_flight.set(0);
  metrics_.connected.set(0);
}

Relay::~Relay() { producer_.reset(); }  // before the window its reports would reach

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
    if (window_.failing() || (producer_ && producer_->has_fatal_error())) {
      if (!recover()) break;
      continue;
    }
    if (!ensure_producer()) {
      if (!back_off()) break;
      continue;
    }
    bool produced = false;
    try {
      produced = read_and_produce();
    } catch (const std::exception& e) {
      log::error(kTag, "cannot read the outbox", {{"error", e.what()}});
      if (!back_off()) break;
      continue;
    }
    // Reports: at once after producing (more may be waiting in the outbox); otherwise wait a
    // little for them, but not so long that new events wait.
    const bool room = window_.size() < options_.max_events_in_flight;
    producer_->serve(produced || window_.size() == 0 ? 0 : room ? kServeWithRoomMs : kServeSliceMs);
    release_acknowledged();
    if (window_.size() == 0) probe_brokers_now_and_then();
    log_counters_now_and_then();
  }
  drain_on_stop();
}

bool Relay::read_and_produce() {
  if (window_.size() >= options_.max_events_in_flight) return false;
  const std::size_t room = options_.max_events_in_flight - window_.size();
  // Idle (nothing in flight): wait for commits. Otherwise only take what is there already.
  const auto wait = window_.size() == 0 ? options_.poll_wait : std::chrono::milliseconds(0);
  const std::vector<Event> batch = stream_.next(std::min(options_.batch_size, room), wait);
  if (batch.empty()) return false;
  const auto started = Clock::now();
  for (const Event& e : batch) {
    produce(e, started);
    if (window_.failing()) break;  // what follows is read again after the rewind
  }
  metrics_.in_flight.set(static_cast<double>(window_.size()));
  return true;
}

void Relay::produce(const Event& e, InFlightWindow::Clock::time_point batch_started) {
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
    const rd_kafka_resp_err_t err = producer_->produce(record, window_.next_ticket());
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      window_.add(e.sequence, batch_started);
      metrics_.produced.add();
      return;
    }
    // librdkafka's own queue is full (queue.buffering.max.messages or .kbytes below the window):
    // its reports make room.
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !past_stop_deadline()) {
      producer_->serve(kServeWithRoomMs);
      continue;
    }
    metrics_.failed.add();
    window_.refused(*record.topic + ": event " + e.event_id + " (sequence " + sequence +
                    ") refused: " + rd_kafka_err2str(err));
    return;
  }
}

void Relay::delivered(std::uint64_t ticket) {
  window_.delivered(ticket);
  metrics_.acknowledged.add();
  if (!health_->connected()) {
    health_->reached_brokers();
    metrics_.connected.set(1);
  }
}

void Relay::failed(std::uint64_t ticket, const std::string& why) {
  window_.failed(ticket, why);
  metrics_.failed.add();
}

void Relay::client_error(const char* name, rd_kafka_resp_err_t error) {
  metrics_.broker_error(name);
  if (error == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    health_->lost_brokers(name);
    metrics_.connected.set(0);
  }
}

void Relay::release_acknowledged() {
  const InFlightWindow::Released r = window_.release_acknowledged(Clock::now());
  metrics_.in_flight.set(static_cast<double>(window_.size()));
  if (r.events == 0) return;
  for (double seconds : r.batch_seconds) metrics_.batch_latency.observe(seconds);
  counters_.batches_published += r.batch_seconds.size();
  if (acknowledge(r.last_sequence)) counters_.events_published += r.events;
  backoff_ = kFirstBackoff;
  health_->delivery_working();
}

bool Relay::recover() {
  std::string why = window_.failure();
  if (why.empty() && producer_) why = producer_->fatal_error();
  health_->delivery_failing(why);
  // Every report first: what Kafka took behind the failure is kept, and nothing of this producer
  // is still on its way when the rest is sent again (which would reorder a partition).
  while (window_.pending() > 0 && producer_ && !producer_->has_fatal_error() && !past_stop_deadline())
    producer_->serve(kServeSliceMs);
  release_acknowledged();
  const std::size_t unsent = window_.size();
  window_.clear();
  metrics_.in_flight.set(0);
  rewind();
  ++counters_.batches_failed;
  metrics_.retries.add();
  if (producer_ && producer_->has_fatal_error()) producer_.reset();  // purged; ensure_producer() makes another
  const std::string after = std::to_string(stream_.acknowledged());
  if (stopping()) {
    log::warn(kTag, "stopping with events Kafka has not acknowledged; they are sent again at the next start",
              {{"events", std::to_string(unsent)}, {"after_sequence", after}, {"error", why}});
    return false;
  }
  log::warn(kTag, "delivery failed; sending again",
            {{"events", std::to_string(unsent)}, {"after_sequence", after}, {"error", why},
             {"retry_in_ms", std::to_string(backoff_.count())}});
  return back_off();
}

void Relay::drain_on_stop() {
  // Nothing more is read; what is in flight gets until the deadline (flush: no linger).
  while (producer_ && window_.pending() > 0 && !past_stop_deadline()) producer_->flush(kServeSliceMs);
  release_acknowledged();
  if (window_.size() == 0) return;
  log::warn(kTag, "stopping with events Kafka has not acknowledged; they are sent again at the next start",
            {{"events", std::to_string(window_.size())},
             {"after_sequence", std::to_string(stream_.acknowledged())},
             {"error", window_.failing() ? window_.failure() : "shutdown_timeout_ms passed"}});
  window_.clear();
  metrics_.in_flight.set(0);
}

bool Relay::ensure_producer() {
  if (producer_) return true;
  try {
    producer_ = make_producer_();
    producer_->report_to(*this);
  } catch (const std::exception& e) {
    health_->delivery_failing(e.what());
    log::error(kTag, "cannot create a producer", {{"error", e.what()}});
    return false;
  }
  ++counters_.producers_replaced;
  metrics_.producers_replaced.add();
  log::info(kTag, "producer replaced");
  return true;
}

void Relay::probe_brokers_now_and_then() {
  if (health_->connected() || !producer_) return;
  const auto now = Clock::now();
  if (now < next_probe_) return;
  next_probe_ = now + kProbeInterval;
  if (producer_->reaches_a_broker(kProbeTimeoutMs)) {
    health_->reached_brokers();
    metrics_.connected.set(1);
  }
}

bool Relay::acknowledge(std::int64_t sequence) {
  try {
    stream_.acknowledge(sequence);
    counters_.last_sequence = sequence;
    return true;
  } catch (const std::exception& e) {
    // Kafka has the events; the next acknowledgement covers them (or a restart resends them).
    log::error(kTag, "cannot store the stream position", {{"sequence", std::to_string(sequence)},
                                                            {"error", e.what()}});
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
                                {"in_flight", std::to_string(window_.size())},
                                {"last_sequence", std::to_string(counters_.last_sequence)}});
}

} // namespace tmfd::kafka
