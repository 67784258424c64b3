#include "bus/in_process_bus.hpp"

#include <algorithm>

#include <tmfd/log.hpp>

#include "observability/metrics.hpp"

namespace tmfd::bus {

namespace {

// The bus whose thread this is (null on every other thread): an unsubscribe() called from inside
// a handler must not wait for the handler that called it.
thread_local const InProcessBus* delivering_bus = nullptr;

} // namespace

InProcessBus::InProcessBus(observability::Metrics& metrics) : metrics_(metrics) {}

InProcessBus::~InProcessBus() { stop(); }

std::uint64_t InProcessBus::subscribe(std::string subscriber_name, EventHandler handler) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<Subscription>>(*subscriptions_);
  next->push_back({next_id_, std::move(subscriber_name), std::move(handler)});
  subscriptions_ = std::move(next);
  return next_id_++;
}

void InProcessBus::unsubscribe(std::uint64_t subscription_id) {
  std::unique_lock lock(mutex_);
  auto next = std::make_shared<std::vector<Subscription>>(*subscriptions_);
  std::erase_if(*next, [&](const auto& s) { return s.id == subscription_id; });
  subscriptions_ = std::move(next);
  // On the bus thread the running handler (if any) is the caller's own: waiting would deadlock.
  if (delivering_bus == this) return;
  // Removed under the lock that run() takes before each handler, so once the running one (if it
  // is this subscription's) returns, the handler is never called again.
  ++unsubscribes_waiting_;
  handler_returned_.wait(lock, [&] { return running_ != subscription_id; });
  --unsubscribes_waiting_;
}

std::size_t InProcessBus::unsubscribes_waiting() const {
  std::lock_guard lock(mutex_);
  return unsubscribes_waiting_;
}

void InProcessBus::publish(std::vector<Event>&& events) {
  {
    std::lock_guard lock(mutex_);
    for (auto& e : events) queue_.push_back(std::move(e));
  }
  wake_.notify_one();
}

void InProcessBus::start() {
  thread_ = std::thread([this] { run(); });
}

void InProcessBus::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool InProcessBus::still_subscribed(const std::vector<Subscription>* targets, std::uint64_t id) const {
  if (subscriptions_.get() == targets) return true;  // nobody (un)subscribed since the snapshot
  return std::any_of(subscriptions_->begin(), subscriptions_->end(), [id](const auto& s) { return s.id == id; });
}

void InProcessBus::run() {
  delivering_bus = this;
  for (;;) {
    Event event;
    std::shared_ptr<const std::vector<Subscription>> targets;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      event = std::move(queue_.front());
      queue_.pop_front();
      targets = subscriptions_;  // handlers may (un)subscribe while running
    }
    log::CorrelationScope scope(event.correlation_id);
    for (const auto& s : *targets) {
      {
        // A subscription removed since the snapshot (by another thread, or by a handler before
        // this one) gets no more events.
        std::lock_guard lock(mutex_);
        if (!still_subscribed(targets.get(), s.id)) continue;
        running_ = s.id;
      }
      try {
        s.handler(event);
      } catch (const std::exception& e) {
        log::error("bus", "subscriber failed", {{"subscriber", s.name}, {"event", event.event_type}, {"error", e.what()}});
      }
      bool someone_waits;
      {
        std::lock_guard lock(mutex_);
        running_ = 0;
        someone_waits = unsubscribes_waiting_ > 0;
      }
      if (someone_waits) handler_returned_.notify_all();
    }
    metrics_.events_delivered.fetch_add(1, std::memory_order_relaxed);
  }
}

} // namespace tmfd::bus
